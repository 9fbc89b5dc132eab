"""The kept links from eFiction ids to the archive's rows: what makes a second run change
nothing, a killed run continue, and old URLs answer."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ficarchive.formats.models import LegacyKind, LegacyLink


class Links:
    """The links of every kind, read once at the start of a run and kept up to date by it."""

    def __init__(self) -> None:
        self._known: dict[str, dict[str, int]] = {kind: {} for kind in LegacyKind.values}
        for kind, old_id, new_id in LegacyLink.objects.values_list("kind", "old_id", "new_id"):
            self._known[kind][old_id] = new_id

    def get(self, kind: str, old_id: object) -> int | None:
        return self._known[kind].get(str(old_id))

    def has(self, kind: str, old_id: object) -> bool:
        return str(old_id) in self._known[kind]

    def all(self, kind: str) -> dict[str, int]:
        return dict(self._known[kind])

    def add(self, kind: str, pairs: Iterable[tuple[object, int]]) -> None:
        """Keep these links (in the caller's transaction); call forget() if it rolls back."""
        rows = [LegacyLink(kind=kind, old_id=str(old), new_id=new) for old, new in pairs]
        LegacyLink.objects.bulk_create(rows)
        for row in rows:
            self._known[kind][row.old_id] = row.new_id

    def forget(self, kind: str, old_ids: Iterable[object]) -> None:
        for old in old_ids:
            self._known[kind].pop(str(old), None)


def in_chunks(ids: Iterable[int], size: int = 500) -> Iterator[list[int]]:
    """Ids a few hundred at a time, for `__in` filters: SQLite limits the parameters of one
    query, and archives have tens of thousands of members and stories."""
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def link_target(kind: str, old_id: str) -> int | None:
    """The new id an old one became, for the redirects."""
    return (
        LegacyLink.objects.filter(kind=kind, old_id=old_id).values_list("new_id", flat=True).first()
    )
