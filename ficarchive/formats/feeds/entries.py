"""What one work shows in a feed or a catalogue, read from a work fetched with its reading
prefetches: the same for Atom, OPDS 1.2 and OPDS 2.0, and for every reader. An anonymous work's
creators are never part of it (its byline is "Anonymous", as on every page).

Entries are cached as listings' blurbs are (works.templatetags.reading.blurb_key), with the
listings' generation in the key, so that a change that must show at once (hidden, orphaned,
made anonymous) drops them with the guests' pages; other edits show within
GUEST_CACHE_SECONDS."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, time
from functools import lru_cache

from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe

from ficarchive.core.html import render_userstuff
from ficarchive.core.site import absolute_url
from ficarchive.formats.downloads.formats import FORMATS, Format
from ficarchive.formats.downloads.names import download_name
from ficarchive.tags.models import TagType
from ficarchive.works.models import Work
from ficarchive.works.pagecache import GUEST_CACHE_SECONDS, LISTINGS_GENERATION_KEY
from ficarchive.works.querysets import reading_prefetches
from ficarchive.works.templatetags.reading import blurb_key, pseud_url, tag_works_url

ANONYMOUS = "Anonymous"
# The formats a catalogue offers e-readers: books, then the page; the work record and calibre's
# conversions are left to the work page's menu.
CATALOGUE_FORMATS = ("epub", "pdf", "html")


@dataclass(frozen=True)
class Person:
    name: str
    url: str | None


@dataclass(frozen=True)
class EntryTag:
    type: str
    type_label: str
    name: str
    url: str


@dataclass(frozen=True)
class Acquisition:
    extension: str
    label: str
    content_type: str
    url: str


@dataclass(frozen=True)
class Entry:
    work_id: int
    title: str
    url: str
    authors: list[Person]
    summary_html: str  # sanitised
    tags: list[EntryTag]
    published: datetime
    updated: datetime
    language_code: str
    language: str
    words: int
    chapters: str  # N/M
    complete: bool
    series: list[str]  # "Part N of Title"
    description: str = ""  # description_html(), made once with the entry
    acquisitions: list[Acquisition] = field(default_factory=list)

    @property
    def summary_text(self) -> str:
        return strip_tags(self.summary_html).strip()

    def description_html(self) -> SafeString:
        """The entry's body in an Atom feed, as the largest archive's feeds have it: byline,
        summary, then words, chapters, language and the tags by type."""
        byline = format_html_join(
            ", ",
            "{}",
            (
                (
                    format_html('<a href="{}">{}</a>', person.url, person.name)
                    if person.url
                    else person.name,
                )
                for person in self.authors
            ),
        )
        stats = format_html(
            "<p>Words: {}, Chapters: {}, Language: {}</p>",
            f"{self.words:,}",
            self.chapters,
            self.language,
        )
        groups: dict[str, list[EntryTag]] = {}
        for tag in self.tags:
            groups.setdefault(tag.type_label, []).append(tag)
        tags = format_html_join(
            "",
            "<li>{}: {}</li>",
            (
                (
                    label,
                    format_html_join(
                        ", ", '<a href="{}">{}</a>', ((tag.url, tag.name) for tag in group)
                    ),
                )
                for label, group in groups.items()
            ),
        )
        series = format_html_join("", "<p>{}</p>", ((line,) for line in self.series))
        summary = mark_safe(self.summary_html)
        return format_html("<p>by {}</p>{}{}{}<ul>{}</ul>", byline, summary, series, stats, tags)


def entry_of(work: Work) -> Entry:
    """The entry of a work fetched with its reading prefetches (WorkQuerySet.for_reading)."""
    if work.hides_creators:
        authors = [Person(ANONYMOUS, None)]
    else:
        authors = [
            Person(pseud.byline, absolute_url(pseud_url(pseud.user.username, pseud.name)))
            for pseud in work.creator_pseuds()
        ] or [Person(ANONYMOUS, None)]
    groups = work.tags_by_type
    tags = [
        EntryTag(value, TagType(value).label, tag.name, _tag_url(tag.name))
        for value in TagType.values
        for tag in groups[value]
    ]
    code = work.language.code
    entry = Entry(
        work_id=work.pk,
        title=work.title,
        url=absolute_url(reverse("works:work_detail", args=[work.pk])),
        authors=authors,
        summary_html=render_userstuff(work.summary),
        tags=tags,
        published=datetime.combine(work.published_on, time(), tzinfo=UTC),
        updated=max(work.revised_at, datetime.combine(work.published_on, time(), tzinfo=UTC)),
        language_code="" if code.startswith("x-") else code,
        language=work.language.name,
        words=work.word_count,
        chapters=work.chapter_total_display(),
        complete=work.complete,
        series=[
            f"Part {serial.position} of {serial.series.title}" for serial in work.serial_works.all()
        ],
    )
    return replace(
        entry,
        description=str(entry.description_html()),
        acquisitions=_acquisitions(work.pk, work.title),
    )


@lru_cache(maxsize=16384)
def _tag_url(name: str) -> str:
    return absolute_url(tag_works_url(name))


def _acquisitions(work_id: int, title: str) -> list[Acquisition]:
    """The download links e-readers get (what this server can make of EPUB, PDF, HTML)."""
    name = download_name(title, work_id)
    # Only the formats the catalogue offers are asked whether they can be made (AZW3 and MOBI
    # would look for calibre on the PATH for every entry).
    offered = [FORMATS[ext] for ext in CATALOGUE_FORMATS if FORMATS[ext].available()]
    return [_acquisition(work_id, name, f) for f in offered]


def _acquisition(work_id: int, name: str, format: Format) -> Acquisition:
    path = reverse("formats:download", args=[work_id, name, format.extension])
    # A media type without its parameters: OPDS readers match on the type itself.
    content_type = format.content_type.split(";")[0].strip()
    return Acquisition(format.extension, format.label, content_type, absolute_url(path))


ENTRY_VERSION = 1


def _entry_key(work: Work, generation: int) -> str:
    summary = hashlib.blake2b(work.summary.encode(), digest_size=8).hexdigest()
    return f"feedentry{ENTRY_VERSION}:{generation}:{blurb_key(work)}:{summary}"


def entries_of(works: list[Work]) -> list[Entry]:
    """The entries of these works (rows with their language), in their order: from the cache,
    the others read with their reading prefetches in a fixed number of queries."""
    if not works:
        return []
    generation = cache.get(LISTINGS_GENERATION_KEY, 0)
    keys = {work.pk: _entry_key(work, generation) for work in works}
    found: dict[str, Entry] = cache.get_many(list(keys.values()))
    missing = [work for work in works if keys[work.pk] not in found]
    if missing:
        prefetch_related_objects(missing, *reading_prefetches())
        made = {keys[work.pk]: entry_of(work) for work in missing}
        cache.set_many(made, GUEST_CACHE_SECONDS)
        found.update(made)
    return [found[keys[work.pk]] for work in works]
