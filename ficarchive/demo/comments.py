"""Demo comments: the rows behind each demo work's comment count, written in bulk after each
batch of works, so that "Comments: 12" on a blurb opens a page of twelve comments. Readers
comment on a chapter, start threads or reply within them (nested a few deep), never on a work
they made (an anonymous work's creator would be named by their own comment)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence

from ficarchive.core.bulk import bulk_insert
from ficarchive.core.html import render_userstuff
from ficarchive.demo import distributions as dist
from ficarchive.demo.prose import Prose
from ficarchive.social.models import Comment
from ficarchive.works.models import Chapter

COMMENT_FIELDS = (
    "id",
    "work",
    "chapter",
    "parent",
    "thread",
    "depth",
    "user",
    "pseud",
    "text",
    "html",
    "created_at",
    "guest_name",
    "guest_email",
    "hidden_reason",
)
# A comment answers an earlier one this often; replies nest at most this deep.
REPLY_SHARE = 0.4
MAX_DEPTH = 7
_END = dt.datetime.combine(dist.END, dt.time(23, 59), tzinfo=dt.UTC)


class DemoComments:
    """Comment rows for works just written, `wanted[work_id]` comments each."""

    def __init__(
        self,
        rng: random.Random,
        prose: Prose,
        user_ids: Sequence[int],
        pseuds_of: Sequence[Sequence[int]],
        ids: Iterator[int],
    ):
        self.rng = rng
        self.prose = prose
        self.ids = ids
        # Per reader: their user id, and their pseud ids (the default one first).
        self.user_ids = user_ids
        self.readers = pseuds_of

    def write(self, wanted: dict[int, int], creators: dict[int, set[int]]) -> int:
        """Write the comments of the works in `wanted`; `creators` holds each work's creators'
        pseud ids. Returns the rows written."""
        works = [work_id for work_id, count in wanted.items() if count > 0]
        if not works:
            return 0
        chapters: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
        rows = Chapter.objects.filter(work_id__in=works, posted=True).order_by("position")
        for chapter_id, work_id, published_on in rows.values_list("id", "work_id", "published_on"):
            chapters[work_id].append((chapter_id, published_on))
        return bulk_insert(Comment, COMMENT_FIELDS, self._rows(wanted, chapters, creators))

    def _rows(
        self,
        wanted: dict[int, int],
        chapters: dict[int, list[tuple[int, dt.date]]],
        creators: dict[int, set[int]],
    ) -> Iterator[tuple[object, ...]]:
        rng = self.rng
        for work_id, count in wanted.items():
            parts = chapters.get(work_id)
            if not count or not parts:
                continue
            made: list[
                tuple[int, int, int, int, dt.datetime]
            ] = []  # id, chapter, thread, depth, at
            for _ in range(count):
                chapter_id, published_on = rng.choice(parts)
                same = [c for c in made if c[1] == chapter_id]
                comment_id = next(self.ids)
                if same and rng.random() < REPLY_SHARE:
                    parent_id, _, thread_id, parent_depth, after = rng.choice(same)
                    depth = min(parent_depth + 1, MAX_DEPTH)
                    if depth == parent_depth:  # as deep as the demo goes: answer its parent
                        parent_id, thread_id, depth = thread_id, thread_id, 1
                else:
                    parent_id, thread_id, depth = None, comment_id, 0
                    after = dt.datetime.combine(published_on, dt.time(12), tzinfo=dt.UTC)
                at = _later(rng, after)
                user_id, pseud_id = self._reader(creators.get(work_id, set()))
                text = " ".join(self.prose.sentences_of(rng, rng.randint(4, 40)))
                made.append((comment_id, chapter_id, thread_id, depth, at))
                yield (
                    comment_id,
                    work_id,
                    chapter_id,
                    parent_id,
                    thread_id,
                    depth,
                    user_id,
                    pseud_id,
                    text,
                    render_userstuff(text, allow_class=False),
                    at,
                    "",
                    "",
                    "",
                )

    def _reader(self, creators: set[int]) -> tuple[int, int]:
        """A reader who is none of the work's creators: their login and default pseud."""
        for _ in range(20):
            index = int(self.rng.random() * len(self.readers))
            pseuds = self.readers[index]
            if creators.isdisjoint(pseuds):
                return self.user_ids[index], pseuds[0]
        raise ValueError("no demo reader outside the work's creators")


def _later(rng: random.Random, after: dt.datetime) -> dt.datetime:
    """A moment after `after`, days to months later, never past the corpus's last day."""
    at = after + dt.timedelta(seconds=int(rng.expovariate(1 / (20 * 86_400))) + 60)
    return min(at, max(after, _END))
