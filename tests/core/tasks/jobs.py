"""Jobs for the queue's tests: one that always fails, one that writes a row once per key."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django_tasks import task

from ficarchive.core.models import SentMail


class Broken(RuntimeError):
    pass


@task()
def always_fails(note: str) -> None:
    raise Broken(f"broken on purpose: {note}")


@task()
def record_once(key: str) -> bool:
    """Writes one row for `key` however often it runs; returns whether this run wrote it."""
    try:
        with transaction.atomic():
            SentMail.objects.create(key=key, to="nobody", subject="row", message_id=key)
    except IntegrityError:
        return False
    return True
