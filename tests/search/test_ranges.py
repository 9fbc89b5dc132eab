"""Ranges as readers type them, in numbers and dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ficarchive.search.query import DateRange, NumberRange
from ficarchive.search.ranges import RangeError, date_bound, parse_date_range, parse_number_range

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1000", NumberRange(1000, 1000)),
        ("<1000", NumberRange(None, 999)),
        ("<=1000", NumberRange(None, 1000)),
        (">10", NumberRange(11, None)),
        (">= 10", NumberRange(10, None)),
        ("1000-5000", NumberRange(1000, 5000)),
        ("5000 - 1000", NumberRange(1000, 5000)),
        ("1,000..2,000", NumberRange(1000, 2000)),
        (" 7 ", NumberRange(7, 7)),
        ("99999999999999", NumberRange(2**31 - 1, 2**31 - 1)),
    ],
)
def test_number_ranges(text: str, expected: NumberRange) -> None:
    assert parse_number_range(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "10-", "-5", "1e5", "<>3", "10 20"])
def test_a_bad_number_range_says_how_to_write_one(text: str) -> None:
    with pytest.raises(RangeError, match="write for example"):
        parse_number_range(text, "words")


def test_relative_dates_count_back_from_now() -> None:
    two_weeks = NOW - timedelta(days=14)
    assert parse_date_range("<2 weeks", now=NOW) == DateRange(two_weeks, None)
    assert parse_date_range("< 2 weeks ago", now=NOW) == DateRange(two_weeks, None)
    assert parse_date_range(">1 year ago", now=NOW) == DateRange(None, NOW - timedelta(days=365))
    three_days = NOW - timedelta(days=3)
    assert parse_date_range("3 days ago", now=NOW) == DateRange(
        three_days - timedelta(days=1), three_days
    )
    assert parse_date_range("<1 hour", now=NOW) == DateRange(NOW - timedelta(hours=1), None)


def test_absolute_dates_cover_whole_days() -> None:
    day = parse_date_range("2024-02-29")
    assert day.low == datetime(2024, 2, 29, tzinfo=UTC)
    assert day.high is not None and day.high.date().isoformat() == "2024-02-29"
    span = parse_date_range("2023-01-01 - 2023-12-31")
    assert span.low == datetime(2023, 1, 1, tzinfo=UTC)
    assert span.high is not None and span.high.date().isoformat() == "2023-12-31"
    before = parse_date_range("<2023-01-01")
    assert before.low is None and before.high is not None and before.high.year == 2022
    assert parse_date_range(">=2023-01-01") == DateRange(datetime(2023, 1, 1, tzinfo=UTC), None)


@pytest.mark.parametrize(
    "text", ["yesterday", "2023-13-01", "2023-02-30", "99999-01-01", "0001-01-01"]
)
def test_a_bad_date_is_a_clear_error(text: str) -> None:
    with pytest.raises(RangeError):
        parse_date_range(text, "updated")


def test_date_bounds_of_a_from_and_to_box() -> None:
    assert date_bound("2024-05-01", "from", end=False) == datetime(2024, 5, 1, tzinfo=UTC)
    assert date_bound("2024-05-01", "to", end=True).hour == 23
    with pytest.raises(RangeError, match="YYYY-MM-DD"):
        date_bound("May 1st", "from", end=False)
