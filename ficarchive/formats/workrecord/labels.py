"""The labels a work record's header and chapter headings may use."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    TEXT = "text"  # one line
    LONG_TEXT = "long text"  # may continue on indented lines
    LIST = "list"  # comma-separated
    DATE = "date"
    FLAG = "flag"  # Yes or No
    IGNORED = "ignored"


@dataclass(frozen=True)
class Label:
    field: str
    kind: Kind
    singular: str
    plural: str | None = None  # written when a list has more than one value


# In the order the exporter writes them.
HEADER_LABELS = (
    Label("title", Kind.TEXT, "Title"),
    Label("work_id", Kind.TEXT, "Work ID"),
    Label("creators", Kind.LIST, "Author"),
    Label("rating", Kind.TEXT, "Rating"),
    Label("warnings", Kind.LIST, "Archive Warning", "Archive Warnings"),
    Label("categories", Kind.LIST, "Category", "Categories"),
    Label("fandoms", Kind.LIST, "Fandom", "Fandoms"),
    Label("relationships", Kind.LIST, "Relationship", "Relationships"),
    Label("characters", Kind.LIST, "Character", "Characters"),
    Label("freeforms", Kind.LIST, "Additional Tag", "Additional Tags"),
    Label("language", Kind.TEXT, "Language"),
    Label("series", Kind.TEXT, "Series"),
    Label("collections", Kind.LIST, "Collections"),
    Label("published", Kind.DATE, "Published"),
    Label("updated", Kind.DATE, "Updated"),
    Label("status", Kind.TEXT, "Status"),
    Label("chapters", Kind.TEXT, "Chapters"),
    Label("restricted", Kind.FLAG, "Restricted"),
    Label("anonymous", Kind.FLAG, "Anonymous"),
    Label("draft", Kind.FLAG, "Draft"),
    Label("summary", Kind.LONG_TEXT, "Summary"),
    Label("notes", Kind.LONG_TEXT, "Notes"),
    Label("endnotes", Kind.LONG_TEXT, "End Notes"),
)
HEADER = {label.field: label for label in HEADER_LABELS}

CHAPTER_LABELS = (
    Label("summary", Kind.LONG_TEXT, "Summary"),
    Label("notes", Kind.LONG_TEXT, "Notes"),
    Label("endnotes", Kind.LONG_TEXT, "End Notes"),
    Label("published", Kind.DATE, "Published"),
)
CHAPTER = {label.field: label for label in CHAPTER_LABELS}

# Other spellings readers and other archives use, by field.
_ALIASES = {
    "creators": ("Authors", "Creator", "Creators", "By"),
    "rating": ("Ratings",),
    "warnings": ("Warning", "Warnings"),
    "relationships": ("Pairing", "Pairings"),
    "freeforms": ("Freeform", "Freeforms", "Tags", "Other Tags"),
    "collections": ("Collection",),
    "updated": ("Completed",),
    "endnotes": ("Endnotes", "End Note"),
    "notes": ("Note", "Author's Notes"),
}
# Statistics that other archives print in their headers: the archive counts these itself.
IGNORED_LABELS = ("Words", "Kudos", "Hits", "Comments", "Bookmarks", "Stats")


def label_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _index(labels: tuple[Label, ...], aliases: bool) -> dict[str, Label]:
    index: dict[str, Label] = {}
    for label in labels:
        for spelling in (label.singular, label.plural):
            if spelling:
                index[label_key(spelling)] = label
        if aliases:
            for alias in _ALIASES.get(label.field, ()):
                index[label_key(alias)] = label
    if aliases:
        for name in IGNORED_LABELS:
            index[label_key(name)] = Label("", Kind.IGNORED, name)
    return index


HEADER_INDEX = _index(HEADER_LABELS, aliases=True)
CHAPTER_INDEX = _index(CHAPTER_LABELS, aliases=False)
