"""The work record download: exactly what `ficarchive export` writes, except that an anonymous
work's record names no creator (a file anyone may download must not say who made it)."""

from __future__ import annotations

from ficarchive.formats.export import work_record, works_for_export
from ficarchive.formats.workrecord.write import write_record
from ficarchive.works.models import Work


def text_bytes(work: Work) -> bytes:
    exported = works_for_export().get(pk=work.pk)
    record = work_record(exported)
    if exported.anonymous:
        record.creators = []
    return write_record(record).encode()
