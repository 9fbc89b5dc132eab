"""One way to fetch a work or a chapter for the user who asks for it: views (and the comments,
bookmarks, downloads, feeds and API to come) name what they need, and the rules of the Work and
Chapter models (docs/visibility.md) answer.

Every need that is not met answers 404, as if the work did not exist: a 403 would tell someone
who may not edit a draft, or moderate a work, that it is there.
"""

from __future__ import annotations

import enum
from typing import Any

from django.http import Http404

from ficarchive.works.models import Chapter, Work
from ficarchive.works.querysets import WorkQuerySet


class Need(enum.Enum):
    """What the user wants to do with the work."""

    READ = "read"  # open it: Work.is_visible_to
    EDIT = "edit"  # change it, its chapters, its creators: its accepted creators (Work.is_by)
    MODERATE = "moderate"  # hide, unhide, mark as spam: archive admins


def work_allows(work: Work, user: Any, need: Need) -> bool:
    """Whether this user may do what `need` says with the work."""
    if need is Need.READ:
        return work.is_visible_to(user)
    if need is Need.EDIT:
        return work.is_by(user)
    return bool(user.is_authenticated and user.is_archive_admin)


def work_for(
    user: Any, work_id: int, need: Need = Need.READ, *, works: WorkQuerySet | None = None
) -> Work:
    """The work, if this user may do what `need` says with it; else Http404. `works` is where
    to look, for a page that needs more than a work's header prefetched."""
    rows = works if works is not None else Work.objects.for_reading()
    work = rows.filter(pk=work_id).first()
    if work is None or not work_allows(work, user, need):
        raise Http404("No such work.")
    return work


def chapter_for(
    user: Any,
    work_id: int,
    chapter_id: int,
    need: Need = Need.READ,
    *,
    works: WorkQuerySet | None = None,
) -> Chapter:
    """The chapter of this work, with its work fetched as work_for does; else Http404. Reading
    needs a posted chapter (Chapter.is_visible_to); editing and moderating reach them all."""
    work = work_for(user, work_id, need, works=works)
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404("This work has no such chapter.")
    chapter.work = work
    if need is Need.READ and not chapter.is_visible_to(user):
        raise Http404("This work has no such chapter.")
    return chapter
