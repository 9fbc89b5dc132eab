"""Atom documents, written by Django's feedgenerator: Atom1Feed with what it lacks for this
archive's feeds and OPDS 1.2 catalogues, which are Atom too: several authors, links of any
relation, categories with labels, plain-text summaries, and extension elements (OPDS, Dublin
Core, OpenSearch) in their namespaces."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.xmlreader import AttributesImpl

from django.utils.feedgenerator import Atom1Feed, rfc3339_date
from django.utils.xmlutils import SimplerXMLGenerator

NAMESPACES = {
    "xmlns:opds": "http://opds-spec.org/2010/catalog",
    "xmlns:dc": "http://purl.org/dc/terms/",
    "xmlns:opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}


class ArchiveFeed(Atom1Feed):
    """Feed arguments besides Atom1Feed's: `links` (attribute dicts), `extensions` (name, text)
    and `namespaces` (declared on the root). Item arguments: `authors` (name, uri or None),
    `links`, `category_items` (attribute dicts), `summary_type` ("html" or "text"), `content`
    (type, text) and `extensions`."""

    def root_attributes(self) -> dict[str, str]:
        attributes: dict[str, str] = super().root_attributes()
        if self.feed.get("namespaces"):
            attributes.update(NAMESPACES)
        return attributes

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        for link in self.feed.get("links", ()):
            handler.addQuickElement("link", "", link)
        for name, text in self.feed.get("extensions", ()):
            handler.addQuickElement(name, text)

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        handler.addQuickElement("title", item["title"])
        if item["link"]:
            handler.addQuickElement("link", "", {"href": item["link"], "rel": "alternate"})
        for link in item.get("links", ()):
            handler.addQuickElement("link", "", link)
        if item["pubdate"] is not None:
            handler.addQuickElement("published", rfc3339_date(item["pubdate"]))
        handler.addQuickElement("updated", rfc3339_date(item["updateddate"] or item["pubdate"]))
        authors: Sequence[tuple[str, str | None]] = item.get("authors", ())
        for name, uri in authors:
            handler.startElement("author", AttributesImpl({}))
            handler.addQuickElement("name", name)
            if uri:
                handler.addQuickElement("uri", uri)
            handler.endElement("author")
        handler.addQuickElement("id", item["unique_id"])
        if item["description"]:
            summary_type = item.get("summary_type", "html")
            handler.addQuickElement("summary", item["description"], {"type": summary_type})
        content = item.get("content")
        if content is not None:
            handler.addQuickElement("content", content[1], {"type": content[0]})
        for category in item.get("category_items", ()):
            handler.addQuickElement("category", "", category)
        for name, text in item.get("extensions", ()):
            handler.addQuickElement(name, text)
