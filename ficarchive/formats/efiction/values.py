"""Cleaning eFiction's values, the same way whichever source gave them: id lists with blanks
and names, zero dates, double-encoded text, and story text typed as HTML or as plain text."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import ftfy


def text(value: Any) -> str:
    """A value as text: NULL is empty, bytes are read as UTF-8."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def integer(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def repaired(value: Any, on_repair: Callable[[str, str], None] | None = None) -> str:
    """The text with its mojibake undone (UTF-8 read as latin1, once or more), by ftfy's
    encoding fixer only: quotes, entities and line breaks stay as they are."""
    original = text(value)
    if original.isascii():
        return original
    fixed = ftfy.fix_encoding(original)
    if fixed != original and on_repair is not None:
        on_repair(original, fixed)
    return fixed


def id_list(value: Any, names: dict[str, int] | None = None) -> tuple[list[int], list[str]]:
    """The ids of a comma-separated list, in order and each once, and the items that are
    neither ids nor known names. Blanks and zeros are dropped; `names` (casefolded name to id)
    turns names into ids."""
    ids: list[int] = []
    unknown: list[str] = []
    for item in text(value).split(","):
        item = item.strip()
        if not item or item in {"0", "-1"}:
            continue
        if item.isdigit():
            number = int(item)
        elif names is not None and item.casefold() in names:
            number = names[item.casefold()]
        else:
            unknown.append(item)
            continue
        if number not in ids:
            ids.append(number)
    return ids, unknown


def when(value: Any, zone: tzinfo = UTC) -> datetime | None:
    """A datetime from a DATETIME, DATE or text value, read in `zone` (eFiction writes the
    server's local time); None for zero or unreadable dates (0000-00-00 00:00:00 is "never")."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=zone)
    raw = text(value).strip()
    if not raw or raw.startswith("0000"):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, pattern).replace(tzinfo=zone)
        except ValueError:
            continue
    return None


def plain_summary(value: str) -> str:
    """A short field (summary, title) with HTML entities of old plain-text forms undone."""
    return html.unescape(value) if "&" in value and "<" not in value else value
