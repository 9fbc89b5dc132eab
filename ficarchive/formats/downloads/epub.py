"""EPUB 3 files (with an EPUB 2 NCX for older readers) built with ebooklib: a preface page,
one XHTML file per chapter, an afterword, a navigation document and NCX listing every chapter
by its title, and the work's metadata. EPUBCheck passes them with no error and no warning."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, time

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from ebooklib import epub

from ficarchive.formats.downloads.book import Book
from ficarchive.formats.downloads.styles import BOOK_CSS
from ficarchive.formats.downloads.xhtml import to_xhtml_fragment, xhtml_document


class _Page(epub.EpubHtml):
    """An XHTML page written as it is: ebooklib would parse it again with an HTML 4 parser,
    which moves HTML 5 elements about."""

    def __init__(self, uid: str, file_name: str, title: str, content: bytes) -> None:
        super().__init__(uid=uid, file_name=file_name, title=title)
        self.content = content

    def get_content(self, default: object = None) -> bytes:
        return bytes(self.content)


def book_identifier(book: Book) -> str:
    """A stable identifier for the work: the same for every build of every version."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, book.url)}"


def epub_bytes(book: Book) -> bytes:
    """The EPUB file of a book."""
    language = book.language_code or "und"
    output = epub.EpubBook()
    output.set_identifier(book_identifier(book))
    output.set_title(book.title or f"Work {book.work_id}")
    output.set_language(language)
    for number, creator in enumerate(book.creators, start=1):
        output.add_author(creator, uid=f"creator{number}")
    output.add_metadata("DC", "publisher", settings.SITE_NAME)
    output.add_metadata("DC", "source", book.url)
    output.add_metadata("DC", "date", book.published.isoformat())
    if book.summary:
        output.add_metadata("DC", "description", strip_tags(book.summary).strip())
    for subject in book.subjects:
        output.add_metadata("DC", "subject", subject)
    for number, place in enumerate(book.series, start=1):
        ref = f"series-{number}"
        output.add_metadata(
            None, "meta", place.title, {"property": "belongs-to-collection", "id": ref}
        )
        output.add_metadata(
            None, "meta", "series", {"refines": f"#{ref}", "property": "collection-type"}
        )
        output.add_metadata(
            None, "meta", str(place.position), {"refines": f"#{ref}", "property": "group-position"}
        )
    # The files change exactly when the work does: their modification date is its last update.
    modified = datetime.combine(book.updated or book.published, time.min, tzinfo=UTC)

    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=BOOK_CSS.encode()
    )
    output.add_item(style)
    context = {"book": book, "SITE_NAME": settings.SITE_NAME, "many": len(book.chapters) > 1}

    def page(uid: str, file_name: str, title: str, html: str) -> _Page:
        body = to_xhtml_fragment(html, book.url.split("/works/")[0])
        item = _Page(uid, file_name, title, xhtml_document(title, body, language, "style.css"))
        output.add_item(item)
        return item

    preface = page(
        "preface",
        "preface.xhtml",
        "Preface",
        render_to_string("formats/downloads/_preface.html", context),
    )
    chapters = [
        page(
            f"chapter{chapter.position}",
            f"chapter{chapter.position}.xhtml",
            chapter.heading,
            render_to_string("formats/downloads/_chapter.html", {**context, "chapter": chapter}),
        )
        for chapter in book.chapters
    ]
    afterword = page(
        "afterword",
        "afterword.xhtml",
        "Afterword",
        render_to_string("formats/downloads/_afterword.html", context),
    )
    output.toc = [
        epub.Link("preface.xhtml", "Preface", "toc-preface"),
        *(epub.Link(item.file_name, item.title, f"toc-{item.id}") for item in chapters),
        epub.Link("afterword.xhtml", "Afterword", "toc-afterword"),
    ]
    output.add_item(epub.EpubNcx())
    output.add_item(epub.EpubNav())
    output.spine = ["nav", preface, *chapters, afterword]
    buffer = io.BytesIO()
    epub.write_epub(buffer, output, {"epub3_pages": False, "mtime": modified})
    return buffer.getvalue()
