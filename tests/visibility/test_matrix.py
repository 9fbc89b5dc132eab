"""The visibility matrix: every state of a work, seen by every kind of viewer, on every surface
that shows works (`corpus.expected` is the specification, `surfaces.SURFACES` the surfaces),
and the rule methods and caches that the surfaces rely on.

One corpus (the `corpus` fixture in conftest.py) serves the whole module, so that it is built
and indexed once.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ficarchive.search.engine import search_works
from ficarchive.search.query import WorkQuery
from ficarchive.tags.models import TagType
from ficarchive.works.models import Work
from ficarchive.works.posting import work_delete
from tests.visibility.corpus import CHANGES, STATES, VIEWERS, Corpus, expected
from tests.visibility.surfaces import SURFACES, Case, fetch_page

pytestmark = pytest.mark.django_db


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
    fetch_page(client, f"/works/{work_id}/chapters/{chapter_id}", 404)
    for url in (f"/works/{work_id}?view_full_work=true", f"/works/{work_id}/navigate"):
        html = fetch_page(client, url)
        assert "A posted second chapter" in html or "navigate" in url
        assert title not in html
    assert "Not posted yet" not in fetch_page(client, f"/works/{work_id}?view_full_work=true")
    fetch_page(client, f"/works/{work_id}/chapters?selected_id={chapter_id}", 404)


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
    html = fetch_page(Client(), "/works/search")
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
        assert entry.title in fetch_page(Client(), url)
    work = Work.objects.get(pk=entry.work_id)
    if change == "deleted":
        work_delete(work)
    else:
        Work.objects.filter(pk=work.pk).update(**{CHANGES[change]: True})
    for url in urls:
        assert entry.title not in fetch_page(Client(), url, 404)


def test_an_unrevealed_work_is_a_mystery_and_its_maintainers_know_it(corpus: Corpus) -> None:
    """The work page tells readers only "Mystery work" and its collection; the collection's
    maintainers find it in their queue (their own check), nobody else reaches the queue."""
    entry = corpus.entries["unrevealed"]
    client = Client()
    client.force_login(corpus.reader)
    html = fetch_page(client, f"/works/{entry.work_id}", 404)
    assert "Mystery work" in html and "Matrix unrevealed" in html
    assert entry.title not in html
    fetch_page(client, "/collections/matrixunrevealed/manage", 404)
    assert corpus.maintainer is not None
    client.force_login(corpus.maintainer)
    assert entry.title in fetch_page(client, "/collections/matrixunrevealed/manage")
    # Its collection's page counts it, never names it.
    page = fetch_page(Client(), "/collections/matrixunrevealed")
    assert "1 mystery work" in page and entry.title not in page
