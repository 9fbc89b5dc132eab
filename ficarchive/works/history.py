"""Reading history and Marked for Later (`Reading`, one row per reader and work).

A visit of a work page is one statement: an upsert (`INSERT ... ON CONFLICT DO UPDATE`, which
SQLite and PostgreSQL both have) that counts the visit, dates it, keeps the chapter and, unless
the reader keeps them, clears Marked for Later. Nothing else is written while reading.
History lives with works (not social) because the work page, which writes it, may not call
the apps above it.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.works.models import Reading, Work


def history_on(user: Any) -> bool:
    return bool(user.is_authenticated and user.preferences().reading_history)


def reading_of(user: Any, work: Work) -> Reading | None:
    """This reader's row for the work (for "continue reading"), if any."""
    if not user.is_authenticated:
        return None
    return Reading.objects.filter(user=user, work=work).select_related("last_chapter").first()


def reading_record(user: User, work_id: int, chapter_id: int | None) -> None:
    """Count a visit: one upsert."""
    preference = user.preferences()
    if not preference.reading_history:
        return
    table = connection.ops.quote_name(Reading._meta.db_table)
    # Read, Marked for Later is cleared, unless the reader keeps such works there.
    later = f"{table}.later" if preference.later_kept else "excluded.later"
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, work_id, last_visited, visits, last_chapter_id, later) "
            "VALUES (%s, %s, %s, 1, %s, %s) "
            "ON CONFLICT (user_id, work_id) DO UPDATE SET "
            f"last_visited = excluded.last_visited, visits = {table}.visits + 1, "
            f"last_chapter_id = COALESCE(excluded.last_chapter_id, {table}.last_chapter_id), "
            f"later = {later}",
            [user.pk, work_id, now, chapter_id, False],
        )


def history(user: User) -> QuerySet[Reading]:
    """The works the reader visited, last visited first, that they may still list."""
    return (
        Reading.objects.filter(
            user=user, visits__gt=0, work__in=Work.objects.listed_for(user).values("pk")
        )
        .select_related("work", "last_chapter")
        .order_by("-last_visited", "-id")
    )


def marked_for_later(user: User) -> QuerySet[Reading]:
    return (
        Reading.objects.filter(
            user=user, later=True, work__in=Work.objects.listed_for(user).values("pk")
        )
        .select_related("work", "last_chapter")
        .order_by("-last_visited", "-id")
    )


@transaction.atomic
def history_clear(user: User) -> int:
    """Forget the reader's history; works Marked for Later stay marked (as unvisited)."""
    cleared, _ = Reading.objects.filter(user=user, later=False).delete()
    Reading.objects.filter(user=user).update(visits=0, last_chapter=None)
    return cleared


@transaction.atomic
def later_toggle(user: User, work: Work) -> bool:
    """Mark the work for later, or unmark it; returns whether it is marked now."""
    reading, created = Reading.objects.get_or_create(
        user=user, work=work, defaults={"later": True, "visits": 0}
    )
    if created:
        return True
    reading.later = not reading.later
    reading.save(update_fields=["later"])
    if not reading.later and reading.visits == 0:
        reading.delete()
    return reading.later
