"""The search page and the filtered listings of the home and tag pages, as readers load them."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.tags.models import TagType
from tests.factories import TagFactory, WorkFactory, add_tags
from tests.html import parse


def _blurbs(response: Any) -> list[str]:
    page = parse(response.content)
    return [li.find("h4").find("a").text() for li in page.find_all("li", "work blurb group")]


def test_the_search_page_without_a_search_shows_the_form_only(client: Client, db: None) -> None:
    WorkFactory.create(title="Anything")
    response = client.get("/works/search")
    assert response.status_code == 200
    page = parse(response.content)
    assert page.find_all("form", "work-search", role="search") is not None
    assert _blurbs(response) == []


def test_the_search_page_finds_works_and_counts_them(client: Client, db: None) -> None:
    WorkFactory.create(title="The Lighthouse", text="Waves and rocks.")
    WorkFactory.create(title="Meadow", text="Grass.")
    response = client.get("/works/search", {"q": "waves"})
    assert response.status_code == 200
    assert _blurbs(response) == ["The Lighthouse"]
    count = parse(response.content).find("p", "listing-count").text()
    assert "1 – 1 of 1 work" in count


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "sideways"},
        {"page": "-3"},
        {"page": "9" * 40},
        {"words": "lots", "hits": ">>"},
        {"updated": "the other day"},
        {"include": ["abc", "99999999999999999999"]},
        {"tags": ",".join(f"tag {n}" for n in range(1000))},
        {"q": '"((( AND OR NOT'},
        {"q": "\x00"},
        {"rating": "Unrated"},
        {"language": "x" * 5000},
        {"updated_from": "2020-02-31"},
    ],
)
def test_bad_parameters_give_a_message_never_a_500(
    client: Client, db: None, params: dict[str, str | list[str]]
) -> None:
    WorkFactory.create(title="Survivor")
    response = client.get("/works/search", params)
    if any("\x00" in str(value) for value in params.values()):
        # Refused before any view, with a clear page (core.middleware).
        assert response.status_code == 400
        assert "control character" in response.content.decode()
        return
    assert response.status_code == 200
    notices = parse(response.content).find_all("div", "notice error")
    if set(params) - {"q", "page"}:
        assert notices


def test_the_home_page_has_the_filter_sidebar(client: Client, db: None) -> None:
    fandom = TagFactory.create(name="Fandom One", type=TagType.FANDOM, canonical=True)
    add_tags(WorkFactory.create(title="In fandom"), fandom)
    WorkFactory.create(title="Elsewhere")
    page = parse(client.get("/").content)
    box = page.find("input", name="include", value=str(fandom.pk))
    label = page.find("label", for_=box.attrs["id"]).text()
    assert label == "Fandom One (1)"
    response = client.get("/", {"include": fandom.pk})
    assert _blurbs(response) == ["In fandom"]
    response = client.get("/", {"exclude": fandom.pk})
    assert _blurbs(response) == ["Elsewhere"]


def test_a_tag_page_filters_within_its_tag(client: Client, db: None) -> None:
    tag = TagFactory.create(name="Slow Burn", canonical=True)
    fluff = TagFactory.create(name="Fluff", canonical=True)
    add_tags(WorkFactory.create(title="burn and fluff"), tag, fluff)
    add_tags(WorkFactory.create(title="burn only"), tag)
    add_tags(WorkFactory.create(title="fluff only"), fluff)
    assert sorted(_blurbs(client.get("/tags/Slow%20Burn/works"))) == ["burn and fluff", "burn only"]
    assert _blurbs(client.get("/tags/Slow%20Burn/works", {"exclude": fluff.pk})) == ["burn only"]
    assert _blurbs(client.get("/tags/Slow%20Burn/works", {"q": "complete:false"})) == []


def test_page_links_keep_the_filters(client: Client, db: None) -> None:
    tag = TagFactory.create(name="Fluff", canonical=True)
    for number in range(22):
        add_tags(WorkFactory.create(title=f"w{number}"), tag)
    response = client.get("/", {"include": str(tag.pk), "sort": "title"})
    link = parse(response.content).find("a", rel="next").attrs["href"]
    query = parse_qs(urlsplit(link).query)
    assert query == {"include": [str(tag.pk)], "sort": ["title"], "page": ["2"]}
    second = client.get("/" + link)
    assert len(_blurbs(second)) == 2


def test_guests_never_see_restricted_works_in_search_or_its_counts(
    client: Client, other_user: User
) -> None:
    WorkFactory.create(title="Members Lantern", restricted=True)
    WorkFactory.create(title="Open Lantern")
    response = client.get("/works/search", {"q": "lantern"})
    assert _blurbs(response) == ["Open Lantern"]
    assert "of 1 work" in parse(response.content).find("p", "listing-count").text()
    client.force_login(other_user)
    response = client.get("/works/search", {"q": "lantern"})
    assert sorted(_blurbs(response)) == ["Members Lantern", "Open Lantern"]


def test_the_filter_form_works_with_htmx_and_without(client: Client, db: None) -> None:
    WorkFactory.create(title="Something")
    page = parse(client.get("/").content)
    form = page.find("form", "filters", id="work-filters").attrs
    assert (form["method"], form["action"]) == ("get", "/")
    assert (form["hx-get"], form["hx-select"], form["hx-target"]) == ("/", "#listing", "#listing")
    assert any("htmx" in script.attrs.get("src", "") for script in page.find_all("script"))


def test_listings_fall_back_to_the_database_while_the_index_is_built(
    client: Client, db: None, settings: Any
) -> None:
    settings.SEARCH_INLINE = False  # nobody builds the index
    WorkFactory.create(title="Still Listed")
    assert _blurbs(client.get("/")) == ["Still Listed"]
    response = client.get("/", {"q": "anything"})
    assert "being built" in parse(response.content).find("div", "notice error").text()
    search = client.get("/works/search", {"q": "listed"})
    assert search.status_code == 200
    assert "being built" in search.content.decode()


def test_the_works_page_lists_every_listable_work_with_filters(client: Client, db: None) -> None:
    for number in range(3):
        WorkFactory.create(title=f"Indexed {number}")
    WorkFactory.create(title="Members Only", restricted=True)
    response = client.get("/works")
    assert response.status_code == 200
    assert sorted(_blurbs(response)) == ["Indexed 0", "Indexed 1", "Indexed 2"]
    page = parse(response.content)
    assert page.find("h2", "heading").text() == "Works"
    assert page.find("form", id="work-filters") is not None
    assert _blurbs(client.get("/works", {"sort": "title", "order": "desc"}))[0] == "Indexed 2"


def test_an_unknown_tag_name_says_so_with_the_nearest_tags(client: Client, db: None) -> None:
    fluff = TagFactory.create(name="Fluff and Angst", type=TagType.FREEFORM, canonical=True)
    add_tags(WorkFactory.create(title="Soft"), fluff)
    response = client.get("/works/search", {"freeforms": "Fluffy"})
    notice = parse(response.content).find("div", "notice error").text()
    assert "No tag is named “Fluffy”" in notice
    assert "Did you mean “Fluff and Angst”?" in notice
    response = client.get("/works/search", {"freeforms": "Fluff and Angst"})
    assert "No tag is named" not in response.content.decode()
    assert _blurbs(response) == ["Soft"]
