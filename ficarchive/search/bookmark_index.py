"""The bookmark index: a second Tantivy index beside the works', one document a bookmark, in
the same layout (a `bookmarks` folder of the search folder with its own `current` and index
folders, rebuilt and swapped as the works' are, search.indexer).

Only bookmarks whose item is listable are indexed, as works are: a work bookmark of a posted,
unhidden work, a series bookmark of a series with such a work, every external work bookmark.
The engine adds the viewer's part (guests: no restricted items, private bookmarks only with
the owner's id, search.bookmark_engine), and each page is read through bookmarks_visible_to
again.

What a document holds of its item, as bookmark_filters has it for the database: a work's
filter ids; a series' the union of its listable works'; an external work's tags and their
canonicals (a synonym's merger).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy
from django.db.models import Max, Min, Q

from ficarchive.core.changes import Change
from ficarchive.core.models import REBUILD_ALL
from ficarchive.search.documents import spaced_ideographs
from ficarchive.search.index import TOKENIZER, register_tokenizers, search_dir
from ficarchive.social.models import Bookmark, BookmarkTagging, ExternalWorkTagging
from ficarchive.tags.models import FilterTagging, Tagging
from ficarchive.works.models import Creatorship, SerialWork, Series, Work

# Raise when the schema or what goes into a document changes: the indexer rebuilds it.
BOOKMARK_SCHEMA_VERSION = 1
FOLDER = "bookmarks"
WORK, SERIES, EXTERNAL = 0, 1, 2
# A sort key: the moment in microseconds above the id's low bits, so that equal moments keep
# the database's order (-id) in all but the rarest case (same microsecond, ids 4,096 apart).
ID_BITS = 12
ID_MASK = (1 << ID_BITS) - 1


def bookmark_search_dir() -> Path:
    return search_dir() / FOLDER


def build_bookmark_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    builder.add_unsigned_field("kind", indexed=True)
    for name in ("work_id", "series_id", "external_id", "user_id", "pseud_id"):
        builder.add_unsigned_field(name, indexed=True)
    # The works whose change may change this document (a work, a series' listable works).
    builder.add_unsigned_field("member_work_ids", indexed=True)
    # The item's filter ids (what include and exclude look up, and a canonical tag's page).
    builder.add_unsigned_field("filter_ids", indexed=True)
    # The item's own tags (a tag page of a tag that is not canonical finds its items by them).
    builder.add_unsigned_field("item_tag_ids", indexed=True)
    # What a reader's muted tags and users leave out: a work's filter and own tags and its
    # shown creators, an external work's tags and canonicals, what all of a series' listable
    # works carry.
    builder.add_unsigned_field("muted_tag_ids", indexed=True)
    builder.add_unsigned_field("creator_ids", indexed=True)
    # The bookmarker's tags and their canonicals.
    builder.add_unsigned_field("bookmarker_tag_ids", indexed=True)
    for name in ("private", "rec", "with_notes", "complete", "restricted"):
        builder.add_boolean_field(name, indexed=True)
    builder.add_unsigned_field("words", indexed=True)
    for name in ("created", "updated"):
        builder.add_unsigned_field(name, indexed=True)
        builder.add_unsigned_field(f"sort_{name}", fast=True)
    builder.add_text_field("notes", tokenizer_name=TOKENIZER)
    return builder.build()


BOOKMARK_SCHEMA = build_bookmark_schema()


def open_bookmark_index(path: Path) -> tantivy.Index:
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(BOOKMARK_SCHEMA, path=str(path), reuse=True)
    register_tokenizers(index)
    return index


@dataclass(slots=True)
class BookmarkDocument:
    id: int
    kind: int
    item_id: int
    user_id: int
    pseud_id: int | None
    private: bool
    rec: bool
    with_notes: bool
    notes: str
    created: datetime
    updated: datetime
    restricted: bool = False
    complete: bool | None = None
    words: int | None = None
    member_work_ids: list[int] = field(default_factory=list)
    filter_ids: set[int] = field(default_factory=set)
    item_tag_ids: set[int] = field(default_factory=set)
    muted_tag_ids: set[int] = field(default_factory=set)
    creator_ids: set[int] = field(default_factory=set)
    bookmarker_tag_ids: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Item:
    restricted: bool
    complete: bool
    words: int
    filter_ids: set[int] = field(default_factory=set)
    tag_ids: set[int] = field(default_factory=set)
    creator_ids: set[int] = field(default_factory=set)


def micros(moment: datetime) -> int:
    return max(0, int(moment.astimezone(UTC).timestamp() * 1_000_000))


def sort_key(moment: datetime, bookmark_id: int) -> int:
    return (micros(moment) << ID_BITS) | (bookmark_id & ID_MASK)


def _works(work_ids: Iterable[int]) -> dict[int, _Item]:
    """The listable ones of these works, with what bookmark documents take of them."""
    ids = list(set(work_ids))
    if not ids:
        return {}
    works: dict[int, _Item] = {}
    shown: set[int] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for pk, restricted, complete, words, anonymous, in_anonymous in (
            Work.objects.listable()
            .filter(pk__in=chunk)
            .values_list(
                "pk", "restricted", "complete", "word_count", "anonymous", "in_anonymous_collection"
            )
        ):
            works[pk] = _Item(bool(restricted), bool(complete), int(words))
            if not (anonymous or in_anonymous):
                shown.add(pk)
        found = [pk for pk in chunk if pk in works]
        for work_id, filter_id in FilterTagging.objects.filter(work_id__in=found).values_list(
            "work_id", "filter_id"
        ):
            works[work_id].filter_ids.add(filter_id)
        for work_id, tag_id in Tagging.objects.filter(work_id__in=found).values_list(
            "work_id", "tag_id"
        ):
            works[work_id].tag_ids.add(tag_id)
        for work_id, user_id in Creatorship.objects.filter(
            work_id__in=[pk for pk in found if pk in shown], approved=True
        ).values_list("work_id", "pseud__user_id"):
            works[work_id].creator_ids.add(user_id)
    return works


def bookmark_documents(where: Q) -> dict[int, BookmarkDocument]:
    """The documents of the bookmarks `where` selects that belong in the index, by id."""
    rows = list(
        Bookmark.objects.filter(where)
        .order_by()
        .values_list(
            "pk",
            "user_id",
            "pseud_id",
            "work_id",
            "series_id",
            "external_work_id",
            "private",
            "rec",
            "notes",
            "notes_html",
            "created_at",
            "updated_at",
        )
    )
    if not rows:
        return {}
    series_ids = {row[4] for row in rows if row[4] is not None}
    members: dict[int, list[int]] = defaultdict(list)
    for series_id, work_id in SerialWork.objects.filter(series_id__in=series_ids).values_list(
        "series_id", "work_id"
    ):
        members[series_id].append(work_id)
    works = _works(
        [row[3] for row in rows if row[3] is not None]
        + [work_id for ids in members.values() for work_id in ids]
    )
    series_complete = dict(Series.objects.filter(pk__in=series_ids).values_list("pk", "complete"))
    external_ids = {row[5] for row in rows if row[5] is not None}
    external_tags: dict[int, set[int]] = defaultdict(set)
    external_own: dict[int, set[int]] = defaultdict(set)
    for external_id, tag_id, merger_id in ExternalWorkTagging.objects.filter(
        external_work_id__in=external_ids
    ).values_list("external_work_id", "tag_id", "tag__merger_id"):
        external_own[external_id].add(tag_id)
        external_tags[external_id].add(tag_id)
        if merger_id is not None:
            external_tags[external_id].add(merger_id)
    given: dict[int, set[int]] = defaultdict(set)
    for bookmark_id, tag_id, merger_id in BookmarkTagging.objects.filter(
        bookmark_id__in=[row[0] for row in rows]
    ).values_list("bookmark_id", "tag_id", "tag__merger_id"):
        given[bookmark_id].add(tag_id)
        if merger_id is not None:
            given[bookmark_id].add(merger_id)

    documents: dict[int, BookmarkDocument] = {}
    for (
        pk,
        user_id,
        pseud_id,
        work_id,
        series_id,
        external_id,
        private,
        rec,
        notes,
        notes_html,
        created,
        updated,
    ) in rows:
        common: dict[str, Any] = {
            "id": pk,
            "user_id": user_id,
            "pseud_id": pseud_id,
            "private": bool(private),
            "rec": bool(rec),
            "with_notes": notes_html != "",
            "notes": notes,
            "created": created,
            "updated": updated,
            "bookmarker_tag_ids": given.get(pk, set()),
        }
        if work_id is not None:
            work = works.get(work_id)
            if work is None:
                continue
            documents[pk] = BookmarkDocument(
                kind=WORK,
                item_id=work_id,
                restricted=work.restricted,
                complete=work.complete,
                words=work.words,
                member_work_ids=[work_id],
                filter_ids=work.filter_ids,
                item_tag_ids=work.tag_ids,
                muted_tag_ids=work.filter_ids | work.tag_ids,
                creator_ids=work.creator_ids,
                **common,
            )
        elif series_id is not None:
            listed = [works[w] for w in members.get(series_id, []) if w in works]
            if not listed:
                continue
            documents[pk] = BookmarkDocument(
                kind=SERIES,
                item_id=series_id,
                # A guest sees the series where one of its listable works is not restricted.
                restricted=all(work.restricted for work in listed),
                complete=bool(series_complete.get(series_id)),
                member_work_ids=[w for w in members[series_id] if w in works],
                filter_ids=set().union(*(work.filter_ids for work in listed)),
                item_tag_ids=set().union(*(work.tag_ids for work in listed)),
                # A reader's mutes leave a series out where they leave out every one of its
                # works: what all of them carry (exact for one muted tag or creator; see docs).
                muted_tag_ids=set.intersection(
                    *(work.filter_ids | work.tag_ids for work in listed)
                ),
                creator_ids=set.intersection(*(work.creator_ids for work in listed)),
                **common,
            )
        elif external_id is not None:
            documents[pk] = BookmarkDocument(
                kind=EXTERNAL,
                item_id=external_id,
                filter_ids=external_tags.get(external_id, set()),
                item_tag_ids=external_own.get(external_id, set()),
                muted_tag_ids=external_tags.get(external_id, set()),
                **common,
            )
    return documents


_ITEM_FIELD = {WORK: "work_id", SERIES: "series_id", EXTERNAL: "external_id"}


def tantivy_bookmark(document: BookmarkDocument) -> tantivy.Document:
    out = tantivy.Document()
    out.add_unsigned("id", document.id)
    out.add_unsigned("kind", document.kind)
    out.add_unsigned(_ITEM_FIELD[document.kind], document.item_id)
    out.add_unsigned("user_id", document.user_id)
    if document.pseud_id is not None:
        out.add_unsigned("pseud_id", document.pseud_id)
    for name in (
        "member_work_ids",
        "filter_ids",
        "item_tag_ids",
        "muted_tag_ids",
        "creator_ids",
        "bookmarker_tag_ids",
    ):
        for value in sorted(getattr(document, name)):
            out.add_unsigned(name, value)
    for name in ("private", "rec", "with_notes", "restricted"):
        out.add_boolean(name, bool(getattr(document, name)))
    if document.complete is not None:
        out.add_boolean("complete", document.complete)
    if document.words is not None:
        out.add_unsigned("words", max(0, document.words))
    out.add_unsigned("created", micros(document.created))
    out.add_unsigned("updated", micros(document.updated))
    out.add_unsigned("sort_created", sort_key(document.created, document.id))
    out.add_unsigned("sort_updated", sort_key(document.updated, document.id))
    out.add_text("notes", spaced_ideographs(document.notes))
    return out


def bookmark_id_bounds() -> tuple[int, int, int] | None:
    found = Bookmark.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if found["low"] is None:
        return None
    return int(found["low"]), int(found["high"]), Bookmark.objects.count()


def _term(name: str, value: Any) -> Any:
    return tantivy.Query.term_query(BOOKMARK_SCHEMA, name, value)


def replace_bookmarks(
    index_writer: Any, searcher: tantivy.Searcher | None, rows: Sequence[Change]
) -> int:
    """Bring the documents these change rows concern up to date with the database: a bookmark
    row's bookmark, and for a work row the bookmarks of the work, of the series holding it
    now, and those whose document holds it (a series it has left; a work that is gone).
    Returns the documents written; the caller commits."""
    bookmark_ids = {row.bookmark_id for row in rows if row.bookmark_id is not None}
    work_ids = {row.work_id for row in rows if row.is_work and row.work_id != REBUILD_ALL}
    if work_ids:
        series_ids = SerialWork.objects.filter(work_id__in=work_ids).values("series_id")
        bookmark_ids.update(
            Bookmark.objects.filter(
                Q(work_id__in=work_ids) | Q(series_id__in=series_ids)
            ).values_list("pk", flat=True)
        )
        if searcher is not None:
            bookmark_ids.update(_ids_holding(searcher, work_ids))
    for bookmark_id in bookmark_ids:
        index_writer.delete_documents_by_query(_term("id", bookmark_id))
    written = 0
    ordered = sorted(bookmark_ids)
    for start in range(0, len(ordered), 5000):
        documents = bookmark_documents(Q(pk__in=ordered[start : start + 5000]))
        for document in documents.values():
            index_writer.add_document(tantivy_bookmark(document))
            written += 1
    return written


def _ids_holding(searcher: tantivy.Searcher, work_ids: set[int]) -> set[int]:
    query = tantivy.Query.term_set_query(BOOKMARK_SCHEMA, "member_work_ids", sorted(work_ids))
    count = int(searcher.search(query, 1, count=True).count)  # type: ignore[attr-defined]
    if not count:
        return set()
    hits = searcher.search(query, count, count=False).hits
    values = searcher.fast_field_values("id", [address for _score, address in hits])
    return {int(value) for value in values if value is not None}
