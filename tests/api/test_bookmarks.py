"""Bookmarks through the API: the lists as their pages show them to each viewer, filters and
paging, and bookmarking with a token of scope write through the bookmark form's services."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import TokenScope, User
from ficarchive.social.models import Bookmark
from ficarchive.works.models import SerialWork, Series, Work
from tests.api.conftest import ApiClient, token_for
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def _bookmark(api: ApiClient, work: Work, **body: object) -> int:
    response = api.send("POST", f"/works/{work.pk}/bookmarks", body)
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def test_bookmarking_sanitises_the_notes_and_keeps_the_tags(
    reader_api: ApiClient, api: ApiClient, other_user: User
) -> None:
    work = WorkFactory.create(title="Harbour Lights")
    pk = _bookmark(
        reader_api,
        work,
        notes="<p>Lovely.</p><script>x()</script>",
        tags=["Comfort Read", "Boats"],
        rec=True,
    )
    body = api.get(f"/bookmarks/{pk}").json()
    assert body["kind"] == "work" and body["work"]["title"] == "Harbour Lights"
    assert "<script" not in body["notes_html"] and "Lovely." in body["notes_html"]
    assert body["tags"] == ["Comfort Read", "Boats"] and body["rec"] is True
    assert body["login"] == other_user.username
    assert Work.objects.get(pk=work.pk).bookmarks_count == 1


def test_a_private_bookmark_is_seen_only_by_its_owner(
    reader_api: ApiClient, api: ApiClient, author_api: ApiClient, other_user: User
) -> None:
    work = WorkFactory.create()
    pk = _bookmark(reader_api, work, private=True)
    assert reader_api.get(f"/bookmarks/{pk}").status_code == 200
    assert api.get(f"/bookmarks/{pk}").status_code == 404
    assert author_api.get(f"/bookmarks/{pk}").status_code == 404
    listed = api.get(f"/users/{other_user.username}/bookmarks").json()["bookmarks"]
    assert listed == []
    own = reader_api.get(f"/users/{other_user.username}/bookmarks").json()["bookmarks"]
    assert [bookmark["id"] for bookmark in own] == [pk]
    # Private bookmarks are not counted on the work.
    assert Work.objects.get(pk=work.pk).bookmarks_count == 0


def test_a_restricted_works_bookmarks_are_not_shown_to_guests(
    reader_api: ApiClient, api: ApiClient
) -> None:
    work = WorkFactory.create(restricted=True)
    pk = _bookmark(reader_api, work)
    assert api.get(f"/bookmarks/{pk}").status_code == 404
    assert api.get(f"/works/{work.pk}/bookmarks").status_code == 404
    listed = reader_api.get(f"/works/{work.pk}/bookmarks").json()["bookmarks"]
    assert [bookmark["id"] for bookmark in listed] == [pk]


def test_twice_is_a_conflict_naming_the_first_bookmark(reader_api: ApiClient) -> None:
    work = WorkFactory.create()
    pk = _bookmark(reader_api, work)
    again = reader_api.send("POST", f"/works/{work.pk}/bookmarks", {"notes": "Again"})
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert str(pk) in again.json()["detail"]
    assert again["Location"].endswith(f"/api/v1/bookmarks/{pk}")
    assert Bookmark.objects.count() == 1


def test_bad_bookmarks_are_problems_and_change_nothing(
    reader_api: ApiClient, other_user: User
) -> None:
    work = WorkFactory.create()
    too_many = reader_api.send(
        "POST", f"/works/{work.pk}/bookmarks", {"tags": [f"tag {n}" for n in range(200)]}
    )
    assert too_many.status_code == 422
    unknown_pseud = reader_api.send("POST", f"/works/{work.pk}/bookmarks", {"pseud": "Nobody"})
    assert unknown_pseud.status_code == 422
    assert reader_api.send("POST", "/works/999999999/bookmarks", {}).status_code == 404
    draft = WorkFactory.create(posted=False)
    assert reader_api.send("POST", f"/works/{draft.pk}/bookmarks", {}).status_code == 404
    bad_json = reader_api.send("POST", f"/works/{work.pk}/bookmarks", "{not json")
    assert bad_json.status_code in (400, 422)
    assert not Bookmark.objects.exists()


def test_a_read_token_may_not_bookmark(other_user: User) -> None:
    reader = ApiClient(token_for(other_user, TokenScope.READ))
    work = WorkFactory.create()
    assert reader.send("POST", f"/works/{work.pk}/bookmarks", {}).status_code == 403
    assert not Bookmark.objects.exists()


def test_only_the_owner_changes_or_deletes_a_bookmark(
    reader_api: ApiClient, author_api: ApiClient
) -> None:
    work = WorkFactory.create()
    pk = _bookmark(reader_api, work, notes="First thoughts")
    assert author_api.send("PUT", f"/bookmarks/{pk}", {"notes": "Mine now"}).status_code == 404
    assert author_api.send("DELETE", f"/bookmarks/{pk}").status_code == 404
    changed = reader_api.send("PUT", f"/bookmarks/{pk}", {"notes": "Second thoughts"})
    assert changed.status_code == 200
    assert "Second thoughts" in reader_api.get(f"/bookmarks/{pk}").json()["notes_html"]
    assert reader_api.send("DELETE", f"/bookmarks/{pk}").status_code == 204
    assert not Bookmark.objects.exists()
    assert Work.objects.get(pk=work.pk).bookmarks_count == 0


def test_series_bookmarks(reader_api: ApiClient, api: ApiClient, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    series = Series.objects.create(title="The Tide Books")
    series.owners.add(author)
    SerialWork.objects.create(series=series, work=work, position=1)
    made = reader_api.send("POST", f"/series/{series.pk}/bookmarks", {"rec": True})
    assert made.status_code == 201, made.content
    listed = api.get(f"/series/{series.pk}/bookmarks").json()["bookmarks"]
    assert [(b["kind"], b["series"]["title"]) for b in listed] == [("series", "The Tide Books")]


def test_filters_and_paging_follow_the_bookmark_pages(
    reader_api: ApiClient, api: ApiClient, other_user: User
) -> None:
    works = WorkFactory.create_batch(5)
    ids = [_bookmark(reader_api, work, rec=index % 2 == 0) for index, work in enumerate(works)]
    path = f"/users/{other_user.username}/bookmarks"
    recs = api.get(f"{path}?rec=true").json()["bookmarks"]
    assert sorted(b["id"] for b in recs) == sorted(ids[0::2])
    seen: list[int] = []
    url: str | None = f"{path}?limit=2"
    first = True
    while url:
        page = api.get(url).json() if first else api.client.get(url).json()
        first = False
        seen += [bookmark["id"] for bookmark in page["bookmarks"]]
        url = page["next"]
        if len(seen) == 2:
            # A bookmark made meanwhile sorts before the cursor: no later page shifts.
            ids.append(_bookmark(reader_api, WorkFactory.create()))
    assert seen == list(reversed(ids[:5]))
    messages = api.get(f"{path}?sort=sideways&bookmarked_from=yesterday").json()["messages"]
    assert len(messages) == 2
    assert api.get(f"{path}?cursor=forged").status_code == 400
    assert api.get(f"{path}?limit=1000").status_code == 422
    assert api.get("/users/nobody-at-all/bookmarks").status_code == 404
