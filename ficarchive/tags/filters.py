"""Filter tags: the canonical tags each work is found by, stored per work so that searching,
listing and counting by a tag never expands synonyms or meta tags at query time.

A work's filters are the canonical tags among its tags, the canonicals of its synonyms (direct
filters), and all the meta tags of those, transitively (inherited filters). Works get them when
they are written (import, demo: `work_filters` below); wrangling marks the works it affects
stale in its own transaction, and `tags.recompute` brings them up to date in batches.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from ficarchive.core.bulk import bulk_insert
from ficarchive.core.changes import works_changed_select
from ficarchive.tags.models import (
    FilterTagging,
    MetaTagging,
    StaleWork,
    Tag,
    Tagging,
    TagType,
    works_table,
)


@dataclass(frozen=True, slots=True)
class TagFacts:
    """What filters need to know of one tag on a work."""

    id: int
    type: str
    canonical: bool
    merger_id: int | None

    @property
    def filter_id(self) -> int | None:
        return self.id if self.canonical else self.merger_id

    @property
    def merged_id(self) -> int:
        """The tag once synonyms are merged: its canonical, or itself."""
        return self.merger_id or self.id


@dataclass(frozen=True, slots=True)
class WorkFilters:
    """A work's filter tags (id -> inherited) and the two flags derived with them."""

    filters: dict[int, bool]
    crossover: bool
    otp: bool


def is_crossover(fandoms: Collection[int], meta_tags: Mapping[int, Collection[int]]) -> bool:
    """Whether these fandoms (synonyms already merged) make a crossover, as the largest
    archive decides it: there is no fandom that every other one is related to, two fandoms
    being related when they share a meta tag, counting each fandom as its own meta tag."""
    if len(fandoms) < 2:
        return False
    groups = [{fandom, *meta_tags.get(fandom, ())} for fandom in fandoms]
    return not any(all(group & other for other in groups) for group in groups)


def work_filters(tags: Iterable[TagFacts], meta_tags: Mapping[int, Collection[int]]) -> WorkFilters:
    """The filters and flags of a work with these tags; `meta_tags` maps each canonical tag to
    all its meta tags, direct and indirect."""
    tags = list(tags)
    direct = {tag.filter_id for tag in tags if tag.filter_id is not None}
    filters = dict.fromkeys(direct, False)
    for filter_id in direct:
        for meta_id in meta_tags.get(filter_id, ()):
            filters.setdefault(meta_id, True)
    fandoms = {tag.merged_id for tag in tags if tag.type == TagType.FANDOM}
    relationships = {tag.merged_id for tag in tags if tag.type == TagType.RELATIONSHIP}
    return WorkFilters(filters, is_crossover(fandoms, meta_tags), len(relationships) == 1)


def work_filters_for_tags(tag_ids: Sequence[int]) -> WorkFilters:
    """work_filters for a work with these tags, read from the database in one query."""
    facts, meta_tags = tag_facts(tag_ids)
    return work_filters((facts[pk] for pk in tag_ids if pk in facts), meta_tags)


def tag_facts(tag_ids: Iterable[int]) -> tuple[dict[int, TagFacts], dict[int, set[int]]]:
    """What work_filters needs of these tags: their facts by id, and the meta tags of their
    filters. One query per thousand tags, so that a writer of many works reads them once."""
    ids = list(dict.fromkeys(tag_ids))
    tag = connection.ops.quote_name(Tag._meta.db_table)
    meta = connection.ops.quote_name(MetaTagging._meta.db_table)
    facts: dict[int, TagFacts] = {}
    meta_tags: dict[int, set[int]] = {}
    # Raw SQL: the importer runs this for every batch of records.
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            cursor.execute(
                f"SELECT t.id, t.type, t.canonical, t.merger_id, m.meta_tag_id FROM {tag} t "
                f"LEFT JOIN {meta} m ON m.sub_tag_id = "
                f"(CASE WHEN t.canonical THEN t.id ELSE t.merger_id END) "
                f"WHERE t.id IN ({_in(chunk)})",
                chunk,
            )
            for pk, type_, canonical, merger_id, meta_id in cursor.fetchall():
                fact = TagFacts(pk, type_, bool(canonical), merger_id)
                facts[pk] = fact
                if meta_id is not None and fact.filter_id is not None:
                    meta_tags.setdefault(fact.filter_id, set()).add(meta_id)
    return facts, meta_tags


def work_filters_write(work_id: int, filters: WorkFilters) -> int:
    """Insert a new work's filter tags (its flags go on the work row); returns the rows."""
    return bulk_insert(
        FilterTagging,
        ("work", "filter", "inherited"),
        [(work_id, filter_id, inherited) for filter_id, inherited in filters.filters.items()],
    )


def filters_add_for_synonym(synonym: Tag, canonical: Tag, reason: str) -> int:
    """Give the works tagged with a new synonym the canonical and its meta tags as filters,
    in the caller's transaction; returns the works.

    Only for a synonym that was nothing before (not canonical, no synonym, no synonyms) and
    whose type plays no part in the crossover and OTP flags: its works then gain filters and
    lose none, so that adding rows is the whole recompute. Merging a new tag into a canonical,
    the commonest wrangling of all, takes one statement instead of a recompute.
    """
    quote = connection.ops.quote_name
    filters, tagging = quote(FilterTagging._meta.db_table), quote(Tagging._meta.db_table)
    meta = quote(MetaTagging._meta.db_table)
    with connection.cursor() as cursor:
        # A filter the work already had as inherited becomes direct; a direct one stays.
        cursor.execute(
            f"INSERT INTO {filters} (work_id, filter_id, inherited) "
            f"SELECT tg.work_id, f.filter_id, f.inherited FROM {tagging} tg CROSS JOIN ("
            f"SELECT %s AS filter_id, false AS inherited UNION ALL "
            f"SELECT meta_tag_id, true FROM {meta} WHERE sub_tag_id = %s) f "
            f"WHERE tg.tag_id = %s "
            f"ON CONFLICT (work_id, filter_id) DO UPDATE SET inherited = false "
            f"WHERE excluded.inherited = false AND {filters}.inherited = true",
            [canonical.pk, canonical.pk, synonym.pk],
        )
    return works_changed_select(
        f"SELECT work_id FROM {tagging} WHERE tag_id = %s", [synonym.pk], reason
    )


# Marking works stale. Each takes a SELECT of work ids and upserts marks in one statement; the
# version bump tells a recompute running at the same time that the work changed again.


def _mark(select_sql: str, params: Sequence[Any], reason: str) -> int:
    stale = connection.ops.quote_name(StaleWork._meta.db_table)
    with connection.cursor() as cursor:
        # `WHERE true` lets SQLite tell the upsert's ON CONFLICT from a join's ON.
        cursor.execute(
            f"INSERT INTO {stale} (work_id, version, reason) "
            f"SELECT DISTINCT marked.work_id, 1, %s FROM ({select_sql}) marked WHERE true "
            f"ON CONFLICT (work_id) DO UPDATE SET version = {stale}.version + 1, "
            f"reason = excluded.reason",
            [reason[:200], *params],
        )
        return max(cursor.rowcount, 0)


def _in(ids: Collection[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def works_mark_stale(work_ids: Collection[int], reason: str) -> int:
    """Mark these works' filter tags for recomputing."""
    if not work_ids:
        return 0
    table = connection.ops.quote_name(works_table())
    ids = list(work_ids)
    marked = 0
    # In chunks: databases cap the parameters of one statement.
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        sql = f"SELECT id AS work_id FROM {table} WHERE id IN ({_in(chunk)})"
        marked += _mark(sql, chunk, reason)
    return marked


def works_mark_stale_tagged(tag_ids: Collection[int], reason: str) -> int:
    """Mark the works tagged with any of these tags."""
    if not tag_ids:
        return 0
    table = connection.ops.quote_name(Tagging._meta.db_table)
    sql = f"SELECT work_id FROM {table} WHERE tag_id IN ({_in(tag_ids)})"
    return _mark(sql, list(tag_ids), reason)


def works_mark_stale_filtered(filter_ids: Collection[int], reason: str) -> int:
    """Mark the works that have any of these tags as a filter tag."""
    if not filter_ids:
        return 0
    table = connection.ops.quote_name(FilterTagging._meta.db_table)
    sql = f"SELECT work_id FROM {table} WHERE filter_id IN ({_in(filter_ids)})"
    return _mark(sql, list(filter_ids), reason)


def works_mark_all_stale(reason: str) -> int:
    """Mark every work, to rebuild all filter tags (after repairing data by hand, say)."""
    table = connection.ops.quote_name(works_table())
    return _mark(f"SELECT id AS work_id FROM {table}", [], reason)
