"""Built files, kept under DATA_DIR/downloads by work and by the fingerprint of everything they
show, so that an edit (of the text, a tag, a title, the creators) makes the next download build
afresh while an unchanged work is served from disk. Large works are built by the task queue:
the request waits a moment for the file and otherwise tells the reader to come back shortly."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings

from ficarchive.formats.downloads.book import Book, book_of
from ficarchive.formats.downloads.formats import FORMATS, Format
from ficarchive.works.models import Work
from ficarchive.works.querysets import WorkQuerySet

# Part of every cached file's name: raise it when the files' layout changes, so that an
# upgraded archive builds them afresh.
BUILD_VERSION = 1
# Works longer than this are built in the background: a 500,000-word PDF takes a while.
BACKGROUND_WORDS = 150_000


def downloads_dir() -> Path:
    return Path(settings.DATA_DIR) / "downloads"


def cached_path(book: Book, format: Format) -> Path:
    """Where the file of this version of the work lives, built or not."""
    name = f"{book.fingerprint()}-{BUILD_VERSION}.{format.extension}"
    return downloads_dir() / str(book.work_id) / name


def build_file(work: Work, book: Book, format: Format) -> Path:
    """Build the file unless it is there, and clear out the work's older files of the format."""
    path = cached_path(book, format)
    if path.exists() and format.cached:
        return path
    data = format.build(work, book)
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
    build_file(work, book_of(work), FORMATS[extension])


def downloadable_works() -> WorkQuerySet:
    """Works with everything a book reads, in a fixed number of queries."""
    return Work.objects.for_reading().prefetch_related("collections")
