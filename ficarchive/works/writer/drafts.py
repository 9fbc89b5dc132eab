"""Typed drafts of works: what every writer of works (posting, the record import, the demo
generator) hands to the one writer, before anything is looked up in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ficarchive.accounts.models import Pseud
from ficarchive.tags.models import TagType
from ficarchive.works.models import Language

# A tag's name (found, or made as the clash rule says), or the id of a tag that the caller
# has just made itself (the demo), taken as it is.
TagRef = str | int
# A language of the archive; a name or code as a record gives it (found, or made with its
# standard code, or a private-use one); or (code, name) of a language to find by code or add.
LanguageRef = Language | str | tuple[str, str]


@dataclass(frozen=True)
class NamedCreator:
    """A creator named by login and pseud, as records give them: found, or made (a user
    without a password, whose default pseud is the login) when the archive has no such user."""

    login: str
    pseud: str


# A pseud of the archive, its id, or a creator to find or make by name.
CreatorRef = Pseud | int | NamedCreator


@dataclass
class ChapterDraft:
    text: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    # None: the date a chapter has when nobody gave one (Work.chapter_default_date).
    published_on: date | None = None
    posted: bool = True
    # Rendered ahead (in worker processes, or by the demo); None renders `text` when written.
    html: str | None = None
    # None counts the words of the rendering; the demo gives a count for a shortened body.
    word_count: int | None = None


@dataclass(frozen=True)
class SeriesPlace:
    """Part `position` of the series of this title that the first creator already has works
    in, or of a new one."""

    title: str
    position: int


@dataclass(frozen=True)
class WorkCounts:
    """Counters a new work starts with (the demo's); a work written again keeps its own."""

    hits: int = 0
    kudos: int = 0
    comments: int = 0
    bookmarks: int = 0


@dataclass
class WorkDraft:
    """A work as its writer means it, chapters and tags included, nothing yet looked up."""

    title: str
    language: LanguageRef
    # Creators in byline order, shown at once; `invited` co-creators show once they accept.
    creators: list[CreatorRef]
    rating: TagRef
    chapters: list[ChapterDraft] = field(default_factory=list)
    warnings: list[TagRef] = field(default_factory=list)
    categories: list[TagRef] = field(default_factory=list)
    fandoms: list[TagRef] = field(default_factory=list)
    relationships: list[TagRef] = field(default_factory=list)
    characters: list[TagRef] = field(default_factory=list)
    freeforms: list[TagRef] = field(default_factory=list)
    invited: list[Pseud] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    # The public id to write the work under: an existing work's id rewrites that work.
    work_id: int | None = None
    posted: bool = True
    publish_at: datetime | None = None
    restricted: bool = False
    anonymous: bool = False
    comment_permission: str = "anyone"
    comments_moderated: bool = False
    expected_chapters: int | None = None
    # None works completion out from the chapters, as posting does: an expected total below
    # the posted chapters becomes unknown, and the work is complete when they are equal.
    complete: bool | None = None
    # None: the day the work is written.
    published_on: date | None = None
    backdated: bool = False
    # None: the time the work is written.
    revised_at: datetime | None = None
    dates_known: bool = True
    created_at: datetime | None = None
    counts: WorkCounts | None = None
    series: list[SeriesPlace] = field(default_factory=list)
    collections: list[str] = field(default_factory=list)

    def tag_refs(self) -> list[tuple[TagRef, str]]:
        """(tag, type) in the order of the work header: rating, warnings, categories, then
        the types creators define."""
        pairs: list[tuple[TagRef, str]] = [(self.rating, TagType.RATING)]
        for refs, type_ in (
            (self.warnings, TagType.WARNING),
            (self.categories, TagType.CATEGORY),
            (self.fandoms, TagType.FANDOM),
            (self.relationships, TagType.RELATIONSHIP),
            (self.characters, TagType.CHARACTER),
            (self.freeforms, TagType.FREEFORM),
        ):
            pairs += [(ref, str(type_)) for ref in refs]
        return pairs
