"""The bookmark index: the same answers as the database path (bookmark_filters) for every
filter, scope and viewer; fresh after bookmark writes and after a work is hidden or
restricted; and the database answering while there is no index."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.accounts.muting import reader_filter_for, tag_mute, user_mute
from ficarchive.core.models import NO_WORK, ChangeLog
from ficarchive.search.bookmark_engine import BookmarkScope, scoped_bookmarks, search_bookmarks
from ficarchive.search.bookmark_indexer import live_bookmark_path
from ficarchive.social.bookmark_filters import (
    BookmarkQuery,
    bookmarks_filtered,
    parse_bookmark_query,
)
from ficarchive.social.bookmarks import (
    BookmarkFields,
    ExternalFields,
    bookmark_create,
    bookmark_delete,
    bookmark_update,
    external_work_find_or_create,
)
from ficarchive.social.models import Bookmark
from ficarchive.tags import wrangling
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Language, SerialWork, Series, Work
from ficarchive.works.moderation import work_hide
from ficarchive.works.posting import ChapterFields, WorkFields, work_create, work_update
from tests.factories import TagFactory, WorkFactory, add_tags

pytestmark = pytest.mark.django_db

LAST_YEAR = (timezone.now() - timedelta(days=300)).date().isoformat()
QUERIES = [
    "",
    "include={fandom}",
    "include={other}",
    "exclude={fandom}",
    "include={fandom}&exclude={other}",
    "bookmarker_tags=slow burn",
    "bookmarker_tags=no such tag",
    "rec=true",
    "with_notes=true",
    "complete=true",
    "complete=false",
    "words_from=500",
    "words_to=500",
    "words_from=900&words_to=10",
    f"bookmarked_from={LAST_YEAR}",
    f"bookmarked_to={LAST_YEAR}",
    "q=glowing",
    "q=glowing sun",
    "sort=updated",
    "include={fandom}&rec=true&with_notes=true",
]


@pytest.fixture
def corpus(other_user: User, author: User, wrangler: User, admin: User) -> dict[str, Any]:
    """Bookmarks of works (one restricted, one hidden), series (one of a restricted work
    only), and external works (one tagged with a synonym), by two readers, some private."""
    fandom = TagFactory.create(name="Lighthouses", type=TagType.FANDOM, canonical=True)
    synonym = TagFactory.create(name="Lighthouse Keepers", type=TagType.FANDOM)
    other = TagFactory.create(name="Deserts", type=TagType.FANDOM, canonical=True)
    lantern = TagFactory.create(name="Lanterns", type=TagType.FREEFORM)
    short = WorkFactory.create(title="Short beam", complete=True, text="a few words here")
    long = WorkFactory.create(title="Long beam", complete=False, text=" ".join(["word"] * 900))
    desert = WorkFactory.create(title="Dune walk", complete=True)
    locked = WorkFactory.create(title="Locked keep", restricted=True)
    gone = WorkFactory.create(title="Gone light")
    add_tags(short, fandom, lantern)
    add_tags(long, synonym)
    add_tags(desert, other)
    add_tags(locked, fandom)
    add_tags(gone, fandom)
    wrangling.tag_make_synonym(synonym, fandom, user=wrangler)
    series = Series.objects.create(title="Beam series", complete=True)
    SerialWork.objects.create(series=series, work=desert, position=1)
    locked_series = Series.objects.create(title="Locked series")
    SerialWork.objects.create(series=locked_series, work=locked, position=1)
    lamp = external_work_find_or_create(
        ExternalFields(
            url="https://example.org/lamp", title="Far lamp", creator="x", fandoms=["Lighthouses"]
        )
    )
    keeper = external_work_find_or_create(
        ExternalFields(
            url="https://example.org/keeper",
            title="Keeper's log",
            creator="y",
            fandoms=["Lighthouse Keepers"],
        )
    )
    pseud = other_user.default_pseud()
    made = [
        bookmark_create(other_user, short, BookmarkFields(pseud, notes="glowing prose", rec=True)),
        bookmark_create(other_user, long, BookmarkFields(pseud, tags=["slow burn"])),
        bookmark_create(other_user, desert, BookmarkFields(pseud, notes="sand and glowing sun")),
        bookmark_create(other_user, series, BookmarkFields(pseud, tags=["Slow Burn"])),
        bookmark_create(other_user, lamp, BookmarkFields(pseud, notes="a lamp", private=True)),
        bookmark_create(other_user, locked, BookmarkFields(pseud, rec=True)),
        bookmark_create(other_user, locked_series, BookmarkFields(pseud)),
        bookmark_create(other_user, gone, BookmarkFields(pseud)),
        bookmark_create(author, keeper, BookmarkFields(author.default_pseud(), rec=True)),
        bookmark_create(author, long, BookmarkFields(author.default_pseud(), private=True)),
        bookmark_create(author, short, BookmarkFields(author.default_pseud(), tags=["Lanterns"])),
    ]
    # Distinct times, in an order that is not the ids' (the index sorts by time, then id).
    now = timezone.now()
    for position, bookmark in enumerate(made):
        created = now - timedelta(days=(position * 7) % 11, minutes=position)
        Bookmark.objects.filter(pk=bookmark.pk).update(
            created_at=created, updated_at=now - timedelta(hours=position * 5 % 13)
        )
    Bookmark.objects.filter(pk=made[2].pk).update(created_at=now - timedelta(days=400))
    work_hide(gone, admin, "test")
    # The index is built from the database on the first search, after all the writes above.
    return {
        "fandom": fandom,
        "other": other,
        "lantern": lantern,
        "slow": Tag.objects.get(name="slow burn"),
        "short": short,
        "series": series,
        "locked": locked,
        "reader": other_user,
        "author": author,
    }


def _both(query_string: str, viewer: Any, scope: BookmarkScope) -> tuple[list[int], list[int]]:
    parsed = parse_bookmark_query(QueryDict(query_string))
    assert parsed.errors == []
    result = search_bookmarks(parsed.query, viewer, scope, per_page=100)
    assert result.source == "index"
    assert result.total == len(result.ids)
    database = bookmarks_filtered(scoped_bookmarks(viewer, scope), parsed.query)
    return result.ids, list(database.values_list("pk", flat=True))


def _scopes(corpus: dict[str, Any]) -> dict[str, BookmarkScope]:
    return {
        "all": BookmarkScope(),
        "reader's": BookmarkScope(owner_id=corpus["reader"].pk),
        "work's": BookmarkScope(work_id=corpus["short"].pk),
        "series'": BookmarkScope(series_id=corpus["series"].pk),
        "canonical tag's": BookmarkScope(tag=corpus["fandom"]),
        "tag's": BookmarkScope(tag=corpus["lantern"]),
        "bookmarker tag's": BookmarkScope(tag=corpus["slow"]),
    }


VIEWERS = ["guest", "reader", "author"]


@pytest.mark.parametrize("viewer_name", VIEWERS)
def test_the_index_answers_every_filter_and_scope_as_the_database_does(
    corpus: dict[str, Any], viewer_name: str
) -> None:
    viewer = AnonymousUser() if viewer_name == "guest" else corpus[viewer_name]
    for template in QUERIES:
        query_string = template.format(fandom=corpus["fandom"].pk, other=corpus["other"].pk)
        for scope_name, scope in _scopes(corpus).items():
            index, database = _both(query_string, viewer, scope)
            assert index == database, (query_string, scope_name)


def test_the_corpus_tells_the_viewers_apart(corpus: dict[str, Any]) -> None:
    """The equivalence above would hold for an index that found nothing: the counts differ
    by viewer as the visibility rule says."""
    everything = BookmarkScope()
    guest, _ = _both("", AnonymousUser(), everything)
    reader, _ = _both("", corpus["reader"], everything)
    author, _ = _both("", corpus["author"], everything)
    # Guests: no private bookmark, nothing of the restricted work or its series, nothing of
    # the hidden work.
    assert len(guest) == 6
    # The reader also sees their private bookmark and the restricted work's and series'.
    assert len(reader) == 9
    # The author sees their own private one, not the reader's.
    assert len(author) == 9
    assert not set(guest) & set(
        Bookmark.objects.filter(work=corpus["locked"]).values_list("pk", flat=True)
    )


def _ids(viewer: Any, query_string: str = "", **scope: Any) -> list[int]:
    parsed = parse_bookmark_query(QueryDict(query_string))
    return search_bookmarks(parsed.query, viewer, BookmarkScope(**scope), per_page=100).ids


def test_bookmark_writes_reach_the_index(other_user: User, guest: AnonymousUser) -> None:
    work = WorkFactory.create(title="Fresh beam")
    pseud = other_user.default_pseud()
    assert _ids(guest) == []
    bookmark = bookmark_create(other_user, work, BookmarkFields(pseud))
    assert ChangeLog.objects.filter(bookmark_id=bookmark.pk, work_id=NO_WORK).exists()
    assert _ids(guest) == [bookmark.pk]
    assert _ids(guest, "rec=true") == []
    bookmark_update(bookmark, BookmarkFields(pseud, rec=True, notes="now with notes"))
    assert _ids(guest, "rec=true&q=notes") == [bookmark.pk]
    bookmark_update(bookmark, BookmarkFields(pseud, private=True))
    assert _ids(guest) == []
    assert _ids(other_user) == [bookmark.pk]
    bookmark_delete(Bookmark.objects.get(pk=bookmark.pk))
    assert _ids(other_user) == []


def test_a_work_hidden_or_restricted_takes_its_bookmarks_and_series_along(
    author: User, other_user: User, admin: User, guest: AnonymousUser
) -> None:
    fields = WorkFields(
        title="Posted",
        language=Language.objects.get(code="en"),
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Posting Fandom"],
        pseuds=[author.default_pseud()],
    )
    work = work_create(author, fields, ChapterFields(text="First text."), post=True)
    series = Series.objects.create(title="Its series")
    SerialWork.objects.create(series=series, work=work, position=1)
    pseud = other_user.default_pseud()
    of_work = bookmark_create(other_user, work, BookmarkFields(pseud))
    of_series = bookmark_create(other_user, series, BookmarkFields(pseud))
    assert sorted(_ids(guest)) == sorted([of_work.pk, of_series.pk])
    fields.restricted = True
    work_update(work, author, fields, ChapterFields(text="First text."))
    assert _ids(guest) == []
    assert sorted(_ids(other_user)) == sorted([of_work.pk, of_series.pk])
    work_hide(Work.objects.get(pk=work.pk), admin, "test")
    assert _ids(other_user) == []


def test_the_database_answers_while_there_is_no_bookmark_index(
    settings: Any, other_user: User, guest: AnonymousUser
) -> None:
    settings.SEARCH_INLINE = False
    work = WorkFactory.create(title="Unindexed beam")
    bookmark = bookmark_create(other_user, work, BookmarkFields(other_user.default_pseud()))
    parsed = parse_bookmark_query(QueryDict(""))
    result = search_bookmarks(parsed.query, guest, BookmarkScope(), per_page=100)
    assert result.source == "database"
    assert result.ids == [bookmark.pk] and result.total == 1


def test_the_pages_count_from_the_index(client: Client, corpus: dict[str, Any]) -> None:
    reader = corpus["reader"]
    page = client.get(f"/users/{reader.username}/bookmarks").content.decode()
    # The guest's count of the reader's bookmarks: short, long, desert, series.
    assert "4 Bookmarks by" in page
    client.force_login(reader)
    page = client.get(f"/users/{reader.username}/bookmarks", {"rec": "true"}).content.decode()
    assert "2 Bookmarks by" in page and "Locked keep" in page


def test_reindex_rebuilds_the_bookmark_index_too(other_user: User, guest: AnonymousUser) -> None:
    work = WorkFactory.create(title="Rebuilt beam")
    bookmark = bookmark_create(other_user, work, BookmarkFields(other_user.default_pseud()))
    assert _ids(guest) == [bookmark.pk]
    old = live_bookmark_path()
    # A write the change log never heard of (a bulk load): only a rebuild finds it.
    Bookmark.objects.filter(pk=bookmark.pk).update(rec=True)
    assert _ids(guest, "rec=true") == []
    out = StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert "Indexed 1 bookmarks" in out.getvalue()
    assert live_bookmark_path() not in (None, old)
    assert _ids(guest, "rec=true") == [bookmark.pk]


def test_a_readers_mutes_leave_out_the_same_bookmarks_as_the_database(
    corpus: dict[str, Any], wrangler: User
) -> None:
    """Muting the author (a bookmarker, and the works' creator) and a fandom (the only work of
    a series carries it): the same answers on every scope."""
    user_mute(wrangler, corpus["author"])
    tag_mute(wrangler, corpus["other"].pk)
    reader = reader_filter_for(wrangler)
    assert reader is not None
    for scope_name, scope in _scopes(corpus).items():
        for query_string in ("", "rec=true", f"include={corpus['fandom'].pk}"):
            query = parse_bookmark_query(QueryDict(query_string)).query
            result = search_bookmarks(query, wrangler, scope, per_page=100, reader=reader)
            database = bookmarks_filtered(scoped_bookmarks(wrangler, scope, reader), query)
            assert result.ids == list(database.values_list("pk", flat=True)), (
                scope_name,
                query_string,
            )
    unmuted = search_bookmarks(BookmarkQuery(), wrangler, BookmarkScope(), per_page=100)
    everything = search_bookmarks(BookmarkQuery(), wrangler, BookmarkScope(), reader=reader)
    assert everything.total < unmuted.total


def test_reindex_from_nothing_builds_both_indexes_once(
    settings: Any, other_user: User, guest: AnonymousUser
) -> None:
    settings.SEARCH_INLINE = False
    work = WorkFactory.create(title="First beam")
    bookmark_create(other_user, work, BookmarkFields(other_user.default_pseud()))
    assert live_bookmark_path() is None
    out = StringIO()
    call_command("reindex", "--no-progress", stdout=out)
    assert "Indexed 1 works" in out.getvalue()
    assert "Indexed 1 bookmarks" in out.getvalue()
    assert len(list(live_bookmark_path().parent.glob("index-*"))) == 1  # type: ignore[union-attr]
