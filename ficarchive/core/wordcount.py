"""Word counts by the largest archive's rule (its lib/word_counter.rb)."""

from __future__ import annotations

import html as html_module
import re

import regex

_TAG = re.compile(r"<[^>]*>")
_JOINERS = re.compile(r"['\u2019\u2018-]")
_SCRIPTS = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}"
# Each Chinese, Japanese kana or Thai character is a word; other word characters (letters,
# marks, decimal digits, connectors: Ruby's [[:word:]]) form words in runs.
_WORD = regex.compile(rf"(?V1)[{_SCRIPTS}]|[\w--[{_SCRIPTS}]]+")
# Most text is Latin script and punctuation. There, a word is a run of characters that are not
# separators, so turning separators into spaces and splitting is exact and several times faster
# than a regular expression. Characters outside this set (marks from U+0300 on, other scripts,
# superscript digits and fractions, connector punctuation) take the exact path.
_SIMPLE_RANGES = (
    (0x00, 0xB1),
    (0xB4, 0xB8),
    (0xBA, 0xBB),
    (0xBF, 0x2FF),
    (0x2000, 0x203E),
    (0x2041, 0x2053),
    (0x2055, 0x206F),
)
_OUTSIDE_SIMPLE = re.compile(
    "[^" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _SIMPLE_RANGES) + "]"
)
_SEPARATORS = {
    code: " "
    for low, high in _SIMPLE_RANGES
    for code in range(low, high + 1)
    if not _WORD.fullmatch(chr(code))
}


def count_words(text: str) -> int:
    """Words in plain text: apostrophes and hyphens inside words do not split them."""
    text = _JOINERS.sub("", text.replace("--", " \u2014 "))
    if _OUTSIDE_SIMPLE.search(text):
        return _WORD.subn("", text)[1]
    return len(text.translate(_SEPARATORS).split())


def count_html_words(html: str) -> int:
    """Words in sanitised HTML; tags separate words, as the text nodes of a page would."""
    return count_words(html_module.unescape(_TAG.sub(" ", html)))
