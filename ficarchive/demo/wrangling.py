"""Wrangling for the demo corpus: parents, meta tags and tags still waiting for wranglers, made
from the tag pool and written before any work, so that the work writer gives each work its
filter tags and flags as it writes it (no recompute pass over a million works).

Meta tags follow the largest archive's habits: some fandoms sit under an "All Media Types"
fandom (sometimes with a related fandom beside them), alternate-universe tags under
"Alternate Universe", festivals and traditions under "Holidays". Fandoms are the parents of
their characters and relationships, characters of their relationships, "No Fandom" of the
canonical additional tags; a share of the synonyms is left unwrangled, for the bins.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import cast

from ficarchive.core.bulk import bulk_insert
from ficarchive.demo.names import Namer
from ficarchive.demo.tagpool import TagPool
from ficarchive.tags.autocomplete import tag_words_write
from ficarchive.tags.models import MetaTagging, ParentTagging, Tag, TagType, tag_key

FANDOM_META_SHARE = 0.15  # of fandoms, under an "All Media Types" meta tag
RELATED_FANDOM_SHARE = 0.3  # of those meta tags, with a second, related fandom
UNWRANGLED_SYNONYM_SHARE = 0.1  # of character and relationship variants, left for the bins
NO_FANDOM = "No Fandom"
# Meta tags of additional tags, by the start or end of the sub tag's name.
_FREEFORM_META_PREFIXES = {"Alternate Universe - ": "Alternate Universe"}
_FREEFORM_META_SUFFIXES = {" Festival": "Holidays", " Traditions": "Holidays"}
_FREEFORM_META_NAMES = {
    "Alternate Universe - Coffee Shops": "Alternate Universe - Modern Setting",
    "Mutual Pining": "Pining",
    "Friends to Lovers": "Getting Together",
}
# Fandoms by medium, roughly as in the largest archive's "Fandoms" menu.
MEDIA_SHARES = {
    "TV Shows": 0.28,
    "Anime & Manga": 0.2,
    "Books & Literature": 0.16,
    "Movies": 0.1,
    "Video Games": 0.1,
    "Cartoons & Comics & Graphic Novels": 0.07,
    "Celebrities & Real People": 0.04,
    "Music & Bands": 0.02,
    "Theater": 0.015,
    "Other Media": 0.015,
}
UNCATEGORIZED_SHARE = 0.03
PARENT_FIELDS = ("parent", "child")
META_FIELDS = ("meta_tag", "sub_tag", "direct")
FILTER_FIELDS = ("work", "filter", "inherited")

# A tag row's columns as this module reads them: id, name, type, canonical, merger.
Facts = tuple[int, str, str, bool, int | None]


def _facts(row: tuple[object, ...]) -> Facts:
    """The columns of a TagPool row (see tagpool.TAG_FIELDS) that wrangling needs, typed."""
    return cast(Facts, (row[0], row[1], row[3], row[4], row[5]))


class DemoWrangling:
    """Wrangles a TagPool's rows in place: synonyms, meta tags and parents."""

    def __init__(
        self,
        pool: TagPool,
        namer: Namer,
        seed: int,
        no_fandom: int | None,
        media: dict[str, int] | None = None,
    ):
        self.rng = random.Random(f"wrangling-{seed}")
        self.media_rng = random.Random(f"media-{seed}")
        self.media = media or {}
        self.pool = pool
        self.namer = namer
        self.parents: list[tuple[int, int]] = []
        self.direct: list[tuple[int, int]] = []
        self.meta_tags: dict[int, set[int]] = {}
        self._unwrangle_some_synonyms()
        self._fandom_meta_tags()
        self._freeform_meta_tags()
        if no_fandom is None:
            no_fandom = self._new_tag(NO_FANDOM, TagType.FANDOM)
        self._parents(no_fandom)
        self._closure()

    def _new_tag(self, name: str, type_: str) -> int | None:
        if not self.namer.claim(name):
            return None
        tag_id = next(self.pool.ids)
        at = self.pool.created_at
        self.pool.rows.append(
            (tag_id, name, tag_key(name), type_, True, None, False, False, at, at)
        )
        return tag_id

    def _unwrangle_some_synonyms(self) -> None:
        """Turn some character and relationship variants into tags nobody has wrangled yet."""
        rows = self.pool.rows
        kinds = (TagType.CHARACTER, TagType.RELATIONSHIP)
        for index, row in enumerate(rows):
            if (
                row[5] is not None
                and row[3] in kinds
                and self.rng.random() < UNWRANGLED_SYNONYM_SHARE
            ):
                rows[index] = (*row[:5], None, *row[6:])

    def _fandom_meta_tags(self) -> None:
        fandoms = self.pool.fandoms
        for fandom in fandoms:
            if self.rng.random() >= FANDOM_META_SHARE:
                continue
            meta = self._new_tag(f"{fandom.name} - All Media Types", TagType.FANDOM)
            if meta is None:
                continue
            self.direct.append((meta, fandom.id))
            if self.rng.random() < RELATED_FANDOM_SHARE and len(fandoms) > 1:
                other = self.rng.choice(fandoms)
                if other.id != fandom.id:
                    self.direct.append((meta, other.id))

    def _freeform_meta_tags(self) -> None:
        canonical = {
            name: tag_id
            for tag_id, name, type_, is_canonical, _merger in map(_facts, self.pool.rows)
            if type_ == TagType.FREEFORM and is_canonical
        }
        for name, tag_id in canonical.items():
            metas = [meta for sub, meta in _FREEFORM_META_NAMES.items() if name == sub]
            metas += [m for prefix, m in _FREEFORM_META_PREFIXES.items() if name.startswith(prefix)]
            metas += [m for suffix, m in _FREEFORM_META_SUFFIXES.items() if name.endswith(suffix)]
            for meta_name in dict.fromkeys(metas):
                meta = canonical.get(meta_name)
                if meta is not None and meta != tag_id:
                    self.direct.append((meta, tag_id))
        # "Alternate Universe - Coffee Shops" sits under Modern Setting, which is itself an
        # alternate universe: keep only the closest meta tag as a direct link.
        modern = canonical.get("Alternate Universe - Modern Setting")
        coffee = canonical.get("Alternate Universe - Coffee Shops")
        universe = canonical.get("Alternate Universe")
        if modern and coffee and universe:
            self.direct = [link for link in self.direct if link != (universe, coffee)]

    def _parents(self, no_fandom: int | None) -> None:
        parents = self.parents
        fandom_of: dict[int, int] = {}
        for fandom in self.pool.fandoms:
            for character in fandom.characters:
                parents.append((fandom.id, character))
                fandom_of[character] = fandom.id
            for relationship in fandom.pairings + fandom.friendships:
                parents.append((fandom.id, relationship))
                fandom_of[relationship] = fandom.id
                parents += [(member, relationship) for member in fandom.members[relationship]]
        self._media()
        for tag_id, _name, type_, canonical, merger in map(_facts, self.pool.rows):
            if type_ == TagType.FREEFORM and no_fandom is not None and (canonical or merger):
                parents.append((no_fandom, tag_id))
            elif merger is not None and merger in fandom_of:
                # A synonym takes its canonical's fandom, as in the largest archive.
                parents.append((fandom_of[merger], tag_id))

    def _media(self) -> None:
        """Each fandom under a medium, in about the largest archive's shares; a few are left
        without one, for the "Uncategorized Fandoms" of the fandoms page."""
        shares = {name: share for name, share in MEDIA_SHARES.items() if name in self.media}
        if not shares:
            return
        names, weights = list(shares), list(shares.values())
        for fandom in self.pool.fandoms:
            if self.media_rng.random() < UNCATEGORIZED_SHARE:
                continue
            name = self.media_rng.choices(names, weights)[0]
            self.parents.append((self.media[name], fandom.id))

    def _closure(self) -> None:
        """Every tag's meta tags, direct and indirect."""
        up: dict[int, set[int]] = {}
        for meta, sub in self.direct:
            up.setdefault(sub, set()).add(meta)
        for sub in up:
            seen: set[int] = set()
            stack = list(up[sub])
            while stack:
                meta = stack.pop()
                if meta not in seen:
                    seen.add(meta)
                    stack.extend(up.get(meta, ()))
            self.meta_tags[sub] = seen

    def write(self) -> Counter[str]:
        """Write the links and the autocomplete words, after the tag rows."""
        written: Counter[str] = Counter()
        written["parenttagging"] = bulk_insert(ParentTagging, PARENT_FIELDS, self.parents)
        written["metatagging"] = bulk_insert(MetaTagging, META_FIELDS, self._meta_rows())
        written["tagword"] = tag_words_write(
            (tag_id, name, type_, canonical)
            for tag_id, name, type_, canonical, _merger in map(_facts, self.pool.rows)
        )
        self.parents = []
        return written

    def _meta_rows(self) -> Iterator[tuple[int, int, bool]]:
        direct = set(self.direct)
        for sub, metas in self.meta_tags.items():
            for meta in metas:
                yield meta, sub, (meta, sub) in direct


def existing_media() -> dict[str, int]:
    """The archive's media (made by a migration), by name."""
    return dict(Tag.objects.filter(type=TagType.MEDIA).values_list("name", "pk"))


def existing_no_fandom() -> int | None:
    """The id of a canonical "No Fandom" fandom already in the database, if any."""
    tag = Tag.objects.named(NO_FANDOM).filter(type=TagType.FANDOM, canonical=True).first()
    return tag.pk if tag is not None else None
