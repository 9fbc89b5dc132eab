"""Word counts by the largest archive's rule (its lib/word_counter.rb)."""

from __future__ import annotations

import html as html_module
import re

import regex

_TAG = re.compile(r"<[^>]*>")
_JOINERS = re.compile(r"['\u2019\u2018-]")
# Each Chinese, Japanese kana or Thai character is a word; other word characters form words in
# runs.
_WORD = regex.compile(
    r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]"
    r"|(?:(?![\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}])\w)+"
)


def count_words(text: str) -> int:
    """Words in plain text: apostrophes and hyphens inside words do not split them."""
    text = _JOINERS.sub("", text.replace("--", " \u2014 "))
    return sum(1 for _ in _WORD.finditer(text))


def count_html_words(html: str) -> int:
    """Words in sanitised HTML; tags separate words, as the text nodes of a page would."""
    return count_words(html_module.unescape(_TAG.sub(" ", html)))
