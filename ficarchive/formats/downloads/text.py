"""The work record download: what `ficarchive export` writes, except for whom it names: a
file anyone may download names only the accepted creators (not someone invited who has not
said yes), and for an anonymous work nobody."""

from __future__ import annotations

from ficarchive.formats.export import work_record, works_for_export
from ficarchive.formats.workrecord.write import write_record
from ficarchive.works.models import Work


def text_bytes(work: Work) -> bytes:
    exported = works_for_export().get(pk=work.pk)
    record = work_record(exported)
    accepted = {
        (c.pseud.name, c.pseud.user.username) for c in exported.creatorships.all() if c.approved
    }
    record.creators = [
        creator
        for creator in record.creators
        if not exported.hides_creators and (creator.pseud, creator.login) in accepted
    ]
    return write_record(record).encode()
