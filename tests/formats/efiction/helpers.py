from __future__ import annotations

from ficarchive.formats.efiction.links import link_target
from ficarchive.formats.models import LegacyKind
from ficarchive.works.models import Work


def work_of(sid: int) -> Work:
    work_id = link_target(LegacyKind.STORY, str(sid))
    assert work_id is not None, f"story {sid} was not imported"
    return Work.objects.get(pk=work_id)


def tag_names(work: Work, type_: str) -> list[str]:
    return [tag.name for tag in work.tags_by_type[type_]]
