"""The HTML download: one self-contained page with the preface, every chapter and the
afterword, styled inline."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from ficarchive.formats.downloads.book import Book
from ficarchive.formats.downloads.styles import BOOK_CSS


def html_text(book: Book, *, pdf: bool = False) -> str:
    """The whole work as one HTML page; `pdf` adds the page layout of the PDF."""
    return render_to_string(
        "formats/downloads/work.html",
        {
            "book": book,
            "css": BOOK_CSS,
            "pdf": pdf,
            "many": len(book.chapters) > 1,
            "SITE_NAME": settings.SITE_NAME,
        },
    )


def html_bytes(book: Book) -> bytes:
    return html_text(book).encode()
