from django.urls import path, register_converter

from ficarchive.works.views import reading


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
    path("", reading.home, name="home"),
    path("works/<id:work_id>", reading.work_detail, name="work_detail"),
    path("works/<id:work_id>/navigate", reading.work_navigate, name="work_navigate"),
    path("works/<id:work_id>/chapters", reading.chapter_select, name="chapter_select"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>",
        reading.chapter_detail,
        name="chapter_detail",
    ),
    path("tags/<str:tag_name>/works", reading.tag_works, name="tag_works"),
]
