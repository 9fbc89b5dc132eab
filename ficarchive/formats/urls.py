from django.urls import path

# Registers the `id` path converter (bounded database ids).
from ficarchive.core import converters as _converters  # noqa: F401
from ficarchive.formats import views
from ficarchive.formats.feeds import atom

app_name = "formats"
urlpatterns = [
    path(
        "downloads/<id:work_id>/<str:file_name>.<slug:extension>",
        views.download,
        name="download",
    ),
    path("tags/<str:tag_name>/feed.atom", atom.tag_feed, name="tag_feed"),
    path("users/<str:login>/works/feed.atom", atom.creator_feed, name="creator_feed"),
    path("series/<id:series_id>/feed.atom", atom.series_feed, name="series_feed"),
]
