"""The OPDS catalogue, 1.2 (Atom) and 2.0 (JSON): its navigation, its acquisition pages with
download links, paging and search, who sees what (guests, readers signed in with HTTP Basic,
their filters), clear answers to wrong requests, and that every document validates (Jing
against the OPDS 1.2 RELAX NG schema, jsonschema against the OPDS 2.0 schemas, offline)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from ficarchive.accounts.models import MutedTag, User
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Work
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_tags
from tests.formats.feedcheck import opds2_errors, parse_atom, relaxng_errors

pytestmark = pytest.mark.django_db

PASSWORD = "a long test passphrase"  # tests.factories.UserFactory's
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"


def _basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _get(url: str, status: int = 200, auth: dict[str, str] | None = None) -> Any:
    response = Client().get(url, headers=auth)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response


def _atom_titles(url: str, auth: dict[str, str] | None = None) -> list[str]:
    return [entry.title for entry in parse_atom(_get(url, auth=auth).content).entries]


def _json(url: str, auth: dict[str, str] | None = None) -> Any:
    response = _get(url, auth=auth)
    assert response["Content-Type"].startswith("application/opds+json")
    return json.loads(response.content)


def _json_titles(url: str, auth: dict[str, str] | None = None) -> list[str]:
    return [p["metadata"]["title"] for p in _json(url, auth=auth).get("publications", [])]


def _fandom(name: str = "Catalogue Fandom") -> Tag:
    return TagFactory.create(name=name, type=TagType.FANDOM, canonical=True)


def _tagged(tag: Tag, **fields: Any) -> Work:
    work = WorkFactory.create(**fields)
    add_tags(work, tag)
    return work


def test_start_page_leads_to_every_section() -> None:
    response = _get("/opds/")
    assert "profile=opds-catalog;kind=navigation" in response["Content-Type"]
    feed = parse_atom(response.content)
    assert [entry.title for entry in feed.entries] == [
        "New works",
        "Most kudos",
        "Complete works",
        "By fandom",
        "By rating",
    ]
    rels = {link["rel"] for link in feed.feed.links}
    assert {"self", "start", "search"} <= rels
    document = _json("/opds/v2/")
    assert [item["title"] for item in document["navigation"]] == [
        "New works",
        "Most kudos",
        "Complete works",
        "By fandom",
        "By rating",
    ]


def test_acquisition_entries_link_epub_pdf_and_html_with_summary_and_tags() -> None:
    fandom = _fandom()
    work = _tagged(fandom, title="Downloadable", summary="A <b>bold</b> summary.")
    feed = parse_atom(_get("/opds/new").content)
    entry = feed.entries[0]
    assert entry.title == "Downloadable"
    acquisitions = {
        link["type"]: link["href"]
        for link in entry.links
        if link["rel"] == "http://opds-spec.org/acquisition/open-access"
    }
    assert set(acquisitions) == {"application/epub+zip", "application/pdf", "text/html"}
    assert acquisitions["application/epub+zip"].endswith(f"/downloads/{work.pk}/Downloadable.epub")
    assert entry.summary == "A bold summary."
    assert "Catalogue Fandom" in {tag.term for tag in entry.tags}
    publication = _json("/opds/v2/new")["publications"][0]
    types = {link["type"] for link in publication["links"] if link["rel"].startswith("http://opds")}
    assert types == {"application/epub+zip", "application/pdf", "text/html"}
    assert publication["metadata"]["description"] == "A bold summary."


def test_sections_list_new_popular_and_complete_works() -> None:
    WorkFactory.create(title="Old and loved", kudos_count=50, complete=True)
    WorkFactory.create(title="New and unfinished", kudos_count=1, complete=False)
    assert _atom_titles("/opds/popular") == ["Old and loved", "New and unfinished"]
    assert _atom_titles("/opds/complete") == ["Old and loved"]
    assert _json_titles("/opds/v2/complete") == ["Old and loved"]


def test_by_fandom_and_by_rating_lead_to_each_tags_works() -> None:
    fandom = _fandom()
    _tagged(fandom, title="In the fandom")
    WorkFactory.create(title="Elsewhere")
    feed = parse_atom(_get("/opds/fandoms").content)
    assert [entry.title for entry in feed.entries] == ["Catalogue Fandom"]
    href = feed.entries[0].links[0]["href"]
    assert href.endswith(f"/opds/tags/{fandom.pk}")
    assert _atom_titles(f"/opds/tags/{fandom.pk}") == ["In the fandom"]
    ratings = parse_atom(_get("/opds/ratings").content)
    assert "General Audiences" in [entry.title for entry in ratings.entries]


def test_pages_have_next_and_previous_links() -> None:
    for number in range(5):
        WorkFactory.create(title=f"Paged {number}")
    first = parse_atom(_get("/opds/new?per_page=2").content)
    rels = {link["rel"]: link["href"] for link in first.feed.links}
    assert "next" in rels and "previous" not in rels
    second = parse_atom(_get(rels["next"].replace("http://localhost:8000", "")).content)
    second_rels = {link["rel"] for link in second.feed.links}
    assert {"next", "previous", "first", "last"} <= second_rels
    document = _json("/opds/v2/new?per_page=2&page=3")
    assert document["metadata"]["numberOfItems"] == 5
    assert len(document["publications"]) == 1
    assert {link["rel"] for link in document["links"]} >= {"previous", "first"}


def test_search_finds_works_and_the_opensearch_description_describes_it() -> None:
    WorkFactory.create(title="The lighthouse keeper")
    WorkFactory.create(title="Something else")
    assert _atom_titles("/opds/search?q=lighthouse") == ["The lighthouse keeper"]
    assert _json_titles("/opds/v2/search?q=lighthouse") == ["The lighthouse keeper"]
    # OPDS 2.0's templated search link names the parameter `query`.
    links = {link["rel"]: link for link in _json("/opds/v2/")["links"]}
    assert links["search"]["href"].endswith("/opds/v2/search{?query}")
    assert _json_titles("/opds/v2/search?query=lighthouse") == ["The lighthouse keeper"]
    description = _get("/opds/opensearch.xml")
    assert description["Content-Type"].startswith("application/opensearchdescription+xml")
    assert b"/opds/search?q={searchTerms}" in description.content


def test_guests_see_no_restricted_works_and_signed_in_readers_do(other_user: User) -> None:
    WorkFactory.create(title="Open")
    WorkFactory.create(title="Members only", restricted=True)
    assert _atom_titles("/opds/new") == ["Open"]
    assert sorted(_atom_titles("/opds/new", auth=_basic("reader"))) == ["Members only", "Open"]
    assert sorted(_json_titles("/opds/v2/new", auth=_basic("reader"))) == ["Members only", "Open"]


def test_a_signed_in_readers_muted_tags_and_users_apply(other_user: User, author: User) -> None:
    muted = TagFactory.create(name="Muted tag", canonical=True)
    _tagged(muted, title="With the muted tag")
    WorkFactory.create(title="By the muted user", creators=[author.default_pseud()])
    WorkFactory.create(title="Plain")
    MutedTag.objects.create(user=other_user, tag=muted)
    from ficarchive.accounts.muting import user_mute

    user_mute(other_user, author)
    assert _atom_titles("/opds/new", auth=_basic("reader")) == ["Plain"]
    assert _json_titles("/opds/v2/new", auth=_basic("reader")) == ["Plain"]
    assert len(_atom_titles("/opds/new")) == 3


def test_wrong_credentials_answer_401_with_a_challenge(other_user: User) -> None:
    for auth in (
        _basic("reader", "not the password"),
        _basic("nobody"),
        {"Authorization": "Basic !!!not-base64"},
        {"Authorization": "Bearer something"},
    ):
        response = _get("/opds/", 401, auth)
        assert response["WWW-Authenticate"].startswith("Basic realm=")
    response = _get("/opds/v2/new", 401, _basic("reader", "wrong"))
    assert "did not match" in response.content.decode()


def test_failed_sign_ins_are_throttled_like_login(other_user: User, settings: Any) -> None:
    cache.clear()
    settings.ACCOUNT_RATE_LIMIT = "3/m"
    statuses = [
        Client().get("/opds/", headers=_basic("reader", f"wrong {n}")).status_code for n in range(5)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[-1] == 429
    # The right password waits too, as on the login form.
    assert Client().get("/opds/", headers=_basic("reader")).status_code == 429


def test_successful_sign_ins_are_not_counted(other_user: User, settings: Any) -> None:
    cache.clear()
    settings.ACCOUNT_RATE_LIMIT = "3/m"
    for _ in range(6):
        assert Client().get("/opds/", headers=_basic("reader")).status_code == 200


def test_a_remembered_sign_in_ends_when_the_password_changes(other_user: User) -> None:
    assert _get("/opds/", auth=_basic("reader")).status_code == 200
    other_user.set_password("a different passphrase")
    other_user.save()
    _get("/opds/", 401, _basic("reader"))
    assert _get("/opds/", auth=_basic("reader", "a different passphrase")).status_code == 200
    other_user.is_active = False
    other_user.save()
    _get("/opds/", 401, _basic("reader", "a different passphrase"))


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/opds/new?page=0", 400, "page must be a whole number"),
        ("/opds/new?page=abc", 400, "page must be a whole number"),
        ("/opds/new?page=99999999999", 400, "page must be a whole number"),
        ("/opds/new?per_page=100000", 400, "per_page must be a whole number"),
        ("/opds/v2/new?per_page=-1", 400, "per_page must be a whole number"),
        ("/opds/new?page=50", 404, "There is no page 50"),
        ("/opds/v2/new?page=50", 404, "There is no page 50"),
        ("/opds/nothing-here", 404, "No such catalogue page"),
        ("/opds/tags/987654", 404, "No such tag"),
    ],
)
def test_bad_requests_get_clear_answers(url: str, status: int, message: str) -> None:
    WorkFactory.create(title="Only work")
    response = _get(url, status)
    assert message in response.content.decode()


def test_a_tag_that_is_not_canonical_is_not_in_the_catalogue() -> None:
    tag = TagFactory.create(name="unwrangled", canonical=False)
    response = _get(f"/opds/tags/{tag.pk}", 404)
    assert "canonical" in response.content.decode()


def test_the_home_page_advertises_the_catalogue() -> None:
    html = _get("/").content.decode()
    assert 'href="/opds/"' in html
    assert "profile=opds-catalog;kind=navigation" in html


def _every_page(fandom: Tag) -> list[str]:
    return [
        "",
        "new",
        "new?per_page=1&page=2",
        "popular",
        "complete",
        "fandoms",
        "ratings",
        f"tags/{fandom.pk}",
        "search?q=valid",
        "search?q=nothingmatchesthis",
    ]


def test_every_opds_1_feed_validates_against_the_relax_ng_schema(author: User) -> None:
    fandom = _fandom("Fandom & <Friends> 日本")
    cocreator = PseudFactory.create(name="Co Pen")
    for number in range(3):
        _tagged(
            fandom,
            title=f"valid & <{number}> ' \" עברית",
            summary="<p>Summary & <strong>more</strong></p>",
            creators=[author.default_pseud(), cocreator],
            anonymous=number == 2,
            complete=number == 1,
        )
    documents = [_get(f"/opds/{page}").content for page in _every_page(fandom)]
    documents.append(_get("/opds/new", auth=_basic("author")).content)
    assert relaxng_errors(documents, "opds-1.2-fixed.rnc") == []
    assert relaxng_errors(documents, "atom.rnc") == []


def test_every_opds_2_feed_validates_against_the_json_schemas(author: User) -> None:
    fandom = _fandom("Fandom & <Friends> 日本")
    for number in range(3):
        _tagged(
            fandom,
            title=f"valid {number} עברית",
            summary="Summary & more",
            creators=[author.default_pseud()],
            anonymous=number == 2,
        )
    for page in _every_page(fandom):
        document = _json(f"/opds/v2/{page}")
        assert opds2_errors(document) == [], page
    # The schemas are really applied: a feed without its self link is refused.
    broken = _json("/opds/v2/new")
    broken["links"] = [link for link in broken["links"] if link["rel"] != "self"]
    assert opds2_errors(broken) != []
