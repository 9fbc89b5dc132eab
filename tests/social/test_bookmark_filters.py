"""Filtering bookmarks: by the bookmarked item's tags (filter ids, so synonyms and sub tags),
the bookmarker's tags, recs, notes, complete, words, dates and words in the notes; exact counts;
bad parameters are messages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.social.bookmark_filters import bookmarks_filtered, parse_bookmark_query
from ficarchive.social.bookmarks import (
    BookmarkFields,
    ExternalFields,
    bookmark_create,
    bookmarks_visible_to,
    external_work_find_or_create,
)
from ficarchive.social.models import Bookmark
from ficarchive.tags import wrangling
from ficarchive.tags.models import TagType
from ficarchive.works.models import SerialWork, Series, Work
from tests.factories import TagFactory, WorkFactory, add_tags

pytestmark = pytest.mark.django_db


def _titles(query_string: str) -> list[str]:
    parsed = parse_bookmark_query(QueryDict(query_string))
    assert parsed.errors == []
    found = bookmarks_filtered(bookmarks_visible_to(AnonymousUser()), parsed.query)
    return sorted(_title(bookmark) for bookmark in found)


def _title(bookmark: Bookmark) -> str:
    item = bookmark.work or bookmark.series or bookmark.external_work
    assert item is not None
    return item.title


@pytest.fixture
def shelf(other_user: User, wrangler: User) -> dict[str, int]:
    """A reader's bookmarks: works in a canonical fandom (one tagged with a synonym), a work
    elsewhere, a series and an external work in the fandom."""
    fandom = TagFactory.create(name="Lighthouses", type=TagType.FANDOM, canonical=True)
    synonym = TagFactory.create(name="Lighthouse Keepers", type=TagType.FANDOM)
    other = TagFactory.create(name="Deserts", type=TagType.FANDOM, canonical=True)
    short = WorkFactory.create(title="Short beam", complete=True, text="a few words here")
    long = WorkFactory.create(title="Long beam", complete=False, text=" ".join(["word"] * 900))
    desert = WorkFactory.create(title="Dune walk", complete=True)
    add_tags(short, fandom)
    add_tags(long, synonym)
    add_tags(desert, other)
    wrangling.tag_make_synonym(synonym, fandom, user=wrangler)
    series = Series.objects.create(title="Beam series", complete=True)
    SerialWork.objects.create(series=series, work=desert, position=1)
    external = external_work_find_or_create(
        ExternalFields(
            url="https://example.org/lamp", title="Far lamp", creator="x", fandoms=["Lighthouses"]
        )
    )
    pseud = other_user.default_pseud()
    bookmark_create(other_user, short, BookmarkFields(pseud, notes="glowing prose", rec=True))
    bookmark_create(other_user, long, BookmarkFields(pseud, tags=["slow burn"]))
    old = bookmark_create(other_user, desert, BookmarkFields(pseud, notes="sand and glowing sun"))
    Bookmark.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    bookmark_create(other_user, series, BookmarkFields(pseud, tags=["Slow Burn"]))
    bookmark_create(other_user, external, BookmarkFields(pseud))
    return {"fandom": fandom.pk, "other": other.pk}


def test_the_items_tags_find_works_series_and_external_works_through_filter_ids(
    shelf: dict[str, int],
) -> None:
    assert _titles(f"include={shelf['fandom']}") == ["Far lamp", "Long beam", "Short beam"]
    # The series is found through its work.
    assert _titles(f"include={shelf['other']}") == ["Beam series", "Dune walk"]
    assert _titles(f"exclude={shelf['fandom']}") == ["Beam series", "Dune walk"]


def test_the_bookmarkers_tags_flags_ranges_dates_and_notes(shelf: dict[str, int]) -> None:
    assert _titles("bookmarker_tags=slow burn") == ["Beam series", "Long beam"]
    assert _titles("bookmarker_tags=no such tag") == []
    assert _titles("rec=true") == ["Short beam"]
    assert _titles("with_notes=true") == ["Dune walk", "Short beam"]
    assert _titles("complete=true") == ["Beam series", "Dune walk", "Short beam"]
    assert _titles("complete=false") == ["Long beam"]
    assert _titles("words_from=500") == ["Long beam"]
    assert _titles("words_to=500") == ["Dune walk", "Short beam"]
    last_year = (timezone.now() - timedelta(days=300)).date().isoformat()
    assert "Dune walk" not in _titles(f"bookmarked_from={last_year}")
    assert _titles(f"bookmarked_to={last_year}") == ["Dune walk"]
    assert _titles("q=glowing") == ["Dune walk", "Short beam"]
    assert _titles("q=glowing sun") == ["Dune walk"]


def test_the_page_filters_counts_exactly_and_explains_bad_parameters(
    client: Client, shelf: dict[str, int], other_user: User
) -> None:
    url = f"/users/{other_user.username}/bookmarks"
    assert "5 Bookmarks by" in client.get(url).content.decode()
    page = client.get(url, {"include": str(shelf["fandom"]), "rec": "true"}).content.decode()
    assert "1 Bookmarks by" in page and "Short beam" in page
    bad = client.get(
        url, {"include": "x", "words_from": "lots", "bookmarked_to": "soon", "sort": "nope"}
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    for message in ("is not a tag id", "is not a whole number", "is not a date", "sort:"):
        assert message in text


def test_a_restricted_works_bookmark_is_not_counted_for_guests(
    client: Client, shelf: dict[str, int], other_user: User
) -> None:
    Work.objects.filter(title="Short beam").update(restricted=True)
    url = f"/users/{other_user.username}/bookmarks"
    assert "4 Bookmarks by" in client.get(url).content.decode()
    client.force_login(other_user)
    assert "5 Bookmarks by" in client.get(url).content.decode()
