"""Round trips of the work-record format: text to record to text, and through the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.extra.django import TestCase

from ficarchive.formats.export import work_record, works_for_export
from ficarchive.formats.services import record_import
from ficarchive.formats.workrecord.parse import parse_record
from ficarchive.formats.workrecord.record import WorkRecord
from ficarchive.formats.workrecord.write import write_record
from tests.formats.records import MULTI, SAMPLES, SHARED_SAMPLES, SINGLE
from tests.formats.strategies import TODAY, work_records

LANGUAGES = ["English", "Русский", "中文-普通话 國語", "Français", "Elvish Sindarin"]


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(work_records())
def test_written_records_parse_back_to_the_same_record(record: WorkRecord) -> None:
    text = write_record(record)
    assert parse_record(text, today=TODAY).record == record


@pytest.mark.parametrize("sample", [SINGLE, MULTI], ids=lambda path: path.name)
def test_samples_are_in_canonical_form(sample: Path) -> None:
    text = sample.read_text(encoding="utf-8")
    assert write_record(parse_record(text, today=TODAY).record) == text


@pytest.mark.skipif(not SHARED_SAMPLES.is_dir(), reason="no shared/ folder beside this clone")
def test_samples_match_the_shared_originals() -> None:
    originals = sorted(SHARED_SAMPLES.glob("*.txt"))
    assert originals
    for original in originals:
        assert (SAMPLES / original.name).read_bytes() == original.read_bytes()


def _without_default_chapter_dates(record: WorkRecord, today: date) -> WorkRecord:
    """Chapter dates equal to their default are not written out again: drop them up front."""
    published = record.published or today
    later = record.updated or published
    for position, chapter in enumerate(record.chapters, start=1):
        default = published if position == 1 else max(published, later)
        if chapter.published == default:
            chapter.published = None
    return record


class RecordDatabaseRoundTrip(TestCase):
    """Import a generated record, export the work: the same bytes come back."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(work_records(languages=LANGUAGES))
    def test_import_then_export_gives_back_the_same_bytes(self, record: WorkRecord) -> None:
        record = _without_default_chapter_dates(record, timezone.localdate())
        text = write_record(record)
        work, created = record_import(parse_record(text).record)
        assert created
        exported = write_record(work_record(works_for_export().get(pk=work.pk)))
        assert exported == text
