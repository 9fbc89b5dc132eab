"""Rules for tag names, shared by every way a tag can enter the archive."""

from __future__ import annotations

import re
import unicodedata

from ficarchive.tags.models import PHRASE_MAX, TAG_NAME_MAX

# As in the largest archive: commas separate tags, and these characters break its URLs and
# search syntax.
FORBIDDEN_CHARACTERS = ",^*<>{}=`，、\\%"
_FORBIDDEN = re.compile("[" + re.escape(FORBIDDEN_CHARACTERS) + "]")
_NOT_WORD = re.compile(r"[\W_]+")


def clean_tag_name(name: str) -> str:
    """Collapse surrounding and repeated whitespace."""
    return " ".join(name.split())


def tag_name_error(name: str) -> str | None:
    """Why a cleaned tag name is not allowed, or None when it is fine."""
    if not name:
        return "a tag name cannot be empty"
    if len(name) > TAG_NAME_MAX:
        return f"the tag {name[:40]!r}… is {len(name)} characters long; at most {TAG_NAME_MAX}"
    found = _FORBIDDEN.search(name)
    if found:
        return f"the tag {name!r} contains {found.group()!r}, which tags cannot contain"
    return None


def fold(text: str) -> str:
    """Text as autocomplete compares it: compatibility forms, no accents, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", bare).casefold()


def name_words(name: str) -> list[str]:
    """The distinct words of a tag name, folded, in order: what autocomplete matches."""
    words = (word[:PHRASE_MAX] for word in _NOT_WORD.split(fold(name)) if word)
    return list(dict.fromkeys(words))


def name_phrases(name: str) -> list[str]:
    """The folded name from each of its words to the end: what autocomplete matches a query's
    start against ("harry potter", "potter")."""
    words = name_words(name)
    phrases = (" ".join(words[start:])[:PHRASE_MAX] for start in range(len(words)))
    return list(dict.fromkeys(phrases))
