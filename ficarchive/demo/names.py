"""Invented names for the demo corpus: people, fandoms, tags, logins and titles, built from
syllables and plain English words so that no real franchise or person appears."""

from __future__ import annotations

import random
import re
import string

from ficarchive.accounts.models import LOGIN_MAX, PSEUD_MAX
from ficarchive.tags.models import TAG_NAME_MAX, tag_key

_ONSETS = "b c d f g h j k l m n p r s t v w z br dr fr gr kr pr tr st sh th ch vl".split()
_NUCLEI = "a a e e i o o u ae ai ei ia io ou".split()
_SYLLABLES = [onset + nucleus for onset in _ONSETS for nucleus in _NUCLEI]
# Open syllables dominate; the few codas keep names pronounceable.
_CODAS = ("", "", "", "", "n", "l", "r", "s", "m", "th", "nd", "ren", "vel")
# Syllables are random, so a made-up word could by chance spell something crude; such words
# are thrown away.
_BLOCKED = (
    "anal anus cock cum cunt dick fag fuck hitler jew kkk nazi nig penis porn rape sex shit "
    "slut tit vagin whore"
).split()
_BLOCKED_RE = re.compile("|".join(_BLOCKED))

_NOUNS = (
    "Lantern Harbor Orchard Glass Tide Meadow Compass Atlas Ember Willow Thread Kettle Bridge "
    "Garden River Window Letter Clock Harvest Signal Mirror Ribbon Station Archive Tower Market "
    "Valley Island Forest Winter Summer Lighthouse Map Bell Kite Comet Feather Stone Ferry "
    "Candle Attic Teacup Sparrow Orchid Harp Quill Postcard Umbrella Workshop Library Canal"
).split()
_ADJECTIVES = (
    "Quiet Gentle Late Early Golden Silver Small Distant Hidden Patient Borrowed Second Last "
    "Slow Bright Rainy Sunday Winter Summer Paper Velvet Ordinary Careful Crooked Lucky Open "
    "Shared Unexpected Little Long Old New Far Green Blue Soft Restless Sleepy Honest"
).split()
_FANDOM_FORMS = (
    "{w}",
    "{w} {w2}",
    "The {w} Cycle",
    "The {w} Chronicles",
    "{w} Academy",
    "{w} Station",
    "House of {w}",
    "{w} of {w2}",
    "Tales of {w}",
    "The {noun} of {w}",
    "{w} and the {noun}",
    "{w}: {adj} {noun}",
)
# Bland, widely used kinds of additional tags; the long tail is made from the patterns below.
COMMON_FREEFORMS = (
    "Fluff",
    "Angst",
    "Hurt/Comfort",
    "Friendship",
    "Humor",
    "Found Family",
    "Slow Burn",
    "Happy Ending",
    "Alternate Universe",
    "Alternate Universe - Modern Setting",
    "Alternate Universe - Coffee Shops",
    "Canon Compliant",
    "Post-Canon",
    "Pre-Canon",
    "Missing Scene",
    "Established Relationship",
    "Pining",
    "Road Trips",
    "Cooking",
    "Letters",
    "Domestic",
    "Holidays",
    "Rainy Days",
    "Character Study",
    "Drabble Collection",
    "Friends to Lovers",
    "Mutual Pining",
    "Banter",
    "Team Bonding",
    "Getting Together",
)
_FREEFORM_FORMS = (
    "{adj} {noun}s",
    "{adj} {noun}",
    "Alternate Universe - {noun}s",
    "{noun} Festival",
    "{w} Traditions",
    "{adj} {w}",
    "{w} Week {year}",
    "Minor {noun} Mentions",
    "{noun} Shop",
    "Everyone Loves {w}",
    "{w} Has a {noun}",
    "Inspired by {adj} {noun}s",
)
_TITLE_FORMS = (
    "The {adj} {noun}",
    "{adj} {noun}s",
    "A {noun} for {w}",
    "Notes on the {noun}",
    "{noun} and {noun2}",
    "What the {noun} Knew",
    "Seven {noun}s",
    "Under the {adj} {noun}",
    "{w}",
    "Letters from {w}",
    "The Long Way to the {noun}",
    "{adj} Hours",
)


def _fields(forms: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The placeholders each form uses, so that only those are drawn."""
    return {
        form: tuple(name for _, name, _, _ in string.Formatter().parse(form) if name)
        for form in forms
    }


_FORM_FIELDS = _fields(_FANDOM_FORMS + _FREEFORM_FORMS + _TITLE_FORMS)


_SINGLE_WORD_QUALIFIER = {
    "fandom": "Series",
    "character": "Character",
    "freeform": "Freeform",
}


def _variants(name: str, kind: str) -> list[str]:
    """Ways creators type a tag other than its canonical name; case alone does not count, as
    tag names are unique regardless of case."""
    if kind == "relationship":
        joiner = " & " if " & " in name else "/"
        return [joiner.join(reversed(name.split(joiner)))]
    # A character's fandom qualifier stays out of its variants.
    words = name.split(" (")[0].split() if kind == "character" else name.split()
    if len(words) == 1:
        return [f"{name} ({_SINGLE_WORD_QUALIFIER[kind]})"]
    variants = ["-".join(words).lower(), "".join(words)]
    if kind == "character" and len(words) == 2:
        variants += [words[0], f"{words[0][0]}. {words[1]}", f"{words[1]} {words[0]}"]
    elif kind == "fandom":
        capitals = "".join(word[0] for word in words if word[0].isupper())
        if len(capitals) >= 2:
            variants.append(capitals)
        if words[0] == "The":
            variants.append(" ".join(words[1:]))
        variants.append(f"{name} (Series)")
    return variants


def _clip(name: str, limit: int) -> str:
    return name[:limit].rstrip()


class Namer:
    """Makes unique invented names; `taken` holds the tag keys already in use anywhere."""

    def __init__(self, rng: random.Random, taken_tag_keys: set[str], taken_logins: set[str]):
        self.rng = rng
        self.taken = taken_tag_keys
        self.logins = taken_logins

    def word(self) -> str:
        """One capitalised made-up word of two or three syllables."""
        # random() and indexing rather than choice(): a million-work corpus makes millions of
        # names.
        random = self.rng.random
        while True:
            count = 3 if random() < 0.25 else 2
            parts = [_SYLLABLES[int(random() * len(_SYLLABLES))] for _ in range(count)]
            word = "".join(parts) + _CODAS[int(random() * len(_CODAS))]
            if not _BLOCKED_RE.search(word):
                return word.capitalize()

    def claim(self, name: str) -> bool:
        """Reserve a tag name if its key is free; tag names are unique across all types."""
        key = tag_key(name)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True

    def _fill(self, form: str) -> str:
        random = self.rng.random
        values: dict[str, object] = {}
        for name in _FORM_FIELDS[form]:
            if name in ("w", "w2"):
                values[name] = self.word()
            elif name in ("noun", "noun2"):
                values[name] = _NOUNS[int(random() * len(_NOUNS))]
            elif name == "adj":
                values[name] = _ADJECTIVES[int(random() * len(_ADJECTIVES))]
            else:
                values[name] = 2012 + int(random() * 14)
        return form.format(**values)

    def _unique(self, forms: tuple[str, ...]) -> str:
        while True:
            name = _clip(self._fill(self.rng.choice(forms)), TAG_NAME_MAX)
            if self.claim(name):
                return name

    def fandom(self) -> str:
        """A new fandom name such as `The Kalemor Cycle`."""
        return self._unique(_FANDOM_FORMS)

    def character(self, fandom: str) -> str:
        """A character name; a clash with another fandom's character gets the fandom added."""
        rng = self.rng
        while True:
            name = self.word() if rng.random() < 0.15 else f"{self.word()} {self.word()}"
            for candidate in (name, _clip(f"{name} ({fandom})", TAG_NAME_MAX)):
                if self.claim(candidate):
                    return candidate

    def freeform(self, rank: int) -> str:
        """An additional tag; the first ranks are common bland tags, the rest are invented."""
        if rank < len(COMMON_FREEFORMS) and self.claim(COMMON_FREEFORMS[rank]):
            return COMMON_FREEFORMS[rank]
        return self._unique(_FREEFORM_FORMS)

    def synonym(self, name: str, kind: str) -> str | None:
        """A free variant of a canonical tag's name (reordered, abbreviated or respelled)."""
        candidates = _variants(name, kind)
        self.rng.shuffle(candidates)
        for candidate in candidates:
            candidate = _clip(candidate, TAG_NAME_MAX)
            if candidate and self.claim(candidate):
                return candidate
        return None

    def login(self) -> str:
        """A free login (unique regardless of case) that passes the login validator."""
        rng = self.rng
        while True:
            base = self.word().lower()
            shape = rng.random()
            if shape < 0.4:
                login = f"{base}{rng.randint(1, 9999)}"
            elif shape < 0.7:
                login = f"{base}_{self.word().lower()}"
            else:
                login = base
            login = login[:LOGIN_MAX]
            if len(login) >= 3 and login not in self.logins:
                self.logins.add(login)
                return login

    def pseud(self, login: str, used: set[str]) -> str:
        """Another pseud name for a user, unique among that user's pseuds regardless of case."""
        rng = self.rng
        while True:
            shape = rng.random()
            if shape < 0.4:
                name = f"{self.word()} {rng.choice(_NOUNS)}"
            elif shape < 0.7:
                name = f"{login}-{rng.choice(_NOUNS).lower()}"
            else:
                name = self.word()
            name = name[:PSEUD_MAX].strip()
            if name.lower() not in used:
                used.add(name.lower())
                return name

    def title(self) -> str:
        """A work or chapter title."""
        return self._fill(self.rng.choice(_TITLE_FORMS))
