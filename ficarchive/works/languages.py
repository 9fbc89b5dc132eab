"""Turning what a record or form says about language into a BCP 47 code and a name."""

from __future__ import annotations

import re

import langcodes


def language_code_and_name(value: str) -> tuple[str, str] | None:
    """The standard code and display name for a language name or code, or None if unknown.

    A value given as a name keeps that name (`Русский` stays `Русский`); a value given as a
    code gets its English name.
    """
    value = value.strip()
    if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*", value) and langcodes.tag_is_valid(
        value
    ):
        language = langcodes.Language.get(value)
        if language.is_valid() and language.language and language.has_name_data():
            return language.to_tag(), language.display_name()
    try:
        return langcodes.find(value).to_tag(), value
    except LookupError:
        return None


def private_use_code(name: str, taken: set[str]) -> str:
    """A private-use code (`x-...`) for a language no registry knows, unique among `taken`."""
    stem = re.sub(r"[^a-z0-9]", "", name.lower())[:8] or "lang"
    code = f"x-{stem}"
    number = 1
    while code in taken:
        number += 1
        code = f"x-{stem[: 8 - len(str(number))]}{number}"
    return code
