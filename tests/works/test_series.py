"""Series: made and filled from the posting form, reordered on the series form, shown on work
pages ("Part N of" with neighbours), on the series page and a user's series page, and only
where one of its works is listed for the viewer."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import SerialWork, Series, Work
from ficarchive.works.series import (
    SeriesError,
    SeriesFields,
    series_add_work,
    series_arrange,
    series_create,
)
from tests.factories import WorkFactory
from tests.works.posting_data import post_work

pytestmark = pytest.mark.django_db


def _series(author: User, *titles: str) -> tuple[Series, list[Work]]:
    series = series_create(author, SeriesFields(title="The Lamplighter Cycle"))
    works = [WorkFactory.create(title=t, creators=[author.default_pseud()]) for t in titles]
    for work in works:
        series_add_work(series, work, author)
    return series, works


def test_posting_a_work_into_a_new_series_and_then_an_existing_one(
    client: Client, author: User
) -> None:
    client.force_login(author)
    first = post_work(client, author, title="Dusk", new_series="Harbour Tales")
    series = Series.objects.get(title="Harbour Tales")
    assert series.is_by(author)
    second = post_work(client, author, title="Dawn", series=str(series.pk))
    assert list(series.serial_works.order_by("position").values_list("work_id", "position")) == [
        (first.pk, 1),
        (second.pk, 2),
    ]
    page = client.get(f"/works/{second.pk}").content.decode()
    assert "Part 2 of" in page
    assert f'href="/works/{first.pk}"' in page and "Previous Work" in page


def test_another_users_series_is_not_offered_nor_accepted(
    client: Client, author: User, other_user: User
) -> None:
    theirs = series_create(other_user, SeriesFields(title="Not Yours"))
    client.force_login(author)
    form = client.get("/works/new").content.decode()
    assert "Not Yours" not in form
    response = client.post("/works/new", {"title": "x", "series": str(theirs.pk)})
    assert response.status_code == 200
    assert not SerialWork.objects.filter(series=theirs).exists()
    with pytest.raises(SeriesError):
        series_add_work(theirs, WorkFactory.create(creators=[author.default_pseud()]), author)


def test_the_series_page_lists_the_works_in_order_with_stats(author: User) -> None:
    series, works = _series(author, "One", "Two", "Three")
    series_arrange(series, [works[2].pk, works[0].pk, works[1].pk])
    html = Client().get(f"/series/{series.pk}").content.decode()
    assert html.index("Three") < html.index("One") < html.index("Two")
    words = sum(w.word_count for w in works)
    assert f'<dd class="words">{words:,}</dd>' in html
    assert '<dd class="works">3</dd>' in html


def test_the_series_form_reorders_and_removes(client: Client, author: User) -> None:
    series, works = _series(author, "One", "Two", "Three")
    client.force_login(author)
    data = {
        "title": "Renamed Cycle",
        "summary": "<script>x</script><em>ok</em>",
        "notes": "",
        f"place_{works[0].pk}": "3",
        f"place_{works[1].pk}": "1",
        f"place_{works[2].pk}": "2",
        f"remove_{works[2].pk}": "on",
    }
    response = client.post(f"/series/{series.pk}/edit", data)
    assert response.status_code == 302
    rows = list(series.serial_works.order_by("position").values_list("work_id", "position"))
    assert rows == [(works[1].pk, 1), (works[0].pk, 2)]
    html = Client().get(f"/series/{series.pk}").content.decode()
    assert "Renamed Cycle" in html and "<em>ok</em>" in html and "<script>x" not in html


def test_a_bad_series_form_keeps_the_text(client: Client, author: User) -> None:
    series, works = _series(author, "One")
    client.force_login(author)
    response = client.post(
        f"/series/{series.pk}/edit",
        {"title": "   ", "summary": "my careful summary", f"place_{works[0].pk}": "x"},
    )
    assert response.status_code == 200
    assert "my careful summary" in response.content.decode()


def test_only_owners_edit_a_series(client: Client, author: User, other_user: User) -> None:
    series, _works = _series(author, "One")
    client.force_login(other_user)
    assert client.get(f"/series/{series.pk}/edit").status_code == 404
    assert client.post(f"/series/{series.pk}/delete").status_code == 404
    assert Series.objects.filter(pk=series.pk).exists()


def test_a_series_shows_only_the_works_the_viewer_may_list(author: User, other_user: User) -> None:
    series, works = _series(author, "Open Part", "Members Part", "Hidden Part")
    Work.objects.filter(pk=works[1].pk).update(restricted=True)
    Work.objects.filter(pk=works[2].pk).update(hidden_by_admin=True)
    guest_html = Client().get(f"/series/{series.pk}").content.decode()
    assert "Open Part" in guest_html and "Members Part" not in guest_html
    assert "Hidden Part" not in guest_html
    member = Client()
    member.force_login(other_user)
    assert "Members Part" in member.get(f"/series/{series.pk}").content.decode()
    # The neighbour links skip what the viewer may not list.
    page = Client().get(f"/works/{works[0].pk}").content.decode()
    assert "Next Work" not in page
    page = member.get(f"/works/{works[0].pk}").content.decode()
    assert f'href="/works/{works[1].pk}"' in page
    # No work listed for guests: no series.
    Work.objects.filter(pk=works[0].pk).update(restricted=True)
    assert Client().get(f"/series/{series.pk}").status_code == 404


def test_an_anonymous_part_never_names_its_creator(author: User) -> None:
    series, works = _series(author, "Anonymous Part")
    Work.objects.filter(pk=works[0].pk).update(anonymous=True)
    html = Client().get(f"/series/{series.pk}").content.decode()
    assert "Anonymous Part" in html
    assert author.username not in re.sub(r'<header id="header".*?</header>', "", html, flags=re.S)
    listed = Client().get(f"/users/{author.username}/series").content.decode()
    assert "The Lamplighter Cycle" not in listed
    own = Client()
    own.force_login(author)
    assert "The Lamplighter Cycle" in own.get(f"/users/{author.username}/series").content.decode()


def test_a_users_series_page(author: User) -> None:
    series, _works = _series(author, "One")
    html = Client().get(f"/users/{author.username}/series").content.decode()
    assert f'href="/series/{series.pk}"' in html
    assert Client().get("/users/nobody-here/series").status_code == 404
    assert Client().get("/series/999999").status_code == 404
