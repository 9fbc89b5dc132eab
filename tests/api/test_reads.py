"""Reading through the API: works with their chapters, lists by cursor, search as the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ficarchive.accounts.models import User
from tests.api.conftest import ApiClient
from tests.factories import WorkFactory, add_chapter

pytestmark = pytest.mark.django_db


def test_guest_reads_a_work_with_its_chapters_and_counts(api: ApiClient, author: User) -> None:
    work = WorkFactory.create(
        title="The Lighthouse", creators=[author.default_pseud()], text="<p>First.</p>"
    )
    add_chapter(work, "<p>Second <script>alert(1)</script>part.</p>")
    response = api.get(f"/works/{work.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["title"] == "The Lighthouse"
    assert [chapter["position"] for chapter in body["chapters"]] == [1, 2]
    assert "<script" not in body["chapters"][1]["html"]
    assert body["stats"]["chapters"] == 2
    assert body["creators"] == [{"pseud": author.default_pseud().name, "login": author.username}]


def test_a_draft_is_not_found_for_a_guest_but_opens_for_its_creator(
    api: ApiClient, author_api: ApiClient, author: User
) -> None:
    work = WorkFactory.create(title="Unfinished", posted=False, creators=[author.default_pseud()])
    response = api.get(f"/works/{work.pk}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "Unfinished" not in response.content.decode()
    assert author_api.get(f"/works/{work.pk}").json()["title"] == "Unfinished"


def test_works_list_pages_by_cursor_and_is_stable_under_inserts(api: ApiClient) -> None:
    works = [WorkFactory.create() for _ in range(5)]
    first = api.get("/works?limit=2").json()
    assert [w["id"] for w in first["works"]] == [works[4].pk, works[3].pk]
    WorkFactory.create()  # posted meanwhile: it sorts before the cursor
    second = api.get(first["next"].split("/api/v1", 1)[1]).json()
    assert [w["id"] for w in second["works"]] == [works[2].pk, works[1].pk]


def test_search_pages_are_stable_under_inserts(api: ApiClient) -> None:
    """A search's later pages leave out what was posted after its first page: nothing shifts,
    nothing is seen twice, and the total stays the first page's."""
    works = [WorkFactory.create(title=f"Lantern {n}") for n in range(5)]
    first = api.get("/search?q=lantern&limit=2&facets=false").json()
    shown = [work["id"] for work in first["works"]]
    assert len(shown) == 2 and first["total"] == 5
    # Posted after the first page was answered (a second later, as the index counts time).
    WorkFactory.create(title="Lantern 6", revised_at=timezone.now() + timedelta(seconds=2))
    url = first["next"].split("/api/v1", 1)[1]
    while url:
        page = api.get(url).json()
        assert page["total"] == 5
        shown += [work["id"] for work in page["works"]]
        url = page["next"] and page["next"].split("/api/v1", 1)[1]
    assert sorted(shown) == sorted(work.pk for work in works)
    # A new search sees the new work.
    assert api.get("/search?q=lantern&facets=false").json()["total"] == 6


def test_search_answers_as_the_search_page(api: ApiClient) -> None:
    WorkFactory.create(title="Harbour lights")
    WorkFactory.create(title="Mountain road")
    body = api.get("/search?q=harbour").json()
    assert body["total"] == 1
    assert body["works"][0]["title"] == "Harbour lights"
    assert {facet["key"] for facet in body["facets"]} >= {"fandom", "language"}


def test_unknown_search_parameter_is_a_problem(api: ApiClient) -> None:
    response = api.get("/search?colour=blue")
    assert response.status_code == 400
    assert response.json()["status"] == 400
    assert "colour" in response.json()["detail"]


def test_wrong_type_is_a_problem_not_a_500(api: ApiClient) -> None:
    response = api.get("/works?limit=lots")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"]


def test_bad_cursor_is_a_problem(api: ApiClient) -> None:
    response = api.get("/works?cursor=not-a-cursor")
    assert response.status_code == 400
    assert "cursor" in response.json()["detail"]


def test_etag_answers_304_when_nothing_changed(api: ApiClient) -> None:
    work = WorkFactory.create()
    first = api.get(f"/works/{work.pk}")
    etag = first["ETag"]
    again = api.get(f"/works/{work.pk}", **{"If-None-Match": etag})
    assert again.status_code == 304
    work.title = "Renamed"
    work.save()
    assert api.get(f"/works/{work.pk}", **{"If-None-Match": etag}).status_code == 200


def test_reads_are_open_to_other_origins(api: ApiClient) -> None:
    response = api.get("/works")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_unknown_address_is_a_problem(api: ApiClient) -> None:
    response = api.get("/nothing-here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_openapi_is_3_1_and_docs_need_no_cdn(api: ApiClient) -> None:
    schema = api.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    docs = api.get("/docs").content.decode()
    assert "cdn" not in docs.lower()
    assert "/static/ninja/swagger-ui-bundle" in docs


def test_a_tag_with_its_synonyms_parents_and_meta_tags(api: ApiClient) -> None:
    from ficarchive.tags.models import MetaTagging, ParentTagging, TagType
    from tests.factories import TagFactory

    fandom = TagFactory.create(name="Harbour Tales", type=TagType.FANDOM, canonical=True)
    character = TagFactory.create(name="The Keeper", type=TagType.CHARACTER, canonical=True)
    synonym = TagFactory.create(name="Keeper", type=TagType.CHARACTER, merger=character)
    meta = TagFactory.create(name="Keepers", type=TagType.CHARACTER, canonical=True)
    ParentTagging.objects.create(parent=fandom, child=character)
    MetaTagging.objects.create(meta_tag=meta, sub_tag=character)
    body = api.get(f"/tags/{character.pk}").json()
    assert [tag["name"] for tag in body["synonyms"]] == [synonym.name]
    assert [tag["name"] for tag in body["parents"]] == ["Harbour Tales"]
    assert [tag["name"] for tag in body["meta_tags"]] == ["Keepers"]
    assert api.get(f"/tags/{synonym.pk}").json()["merger"]["name"] == "The Keeper"
    found = api.get("/tags/autocomplete?q=keep").json()["results"]
    assert "The Keeper" in [tag["name"] for tag in found]


def test_a_creator_their_works_and_series(api: ApiClient, author: User) -> None:
    from ficarchive.works.series import SeriesFields, series_add_work, series_create

    works = [WorkFactory.create(creators=[author.default_pseud()]) for _ in range(3)]
    WorkFactory.create(creators=[author.default_pseud()], restricted=True)
    profile = api.get(f"/users/{author.username}").json()
    assert profile["works"] == 3
    first = api.get(f"/users/{author.username}/works?limit=2").json()
    assert first["total"] == 3 and len(first["works"]) == 2
    # Posted after the first page: the next page is answered as of the first.
    WorkFactory.create(
        creators=[author.default_pseud()], revised_at=timezone.now() + timedelta(seconds=2)
    )
    second = api.get(first["next"].split("/api/v1", 1)[1]).json()
    assert [w["id"] for w in second["works"]] == [works[0].pk]
    assert second["next"] is None
    series = series_create(author, SeriesFields(title="The Harbour Cycle"))
    for work in works[:2]:
        series_add_work(series, work, author)
    body = api.get(f"/series/{series.pk}").json()
    assert [w["id"] for w in body["works"]] == [works[0].pk, works[1].pk]
    assert body["work_count"] == 2
    listed = api.get(f"/users/{author.username}/series").json()["series"]
    assert [s["title"] for s in listed] == ["The Harbour Cycle"]
    assert api.get("/users/nobody-by-this-name").status_code == 404


def test_own_lists_need_a_sign_in(api: ApiClient) -> None:
    for path in ("/me", "/me/history", "/me/later", "/me/subscriptions"):
        response = api.get(path)
        assert response.status_code == 401, path
        assert response["Content-Type"] == "application/problem+json"


def test_history_lists_visits_newest_first(reader_api: ApiClient, other_user: User) -> None:
    from ficarchive.works.history import reading_record

    works = [WorkFactory.create() for _ in range(3)]
    for work in works:
        reading_record(other_user, work.pk, None)
    body = reader_api.get("/me/history?limit=2").json()
    assert [r["work"]["id"] for r in body["readings"]] == [works[2].pk, works[1].pk]
    rest = reader_api.get(body["next"].split("/api/v1", 1)[1]).json()
    assert [r["work"]["id"] for r in rest["readings"]] == [works[0].pk]
