"""Old eFiction URLs answer 301 to the new pages, from the links the import kept."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.formats.efiction.report import Report
from ficarchive.tags.models import Tag
from ficarchive.works.models import Series
from ficarchive.works.templatetags.reading import tag_works_url
from tests.formats.efiction.helpers import work_of


def _moved(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 301, url
    return str(response["Location"])


def test_viewstory_goes_to_the_work_and_to_its_chapter(imported: Report, client: Client) -> None:
    work = work_of(1)
    second = work.chapters.get(position=2)
    assert _moved(client, "/viewstory.php?sid=1") == f"/works/{work.pk}"
    assert _moved(client, "/viewstory.php?sid=1&chapter=2") == (
        f"/works/{work.pk}/chapters/{second.pk}"
    )
    # A chapter number the work does not have: the work itself.
    assert _moved(client, "/viewstory.php?sid=1&chapter=9") == f"/works/{work.pk}"


def test_viewuser_viewseries_and_browse(imported: Report, client: Client) -> None:
    assert (
        _moved(client, "/viewuser.php?uid=2")
        == f"/users/{User.objects.get(username='Kestrel_Wing').username}"
    )
    series = Series.objects.get(title="Watches")
    assert _moved(client, "/viewseries.php?seriesid=1") == f"/series/{series.pk}"
    tag = Tag.objects.get(name="Harbour Lights")
    assert _moved(client, "/browse.php?type=categories&catid=3") == tag_works_url(tag.name)


@pytest.mark.parametrize(
    "url",
    [
        "/viewstory.php?sid=99",
        "/viewstory.php?sid=abc",
        "/viewstory.php",
        "/viewuser.php?uid=99999999999999999999",
        "/viewseries.php?seriesid=2",
        "/browse.php?type=titles&catid=3",
        "/browse.php?type=categories&catid=-1",
    ],
)
def test_unknown_old_ids_are_not_found(imported: Report, client: Client, url: str) -> None:
    assert client.get(url).status_code == 404
