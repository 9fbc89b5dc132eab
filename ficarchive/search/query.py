"""A search for works, as a typed value: what the form, the free-text shortcuts, tag pages,
listings and (later) the API all turn into before the engine runs it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from django.db import models

from ficarchive.accounts.muting import ReaderFilter

PER_PAGE = 20
# Tags a query may name (included and excluded together): far more than a reader types, and
# room for muted tags and default filters.
MAX_TAGS = 500
MAX_TEXT = 1000


class Sort(models.TextChoices):
    BEST = "best", "Best match"
    CREATOR = "creator", "Creator"
    TITLE = "title", "Title"
    POSTED = "posted", "Date posted"
    UPDATED = "updated", "Date updated"
    WORDS = "words", "Word count"
    HITS = "hits", "Hits"
    KUDOS = "kudos", "Kudos"
    COMMENTS = "comments", "Comments"
    BOOKMARKS = "bookmarks", "Bookmarks"

    @property
    def ascending_by_default(self) -> bool:
        return self in (Sort.CREATOR, Sort.TITLE)


# The sorts that forms offer: all of them (bookmarks count the works' public bookmarks,
# social.bookmarks, with the counts that imported works brought).
OFFERED_SORTS = list(Sort.choices)

# The counters a range can be given for, with the words readers use in the free text.
COUNTERS = ("words", "hits", "kudos", "comments", "bookmarks")
DATES = ("posted", "updated")


@dataclass(frozen=True)
class NumberRange:
    """Inclusive bounds; None is open."""

    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class DateRange:
    """Inclusive bounds, as moments in UTC; None is open."""

    low: datetime | None = None
    high: datetime | None = None


@dataclass(frozen=True)
class WorkQuery:
    """What a reader asks for. Tag ids find works through filter ids; unknown tag names are
    matched as words of tag names."""

    text: str = ""
    title: str = ""
    creators: str = ""
    include_tag_ids: tuple[int, ...] = ()
    exclude_tag_ids: tuple[int, ...] = ()
    # Any one of these ratings or languages (a work has one of each).
    rating_ids: tuple[int, ...] = ()
    language_ids: tuple[int, ...] = ()
    include_tag_names: tuple[str, ...] = ()
    exclude_tag_names: tuple[str, ...] = ()
    complete: bool | None = None
    single_chapter: bool | None = None
    crossover: bool | None = None
    otp: bool | None = None
    ranges: dict[str, NumberRange] = field(default_factory=dict)
    dates: dict[str, DateRange] = field(default_factory=dict)
    # Logged-in readers may ask for restricted works only (`restricted:true`).
    restricted: bool | None = None
    # Creator pages: the works of one user or one pseud. Their anonymous works are listed only
    # when the viewer is that user.
    creator_user_id: int | None = None
    creator_pseud_id: int | None = None
    # A collection's page: the works it lists (approved on both sides).
    collection_id: int | None = None
    # The reader's own filters; None when there are none or the reader asked to see what they
    # hide this once.
    reader: ReaderFilter | None = None
    sort: Sort | None = None
    ascending: bool | None = None
    page: int = 1
    per_page: int = PER_PAGE

    def effective_reader(self) -> ReaderFilter | None:
        """The reader's filters as they apply to this query. What the query asks for itself
        wins: a tag it includes (its tag page, a checked box) is not muted here, nor the user
        whose page it is, and default filters give way to its own completion or language."""
        reader = self.reader
        if not reader:
            return None
        # Filtered only when the query names a muted tag or user: a reader mutes thousands.
        included = set(self.include_tag_ids)
        muted_tags = reader.muted_tag_ids
        if not included.isdisjoint(muted_tags):
            muted_tags = tuple(pk for pk in muted_tags if pk not in included)
        muted_users = reader.muted_user_ids
        if self.creator_user_id is not None and self.creator_user_id in muted_users:
            muted_users = tuple(pk for pk in muted_users if pk != self.creator_user_id)
        effective = ReaderFilter(
            muted_tag_ids=muted_tags,
            muted_user_ids=muted_users,
            complete=reader.complete if self.complete is None else None,
            language_ids=() if self.language_ids else reader.language_ids,
        )
        return effective or None

    def with_page(self, page: int) -> WorkQuery:
        return replace(self, page=page)

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip() or self.title.strip() or self.creators.strip())

    def effective_sort(self) -> Sort:
        """Best match when there is text to match, else the newest updates first."""
        if self.sort is not None and (self.sort != Sort.BEST or self.has_text):
            return self.sort
        return Sort.BEST if self.has_text else Sort.UPDATED

    def effective_ascending(self) -> bool:
        if self.ascending is not None:
            return self.ascending
        return self.effective_sort().ascending_by_default

    def tag_count(self) -> int:
        return (
            len(self.include_tag_ids)
            + len(self.exclude_tag_ids)
            + len(self.include_tag_names)
            + len(self.exclude_tag_names)
        )
