from django.urls import path, register_converter

from ficarchive.works import views


class IdConverter:
    """A database id: digits, few enough that the database can compare them (longer ones would
    overflow SQLite's integers and answer 500 instead of 404)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

app_name = "works"
urlpatterns = [
    path("", views.home, name="home"),
    path("works/<id:work_id>", views.work_detail, name="work_detail"),
    path("works/<id:work_id>/navigate", views.work_navigate, name="work_navigate"),
    path("works/<id:work_id>/chapters", views.chapter_select, name="chapter_select"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>",
        views.chapter_detail,
        name="chapter_detail",
    ),
    path("tags/<str:tag_name>/works", views.tag_works, name="tag_works"),
]
