"""The meta tag graph: direct links are the wranglers', and the indirect ones (a meta tag of a
meta tag) are derived from them here and stored, as the largest archive's
InheritedMetaTagUpdater does, so that a work's inherited filters are one join away."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from ficarchive.tags.models import MetaTagging


def direct_meta_tags(tag_ids: Collection[int]) -> dict[int, set[int]]:
    """Each tag's direct meta tags."""
    found: dict[int, set[int]] = {tag_id: set() for tag_id in tag_ids}
    rows = MetaTagging.objects.filter(sub_tag_id__in=list(tag_ids), direct=True)
    for sub_id, meta_id in rows.values_list("sub_tag_id", "meta_tag_id"):
        found[sub_id].add(meta_id)
    return found


def descendants(tag_ids: Iterable[int]) -> set[int]:
    """All the sub tags below these tags, following direct links down."""
    seen: set[int] = set()
    frontier = set(tag_ids)
    while frontier:
        rows = MetaTagging.objects.filter(meta_tag_id__in=list(frontier), direct=True)
        below = set(rows.values_list("sub_tag_id", flat=True)) - seen
        seen |= below
        frontier = below
    return seen


def _upward(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """Direct meta tags of these tags and of everything above them."""
    graph: dict[int, set[int]] = {}
    frontier = set(tag_ids)
    while frontier:
        found = direct_meta_tags(frontier)
        graph.update(found)
        frontier = {meta for metas in found.values() for meta in metas} - graph.keys()
    return graph


def ancestors(tag_id: int, graph: dict[int, set[int]] | None = None) -> set[int]:
    """All the meta tags above a tag, direct and indirect."""
    graph = graph if graph is not None else _upward([tag_id])
    seen: set[int] = set()
    stack = list(graph.get(tag_id, ()))
    while stack:
        meta = stack.pop()
        if meta not in seen:
            seen.add(meta)
            stack.extend(graph.get(meta, ()))
    return seen


def path_up(start: int, goal: int) -> list[int] | None:
    """A chain of direct links from `start` up to its meta tag `goal` ([start, ..., goal]),
    or None when `goal` is not above `start`."""
    graph = _upward([start])
    came_from: dict[int, int] = {}
    frontier = [start]
    while frontier:
        following = []
        for tag_id in frontier:
            for meta in graph.get(tag_id, ()):
                if meta in came_from or meta == start:
                    continue
                came_from[meta] = tag_id
                if meta == goal:
                    path = [goal]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                following.append(meta)
        frontier = following
    return None


def closure_refresh(tag_ids: Iterable[int]) -> set[int]:
    """Rewrite the indirect meta taggings of these tags and of every tag below them; returns
    the tags whose set of meta tags changed (their works need new filters)."""
    tags = set(tag_ids)
    tags |= descendants(tags)
    if not tags:
        return set()
    graph = _upward(tags)
    stored: dict[int, dict[int, bool]] = {tag_id: {} for tag_id in tags}
    rows = MetaTagging.objects.filter(sub_tag_id__in=list(tags))
    for sub_id, meta_id, direct in rows.values_list("sub_tag_id", "meta_tag_id", "direct"):
        stored[sub_id][meta_id] = direct
    changed: set[int] = set()
    removed: list[tuple[int, int]] = []
    added: list[MetaTagging] = []
    for tag_id in tags:
        wanted = ancestors(tag_id, graph)
        have = stored[tag_id]
        if wanted != set(have):
            changed.add(tag_id)
        removed += [(tag_id, meta) for meta, direct in have.items() if meta not in wanted]
        added += [
            MetaTagging(sub_tag_id=tag_id, meta_tag_id=meta, direct=False)
            for meta in wanted
            if meta not in have
        ]
    for sub_id, meta_id in removed:
        MetaTagging.objects.filter(sub_tag_id=sub_id, meta_tag_id=meta_id, direct=False).delete()
    MetaTagging.objects.bulk_create(added)
    return changed
