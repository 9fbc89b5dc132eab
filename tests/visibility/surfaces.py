"""The surfaces of the visibility matrix: every page (or the engine behind it) that shows works,
each as a check of one case, one state's work seen by one viewer, against the outcome that
`expected` gives. A check fails if the surface shows a work it must not show, names its title,
or names an anonymous or orphaned work's creator.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.accounts.orphans import ORPHAN_LOGIN
from ficarchive.search.engine import search_works
from ficarchive.search.query import WorkQuery
from ficarchive.tags.models import TagType
from ficarchive.tags.urlnames import tag_url_name
from ficarchive.works.templatetags.reading import pseud_url, tag_works_url
from tests.visibility.corpus import (
    ANONYMOUS_STATES,
    MATRIX_COLLECTION,
    STATES,
    Corpus,
    Entry,
    Outcome,
    expected,
)

# Checking pages.

_HEADER = re.compile(r'<header id="header".*?</header>', re.DOTALL)


def fetch_page(client: Client, url: str, status: int = 200) -> str:
    """The page's HTML without the site header, once its status is the one expected."""
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}, not {status}"
    # The site header names the viewer, who may be the creator looking.
    return _HEADER.sub("", response.content.decode())


def _blurb(html: str, work_id: int) -> str:
    """The blurb of this work in a listing, or '' when it is not listed."""
    start = html.find(f'<li id="work_{work_id}"')
    if start < 0:
        return ""
    # Blurbs hold no lists of works: the next blurb or the end of the list ends this one.
    ends = [html.find(mark, start + 1) for mark in ('<li id="work_', '<ol class="work index')]
    ends.append(html.find("</ol>", start))
    return html[start : min(end for end in ends if end >= 0)]


def _names(entry: Entry) -> dict[str, list[str]]:
    return {
        "creator": [entry.creator.username, entry.creator_pseud],
        "co-creator": [entry.cocreator.username, entry.cocreator_pseud],
        "invitee": [entry.invitee.username, entry.invitee_pseud],
    }


def _assert_names(text: str, entry: Entry, *, work_shown: bool, creators_named: bool) -> None:
    """Who the text names: the creators only when the work is shown and they may be named;
    the original creator of an orphaned work and an invitee who never accepted, never."""
    names = _names(entry)
    creator_expected = work_shown and creators_named and entry.state != "orphaned"
    for name in names["creator"]:
        assert (name in text) is creator_expected, f"{name!r} shown: {not creator_expected}"
    for name in names["co-creator"]:
        assert (name in text) is (work_shown and creators_named), f"{name!r}"
    for name in names["invitee"]:
        assert name not in text, f"the invitee {name!r} is named"
    if entry.state == "orphaned":
        assert (ORPHAN_LOGIN in text) is work_shown
    if entry.state in ANONYMOUS_STATES:
        assert ("Anonymous" in text) is work_shown


@dataclass(frozen=True)
class Case:
    corpus: Corpus
    entry: Entry
    outcome: Outcome
    viewer: str
    client: Client
    user: User | None

    @property
    def viewer_user(self) -> Any:
        from django.contrib.auth.models import AnonymousUser

        return self.user or AnonymousUser()


# Surfaces: each asks one page (or the engine behind it) and checks it against the outcome.


def _reading(path: str) -> Callable[[Case], None]:
    def check(case: Case) -> None:
        entry, outcome = case.entry, case.outcome
        url = path.format(work=entry.work_id, chapter=entry.chapter_id)
        html = fetch_page(case.client, url, 200 if outcome.opens else 404)
        assert (entry.title in html) is outcome.opens
        _assert_names(html, entry, work_shown=outcome.opens, creators_named=outcome.creator_shown)

    return check


def _listing(case: Case, url: str, *, listed: bool, whole_page: bool = True) -> str:
    entry = case.entry
    html = fetch_page(case.client, url)
    blurb = _blurb(html, entry.work_id)
    assert bool(blurb) is listed, f"{url}: listed {bool(blurb)}, expected {listed}"
    assert (entry.title in html) is listed
    # One blurb for every reader: an anonymous work's says Anonymous, even to its creators.
    named = entry.state not in ANONYMOUS_STATES
    _assert_names(blurb, entry, work_shown=listed, creators_named=named)
    if whole_page:
        _assert_names(html, entry, work_shown=listed, creators_named=named)
    return html


def surface_home(case: Case) -> None:
    _listing(case, "/", listed=case.outcome.listed)


def surface_work_index(case: Case) -> None:
    _listing(case, "/works", listed=case.outcome.listed)


def surface_tag_page(case: Case) -> None:
    _listing(case, tag_works_url(case.entry.fandom.name), listed=case.outcome.listed)


def surface_search_results(case: Case) -> None:
    _listing(case, f"/works/search?q={case.entry.title_word}", listed=case.outcome.listed)


def surface_collection_page(case: Case) -> None:
    """A collection's page lists its works through the search engine, as other listings."""
    _listing(case, f"/collections/{MATRIX_COLLECTION}", listed=case.outcome.listed)


def surface_search_by_creator(case: Case) -> None:
    """Searching the creator's login or pseud finds the work only where the byline names them:
    never an anonymous work, never an orphaned one by its original creator."""
    entry, outcome = case.entry, case.outcome
    findable = outcome.listed and entry.state not in (*ANONYMOUS_STATES, "orphaned")
    for params in (
        f"q={entry.creator.username}",
        f"q={entry.creator_pseud}",
        f"creators={entry.creator.username}",
        f"q=creators:{entry.creator_pseud}",
    ):
        html = fetch_page(case.client, f"/works/search?{params}")
        assert bool(_blurb(html, entry.work_id)) is findable, params
        assert (entry.title in html) is findable, params


def _listed_count(corpus: Corpus, viewer: str, state: str) -> int:
    """The works listed for this kind of viewer, as the table says (each viewer is a user of
    its own for each state, so count with the viewer of this state's case)."""
    total = corpus.extra_listed
    for other in STATES:
        if other == state:
            total += expected(other, viewer).listed
        else:
            # Creators of this state are readers of the other states' works.
            role = viewer if viewer in ("guest", "reader", "wrangler", "admin") else "reader"
            total += expected(other, role).listed
    return total


def surface_search_totals(case: Case) -> None:
    entry, outcome = case.entry, case.outcome
    found = search_works(WorkQuery(text=entry.title_word), case.viewer_user, facets=False)
    assert found.total == int(outcome.listed)
    everything = search_works(WorkQuery(), case.viewer_user, facets=False)
    assert everything.total == _listed_count(case.corpus, case.viewer, entry.state)
    html = fetch_page(case.client, f"/works/search?q={entry.title_word}")
    count = re.search(r'<p class="listing-count">(.*?)</p>', html, re.DOTALL)
    assert count is not None
    assert ("of 1 work" in count.group(1)) is outcome.listed
    assert ("No works" in count.group(1)) is not outcome.listed


def surface_facet_counts(case: Case) -> None:
    """The sidebar counts the state's fandom once where the work is listed, else not at all."""
    entry, outcome = case.entry, case.outcome
    result = search_works(WorkQuery(), case.viewer_user)
    counts = {
        value.tag_id: value.count
        for facet in result.facets
        if facet.key == TagType.FANDOM
        for value in facet.values
    }
    assert counts.get(entry.fandom.pk, 0) == int(outcome.listed)
    html = fetch_page(case.client, "/")
    label = re.search(rf'<label for="include-{entry.fandom.pk}">(.*?)</label>', html, re.DOTALL)
    assert (label is not None) is outcome.listed
    if label is not None:
        assert "(1)" in label.group(1)


def surface_creator_page(case: Case) -> None:
    entry, outcome = case.entry, case.outcome
    url = f"/users/{entry.creator.username}/works"
    _listing(case, url, listed=outcome.on_creator_pages, whole_page=False)
    if entry.state == "orphaned":
        # It is found under the orphan account instead.
        _listing(case, f"/users/{ORPHAN_LOGIN}/works", listed=outcome.listed)


def surface_pseud_page(case: Case) -> None:
    entry, outcome = case.entry, case.outcome
    url = pseud_url(entry.creator.username, entry.creator_pseud)
    _listing(case, url, listed=outcome.on_creator_pages, whole_page=False)


def surface_autocomplete(case: Case) -> None:
    """Tags are not works: a tag is suggested whoever uses it (as in the largest archive, and
    wranglers need every tag), but a suggestion never carries a title or a creator."""
    entry = case.entry
    response = case.client.get(f"/tags/autocomplete?q={entry.fandom.name}")
    assert response.status_code == 200
    body = response.content.decode()
    names = [result["name"] for result in json.loads(body)["results"]]
    assert entry.fandom.name in names
    assert entry.title not in body
    assert entry.title_word not in body
    for group in _names(entry).values():
        for name in group:
            assert name not in body


def surface_downloads(case: Case) -> None:
    """Every format answers exactly where the work is listed for the viewer (opened, and not a
    draft or hidden: nobody downloads those), and its files name the creators only where
    every page may (never for an anonymous or orphaned work's original creator)."""
    from ficarchive.formats.downloads.names import download_name

    entry, outcome = case.entry, case.outcome
    downloadable = outcome.opens and entry.state not in (
        "draft",
        "scheduled",
        "hidden",
        "unrevealed",
    )
    for extension in ("epub", "html", "txt"):
        url = f"/downloads/{entry.work_id}/{download_name(entry.title, entry.work_id)}.{extension}"
        response = case.client.get(url)
        assert response.status_code == (200 if downloadable else 404), (url, response.status_code)
        if not downloadable:
            assert entry.title not in response.content.decode()
            continue
        data = response.getvalue()
        if extension == "epub":
            import io
            import zipfile

            with zipfile.ZipFile(io.BytesIO(data)) as book:
                text = "\n".join(book.read(name).decode() for name in book.namelist())
        else:
            text = data.decode()
        assert entry.title in text
        # One file for every reader: an anonymous work's never names its creators.
        named = entry.state not in ANONYMOUS_STATES
        names = _names(entry)
        for name in names["creator"]:
            assert (name in text) is (named and entry.state != "orphaned"), (extension, name)
        for name in [*names["co-creator"]]:
            assert (name in text) is named, (extension, name)
        for name in names["invitee"]:
            assert name not in text, (extension, name, text[:600])


_PSEUD_CHOICE = re.compile(r'<select name="pseud".*?</select>', re.DOTALL)


def surface_comments(case: Case) -> None:
    """A work's comments page and a thread page answer where the work opens; a creator's reply
    names them only where the work's pages may (never the original creator of an orphaned
    work, "Anonymous creator" on an anonymous one)."""
    entry, outcome = case.entry, case.outcome
    for url in (f"/works/{entry.work_id}/comments", f"/comments/{entry.comment_id}"):
        html = fetch_page(case.client, url, 200 if outcome.opens else 404)
        # The comment form offers the viewer their own pseuds: that names nobody else.
        html = _PSEUD_CHOICE.sub("", html)
        assert (entry.comment_text in html) is outcome.opens, url
        assert (entry.reply_text in html) is outcome.opens, url
        assert (entry.title in html) is outcome.opens, url
        # The reply names its writer, the creator, where the work's pages may name them.
        named = outcome.opens and outcome.creator_shown and entry.state != "orphaned"
        names = _names(entry)
        for name in names["creator"][1:]:
            assert (name in html) is named, (url, name)
        for name in names["creator"][:1] + names["co-creator"] + names["invitee"]:
            assert name not in html or named, (url, name)
        if entry.state == "orphaned":
            assert ("Anonymous creator" in html) is outcome.opens
        if entry.state in ANONYMOUS_STATES and outcome.opens and not outcome.creator_shown:
            assert "Anonymous creator" in html


def surface_tag_feed(case: Case) -> None:
    """A tag's Atom feed is the guests' whoever asks: a work is in it exactly where a guest's
    listings show it, and names its creators only as a guest's blurb does."""
    entry = case.entry
    listed = expected(entry.state, "guest").listed
    url = reverse("formats:tag_feed", args=[tag_url_name(entry.fandom.name)])
    response = case.client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.content.decode()
    assert (entry.title in text) is listed
    _assert_names(
        text, entry, work_shown=listed, creators_named=entry.state not in ANONYMOUS_STATES
    )


_MATRIX_PASSWORD = "a long test passphrase"  # tests.factories.UserFactory's


def _opds_feed(url: str) -> Callable[[Case], None]:
    def check(case: Case) -> None:
        """An OPDS acquisition feed, with the viewer signed in by HTTP Basic as e-reader apps
        do (a guest sends no credentials): it lists what the viewer's listings list."""
        entry, outcome = case.entry, case.outcome
        headers = {}
        if case.user is not None:
            token = base64.b64encode(f"{case.user.username}:{_MATRIX_PASSWORD}".encode())
            headers["Authorization"] = f"Basic {token.decode()}"
        address = url.format(fandom=entry.fandom.pk)
        response = Client().get(address, headers=headers)
        assert response.status_code == 200, (address, response.status_code)
        text = response.content.decode()
        assert (entry.title in text) is outcome.listed, address
        named = entry.state not in ANONYMOUS_STATES
        _assert_names(text, entry, work_shown=outcome.listed, creators_named=named)

    return check


def _without_index(check: Callable[[Case], None]) -> Callable[[Case], None]:
    """The same listing while the index is being built: it comes from the database then
    (Work.objects.listed_for and by_creator), and must follow the same rule."""

    def without(case: Case) -> None:
        with mock.patch("ficarchive.search.engine.live_searcher", return_value=None):
            check(case)

    return without


def surface_series_page(case: Case) -> None:
    """A series page lists the state's work (part 2) exactly where listings show it, and its
    byline names the work's creators only where its blurb may (never for an anonymous part)."""
    _listing(case, f"/series/{case.entry.series_id}", listed=case.outcome.listed)


def surface_series_navigation(case: Case) -> None:
    """The companion (part 1 of every series) links its next part only where it is listed,
    and never names its creators."""
    entry = case.entry
    html = fetch_page(case.client, f"/works/{case.corpus.companion_id}")
    nav = re.search(
        rf'<ul class="series navigation actions" id="series-{entry.series_id}">.*?</ul>', html, re.S
    )
    assert nav is not None
    linked = f'href="/works/{entry.work_id}"' in nav.group(0)
    assert linked is case.outcome.listed
    assert (entry.title in html) is case.outcome.listed
    _assert_names(html, entry, work_shown=False, creators_named=False)


def surface_user_series(case: Case) -> None:
    """A creator's series page lists the series where their page lists the work."""
    entry = case.entry
    html = fetch_page(case.client, f"/users/{entry.creator.username}/series")
    assert (entry.series_title in html) is case.outcome.on_creator_pages
    assert entry.title not in html


def _bookmark_shown(html: str, bookmark_id: int) -> bool:
    return f'id="bookmark_{bookmark_id}"' in html


def _listed_elsewhere(case: Case, state: str) -> bool:
    """Whether the work of another state is listed for this viewer: the case's creators are
    readers to every other state's work."""
    viewer = case.viewer if state == case.entry.state or case.viewer == "guest" else "reader"
    return expected(state, viewer).listed


def surface_work_bookmarks(case: Case) -> None:
    """A work's bookmarks page answers where the work is listed (not for a draft or a hidden
    work, even to its creators) and shows the public bookmark, never another's private one;
    "Bookmarks (1)" on the work page counts the same."""
    entry, listed = case.entry, case.outcome.listed
    html = fetch_page(case.client, f"/works/{entry.work_id}/bookmarks", 200 if listed else 404)
    assert _bookmark_shown(html, entry.bookmark_id) is listed
    assert not _bookmark_shown(html, entry.private_bookmark_id)
    assert (entry.title in html) is listed
    _assert_names(
        html, entry, work_shown=listed, creators_named=entry.state not in ANONYMOUS_STATES
    )
    if case.outcome.opens:
        page = fetch_page(case.client, f"/works/{entry.work_id}")
        assert ("Bookmarks (1)" in page) is listed


def surface_user_bookmarks(case: Case) -> None:
    """A bookmarker's page lists the bookmark where listings list the work, and its count is
    the number of bookmarks whose works are listed for this viewer."""
    assert case.corpus.bookmarker is not None
    url = f"/users/{case.corpus.bookmarker.username}/bookmarks"
    html = _listing(case, url, listed=case.outcome.listed)
    assert _bookmark_shown(html, case.entry.bookmark_id) is case.outcome.listed
    count = sum(_listed_elsewhere(case, state) for state in STATES)
    assert f"{count} Bookmarks by" in html, count


def surface_tag_bookmarks(case: Case) -> None:
    """The bookmarker's tag lists the bookmark where listings list the work."""
    from tests.visibility.corpus import BOOKMARK_TAG

    html = _listing(case, f"/tags/{BOOKMARK_TAG}/bookmarks", listed=case.outcome.listed)
    assert _bookmark_shown(html, case.entry.bookmark_id) is case.outcome.listed


def surface_bookmark_page(case: Case) -> None:
    """One bookmark's own page answers where the work is listed; a private one, never."""
    entry, listed = case.entry, case.outcome.listed
    html = fetch_page(case.client, f"/bookmarks/{entry.bookmark_id}", 200 if listed else 404)
    assert (entry.title in html) is listed
    fetch_page(case.client, f"/bookmarks/{entry.private_bookmark_id}", 404)


def surface_series_bookmarks(case: Case) -> None:
    """A series bookmark (the series exists for everyone through its companion part) names
    the state's creators only where its blurb may, never the work's title; the series
    bookmarker's page counts every series."""
    entry = case.entry
    html = fetch_page(case.client, f"/series/{entry.series_id}/bookmarks")
    assert _bookmark_shown(html, entry.series_bookmark_id)
    assert entry.title not in html
    if entry.state in ANONYMOUS_STATES:
        # The byline is the companion part's creator: an anonymous part adds no name.
        for names in _names(entry).values():
            assert not any(name in html for name in names)
    else:
        _assert_names(html, entry, work_shown=case.outcome.listed, creators_named=True)
    assert case.corpus.series_bookmarker is not None
    mine = fetch_page(case.client, f"/users/{case.corpus.series_bookmarker.username}/bookmarks")
    assert f"{len(STATES)} Bookmarks by" in mine


SURFACES: dict[str, Callable[[Case], None]] = {
    "work page": _reading("/works/{work}"),
    "chapter page": _reading("/works/{work}/chapters/{chapter}"),
    "navigate": _reading("/works/{work}/navigate"),
    "entire work": _reading("/works/{work}?view_full_work=true"),
    "home": surface_home,
    "works index": surface_work_index,
    "tag page": surface_tag_page,
    "search results": surface_search_results,
    "search by creator": surface_search_by_creator,
    "collection page": surface_collection_page,
    "search totals": surface_search_totals,
    "facet counts": surface_facet_counts,
    "creator page": surface_creator_page,
    "pseud page": surface_pseud_page,
    "autocomplete": surface_autocomplete,
    "downloads": surface_downloads,
    "comments": surface_comments,
    "tag feed": surface_tag_feed,
    "series page": surface_series_page,
    "series navigation": surface_series_navigation,
    "user series": surface_user_series,
    "work bookmarks": surface_work_bookmarks,
    "user bookmarks": surface_user_bookmarks,
    "tag bookmarks": surface_tag_bookmarks,
    "bookmark page": surface_bookmark_page,
    "series bookmarks": surface_series_bookmarks,
    "opds acquisition feed": _opds_feed("/opds/tags/{fandom}"),
    "opds 2 acquisition feed": _opds_feed("/opds/v2/tags/{fandom}"),
    "home without index": _without_index(surface_home),
    "works index without index": _without_index(surface_work_index),
    "tag page without index": _without_index(surface_tag_page),
    "creator page without index": _without_index(surface_creator_page),
    "pseud page without index": _without_index(surface_pseud_page),
    "tag feed without index": _without_index(surface_tag_feed),
    "collection page without index": _without_index(surface_collection_page),
    "opds acquisition feed without index": _without_index(_opds_feed("/opds/tags/{fandom}")),
}


# The JSON API (ficarchive.api): the same rule, with the viewer signed in by the session (the
# site's own pages) or by a personal access token (apps).


def _api_text(response: Any) -> str:
    """A JSON answer as text, non-ASCII unescaped, so that names can be looked for in it."""
    return json.dumps(response.json(), ensure_ascii=False)


def _api_token_client(case: Case) -> Client:
    from ficarchive.accounts.apitokens import api_token_create

    if case.user is None:
        return Client()
    token = api_token_create(case.user, "matrix")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def _api_reading(path: str, *, token: bool = False) -> Callable[[Case], None]:
    def check(case: Case) -> None:
        """A work (or chapter) opens exactly where its page does, and names its creators only
        where the page may."""
        entry, outcome = case.entry, case.outcome
        client = _api_token_client(case) if token else case.client
        url = "/api/v1" + path.format(work=entry.work_id, chapter=entry.chapter_id)
        response = client.get(url)
        assert response.status_code == (200 if outcome.opens else 404), (url, response.status_code)
        text = _api_text(response)
        assert (entry.title in text) is outcome.opens or "chapters/" in path
        if "chapters/" not in path:
            named = outcome.opens and outcome.creator_shown
            _assert_names(text, entry, work_shown=outcome.opens, creators_named=named)
        else:
            for group in _names(entry).values():
                for name in group:
                    assert name not in text, (url, name)

    return check


def _api_pages(client: Client, url: str) -> list[dict[str, Any]]:
    """Every page of a list, following `next`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages.append(response.json())
        url = pages[-1]["next"]
    return pages


def _api_listing(case: Case, url: str, *, listed: bool, key: str = "works") -> str:
    entry = case.entry
    pages = _api_pages(case.client, url)
    works = [work for page in pages for work in page[key]]
    shown = [work for work in works if work["id"] == entry.work_id]
    assert bool(shown) is listed, f"{url}: listed {bool(shown)}, expected {listed}"
    text = json.dumps(pages, ensure_ascii=False)
    assert (entry.title in text) is listed
    _assert_names(
        text, entry, work_shown=listed, creators_named=entry.state not in ANONYMOUS_STATES
    )
    return text


def surface_api_works_list(case: Case) -> None:
    _api_listing(case, "/api/v1/works?limit=100", listed=case.outcome.listed)


def surface_api_search(case: Case) -> None:
    """Search through the API finds the work, counts it and its fandom exactly where the search
    page does."""
    entry, outcome = case.entry, case.outcome
    text = _api_listing(
        case, f"/api/v1/search?q={entry.title_word}&facets=false", listed=outcome.listed
    )
    assert ('"total": 1' in text) is outcome.listed
    body = case.client.get("/api/v1/search?limit=1").json()
    assert body["total"] == _listed_count(case.corpus, case.viewer, entry.state)
    counts = {
        value["id"]: value["count"]
        for facet in body["facets"]
        if facet["key"] == TagType.FANDOM
        for value in facet["values"]
    }
    assert counts.get(entry.fandom.pk, 0) == int(outcome.listed)


def surface_api_search_by_creator(case: Case) -> None:
    entry, outcome = case.entry, case.outcome
    findable = outcome.listed and entry.state not in (*ANONYMOUS_STATES, "orphaned")
    for params in (f"q={entry.creator.username}", f"creators={entry.creator.username}"):
        works = case.client.get(f"/api/v1/search?{params}&facets=false").json()["works"]
        assert any(work["id"] == entry.work_id for work in works) is findable, params


def surface_api_creator_works(case: Case) -> None:
    entry, outcome = case.entry, case.outcome
    url = f"/api/v1/users/{entry.creator.username}/works?limit=100"
    pages = _api_pages(case.client, url)
    shown = any(work["id"] == entry.work_id for page in pages for work in page["works"])
    assert shown is outcome.on_creator_pages
    profile = case.client.get(f"/api/v1/users/{entry.creator.username}").json()
    assert entry.title not in json.dumps(profile, ensure_ascii=False)


def surface_api_comments(case: Case) -> None:
    """A work's comments answer where the work opens; the creator's reply names them only
    where the work's pages may."""
    entry, outcome = case.entry, case.outcome
    response = case.client.get(f"/api/v1/works/{entry.work_id}/comments")
    assert response.status_code == (200 if outcome.opens else 404)
    text = _api_text(response)
    assert (entry.comment_text in text) is outcome.opens
    assert (entry.reply_text in text) is outcome.opens
    named = outcome.opens and outcome.creator_shown and entry.state != "orphaned"
    names = _names(entry)
    for name in names["creator"][1:]:
        assert (name in text) is named, name
    for name in names["creator"][:1] + names["co-creator"] + names["invitee"]:
        assert name not in text or named, name


def surface_api_series(case: Case) -> None:
    """The series answers where a work of it is listed (the companion always is), and lists
    the state's work exactly where listings do."""
    entry, outcome = case.entry, case.outcome
    response = case.client.get(f"/api/v1/series/{entry.series_id}")
    assert response.status_code == 200
    text = _api_text(response)
    listed = any(work["id"] == entry.work_id for work in response.json()["works"])
    assert listed is outcome.listed
    assert (entry.title in text) is outcome.listed
    _assert_names(
        text, entry, work_shown=False, creators_named=False
    ) if not outcome.listed else None


def surface_api_work_bookmarks(case: Case) -> None:
    """A work's bookmarks (and one bookmark) answer where the work is listed, as the page: the
    public bookmark, never another reader's private one."""
    entry, listed = case.entry, case.outcome.listed
    response = case.client.get(f"/api/v1/works/{entry.work_id}/bookmarks")
    assert response.status_code == (200 if listed else 404)
    shown = [b["id"] for b in response.json().get("bookmarks", [])] if listed else []
    assert shown == ([entry.bookmark_id] if listed else [])
    one = case.client.get(f"/api/v1/bookmarks/{entry.bookmark_id}")
    assert one.status_code == (200 if listed else 404)
    text = _api_text(one)
    assert (entry.title in text) is listed
    _assert_names(
        text, entry, work_shown=listed, creators_named=entry.state not in ANONYMOUS_STATES
    )
    assert case.client.get(f"/api/v1/bookmarks/{entry.private_bookmark_id}").status_code == 404


def surface_api_user_bookmarks(case: Case) -> None:
    """A bookmarker's bookmarks list the bookmark where listings list the work, and as many
    bookmarks as the page counts."""
    assert case.corpus.bookmarker is not None
    url = f"/api/v1/users/{case.corpus.bookmarker.username}/bookmarks?limit=100"
    pages = _api_pages(case.client, url)
    bookmarks = [bookmark for page in pages for bookmark in page["bookmarks"]]
    shown = any(bookmark["id"] == case.entry.bookmark_id for bookmark in bookmarks)
    assert shown is case.outcome.listed
    assert len(bookmarks) == sum(_listed_elsewhere(case, state) for state in STATES)


SURFACES.update(
    {
        "api work": _api_reading("/works/{work}"),
        "api work with a token": _api_reading("/works/{work}", token=True),
        "api chapter": _api_reading("/works/{work}/chapters/{chapter}"),
        "api works list": surface_api_works_list,
        "api search": surface_api_search,
        "api search by creator": surface_api_search_by_creator,
        "api creator works": surface_api_creator_works,
        "api comments": surface_api_comments,
        "api series": surface_api_series,
        "api work bookmarks": surface_api_work_bookmarks,
        "api user bookmarks": surface_api_user_bookmarks,
        "api creator works without index": _without_index(surface_api_creator_works),
    }
)
