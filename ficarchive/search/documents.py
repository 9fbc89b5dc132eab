"""What the search index holds of a work, read from the database in bulk.

The index only holds works that listings may show (Work.objects.listable, the visibility
rule's viewer-free part): posted and not hidden by an admin. Every other work (a draft, a
scheduled, hidden or deleted work) is simply absent, so that no query can find it. The engine
adds the viewer's part (guests: no restricted works), and reads each page's works through
Work.objects.listed_for again.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.db.models import Count, Max, Min, Q

from ficarchive.tags.models import FilterTagging, Tagging, TagType
from ficarchive.works.models import (
    Approval,
    Chapter,
    CollectionItem,
    Creatorship,
    SerialWork,
    Work,
)

# The tag types that get a facet in the filter sidebar, in the order the sidebar shows them.
# Media are never on works (they are the parents of fandoms).
FACET_TYPES: tuple[str, ...] = tuple(value for value in TagType.values if value != TagType.MEDIA)

_TAG = re.compile(r"<[^>]*>")
# Scripts written without spaces between words, whose every character counts as a word: CJK
# ideographs, kana, Hangul syllables are spaced already; Thai.
IDEOGRAPHS = (
    "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0002fa1f"
)
_IDEOGRAPH = re.compile(f"([{IDEOGRAPHS}])")
_SORT_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_SORT_PUNCTUATION = re.compile(r"^[\W_]+")


@dataclass(slots=True)
class WorkDocument:
    """One work as the index sees it."""

    id: int
    title: str
    summary: str
    notes: str
    language_id: int
    complete: bool
    single_chapter: bool
    crossover: bool
    otp: bool
    restricted: bool
    words: int
    hits: int
    kudos: int
    comments: int
    bookmarks: int
    posted: datetime
    revised: datetime
    anonymous: bool
    creators: list[str] = field(default_factory=list)
    creator_sort: str = ""
    user_ids: list[int] = field(default_factory=list)
    pseud_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    tag_names: list[str] = field(default_factory=list)
    filter_ids: list[int] = field(default_factory=list)
    # Direct filters (no meta tags) by tag type, which the sidebar counts.
    facets: dict[str, list[int]] = field(default_factory=dict)
    series: list[str] = field(default_factory=list)
    # The collections that list the work: items approved on both sides.
    collection_ids: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    # The language's code, for the stemmer (search.index.stemmer_for).
    language_code: str = ""

    @property
    def title_sort(self) -> str:
        return sort_key(self.title)


def sort_key(text: str) -> str:
    """How titles and creators sort: case-folded, without a leading article or punctuation."""
    folded = _SORT_PUNCTUATION.sub("", text.casefold().strip())
    return _SORT_ARTICLE.sub("", folded) or folded


def spaced_ideographs(text: str) -> str:
    """Text with a space around each ideograph, kana or Thai character, so that the index
    sees each as a word. Text without any is returned as it is, after one quick scan."""
    if _IDEOGRAPH.search(text) is None:
        return text
    return _IDEOGRAPH.sub(r" \1 ", text)


def plain_text(fragment: str) -> str:
    """Sanitised HTML as the words a reader sees."""
    return html.unescape(_TAG.sub(" ", fragment))


def documents_for_ids(work_ids: Sequence[int]) -> dict[int, WorkDocument]:
    """The documents of those of these works that belong in the index, by id."""
    if not work_ids:
        return {}
    return _documents(Q(work_id__in=list(work_ids)), Q(pk__in=list(work_ids)))


def documents_in_range(low: int, high: int) -> dict[int, WorkDocument]:
    """The documents of the listable works with low <= id < high, by id."""
    return _documents(Q(work_id__gte=low, work_id__lt=high), Q(pk__gte=low, pk__lt=high))


def listable_id_bounds_and_count() -> tuple[int, int, int] | None:
    """The lowest and highest id of a listable work and how many there are (ids have gaps,
    so a progress bar counts works, not ids); None when there is none."""
    found = Work.objects.listable().aggregate(low=Min("pk"), high=Max("pk"), count=Count("pk"))
    if found["low"] is None:
        return None
    return int(found["low"]), int(found["high"]), int(found["count"])


def _documents(by_work: Q, by_pk: Q) -> dict[int, WorkDocument]:

    rows = (
        Work.objects.listable()
        .filter(by_pk)
        .values_list(
            "pk",
            "title",
            "summary",
            "notes",
            "endnotes",
            "language_id",
            "language__code",
            "complete",
            "expected_chapters",
            "crossover",
            "otp",
            "restricted",
            "word_count",
            "hits",
            "kudos_count",
            "comments_count",
            "bookmarks_count",
            "published_on",
            "revised_at",
            "anonymous",
            "in_anonymous_collection",
        )
    )
    documents: dict[int, WorkDocument] = {}
    for row in rows.iterator(chunk_size=5000):
        documents[row[0]] = _document(row)
    if not documents:
        return documents

    for work_id, tag_id, name in (
        Tagging.objects.filter(by_work)
        .order_by()
        .values_list("work_id", "tag_id", "tag__name")
        .iterator(chunk_size=20000)
    ):
        document = documents.get(work_id)
        if document is not None:
            document.tag_ids.append(tag_id)
            document.tag_names.append(name)

    for work_id, filter_id, inherited, type_, name in (
        FilterTagging.objects.filter(by_work)
        .order_by()
        .values_list("work_id", "filter_id", "inherited", "filter__type", "filter__name")
        .iterator(chunk_size=20000)
    ):
        document = documents.get(work_id)
        if document is None:
            continue
        document.filter_ids.append(filter_id)
        if not inherited:
            document.facets.setdefault(type_, []).append(filter_id)
        if filter_id not in document.tag_ids:
            document.tag_names.append(name)

    creators: dict[int, list[tuple[int, int, int, str, str]]] = defaultdict(list)
    for work_id, position, pseud_id, user_id, pseud, login in (
        Creatorship.objects.filter(by_work, approved=True)
        .order_by()
        .values_list(
            "work_id",
            "position",
            "pseud_id",
            "pseud__user_id",
            "pseud__name",
            "pseud__user__username",
        )
        .iterator(chunk_size=20000)
    ):
        creators[work_id].append((position, pseud_id, user_id, pseud, login))
    for work_id, entries in creators.items():
        document = documents.get(work_id)
        if document is not None:
            _add_creators(document, sorted(entries))

    for work_id, title in (
        SerialWork.objects.filter(by_work).order_by().values_list("work_id", "series__title")
    ):
        if work_id in documents:
            documents[work_id].series.append(title)

    for work_id, collection_id in CollectionItem.objects.filter(
        by_work, user_approval=Approval.APPROVED, collection_approval=Approval.APPROVED
    ).values_list("work_id", "collection_id"):
        if work_id in documents:
            documents[work_id].collection_ids.append(collection_id)

    for work_id, chapter_title, summary, notes, endnotes, chapter_html in (
        # The chapter rule (Work.posted_chapters): only posted chapters are read.
        Chapter.objects.filter(by_work, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "title", "summary", "notes", "endnotes", "html")
        .iterator(chunk_size=2000)
    ):
        document = documents.get(work_id)
        if document is None:
            continue
        document.text.append(chapter_title)
        document.text.append(plain_text(chapter_html))
        for extra in (summary, notes, endnotes):
            if extra:
                document.notes += "\n" + plain_text(extra)
    for document in documents.values():
        if document.anonymous:
            document.creators, document.creator_sort = ["Anonymous"], "anonymous"
    return documents


def _document(row: Sequence[Any]) -> WorkDocument:
    (
        pk,
        title,
        summary,
        notes,
        endnotes,
        language_id,
        language_code,
        complete,
        expected,
        crossover,
        otp,
        restricted,
        words,
        hits,
        kudos,
        comments,
        bookmarks,
        published_on,
        revised_at,
        anonymous,
        in_anonymous_collection,
    ) = row
    return WorkDocument(
        id=pk,
        title=title,
        summary=plain_text(summary),
        notes=plain_text(notes) + "\n" + plain_text(endnotes),
        language_id=language_id,
        language_code=language_code,
        complete=bool(complete),
        single_chapter=expected == 1,
        crossover=bool(crossover),
        otp=bool(otp),
        restricted=bool(restricted),
        words=words,
        hits=hits,
        kudos=kudos,
        comments=comments,
        bookmarks=bookmarks,
        posted=day_start(published_on),
        revised=revised_at.astimezone(UTC),
        # An anonymous collection's works are anonymous until its creators are revealed.
        anonymous=bool(anonymous or in_anonymous_collection),
    )


def day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _add_creators(document: WorkDocument, entries: list[tuple[int, int, int, str, str]]) -> None:
    """Bylines and creator ids; an anonymous work's stay private (see the index schema)."""
    for _position, pseud_id, user_id, pseud, login in entries:
        document.pseud_ids.append(pseud_id)
        if user_id not in document.user_ids:
            document.user_ids.append(user_id)
        document.creators.append(pseud if pseud == login else f"{pseud} ({login})")
    document.creator_sort = sort_key(", ".join(document.creators))


def chunked_ranges(low: int, high: int, size: int) -> Iterator[tuple[int, int]]:
    """[low, high] cut into half-open ranges of `size` ids."""
    start = low
    while start <= high:
        yield start, min(start + size, high + 1)
        start += size
