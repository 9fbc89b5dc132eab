"""Demo bookmarks: the rows behind each demo work's bookmark count, written in bulk after each
batch of works, so that "Bookmarks: 7" on a blurb opens a page of seven bookmarks. Readers
bookmark works they did not make, each once, some with notes, a few of their own tags, some as
recs; a few more bookmarks are private (counted nowhere but on their owner's page)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from ficarchive.core.bulk import bulk_insert
from ficarchive.core.html import render_userstuff
from ficarchive.demo import distributions as dist
from ficarchive.demo.prose import Prose
from ficarchive.social.models import Bookmark, BookmarkTagging
from ficarchive.tags.models import TagType
from ficarchive.tags.services import tags_find_or_create
from ficarchive.works.models import Work

BOOKMARK_FIELDS = (
    "id",
    "user",
    "pseud",
    "work",
    "notes",
    "notes_html",
    "private",
    "rec",
    "created_at",
    "updated_at",
)
TAGGING_FIELDS = ("bookmark", "tag", "position")
# The bookmarkers' own tags, as readers sort their shelves.
READER_TAGS = (
    "To Read",
    "Favorites",
    "Comfort Read",
    "Reread",
    "Slow Burn",
    "Finished",
    "Recommended to Friends",
    "Long Ones",
    "Short and Sweet",
    "Abandoned Here",
)
NOTES_SHARE = 0.3
REC_SHARE = 0.15
PRIVATE_SHARE = 0.05  # of works, one more private bookmark
_END = dt.datetime.combine(dist.END, dt.time(23, 59), tzinfo=dt.UTC)


def reader_tag_ids() -> list[int]:
    """The readers' tags (found or made), to be called before the demo's own tags are written
    with explicit ids."""
    return [tag.pk for tag in tags_find_or_create((n, TagType.FREEFORM) for n in READER_TAGS)]


class DemoBookmarks:
    """Bookmark rows for works just written, `wanted[work_id]` public bookmarks each."""

    def __init__(
        self,
        rng: random.Random,
        prose: Prose,
        user_ids: Sequence[int],
        pseuds_of: Sequence[Sequence[int]],
        ids: Iterator[int],
        tag_ids: Sequence[int],
    ):
        self.rng, self.prose, self.ids = rng, prose, ids
        self.user_ids = user_ids
        self.readers = pseuds_of
        self.tag_ids = list(tag_ids)
        self.taggings: list[tuple[int, int, int]] = []
        self.short: dict[int, int] = {}  # works with fewer public bookmarks than wanted

    def write(
        self,
        wanted: dict[int, int],
        creators: dict[int, set[int]],
        published: dict[int, dt.date],
    ) -> int:
        """Write the bookmarks of the works in `wanted`; returns the rows written (bookmarks
        and their tags)."""
        self.taggings = []
        self.short = {}
        written = bulk_insert(Bookmark, BOOKMARK_FIELDS, self._rows(wanted, creators, published))
        # Where too few readers could be found (a small corpus), the count is what was written.
        for work_id, public in self.short.items():
            Work.objects.filter(pk=work_id).update(bookmarks_count=public)
        return written + bulk_insert(BookmarkTagging, TAGGING_FIELDS, self.taggings)

    def _rows(
        self,
        wanted: dict[int, int],
        creators: dict[int, set[int]],
        published: dict[int, dt.date],
    ) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        for work_id, count in wanted.items():
            if not count:
                continue
            private = 1 if rng.random() < PRIVATE_SHARE else 0
            readers = self._readers(count + private, creators.get(work_id, set()))
            if len(readers) < count:
                self.short[work_id] = len(readers)
                private = 0
            after = dt.datetime.combine(published[work_id], dt.time(12), tzinfo=dt.UTC)
            for index, (user_id, pseud_id) in enumerate(readers):
                bookmark_id = next(self.ids)
                notes = ""
                if rng.random() < NOTES_SHARE:
                    notes = " ".join(self.prose.sentences_of(rng, rng.randint(1, 6)))
                at = after + dt.timedelta(seconds=int(rng.expovariate(1 / (40 * 86_400))) + 60)
                at = min(at, max(after, _END))
                for position, tag_id in enumerate(rng.sample(self.tag_ids, rng.randint(0, 3))):
                    self.taggings.append((bookmark_id, tag_id, position))
                yield (
                    bookmark_id,
                    user_id,
                    pseud_id,
                    work_id,
                    notes,
                    render_userstuff(notes, allow_class=False) if notes else "",
                    index >= count,  # the extra one (if any) is private
                    rng.random() < REC_SHARE,
                    at,
                    at,
                )

    def _readers(self, count: int, creators: set[int]) -> list[tuple[int, int]]:
        """Up to `count` distinct readers, none of them the work's creators: their user id
        and default pseud."""
        chosen: dict[int, int] = {}
        for _ in range(count * 3):
            if len(chosen) >= count:
                break
            index = int(self.rng.random() * len(self.readers))
            pseuds = self.readers[index]
            if creators.isdisjoint(pseuds):
                chosen.setdefault(self.user_ids[index], pseuds[0])
        return list(chosen.items())
