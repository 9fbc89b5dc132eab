"""Shared setup of the collections tests: collections made through the service."""

from __future__ import annotations

from typing import Any

from ficarchive.accounts.models import User
from ficarchive.collections.services import CollectionFields, collection_create
from ficarchive.works.models import Collection


def make_collection(owner: User, name: str = "spring_fest", **settings: Any) -> Collection:
    return collection_create(owner, CollectionFields(name=name, title=f"Title {name}", **settings))
