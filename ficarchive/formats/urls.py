from django.urls import URLPattern, path

# Registers the `id` path converter (bounded database ids).
from ficarchive.core import converters as _converters  # noqa: F401
from ficarchive.formats import views
from ficarchive.formats.efiction import views as efiction
from ficarchive.formats.feeds import atom
from ficarchive.formats.opds import views as opds


def _catalogue(prefix: str, version: int, name: str) -> list[URLPattern]:
    """The catalogue's pages under one version's root."""
    kwargs = {"version": version}
    return [
        path(prefix, opds.start, kwargs, name=f"{name}_root"),
        path(f"{prefix}fandoms", opds.fandoms, kwargs, name=f"{name}_fandoms"),
        path(f"{prefix}ratings", opds.ratings, kwargs, name=f"{name}_ratings"),
        path(f"{prefix}search", opds.search, kwargs, name=f"{name}_search"),
        path(f"{prefix}tags/<id:tag_id>", opds.tag_works, kwargs, name=f"{name}_tag"),
        path(f"{prefix}<slug:slug>", opds.section, kwargs, name=f"{name}_section"),
    ]


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
    path("opds/opensearch.xml", opds.opensearch, name="opds_opensearch"),
    *_catalogue("opds/v2/", 2, "opds2"),
    *_catalogue("opds/", 1, "opds"),
    # Old eFiction links (docs/efiction.md), kept after an import.
    path("viewstory.php", efiction.viewstory, name="efiction_story"),
    path("viewuser.php", efiction.viewuser, name="efiction_user"),
    path("viewseries.php", efiction.viewseries, name="efiction_series"),
    path("browse.php", efiction.browse, name="efiction_browse"),
]
