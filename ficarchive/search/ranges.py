"""Ranges as readers type them: `<1000`, `>10`, `1000-5000`, `100`, and for dates also
`2024-01-01`, `<2 weeks` ("less than two weeks ago"), `>1 year ago` and `3 months ago`, as
the largest archive understands them (app/models/search_range.rb)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from ficarchive.search.query import DateRange, NumberRange

NUMBER_MAX = 2**31 - 1
_NUMBER = r"\d[\d,_]*"
_NUMBER_RANGE = re.compile(
    rf"^\s*(?:(?P<op><=|>=|<|>|=)?\s*(?P<one>{_NUMBER})|(?P<low>{_NUMBER})\s*(?:-|\.\.|to)\s*"
    rf"(?P<high>{_NUMBER}))\s*$",
    re.IGNORECASE,
)
_UNITS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}
_RELATIVE = re.compile(
    r"^\s*(?P<op><=|>=|<|>)?\s*(?P<count>\d{1,5})\s*(?P<unit>hour|day|week|month|year)s?"
    r"(?:\s+ago)?\s*$",
    re.IGNORECASE,
)
_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_ABSOLUTE = re.compile(
    rf"^\s*(?:(?P<op><=|>=|<|>)?\s*(?P<one>{_DATE})|(?P<low>{_DATE})\s*(?:\.\.|to|-|–)\s*"
    rf"(?P<high>{_DATE}))\s*$",
    re.IGNORECASE,
)


class RangeError(ValueError):
    """A range that could not be read; the message says how to write one."""


def _number(text: str) -> int:
    value = int(re.sub(r"[,_]", "", text))
    return min(value, NUMBER_MAX)


def parse_number_range(text: str, label: str = "the range") -> NumberRange:
    """`<10`, `>10`, `10-20` and `10` (inclusive) as a NumberRange."""
    found = _NUMBER_RANGE.match(text)
    if found is None:
        raise RangeError(
            f"{label}: {text.strip()[:40]!r} is not a range; write for example 1000, "
            f"<1000, >1000 or 1000-5000"
        )
    if found["one"] is not None:
        value = _number(found["one"])
        op = found["op"] or "="
        return {
            "<": NumberRange(None, value - 1),
            "<=": NumberRange(None, value),
            ">": NumberRange(value + 1, None),
            ">=": NumberRange(value, None),
            "=": NumberRange(value, value),
        }[op]
    low, high = _number(found["low"]), _number(found["high"])
    if low > high:
        low, high = high, low
    return NumberRange(low, high)


def parse_date_range(text: str, label: str = "the date", now: datetime | None = None) -> DateRange:
    """An absolute or relative date range as moments in UTC."""
    now = now or datetime.now(UTC)
    relative = _RELATIVE.match(text)
    if relative is not None:
        days = int(relative["count"]) * _UNITS[relative["unit"].lower()]
        moment = now - timedelta(days=days)
        op = relative["op"]
        if op in ("<", "<="):
            return DateRange(moment, None)  # less than N ago: since then
        if op in (">", ">="):
            return DateRange(None, moment)  # more than N ago: before then
        unit = timedelta(days=_UNITS[relative["unit"].lower()])
        return DateRange(moment - unit, moment)
    absolute = _ABSOLUTE.match(text)
    if absolute is None:
        raise RangeError(
            f"{label}: {text.strip()[:40]!r} is not a date range; write for example "
            f"2024-01-31, <2 weeks, >1 year ago or 2023-01-01 - 2023-12-31"
        )
    try:
        if absolute["one"] is not None:
            day = _day(absolute["one"])
            op = absolute["op"]
            if op == "<":
                return DateRange(None, _start(day) - timedelta(microseconds=1))
            if op == "<=":
                return DateRange(None, _end(day))
            if op == ">":
                return DateRange(_end(day) + timedelta(microseconds=1), None)
            if op == ">=":
                return DateRange(_start(day), None)
            return DateRange(_start(day), _end(day))
        low, high = _day(absolute["low"]), _day(absolute["high"])
    except ValueError as error:
        raise RangeError(f"{label}: {error}") from error
    if low > high:
        low, high = high, low
    return DateRange(_start(low), _end(high))


def date_bound(text: str, label: str, end: bool) -> datetime:
    """One day typed in a from/to box, as the first or last moment of that day."""
    try:
        day = _day(text.strip())
    except ValueError as error:
        raise RangeError(f"{label}: {text.strip()[:40]!r} is not a date (YYYY-MM-DD)") from error
    return _end(day) if end else _start(day)


def _day(text: str) -> date:
    year, month, day = (int(part) for part in text.split("-"))
    # Tantivy's dates, like the largest archive's, stop well inside these years.
    if not 1700 <= year <= 2200:
        raise ValueError(f"the year {year} is out of range")
    return date(year, month, day)


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _end(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=UTC)
