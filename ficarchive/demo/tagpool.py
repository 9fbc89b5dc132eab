"""The user-defined tags of the demo corpus, made up front: power-law fandoms with their own
characters and relationships, power-law additional tags, and synonyms of canonical tags.

Each fandom keeps its characters and relationships (`Fandom`), so that fandom parents and meta
tags, once they have models, can be written from this pool next to the tags themselves.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from ficarchive.demo.distributions import Zipf
from ficarchive.demo.names import Namer
from ficarchive.tags.models import TAG_NAME_MAX, TagType, tag_key

TAG_FIELDS = (
    "id",
    "name",
    "key",
    "type",
    "canonical",
    "merger",
    "unwrangleable",
    "adult",
    "created_at",
    "updated_at",
)
# Fandom sizes follow a power law of slope -1.2 (corpus-stats.md); the offset flattens the head
# so that the largest fandom holds about 5 % of works and the top 100 about half.
FANDOM_SLOPE, FANDOM_OFFSET = 1.2, 3.0
_FANDOM_NORM = 3.5  # the power law's total weight over a large number of fandoms
FANDOMS_PER_WORK = 1.12  # crossovers add a second or third fandom to some works
FREEFORM_SLOPE, FREEFORM_OFFSET, FREEFORMS_PER_WORK = 1.05, 20.0, 0.5
SYNONYM_SHARE = 0.2  # of user-defined tag rows
SYNONYM_USE = 0.15  # how often a work names a canonical tag by one of its synonyms
USER_DEFINED_MAX = 75


@dataclass(slots=True)
class Fandom:
    """A fandom tag with its characters and relationships, most used first."""

    id: int
    name: str
    characters: list[int] = field(default_factory=list)
    # Romantic pairings ("A/B") and friendships ("A & B"), with the characters in each.
    pairings: list[int] = field(default_factory=list)
    friendships: list[int] = field(default_factory=list)
    members: dict[int, tuple[int, ...]] = field(default_factory=dict)
    laws: dict[str, Zipf] = field(default_factory=dict)

    def draw(self, rng: random.Random, kind: str) -> int | None:
        """A character, pairing or friendship of this fandom, popular ones more often."""
        tags = getattr(self, kind)
        if not tags:
            return None
        if kind not in self.laws:
            self.laws[kind] = Zipf(len(tags), 1.0, 1.0)
        result: int = tags[self.laws[kind].draw(rng)]
        return result


def fandom_count(works: int) -> int:
    """Fandoms for a corpus of this size, so that the median fandom has about two works."""
    uses = works * FANDOMS_PER_WORK
    return max(8, int(2 * (uses / (2 * _FANDOM_NORM)) ** (1 / FANDOM_SLOPE) - FANDOM_OFFSET))


class PickedTags(NamedTuple):
    fandoms: list[int]
    relationships: list[int]
    characters: list[int]
    freeforms: list[int]


class TagPool:
    """Makes the tag rows up front and then draws the user-defined tags of each work."""

    def __init__(
        self,
        rng: random.Random,
        namer: Namer,
        ids: Iterator[int],
        works: int,
        created_at: dt.datetime,
    ):
        self.rng = rng
        self.namer = namer
        self.ids = ids
        self.created_at = created_at
        self.rows: list[tuple[object, ...]] = []
        self.synonyms: dict[int, list[int]] = {}
        self._names: dict[int, tuple[str, str]] = {}  # canonical id -> (name, type)

        count = fandom_count(works)
        self.fandom_law = Zipf(count, FANDOM_SLOPE, FANDOM_OFFSET)
        uses = works * FANDOMS_PER_WORK
        self.fandoms = [self._fandom(uses * self.fandom_law.share(rank)) for rank in range(count)]
        freeforms = max(60, int(works * FREEFORMS_PER_WORK))
        self.freeform_law = Zipf(freeforms, FREEFORM_SLOPE, FREEFORM_OFFSET)
        # The most used additional tags are all wrangled; in the long tail, most are not.
        wrangled = max(30, freeforms // 10)
        self.freeforms = [self._freeform(rank, wrangled) for rank in range(freeforms)]
        self._add_synonyms()

    def _tag(
        self,
        name: str,
        type_: str,
        *,
        canonical: bool = True,
        merger: int | None = None,
        unwrangleable: bool = False,
    ) -> int:
        tag_id = next(self.ids)
        at = self.created_at
        row = (tag_id, name, tag_key(name), type_, canonical, merger, unwrangleable, False, at, at)
        self.rows.append(row)
        if canonical:
            self._names[tag_id] = (name, type_)
        return tag_id

    def _fandom(self, expected_works: float) -> Fandom:
        rng, namer = self.rng, self.namer
        name = namer.fandom()
        fandom = Fandom(self._tag(name, TagType.FANDOM), name)
        size = min(300, 3 + round(1.5 * expected_works**0.45))
        names = [namer.character(name) for _ in range(size)]
        fandom.characters = [self._tag(n, TagType.CHARACTER) for n in names]
        popular = Zipf(size, 1.0, 1.0)
        seen: set[tuple[str, frozenset[int]]] = set()
        for kind, wanted in (("/", round(size * 0.8)), (" & ", round(size * 0.4))):
            for _ in range(3 * max(1, wanted)):
                if len(fandom.pairings if kind == "/" else fandom.friendships) >= max(1, wanted):
                    break
                people = {popular.draw(rng) for _ in range(3 if rng.random() < 0.06 else 2)}
                pair = frozenset(people)
                if len(people) < 2 or (kind, pair) in seen:
                    continue
                seen.add((kind, pair))
                ordered = sorted(people)
                relationship = kind.join(names[index] for index in ordered)
                if len(relationship) > TAG_NAME_MAX or not namer.claim(relationship):
                    continue
                tag_id = self._tag(relationship, TagType.RELATIONSHIP)
                fandom.members[tag_id] = tuple(fandom.characters[index] for index in ordered)
                (fandom.pairings if kind == "/" else fandom.friendships).append(tag_id)
        return fandom

    def _freeform(self, rank: int, wrangled: int) -> int:
        name = self.namer.freeform(rank)
        if rank < wrangled or self.rng.random() < 0.4:
            return self._tag(name, TagType.FREEFORM)
        return self._tag(
            name, TagType.FREEFORM, canonical=False, unwrangleable=self.rng.random() < 0.1
        )

    def _add_synonyms(self) -> None:
        canonical = list(self._names.items())
        # Synonyms are a fifth of all rows: a quarter as many as the other rows together.
        rate = SYNONYM_SHARE / (1 - SYNONYM_SHARE) * len(self.rows) / len(canonical)
        for tag_id, (name, type_) in canonical:
            if self.rng.random() < rate:
                synonym = self.namer.synonym(name, type_)
                if synonym is not None:
                    merged = self._tag(synonym, type_, canonical=False, merger=tag_id)
                    self.synonyms.setdefault(tag_id, []).append(merged)
        self._names.clear()

    def _named(self, tag_id: int) -> int:
        """The tag itself, or now and then one of its synonyms, as creators type them."""
        synonyms = self.synonyms.get(tag_id)
        if synonyms and self.rng.random() < SYNONYM_USE:
            return self.rng.choice(synonyms)
        return tag_id

    def pick(self, words: int, gen_only: bool) -> PickedTags:
        """User-defined tag ids of one work by type, each in header order."""
        rng = self.rng
        target = 12.5 if words < 25_000 else 24 if words < 50_000 else 30
        total = max(1, min(USER_DEFINED_MAX, round(target * rng.lognormvariate(0, 0.45))))
        crossover = rng.random()
        fandoms = _distinct(
            rng, self.fandom_law, 1 if crossover < 0.9 else 2 if crossover < 0.98 else 3
        )
        chosen = [self.fandoms[rank] for rank in fandoms]
        rest = max(0, total - len(chosen))
        relationships: list[int] = []
        characters: list[int] = []
        wanted_relationships = round(rest * rng.uniform(0.05, 0.25))
        for _ in range(2 * wanted_relationships):
            if len(relationships) >= wanted_relationships:
                break
            fandom = chosen[0] if rng.random() < 0.8 else rng.choice(chosen)
            kind = "friendships" if gen_only or rng.random() < 0.2 else "pairings"
            tag_id = fandom.draw(rng, kind)
            if tag_id is not None and tag_id not in relationships:
                relationships.append(tag_id)
                characters += [c for c in fandom.members[tag_id] if c not in characters]
        wanted_characters = round(rest * rng.uniform(0.2, 0.45))
        for _ in range(2 * wanted_characters):
            if len(characters) >= wanted_characters:
                break
            fandom = chosen[0] if rng.random() < 0.8 else rng.choice(chosen)
            tag_id = fandom.draw(rng, "characters")
            if tag_id is not None and tag_id not in characters:
                characters.append(tag_id)
        used = len(chosen) + len(relationships) + len(characters)
        if used > USER_DEFINED_MAX:
            characters = characters[: USER_DEFINED_MAX - len(chosen) - len(relationships)]
        ranks = _distinct(rng, self.freeform_law, max(0, total - used))
        freeforms = [self.freeforms[rank] for rank in ranks]
        named = self._named
        return PickedTags(
            [named(fandom.id) for fandom in chosen],
            [named(tag_id) for tag_id in relationships],
            [named(tag_id) for tag_id in characters],
            [named(tag_id) for tag_id in freeforms],
        )


def _distinct(rng: random.Random, law: Zipf, count: int) -> list[int]:
    """Up to `count` different ranks, in the order drawn."""
    ranks: list[int] = []
    for _ in range(2 * count + 2):
        if len(ranks) >= count:
            break
        rank = law.draw(rng)
        if rank not in ranks:
            ranks.append(rank)
    return ranks
