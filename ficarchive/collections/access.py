"""One way to fetch a collection for the user who asks, and who maintains it. A collection's
own pages are public; editing it is its owners', reviewing its items its maintainers'. A need
that is not met answers 404, as works.access does."""

from __future__ import annotations

import enum
from typing import Any

from django.http import Http404

from ficarchive.works.models import Collection, CollectionMaintainer, MaintainerRole


class Need(enum.Enum):
    READ = "read"  # its pages: everyone
    MODERATE = "moderate"  # review and invite items: owners and moderators (and admins)
    OWN = "own"  # edit the collection and its settings: owners (and admins)


def maintainer_role(collection: Collection, user: Any) -> str | None:
    """The user's role in the collection (MaintainerRole), or None."""
    if not user.is_authenticated:
        return None
    return (
        CollectionMaintainer.objects.filter(collection=collection, user=user)
        .values_list("role", flat=True)
        .first()
    )


def is_maintainer(collection: Collection, user: Any) -> bool:
    """Whether the user may see and review the collection's items, unrevealed ones included:
    its owners and moderators, and archive admins."""
    if user.is_authenticated and user.is_archive_admin:
        return True
    return maintainer_role(collection, user) is not None


def collection_allows(collection: Collection, user: Any, need: Need) -> bool:
    if need is Need.READ:
        return True
    if user.is_authenticated and user.is_archive_admin:
        return True
    role = maintainer_role(collection, user)
    if need is Need.MODERATE:
        return role is not None
    return role == MaintainerRole.OWNER


def collection_for(user: Any, name: str, need: Need = Need.READ) -> Collection:
    """The collection of this name, if the user may do what `need` says; else Http404."""
    collection = Collection.objects.select_related("parent").filter(name=name).first()
    if collection is None or not collection_allows(collection, user, need):
        raise Http404("No such collection.")
    return collection
