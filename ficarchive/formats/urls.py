from django.urls import path

# Registers the `id` path converter (bounded database ids).
from ficarchive.core import converters as _converters  # noqa: F401
from ficarchive.formats import views

app_name = "formats"
urlpatterns = [
    path(
        "downloads/<id:work_id>/<str:file_name>.<slug:extension>",
        views.download,
        name="download",
    ),
]
