"""The distributions of the demo corpus, fitted to the figures in corpus-stats.md: ratings,
warnings, categories, languages, lengths, chapters, dates and reader counters."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass

from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES

# Share of works per rating, by the names in ficarchive.tags.fixed.RATINGS.
RATING_SHARES = {
    "General Audiences": 0.278,
    "Teen And Up Audiences": 0.299,
    "Mature": 0.151,
    "Explicit": 0.163,
    "Not Rated": 0.109,
}
# Share of works that carry each warning; a work may carry several.
WARNING_SHARES = {
    "No Archive Warnings Apply": 0.56,
    "Creator Chose Not To Use Archive Warnings": 0.35,
    "Graphic Depictions Of Violence": 0.072,
    "Major Character Death": 0.052,
    "Rape/Non-Con": 0.026,
    "Underage Sex": 0.025,
}
_SPECIFIC_WARNINGS = ARCHIVE_WARNINGS[2:]
# Share of works that carry each category; a work may carry several, or none.
CATEGORY_SHARES = {
    "M/M": 0.515,
    "F/M": 0.253,
    "Gen": 0.196,
    "F/F": 0.09,
    "Multi": 0.051,
    "Other": 0.032,
}
_NO_CATEGORY = 0.03
# A work's first category; the others are added independently, at the rate that brings each
# category to its share above.
_FIRST_CATEGORY = {"M/M": 0.45, "F/M": 0.21, "Gen": 0.18, "F/F": 0.06, "Multi": 0.04, "Other": 0.03}

# Language codes (BCP 47) of the long tail after English, Chinese and Russian, most used first.
LANGUAGE_SHARES = {"en": 0.906, "zh": 0.046, "ru": 0.019}
TAIL_LANGUAGES = (
    "es fr de pt-BR it pl ja ko id vi tr uk nl cs fi sv hu ro th ca da nb he ar el fil ms bg lt "
    "lv et sk sl hr sr eo la ga cy gd eu gl is fa hi bn ta te ur mr ml kn gu pa sw af sq mk be kk "
    "ka hy az uz mn km lo my ne si jv su haw mi yi fy lb fo ku ps tt yue pt-PT nn"
).split()

ZERO_WORD_SHARE = 0.0065
# Lengths are log-normal around 3,200 words, with a rare Pareto tail of very long works.
_WORDS_MEDIAN, _WORDS_SIGMA = 3200, 1.25
_LONG_SHARE, _LONG_FROM, _LONG_ALPHA, WORDS_MAX = 0.002, 20_000, 1.15, 5_000_000
COMPLETE_SHARE = 0.841

START = dt.date(2012, 1, 1)
# A fixed end, not today, so that a seed gives the same corpus on any day.
END = dt.date(2025, 12, 31)
RESTRICTED_FROM = dt.date(2023, 1, 1)
_MAX_INT = 2**31 - 1


class Zipf:
    """Draws ranks 0..n-1 with weight (rank + 1 + offset) ** -slope: a power law."""

    _cache: dict[tuple[int, float, float], list[float]] = {}

    def __init__(self, n: int, slope: float, offset: float = 0.0):
        key = (n, slope, offset)
        if key not in self._cache:
            weights = ((rank + 1 + offset) ** -slope for rank in range(n))
            self._cache[key] = list(itertools.accumulate(weights))
        self.cumulative = self._cache[key]
        self.total = self.cumulative[-1]
        self.n = n

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect(self.cumulative, rng.random() * self.total)

    def share(self, rank: int) -> float:
        """The expected share of draws that land on `rank`."""
        below = self.cumulative[rank - 1] if rank else 0.0
        return (self.cumulative[rank] - below) / self.total


class Weighted:
    """Draws keys by fixed weights."""

    def __init__(self, weights: dict[str, float]):
        self.keys = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))

    def draw(self, rng: random.Random) -> str:
        return self.keys[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]


def language_weights() -> dict[str, float]:
    """Share of works per language code: the three largest, then a power-law tail."""
    rest = 1 - sum(LANGUAGE_SHARES.values())
    tail = Zipf(len(TAIL_LANGUAGES), 1.3)
    weights = dict(LANGUAGE_SHARES)
    for rank, code in enumerate(TAIL_LANGUAGES):
        weights[code] = rest * tail.share(rank)
    return weights


RATINGS = Weighted(RATING_SHARES)
LANGUAGES = Weighted(language_weights())
_FIRST = Weighted({"": _NO_CATEGORY, **_FIRST_CATEGORY})
_EXTRA_CATEGORY = {
    name: max(0.0, (CATEGORY_SHARES[name] - share) / (1 - _NO_CATEGORY - share))
    for name, share in _FIRST_CATEGORY.items()
}
# Specific warnings are independent; works without one choose between the two general warnings
# so that each lands on its share, and some works with one also chose not to warn.
_NO_SPECIFIC = math.prod(1 - WARNING_SHARES[name] for name in _SPECIFIC_WARNINGS)
_NONE_APPLY = WARNING_SHARES["No Archive Warnings Apply"] / _NO_SPECIFIC
_CHOSE_NOT_WITH_SPECIFIC = (
    WARNING_SHARES["Creator Chose Not To Use Archive Warnings"] - _NO_SPECIFIC * (1 - _NONE_APPLY)
) / (1 - _NO_SPECIFIC)


def warnings(rng: random.Random) -> list[str]:
    """Archive warnings of one work, in the fixed order."""
    specific = {name for name in _SPECIFIC_WARNINGS if rng.random() < WARNING_SHARES[name]}
    if not specific:
        general = ARCHIVE_WARNINGS[1] if rng.random() < _NONE_APPLY else ARCHIVE_WARNINGS[0]
        return [general]
    if rng.random() < _CHOSE_NOT_WITH_SPECIFIC:
        specific.add(ARCHIVE_WARNINGS[0])
    return [name for name in ARCHIVE_WARNINGS if name in specific]


def categories(rng: random.Random) -> list[str]:
    """Categories of one work (possibly none), in the fixed order."""
    first = _FIRST.draw(rng)
    if not first:
        return []
    chosen = {first} | {
        name for name, rate in _EXTRA_CATEGORY.items() if name != first and rng.random() < rate
    }
    return [name for name in CATEGORIES if name in chosen]


def word_count(rng: random.Random) -> int:
    """Words in one work: a few empty (art, podfic), most short, a rare very long one."""
    if rng.random() < ZERO_WORD_SHARE:
        return 0
    if rng.random() < _LONG_SHARE:
        return min(WORDS_MAX, int(_LONG_FROM * rng.paretovariate(_LONG_ALPHA)))
    return max(1, int(rng.lognormvariate(math.log(_WORDS_MEDIAN), _WORDS_SIGMA)))


def chapter_count(rng: random.Random, words: int) -> int:
    """Chapters of a work; longer works are more often split, at about 2,500 words a chapter."""
    if words < 200:
        return 1
    multi = 0.08 if words < 2000 else 0.25 if words < 7000 else 0.6 if words < 25_000 else 0.93
    if rng.random() >= multi:
        return 1
    per_chapter = rng.lognormvariate(math.log(2500), 0.6)
    return max(2, min(500, round(words / per_chapter), words // 100))


def expected_chapters(rng: random.Random, chapters: int) -> int | None:
    """The planned total: the chapter count when complete, else unknown or a larger number."""
    # Single-chapter works are nearly always complete; multi-chapter ones make up the rest of
    # the complete share.
    if rng.random() < (0.96 if chapters == 1 else 0.57):
        return chapters
    if rng.random() < 0.5:
        return None
    return chapters + rng.randint(1, max(2, chapters))


def split_words(rng: random.Random, words: int, chapters: int) -> list[int]:
    """Words per chapter, adding up to `words`, each chapter at least one word when possible."""
    if chapters == 1:
        return [words]
    weights = [rng.uniform(0.5, 1.5) for _ in range(chapters)]
    total = sum(weights)
    spare = words - chapters if words >= chapters else words
    parts = [int(spare * weight / total) for weight in weights]
    for index in range(spare - sum(parts)):
        parts[index % chapters] += 1
    if words >= chapters:
        parts = [part + 1 for part in parts]
    return parts


@dataclass(frozen=True, slots=True)
class Dates:
    published_on: dt.date
    created_at: dt.datetime
    revised_at: dt.datetime
    chapters: list[dt.date]


def _at(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


_SPAN_DAYS = (END - START).days


def dates(rng: random.Random, chapters: int) -> Dates:
    """Publication, chapter and revision dates; the archive grows, so recent years have more."""
    published = START + dt.timedelta(days=int(_SPAN_DAYS * math.sqrt(rng.random())))
    days = [published]
    last = published
    if chapters > 1:
        offsets = [0]
        for _ in range(chapters - 1):
            offsets.append(offsets[-1] + int(rng.lognormvariate(math.log(9), 1.0)))
        room = (END - published).days
        scale = min(1.0, room / offsets[-1]) if offsets[-1] else 1.0
        days = [published + dt.timedelta(days=int(offset * scale)) for offset in offsets]
        last = days[-1]
    elif rng.random() < 0.1:  # an edit after posting
        last = min(END, published + dt.timedelta(days=int(rng.expovariate(1 / 60))))
    created = _at(published, rng.randrange(86_400))
    revised = _at(last, rng.randrange(86_400)) if last > published else created
    return Dates(published, created, revised, days)


def restricted(rng: random.Random, published: dt.date) -> bool:
    """Logged-in-only: a minority, growing since 2023."""
    return rng.random() < (0.18 if published >= RESTRICTED_FROM else 0.06)


@dataclass(frozen=True, slots=True)
class Counters:
    hits: int
    kudos: int
    comments: int
    bookmarks: int


def counters(rng: random.Random, published: dt.date, words: int, chapters: int) -> Counters:
    """Heavy-tailed reader counts that grow with a work's age and length."""
    years = (END - published).days / 365.25
    reach = (1 + years) ** 0.6 * (1 + words / 5000) ** 0.35 * chapters**0.25
    hits = min(_MAX_INT, int(rng.lognormvariate(math.log(350), 1.3) * reach))
    kudos = min(hits, int(hits * min(0.5, rng.lognormvariate(math.log(0.06), 0.5))))
    comments = int(kudos * rng.lognormvariate(math.log(0.08), 0.8) * math.sqrt(chapters))
    bookmarks = int(kudos * min(1.0, rng.lognormvariate(math.log(0.15), 0.6)))
    return Counters(hits, kudos, min(_MAX_INT, comments), bookmarks)
