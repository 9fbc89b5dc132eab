"""Built files, kept under DATA_DIR/downloads by work and by a key of everything they show, so
that an edit (of the text, a tag, a title, the creators) makes the next download build afresh
while an unchanged work is served from disk. Large works are built by the task queue: the
request waits a moment for the file and otherwise tells the reader to come back shortly.

The key (`file_key`) is a digest of the very columns the book is made from, read as they are
stored: the work's row, its tags, creators, series and collections (which the download's fetch
has already prefetched) and its posted chapters' columns in one query. It covers every change
that shows in a file, renames of tags, pseuds, users and series included, without building the
book: no sanitising, no rendering, no copy of the text (bench/downloads.py measures it)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

from ficarchive.formats.downloads.book import book_of
from ficarchive.formats.downloads.formats import FORMATS, Format
from ficarchive.works.models import Chapter, Work
from ficarchive.works.querysets import WorkQuerySet

# Part of every cached file's name: raise it when the files' layout changes, so that an
# upgraded archive builds them afresh.
BUILD_VERSION = 1
# Works longer than this are built in the background: a 500,000-word PDF takes a while.
BACKGROUND_WORDS = 150_000


def downloads_dir() -> Path:
    return Path(settings.DATA_DIR) / "downloads"


def file_key(work: Work) -> str:
    """A digest of every column the work's files are made from (see the module's docstring);
    the work comes from downloadable_works(), so only its chapters are read here."""
    digest = hashlib.blake2b(digest_size=12)

    def add(*values: object) -> None:
        for value in values:
            text = value if isinstance(value, str) else repr(value)
            digest.update(text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x1f")

    add(work.pk, work.title, work.summary, work.notes, work.endnotes, work.hides_creators)
    add(work.language.code, work.language.name, work.published_on, work.revised_at)
    add(work.complete, work.word_count, work.chapter_count, work.expected_chapters)
    for tagging in work.taggings.all():
        add("tag", tagging.tag.type, tagging.tag.name)
    for creatorship in work.creatorships.all():
        pseud = creatorship.pseud
        add("creator", creatorship.approved, pseud.name, pseud.user.username)
    for serial in work.serial_works.all():
        add("series", serial.series_id, serial.series.title, serial.position)
    for collection in work.shown_collections():
        add("collection", collection.title)
    chapters = Chapter.objects.filter(work=work, posted=True).order_by("position")
    columns = ("position", "title", "summary", "notes", "endnotes", "html", "word_count")
    for row in chapters.values_list(*columns):
        add("chapter", *row)
    return digest.hexdigest()


def cached_path(work: Work, format: Format, key: str | None = None) -> Path:
    """Where the file of this version of the work lives, built or not."""
    name = f"{key or file_key(work)}-{BUILD_VERSION}.{format.extension}"
    return downloads_dir() / str(work.pk) / name


def build_file(work: Work, format: Format, key: str | None = None) -> Path:
    """Build the file unless it is there, and clear out the work's older files of the format."""
    path = cached_path(work, format, key)
    if path.exists() and format.cached:
        return path
    data = format.build(work, book_of(work))
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed into place, so that nobody is ever served half a file.
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    Path(temporary).replace(path)
    for old in path.parent.glob(f"*.{format.extension}"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


def builds_in_background(work: Work) -> bool:
    return work.word_count > BACKGROUND_WORDS


def download_prepare(work_id: int, extension: str) -> None:
    """Build one work's file (the task queue runs it for large works)."""
    work = downloadable_works().filter(pk=work_id).first()
    if work is None or not work.is_listable():
        return
    build_file(work, FORMATS[extension])


def downloadable_works() -> WorkQuerySet:
    """Works with everything a book reads, in a fixed number of queries."""
    return Work.objects.for_reading().prefetch_related("collection_items__collection")
