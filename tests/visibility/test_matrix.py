"""The visibility matrix: every state of a work, seen by every kind of viewer, on every surface
that shows works. `expected` is the specification (docs/visibility.md has it as a table); each
case asks one surface as one viewer and fails if the surface shows a work it must not show,
names its title, or names an anonymous or orphaned work's creator.

One corpus serves the whole module: a work per state, each with a title word, a fandom and
creators of its own, so that any of them found on a page can only come from that work.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.orphans import ORPHAN_LOGIN, works_orphan
from ficarchive.search.changes import works_changed
from ficarchive.search.engine import search_works
from ficarchive.search.query import WorkQuery
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.posting import work_delete, works_publish_due
from ficarchive.works.templatetags.reading import pseud_url, tag_works_url
from tests.conftest import make_user
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_chapter, add_tags

pytestmark = pytest.mark.django_db

STATES = (
    "posted",
    "draft",
    "scheduled",
    "restricted",
    "hidden",
    "anonymous",
    "orphaned",
    "deleted",
)
# `creator` and `co-creator` are the state's own (accepted) creators; `invitee` was invited as a
# co-creator and has not accepted, so is nobody to the work yet.
VIEWERS = ("guest", "reader", "creator", "co-creator", "invitee", "wrangler", "admin")


# The field each state that is a flag on a posted work sets.
CHANGES = {"restricted": "restricted", "hidden": "hidden_by_admin", "anonymous": "anonymous"}


@dataclass(frozen=True)
class Outcome:
    opens: bool  # its pages answer (else 404)
    listed: bool  # home, tag pages, search, totals and facets show and count it
    on_creator_pages: bool  # its creator's user and pseud pages list it
    creator_shown: bool  # its own pages name its creators (Anonymous aside)


HIDDEN = Outcome(opens=False, listed=False, on_creator_pages=False, creator_shown=False)


def expected(state: str, viewer: str) -> Outcome:
    """The specification: what a viewer gets of a work in a state.

    Wranglers wrangle tags, not works: they are readers here. Admins open every work that
    exists (to moderate it), but listings follow the listing rule for them too, so that an
    admin's home page is the archive everyone else sees. Listings show one blurb to everyone,
    so an anonymous work's blurb says "Anonymous" even to its creators; its own pages tell
    its creators and admins who made it.
    """
    # An orphaned work's original creator is no longer one of its creators.
    own = viewer == "co-creator" or (viewer == "creator" and state != "orphaned")
    admin = viewer == "admin"
    member = viewer != "guest"
    if state == "deleted":
        return HIDDEN
    if state in ("draft", "scheduled", "hidden"):
        # Reached only by address, by its creators and admins (with a notice); never listed.
        opens = own or admin
        return Outcome(opens=opens, listed=False, on_creator_pages=False, creator_shown=opens)
    if state == "restricted":
        return Outcome(opens=member, listed=member, on_creator_pages=member, creator_shown=member)
    if state == "anonymous":
        # Listed, but never on the creator's public pages; only its creator's own page.
        return Outcome(
            opens=True,
            listed=True,
            on_creator_pages=viewer == "creator",
            creator_shown=own or admin,
        )
    if state == "orphaned":
        # The byline is the orphan account (and the co-creator, who kept their part); the
        # original creator's pages no longer list it.
        return Outcome(opens=True, listed=True, on_creator_pages=False, creator_shown=True)
    assert state == "posted"
    return Outcome(opens=True, listed=True, on_creator_pages=True, creator_shown=True)


@dataclass
class Entry:
    """One state's work and the strings that can only come from it."""

    state: str
    work_id: int
    chapter_id: int  # its second chapter
    title_word: str
    fandom: Tag
    creator: User
    cocreator: User
    invitee: User

    @property
    def title(self) -> str:
        # The whole title: a search page repeats the word searched for in its form.
        return f"The {self.title_word} story"

    @property
    def creator_pseud(self) -> str:
        return f"quill{self.state}pen"

    @property
    def cocreator_pseud(self) -> str:
        return f"quillco{self.state}pen"

    @property
    def invitee_pseud(self) -> str:
        return f"quillinv{self.state}pen"


@dataclass
class Corpus:
    entries: dict[str, Entry]
    reader: User
    wrangler: User
    admin: User
    extra_listed: int  # listed works outside the matrix (the draft-chapter work)
    draft_chapter: tuple[int, int, str]  # (work id, unposted chapter id, its title)

    def user(self, state: str, viewer: str) -> User | None:
        entry = self.entries[state]
        return {
            "guest": None,
            "reader": self.reader,
            "creator": entry.creator,
            "co-creator": entry.cocreator,
            "invitee": entry.invitee,
            "wrangler": self.wrangler,
            "admin": self.admin,
        }[viewer]


def _person(login: str, pseud_name: str) -> tuple[User, Pseud]:
    user = make_user(login)
    return user, PseudFactory.create(user=user, name=pseud_name)


def _build() -> Corpus:
    reader = make_user("matrixreader")
    wrangler = make_user("matrixwrangler")
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="wranglers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="tags", codename="wrangle_tag")
    )
    wrangler.groups.add(group)
    admin = make_user("matrixadmin", is_staff=True, is_superuser=True)

    entries: dict[str, Entry] = {}
    for state in STATES:
        creator, pseud = _person(f"login{state}who", f"quill{state}pen")
        cocreator, copseud = _person(f"loginco{state}who", f"quillco{state}pen")
        invitee, invpseud = _person(f"logininv{state}who", f"quillinv{state}pen")
        word = f"matrixtitle{state}"
        starts: dict[str, dict[str, Any]] = {
            "draft": {"posted": False},
            "scheduled": {"posted": False, "publish_at": timezone.now() + timedelta(days=3)},
        }
        fields = starts.get(state, {})
        work = WorkFactory.create(
            title=f"The {word} story",  # Entry.title
            summary="A story of the visibility matrix.",
            creators=[pseud, copseud],
            expected_chapters=2,
            complete=False,
            text="The first chapter, for every reader who may read it.",
            **fields,
        )
        Creatorship.objects.create(work=work, pseud=invpseud, position=2, approved=False)
        chapter = add_chapter(work, "The second chapter, as long as it needs to be.")
        fandom = TagFactory.create(name=f"fandomtag{state}", type=TagType.FANDOM, canonical=True)
        add_tags(work, fandom)
        works_changed([work.pk], "created in a test")
        entries[state] = Entry(
            state, work.pk, chapter.pk, word, fandom, creator, cocreator, invitee
        )

    # A posted work with a chapter that is not posted: the chapter rule's case.
    other = WorkFactory.create(title="The matrixchapterwork story", expected_chapters=None)
    add_chapter(other, "A posted second chapter.")
    unposted = add_chapter(other, "Not posted yet.", posted=False, title="matrixunpostedchapter")
    works_changed([other.pk], "created in a test")

    # Index everything as posted first, so that the changes below must reach the index.
    search_works(WorkQuery(), reader)
    for state in ("restricted", "hidden", "anonymous"):
        Work.objects.filter(pk=entries[state].work_id).update(**{CHANGES[state]: True})
        works_changed([entries[state].work_id], "edited")
    works_orphan(entries["orphaned"].creator, [entries["orphaned"].work_id])
    work_delete(Work.objects.get(pk=entries["deleted"].work_id))
    # A scheduled work stays a draft until its time.
    assert works_publish_due() == 0
    search_works(WorkQuery(), reader)
    return Corpus(entries, reader, wrangler, admin, 1, (other.pk, unposted.pk, unposted.title))


@pytest.fixture(scope="module")
def corpus(
    django_db_setup: None, django_db_blocker: Any, module_search_dir: Path
) -> Iterator[Corpus]:
    """The module's corpus, in a transaction rolled back after its last test; each test runs
    in a savepoint inside it."""
    with (
        django_db_blocker.unblock(),
        override_settings(SEARCH_DIR=module_search_dir, SEARCH_INLINE=True),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


# Checking pages.

_HEADER = re.compile(r'<header id="header".*?</header>', re.DOTALL)


def _page(client: Client, url: str, status: int = 200) -> str:
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
    if entry.state == "anonymous":
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
        html = _page(case.client, url, 200 if outcome.opens else 404)
        assert (entry.title in html) is outcome.opens
        _assert_names(html, entry, work_shown=outcome.opens, creators_named=outcome.creator_shown)

    return check


def _listing(case: Case, url: str, *, listed: bool, whole_page: bool = True) -> str:
    entry = case.entry
    html = _page(case.client, url)
    blurb = _blurb(html, entry.work_id)
    assert bool(blurb) is listed, f"{url}: listed {bool(blurb)}, expected {listed}"
    assert (entry.title in html) is listed
    # One blurb for every reader: an anonymous work's says Anonymous, even to its creators.
    named = entry.state != "anonymous"
    _assert_names(blurb, entry, work_shown=listed, creators_named=named)
    if whole_page:
        _assert_names(html, entry, work_shown=listed, creators_named=named)
    return html


def surface_home(case: Case) -> None:
    _listing(case, "/", listed=case.outcome.listed)


def surface_tag_page(case: Case) -> None:
    _listing(case, tag_works_url(case.entry.fandom.name), listed=case.outcome.listed)


def surface_search_results(case: Case) -> None:
    _listing(case, f"/works/search?q={case.entry.title_word}", listed=case.outcome.listed)


def surface_search_by_creator(case: Case) -> None:
    """Searching the creator's login or pseud finds the work only where the byline names them:
    never an anonymous work, never an orphaned one by its original creator."""
    entry, outcome = case.entry, case.outcome
    findable = outcome.listed and entry.state not in ("anonymous", "orphaned")
    for params in (
        f"q={entry.creator.username}",
        f"q={entry.creator_pseud}",
        f"creators={entry.creator.username}",
        f"q=creators:{entry.creator_pseud}",
    ):
        html = _page(case.client, f"/works/search?{params}")
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
    html = _page(case.client, f"/works/search?q={entry.title_word}")
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
    html = _page(case.client, "/")
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


def _without_index(check: Callable[[Case], None]) -> Callable[[Case], None]:
    """The same listing while the index is being built: it comes from the database then
    (Work.objects.listed_for and by_creator), and must follow the same rule."""

    def without(case: Case) -> None:
        with mock.patch("ficarchive.search.engine.live_searcher", return_value=None):
            check(case)

    return without


SURFACES: dict[str, Callable[[Case], None]] = {
    "work page": _reading("/works/{work}"),
    "chapter page": _reading("/works/{work}/chapters/{chapter}"),
    "navigate": _reading("/works/{work}/navigate"),
    "entire work": _reading("/works/{work}?view_full_work=true"),
    "home": surface_home,
    "tag page": surface_tag_page,
    "search results": surface_search_results,
    "search by creator": surface_search_by_creator,
    "search totals": surface_search_totals,
    "facet counts": surface_facet_counts,
    "creator page": surface_creator_page,
    "pseud page": surface_pseud_page,
    "autocomplete": surface_autocomplete,
    "home without index": _without_index(surface_home),
    "tag page without index": _without_index(surface_tag_page),
    "creator page without index": _without_index(surface_creator_page),
    "pseud page without index": _without_index(surface_pseud_page),
}


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", STATES)
def test_surface_shows_what_the_rule_allows(
    corpus: Corpus, state: str, viewer: str, surface: str
) -> None:
    user = corpus.user(state, viewer)
    client = Client()
    if user is not None:
        client.force_login(user)
    entry = corpus.entries[state]
    SURFACES[surface](Case(corpus, entry, expected(state, viewer), viewer, client, user))


# The rule methods themselves agree with the table and with each other.


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", [state for state in STATES if state != "deleted"])
def test_rule_methods_agree_with_the_table(corpus: Corpus, state: str, viewer: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    user: Any = corpus.user(state, viewer) or AnonymousUser()
    outcome = expected(state, viewer)
    work = Work.objects.for_reading().get(pk=corpus.entries[state].work_id)
    assert work.is_visible_to(user) is outcome.opens
    assert Work.objects.visible_to(user).filter(pk=work.pk).exists() is outcome.opens
    assert work.is_listed_for(user) is outcome.listed
    assert Work.objects.listed_for(user).filter(pk=work.pk).exists() is outcome.listed
    if outcome.opens:
        assert work.creators_revealed_to(user) is outcome.creator_shown
    chapter = work.chapters.get(pk=corpus.entries[state].chapter_id)
    assert chapter.is_visible_to(user) is outcome.opens


def test_no_deleted_work_is_left_in_the_database(corpus: Corpus) -> None:
    assert not Work.objects.filter(pk=corpus.entries["deleted"].work_id).exists()


@pytest.mark.parametrize("viewer", ["guest", "reader", "admin"])
def test_an_unposted_chapter_is_never_shown(corpus: Corpus, viewer: str) -> None:
    work_id, chapter_id, title = corpus.draft_chapter
    client = Client()
    user = {"guest": None, "reader": corpus.reader, "admin": corpus.admin}[viewer]
    if user is not None:
        client.force_login(user)
    _page(client, f"/works/{work_id}/chapters/{chapter_id}", 404)
    for url in (f"/works/{work_id}?view_full_work=true", f"/works/{work_id}/navigate"):
        html = _page(client, url)
        assert "A posted second chapter" in html or "navigate" in url
        assert title not in html
    assert "Not posted yet" not in _page(client, f"/works/{work_id}?view_full_work=true")
    _page(client, f"/works/{work_id}/chapters?selected_id={chapter_id}", 404)


def test_a_guest_after_a_reader_never_gets_the_readers_facets(corpus: Corpus) -> None:
    """Facet counts are cached per query: the reader's (with restricted works) must not be
    what a guest gets next."""
    reader = search_works(WorkQuery(), corpus.reader)
    from django.contrib.auth.models import AnonymousUser

    guest = search_works(WorkQuery(), AnonymousUser())
    restricted = corpus.entries["restricted"].fandom.pk

    def fandom_counts(result: Any) -> dict[int, int]:
        return {
            value.tag_id: value.count
            for facet in result.facets
            if facet.key == TagType.FANDOM
            for value in facet.values
        }

    assert fandom_counts(reader).get(restricted) == 1
    assert restricted not in fandom_counts(guest)
    assert guest.total == reader.total - 1


def test_the_search_form_lists_only_languages_of_findable_works(corpus: Corpus) -> None:
    from ficarchive.works.models import Language

    language = Language.objects.create(code="x-matrix", name="Matrixish")
    Work.objects.filter(pk=corpus.entries["hidden"].work_id).update(language=language)
    html = _page(Client(), "/works/search")
    assert "Matrixish" not in html


@pytest.mark.parametrize("change", ["restricted", "hidden", "deleted"])
def test_a_guest_never_reads_a_cached_page_of_a_work_gone_from_view(
    corpus: Corpus, change: str
) -> None:
    """Guests' work pages are cached for a minute; one cached before the work was restricted,
    hidden or deleted is not served after."""
    entry = corpus.entries["posted"]
    urls = [f"/works/{entry.work_id}", f"/works/{entry.work_id}/chapters/{entry.chapter_id}"]
    for url in urls:
        assert entry.title in _page(Client(), url)
    work = Work.objects.get(pk=entry.work_id)
    if change == "deleted":
        work_delete(work)
    else:
        Work.objects.filter(pk=work.pk).update(**{CHANGES[change]: True})
    for url in urls:
        assert entry.title not in _page(Client(), url, 404)
