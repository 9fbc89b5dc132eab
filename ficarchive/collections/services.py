"""Writing collections and their items: made and edited by their owners, works added by their
creators or invited by maintainers, each side approving as the largest archive does (a
creator who adds a work approves it; a maintainer's invitation waits for the creator; a
moderated collection's items wait for a maintainer). Every write keeps the works' collection
flags and the search index in the same transaction (collections.reveal)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction

from ficarchive.accounts.models import User
from ficarchive.collections.access import is_maintainer
from ficarchive.collections.reveal import works_flags_refresh
from ficarchive.core.html import render_userstuff
from ficarchive.works.models import (
    Approval,
    Collection,
    CollectionItem,
    CollectionMaintainer,
    MaintainerRole,
    Work,
)

NAME_MAX = 255
# A collection's name is its address: letters, digits and underscores, as the largest archive.
NAME_PATTERN = re.compile(rf"^[A-Za-z0-9_]{{3,{NAME_MAX}}}$")


class CollectionError(Exception):
    """A write that cannot be done, with the message the form shows."""


@dataclass
class CollectionFields:
    """What the create and edit forms give the services."""

    name: str
    title: str
    description: str = ""
    header_image_url: str = ""
    parent: Collection | None = None
    profile: str = ""
    rules: str = ""
    faq: str = ""
    closed: bool = False
    moderated: bool = False
    unrevealed: bool = False
    anonymous: bool = False
    reveal_at: datetime | None = None
    creators_reveal_at: datetime | None = None


def _check(fields: CollectionFields, user: User, collection: Collection | None) -> None:
    if not NAME_PATTERN.match(fields.name):
        raise CollectionError(
            "Name: 3 to 255 letters, digits or underscores (it is the collection's address)."
        )
    if not fields.title.strip():
        raise CollectionError("Title: a collection needs a title.")
    taken = Collection.objects.filter(name__iexact=fields.name)
    if collection is not None:
        taken = taken.exclude(pk=collection.pk)
    if taken.exists():
        raise CollectionError(f"Name: a collection named {fields.name!r} exists already.")
    parent = fields.parent
    if parent is not None:
        if collection is not None and parent.pk == collection.pk:
            raise CollectionError("Parent: a collection cannot be its own parent.")
        if parent.parent_id is not None:
            raise CollectionError("Parent: a sub collection cannot have sub collections.")
        if collection is not None and collection.children.exists():
            raise CollectionError("Parent: a collection with sub collections has no parent.")
        if not (user.is_archive_admin or _role(parent, user) == MaintainerRole.OWNER):
            raise CollectionError("Parent: only its owners may add sub collections to it.")


def _role(collection: Collection, user: User) -> str | None:
    return (
        CollectionMaintainer.objects.filter(collection=collection, user=user)
        .values_list("role", flat=True)
        .first()
    )


def _fill(collection: Collection, fields: CollectionFields) -> None:
    collection.name = fields.name
    collection.title = fields.title.strip()
    collection.description = fields.description
    collection.header_image_url = fields.header_image_url
    collection.parent = fields.parent
    collection.profile = render_userstuff(fields.profile) if fields.profile.strip() else ""
    collection.rules = render_userstuff(fields.rules) if fields.rules.strip() else ""
    collection.faq = render_userstuff(fields.faq) if fields.faq.strip() else ""
    collection.closed = fields.closed
    collection.moderated = fields.moderated
    collection.unrevealed = fields.unrevealed
    collection.anonymous = fields.anonymous
    collection.reveal_at = fields.reveal_at if fields.unrevealed else None
    collection.creators_reveal_at = fields.creators_reveal_at if fields.anonymous else None


@transaction.atomic
def collection_create(user: User, fields: CollectionFields) -> Collection:
    """A new collection, owned by the user who made it."""
    _check(fields, user, None)
    collection = Collection()
    _fill(collection, fields)
    try:
        with transaction.atomic():
            collection.save()
    except IntegrityError:
        # Made by someone else a moment ago.
        raise CollectionError(f"Name: a collection named {fields.name!r} exists already.") from None
    CollectionMaintainer.objects.create(collection=collection, user=user, role=MaintainerRole.OWNER)
    return collection


@transaction.atomic
def collection_update(collection: Collection, user: User, fields: CollectionFields) -> Collection:
    """Save an edit of the collection; a change of its unrevealed or anonymous setting
    changes its works' flags at once."""
    _check(fields, user, collection)
    before = (collection.unrevealed, collection.anonymous)
    _fill(collection, fields)
    collection.save()
    if before != (collection.unrevealed, collection.anonymous):
        works_flags_refresh(
            collection.items.values_list("work_id", flat=True), "collection settings changed"
        )
    return collection


@transaction.atomic
def collection_maintainer_add(collection: Collection, user: User, role: str) -> None:
    """Make the user an owner or a moderator of the collection (or change their role)."""
    CollectionMaintainer.objects.update_or_create(
        collection=collection, user=user, defaults={"role": MaintainerRole(role)}
    )


def _item_for(collection: Collection, work: Work) -> CollectionItem | None:
    return CollectionItem.objects.filter(collection=collection, work=work).first()


@transaction.atomic
def collection_item_add(collection: Collection, work: Work, user: User) -> CollectionItem:
    """The creator adds their work: approved by them; by the collection at once unless it
    is moderated (and the creator does not maintain it). A creator who was invited already
    accepts the invitation instead."""
    if not work.is_by(user):
        raise CollectionError("Only the work's creators can add it to a collection.")
    existing = _item_for(collection, work)
    if existing is not None:
        if existing.user_approval != Approval.APPROVED:
            return collection_item_respond(existing, user, accept=True)
        raise CollectionError(f"This work is in {collection.title} already.")
    if collection.closed:
        raise CollectionError(f"{collection.title} is closed: it takes no new works.")
    waits = collection.moderated and not is_maintainer(collection, user)
    try:
        with transaction.atomic():
            item = CollectionItem.objects.create(
                collection=collection,
                work=work,
                user_approval=Approval.APPROVED,
                collection_approval=Approval.UNREVIEWED if waits else Approval.APPROVED,
            )
    except IntegrityError:
        raise CollectionError(f"This work is in {collection.title} already.") from None
    works_flags_refresh([work.pk], "added to a collection")
    return item


@transaction.atomic
def collection_item_invite(collection: Collection, work: Work, user: User) -> CollectionItem:
    """A maintainer invites a work: approved by the collection, waiting for its creator."""
    if not is_maintainer(collection, user):
        raise CollectionError("Only the collection's maintainers can invite works.")
    if _item_for(collection, work) is not None:
        raise CollectionError(f"This work is in {collection.title} already, or invited.")
    if not work.is_listable():
        raise CollectionError("Only posted works can be invited.")
    item = CollectionItem.objects.create(
        collection=collection,
        work=work,
        user_approval=Approval.UNREVIEWED,
        collection_approval=Approval.APPROVED,
    )
    # Nothing changes for the work until its creator accepts.
    return item


@transaction.atomic
def collection_item_review(item: CollectionItem, user: User, *, approve: bool) -> CollectionItem:
    """A maintainer approves or rejects an item for the collection."""
    if not is_maintainer(item.collection, user):
        raise CollectionError("Only the collection's maintainers can review its works.")
    item.collection_approval = Approval.APPROVED if approve else Approval.REJECTED
    item.save(update_fields=["collection_approval"])
    works_flags_refresh([item.work_id], "collection item reviewed")
    return item


@transaction.atomic
def collection_item_respond(item: CollectionItem, user: User, *, accept: bool) -> CollectionItem:
    """The work's creator accepts or declines the item (a maintainer's invitation)."""
    if not item.work.is_by(user):
        raise CollectionError("Only the work's creators can answer for it.")
    item.user_approval = Approval.APPROVED if accept else Approval.REJECTED
    item.save(update_fields=["user_approval"])
    works_flags_refresh([item.work_id], "collection item answered")
    return item


@transaction.atomic
def collection_item_remove(item: CollectionItem, user: User) -> None:
    """Take the work out of the collection: its creators or the maintainers may."""
    if not (item.work.is_by(user) or is_maintainer(item.collection, user)):
        raise CollectionError("Only the work's creators or the maintainers can remove it.")
    work_id = item.work_id
    item.delete()
    works_flags_refresh([work_id], "removed from a collection")
