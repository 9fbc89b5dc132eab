"""The download formats, in the largest archive's menu order, and which of them this server
can make."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ficarchive.formats.downloads.book import Book
from ficarchive.formats.downloads.calibre import calibre_available, convert_epub
from ficarchive.formats.downloads.epub import epub_bytes
from ficarchive.formats.downloads.html import html_bytes
from ficarchive.formats.downloads.pdf import pdf_bytes
from ficarchive.formats.downloads.text import text_bytes
from ficarchive.works.models import Work


@dataclass(frozen=True)
class Format:
    extension: str
    label: str
    content_type: str
    build: Callable[[Work, Book], bytes]
    needs_calibre: bool = False
    # Whether a built file is kept: the record is cheap to write, and shows fields (restricted,
    # collections' names) that the book's fingerprint leaves out.
    cached: bool = True

    def available(self) -> bool:
        return not self.needs_calibre or calibre_available()


FORMATS: dict[str, Format] = {
    f.extension: f
    for f in [
        Format(
            "azw3",
            "AZW3",
            "application/vnd.amazon.ebook",
            lambda work, book: convert_epub(epub_bytes(book), "azw3"),
            needs_calibre=True,
        ),
        Format("epub", "EPUB", "application/epub+zip", lambda work, book: epub_bytes(book)),
        Format(
            "mobi",
            "MOBI",
            "application/x-mobipocket-ebook",
            lambda work, book: convert_epub(epub_bytes(book), "mobi"),
            needs_calibre=True,
        ),
        Format("pdf", "PDF", "application/pdf", lambda work, book: pdf_bytes(book)),
        Format("html", "HTML", "text/html; charset=utf-8", lambda work, book: html_bytes(book)),
        Format(
            "txt",
            "Work record",
            "text/plain; charset=utf-8",
            lambda work, book: text_bytes(work),
            cached=False,
        ),
    ]
}


def available_formats() -> list[Format]:
    return [f for f in FORMATS.values() if f.available()]
