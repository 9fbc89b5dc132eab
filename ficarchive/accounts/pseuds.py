"""Writes to pseuds: create, rename, delete (its works move to the default pseud), and choose
the default. Every change a byline shows reaches the search index."""

from __future__ import annotations

from django.db import transaction

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.changes import works_changed


class PseudError(ValueError):
    """A pseud change the archive refuses; the message says why."""


def _work_ids(pseud: Pseud) -> list[int]:
    # Through the reverse relation: accounts sit below works and never import them.
    return list(pseud.creatorships.values_list("work_id", flat=True))


def _check_name(user: User, name: str, pseud: Pseud | None = None) -> None:
    taken = Pseud.objects.filter(user=user, name__iexact=name)
    if pseud is not None:
        taken = taken.exclude(pk=pseud.pk)
    if taken.exists():
        raise PseudError(f"You already have a pseud called {name!r}.")


@transaction.atomic
def pseud_create(user: User, name: str, description: str = "") -> Pseud:
    _check_name(user, name)
    return Pseud.objects.create(user=user, name=name, description=description)


@transaction.atomic
def pseud_update(pseud: Pseud, name: str, description: str) -> Pseud:
    """Rename a pseud or change its description; a new name reaches its works' bylines."""
    _check_name(pseud.user, name, pseud)
    renamed = name != pseud.name
    pseud.name = name
    pseud.description = description
    pseud.save(update_fields=["name", "description"])
    if renamed:
        works_changed(_work_ids(pseud), "pseud renamed")
    return pseud


@transaction.atomic
def pseud_make_default(pseud: Pseud) -> None:
    """Make this pseud the one new works get, and the one works of deleted pseuds move to."""
    Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(pk=pseud.pk).update(
        is_default=False
    )
    Pseud.objects.filter(pk=pseud.pk).update(is_default=True)
    pseud.is_default = True


@transaction.atomic
def pseud_delete(pseud: Pseud) -> int:
    """Delete a pseud that is not the default; its works move to the default pseud (where a
    work has both, the default's part stays). Returns the works moved."""
    if pseud.is_default:
        raise PseudError("The default pseud cannot be deleted; make another one the default.")
    default = pseud.user.default_pseud()
    work_ids = _work_ids(pseud)
    both = set(default.creatorships.filter(work_id__in=work_ids).values_list("work_id", flat=True))
    pseud.creatorships.filter(work_id__in=both).delete()
    pseud.creatorships.update(pseud=default)
    works_changed(work_ids, "pseud deleted")
    pseud.delete()
    return len(work_ids)
