"""The PDF download, laid out by WeasyPrint from the HTML download: A5 pages with readable
margins, a serif text, each chapter on a new page, page numbers at the foot."""

from __future__ import annotations

from weasyprint import HTML  # type: ignore[import-untyped]

from ficarchive.formats.downloads.book import Book
from ficarchive.formats.downloads.html import html_text


def pdf_bytes(book: Book) -> bytes:
    document = HTML(string=html_text(book, pdf=True), base_url=book.url)
    data = document.write_pdf(
        # The PDF's own metadata says what the preface says, and no more.
        custom_metadata=False,
    )
    assert data is not None
    return bytes(data)
