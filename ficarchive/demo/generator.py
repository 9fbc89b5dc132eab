"""Fills the database with a synthetic corpus that follows corpus-stats.md, fast enough for a
million works: tags and users are made up front, then works are written in batches of plain rows
with explicit ids."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models import Max

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.bulk import bulk_insert, reset_sequence
from ficarchive.core.changes import index_rebuild_request
from ficarchive.demo import distributions as dist
from ficarchive.demo.bookmarks import DemoBookmarks, reader_tag_ids
from ficarchive.demo.comments import DemoComments
from ficarchive.demo.names import Namer
from ficarchive.demo.people import PSEUD_FIELDS, USER_FIELDS, People
from ficarchive.demo.prose import NOTES, Prose, chapter_text, in_english
from ficarchive.demo.tagpool import TAG_FIELDS, TagPool
from ficarchive.demo.wrangling import DemoWrangling, existing_media, existing_no_fandom
from ficarchive.social.models import Bookmark, Comment
from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS
from ficarchive.tags.models import FIXED_TYPES, Tag
from ficarchive.works.models import Language, Work
from ficarchive.works.writer.drafts import (
    ChapterDraft,
    CreatorRef,
    SeriesPlace,
    TagRef,
    WorkCounts,
    WorkDraft,
)
from ficarchive.works.writer.lookups import WriterCache, languages_for_codes
from ficarchive.works.writer.write import works_write_bulk

DEFAULT_SEED = 20210226  # the day of the data dump that corpus-stats.md comes from

ANONYMOUS_SHARE = 0.01


class DemoError(Exception):
    """The database is not ready for demo data."""


@dataclass(frozen=True)
class DemoConfig:
    works: int = 300
    seed: int = DEFAULT_SEED
    # Words of prose per chapter at most; a chapter sampled longer keeps its sampled word count
    # with a shorter body (metadata-scale mode). None writes every chapter in full.
    body_words: int | None = None
    batch_size: int = 5000
    # Comment rows per work at most: a work's comment count is the rows written, its sampled
    # count cut at this (the long tail of comments would make millions of rows).
    comments_per_work: int = 40
    # Bookmark rows per work at most, as for comments: a work's bookmark count is the public
    # rows written.
    bookmarks_per_work: int = 20
    # A work joins a series of its first creator this often (the next part of one begun, or
    # the first of a new one).
    series_share: float = 0.08


def _ids(model: type[models.Model]) -> Iterator[int]:
    """Ids after the largest one in the table, so that demo rows can be added to any data."""
    top = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
    return itertools.count(top + 1)


def _fixed_tags() -> dict[str, int]:
    """Ids of the rating, warning and category tags that the migrations made, by name."""
    ids = dict(Tag.objects.filter(type__in=FIXED_TYPES, canonical=True).values_list("name", "id"))
    names = [name for name, _adult in RATINGS] + list(ARCHIVE_WARNINGS) + list(CATEGORIES)
    missing = [name for name in names if name not in ids]
    if missing:
        raise DemoError(f"Fixed tags are missing ({', '.join(missing)}); run migrate first.")
    return ids


def _languages() -> tuple[dict[str, Language], dist.Weighted]:
    """Languages for every code the corpus uses (made where missing), and their draw."""
    weights = dist.language_weights()
    languages = languages_for_codes(weights)
    draw = dist.Weighted({code: share for code, share in weights.items() if code in languages})
    return languages, draw


class _WorkMaker:
    """Makes the rows of one batch of works."""

    def __init__(
        self,
        config: DemoConfig,
        rng: random.Random,
        prose: Prose,
        namer: Namer,
        pool: TagPool,
        people: People,
        fixed: dict[str, int],
    ):
        self.config = config
        self.rng, self.prose, self.namer, self.pool, self.people = rng, prose, namer, pool, people
        # Bodies draw from their own generator, so the metadata is the same at any body length.
        self.body_rng = random.Random(f"bodies-{config.seed}")
        self.fixed = fixed
        self.language_of, self.languages = _languages()
        self.work_ids = _ids(Work)
        # Series draw from their own generator, so that the works are those of any version.
        self.series_rng = random.Random(f"series-{config.seed}")
        self.open_series: dict[int, tuple[str, int]] = {}  # first pseud: (title, last part)

    def batch(self, count: int) -> list[WorkDraft]:
        return [self._work() for _ in range(count)]

    def _series(self, creators: list[CreatorRef], title: str) -> list[SeriesPlace]:
        rng = self.series_rng
        first = creators[0] if creators else None
        if not isinstance(first, int) or rng.random() >= self.config.series_share:
            return []
        begun = self.open_series.get(first)
        if begun is not None and rng.random() < 0.7:
            place = SeriesPlace(begun[0], begun[1] + 1)
        else:
            place = SeriesPlace(f"{title} (series)", 1)
        self.open_series[first] = (place.title, place.position)
        return [place]

    def _work(self) -> WorkDraft:
        rng, prose, fixed = self.rng, self.prose, self.fixed
        work_id = next(self.work_ids)
        words = dist.word_count(rng)
        chapters = dist.chapter_count(rng, words)
        expected = dist.expected_chapters(rng, chapters)
        when = dist.dates(rng, chapters)
        categories = dist.categories(rng)
        rating = fixed[dist.RATINGS.draw(rng)]
        warnings: list[TagRef] = [fixed[name] for name in dist.warnings(rng)]
        picked = self.pool.pick(words, categories == ["Gen"])
        creators: list[CreatorRef] = list(self.people.creators())
        counts = dist.counters(rng, when.published_on, words, chapters)
        title = self.namer.title()
        summary = prose.summary(rng)
        notes = rng.choice(NOTES) if rng.random() < 0.25 else ""
        endnotes = rng.choice(NOTES) if rng.random() < 0.1 else ""
        language = self.language_of[self.languages.draw(rng)]
        draft = WorkDraft(
            work_id=work_id,
            title=title,
            summary=in_english(summary, language.code),
            notes=in_english(notes, language.code),
            endnotes=in_english(endnotes, language.code),
            language=language,
            creators=creators,
            rating=rating,
            warnings=warnings,
            categories=[fixed[name] for name in categories],
            fandoms=list(picked.fandoms),
            relationships=list(picked.relationships),
            characters=list(picked.characters),
            freeforms=list(picked.freeforms),
            expected_chapters=expected,
            complete=chapters == expected,
            restricted=dist.restricted(rng, when.published_on),
            anonymous=rng.random() < ANONYMOUS_SHARE,
            published_on=when.published_on,
            revised_at=when.revised_at,
            created_at=when.created_at,
            counts=WorkCounts(
                counts.hits,
                counts.kudos,
                min(counts.comments, self.config.comments_per_work),
                min(counts.bookmarks, self.config.bookmarks_per_work),
            ),
        )
        draft.series = self._series(creators, title)
        titled = chapters > 1 and rng.random() < 0.4
        cap = self.config.body_words
        for position, part in enumerate(dist.split_words(rng, words, chapters), start=1):
            shown = part if cap is None else min(part, cap)
            paragraphs = prose.paragraphs(self.body_rng, shown)
            text, html = chapter_text(paragraphs, english_in=language.code)
            draft.chapters.append(
                ChapterDraft(
                    text=text,
                    title=self.namer.title() if titled else "",
                    published_on=when.chapters[position - 1],
                    html=html,
                    word_count=part,
                )
            )
        return draft


@contextlib.contextmanager
def _large_cache() -> Iterator[None]:
    """On SQLite, a 1 GiB page cache while loading: the taggings' tag index outgrows the usual
    64 MiB at a million works."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -1048576")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def generate(config: DemoConfig, progress: Callable[[int], object] | None = None) -> Counter[str]:
    """Write a demo corpus of `config.works` works; returns the rows written per table."""
    with _large_cache():
        written = _generate(config, progress)
    _analyze()
    return written


def _generate(config: DemoConfig, progress: Callable[[int], object] | None) -> Counter[str]:
    """Tags and users first, then works in batches, each batch in one transaction."""
    fixed = _fixed_tags()
    # Before the tag pool takes its explicit ids: these go through the id sequence, which the
    # pool's rows only move past at the end.
    reader_tags = reader_tag_ids()
    rng = random.Random(config.seed)
    prose = Prose(rng)
    namer = Namer(
        rng,
        set(Tag.objects.values_list("key", flat=True)),
        {login.lower() for login in User.objects.values_list("username", flat=True)},
    )
    start = dt.datetime.combine(dist.START, dt.time(), tzinfo=dt.UTC)
    written: Counter[str] = Counter()
    pool = TagPool(rng, namer, _ids(Tag), config.works, start)
    people = People(rng, namer, _ids(User), _ids(Pseud), config.works, start)
    wrangling = DemoWrangling(pool, namer, config.seed, existing_no_fandom(), existing_media())
    with transaction.atomic():
        written["tag"] = bulk_insert(Tag, TAG_FIELDS, pool.rows)
        written.update(wrangling.write())
        written["user"] = bulk_insert(User, USER_FIELDS, people.users)
        written["pseud"] = bulk_insert(Pseud, PSEUD_FIELDS, people.pseuds)
    pool.rows.clear()
    user_ids = [int(row[0]) for row in people.users]  # type: ignore[call-overload]
    people.users.clear()
    people.pseuds.clear()

    maker = _WorkMaker(config, rng, prose, namer, pool, people, fixed)
    comments = DemoComments(
        random.Random(rng.getrandbits(64)), prose, user_ids, people.pseuds_of, _ids(Comment)
    )
    bookmarks = DemoBookmarks(
        random.Random(f"bookmarks-{config.seed}"),
        prose,
        user_ids,
        people.pseuds_of,
        _ids(Bookmark),
        reader_tags,
    )
    cache = WriterCache()
    left = config.works
    while left > 0:
        drafts = maker.batch(min(left, config.batch_size))
        with transaction.atomic():
            result = works_write_bulk(drafts, reasons=None, cache=cache)
            written.update(+result.rows)
            wanted: dict[int, int] = {}
            marked: dict[int, int] = {}
            published: dict[int, dt.date] = {}
            creators: dict[int, set[int]] = {}
            for draft, outcome in zip(drafts, result.results, strict=True):
                if outcome.work is not None and draft.counts is not None:
                    wanted[outcome.work.pk] = draft.counts.comments
                    marked[outcome.work.pk] = draft.counts.bookmarks
                    published[outcome.work.pk] = draft.published_on or dist.START
                    creators[outcome.work.pk] = {c for c in draft.creators if isinstance(c, int)}
            written["comment"] += comments.write(wanted, creators)
            written["bookmark"] += bookmarks.write(marked, creators, published)
        left -= len(drafts)
        if progress is not None:
            progress(len(drafts))
    for model in (Tag, User, Pseud, Work, Comment, Bookmark):
        reset_sequence(model)
    # One row asks the indexer to rebuild the search index, instead of one row per work.
    index_rebuild_request(f"demo corpus of {config.works} works")
    return written


def _analyze() -> None:
    """Refresh the planner's statistics, which are badly off after millions of new rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
        cursor.execute("ANALYZE")
