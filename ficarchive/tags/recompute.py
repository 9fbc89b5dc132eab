"""Bringing stale works' filter tags and flags up to date, in set-based batches.

Each batch is one transaction: it takes the lowest marked work ids, computes their filter tags
in temporary tables from their taggings, synonyms and the stored meta tag closure, writes only
the difference, updates the crossover and OTP flags, tells the search index, and clears the
marks it saw. A process that dies half-way leaves marks behind and no half-written work; running
again (`ficarchive filters --recompute-stale`) resumes, and recomputing a work twice gives the
same rows.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.utils import timezone

from ficarchive.core.models import ChangeLog
from ficarchive.tags.filters import works_mark_stale
from ficarchive.tags.models import (
    FilterTagging,
    MetaTagging,
    StaleWork,
    Tag,
    Tagging,
    TagType,
    works_table,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 20_000
_TEMP_TABLES = ("filter_flags", "filter_fandoms", "filter_desired", "filter_tags", "filter_batch")


@dataclass(frozen=True)
class _Tables:
    """Quoted table names, looked up once per batch."""

    tag: str
    tagging: str
    work: str
    meta: str
    filters: str
    stale: str
    changelog: str


def _tables() -> _Tables:
    quote = connection.ops.quote_name
    return _Tables(
        tag=quote(Tag._meta.db_table),
        tagging=quote(Tagging._meta.db_table),
        work=quote(works_table()),
        meta=quote(MetaTagging._meta.db_table),
        filters=quote(FilterTagging._meta.db_table),
        stale=quote(StaleWork._meta.db_table),
        changelog=quote(ChangeLog._meta.db_table),
    )


def filters_recompute_stale(batch_size: int = DEFAULT_BATCH_SIZE) -> int:
    """Recompute every stale work, a batch per transaction; returns the works recomputed."""
    done = 0
    while True:
        with transaction.atomic():
            count = _recompute_batch(batch_size)
        if not count:
            return done
        done += count
        logger.info("recomputed the filter tags of %d works", done)


def works_filters_refresh(work_ids: Collection[int], reason: str) -> int:
    """Recompute these works' filter tags now (after their taggings changed, say)."""
    with transaction.atomic():
        works_mark_stale(work_ids, reason)
    return filters_recompute_stale()


def stale_work_count() -> int:
    return StaleWork.objects.count()


def _recompute_batch(batch_size: int) -> int:
    tables = _tables()
    postgres = connection.vendor == "postgresql"
    id_type = "bigint" if postgres else "integer"
    with connection.cursor() as cursor:
        if postgres:
            # A batch sorts and hashes a few hundred thousand rows: in memory, not on disk.
            # (temp_buffers only counts before a session's first temporary table.)
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute("SET LOCAL temp_buffers = '256MB'")
        for name in _TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE filter_batch (work_id {id_type} PRIMARY KEY, "
            f"version integer NOT NULL, reason varchar(200) NOT NULL)"
        )
        # SKIP LOCKED: two recomputes at once on PostgreSQL take different works, and a
        # wrangling change to a work in a batch waits for the batch to commit.
        lock = " FOR UPDATE SKIP LOCKED" if postgres else ""
        cursor.execute(
            f"INSERT INTO filter_batch (work_id, version, reason) "
            f"SELECT work_id, version, reason FROM {tables.stale} "
            f"ORDER BY work_id LIMIT %s{lock}",
            [batch_size],
        )
        count = cursor.rowcount
        if count > 0:
            _analyze(cursor, "filter_batch")
            _read_tags(cursor, tables, id_type)
            _write_filters(cursor, tables, id_type)
            _write_flags(cursor, tables, id_type)
            cursor.execute(
                f"INSERT INTO {tables.changelog} (work_id, reason, created_at) "
                f"SELECT work_id, reason, %s FROM filter_batch",
                [connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            # Only the marks this batch saw: a work marked again meanwhile stays stale.
            cursor.execute(
                f"DELETE FROM {tables.stale} WHERE EXISTS (SELECT 1 FROM filter_batch b "
                f"WHERE b.work_id = {tables.stale}.work_id "
                f"AND b.version = {tables.stale}.version)"
            )
        for name in _TEMP_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
    return max(count, 0)


def _analyze(cursor: CursorWrapper, table: str) -> None:
    """PostgreSQL keeps no statistics for temporary tables unless asked, and plans badly
    without them."""
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {table}")


def _read_tags(cursor: CursorWrapper, tables: _Tables, id_type: str) -> None:
    """The one pass over the batch's taggings: each tag's filter (itself when canonical, its
    canonical when a synonym), the tag with synonyms merged, and its type."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE filter_tags (work_id {id_type} NOT NULL, "
        f"filter_id {id_type}, merged_id {id_type} NOT NULL, type varchar(16) NOT NULL)"
    )
    cursor.execute(
        f"INSERT INTO filter_tags (work_id, filter_id, merged_id, type) "
        f"SELECT tg.work_id, CASE WHEN t.canonical THEN t.id ELSE t.merger_id END, "
        f"COALESCE(t.merger_id, t.id), t.type "
        f"FROM filter_batch b JOIN {tables.tagging} tg ON tg.work_id = b.work_id "
        f"JOIN {tables.tag} t ON t.id = tg.tag_id"
    )
    _analyze(cursor, "filter_tags")


def _write_filters(cursor: CursorWrapper, tables: _Tables, id_type: str) -> None:
    cursor.execute(
        f"CREATE TEMPORARY TABLE filter_desired (work_id {id_type} NOT NULL, "
        f"filter_id {id_type} NOT NULL, inherited boolean NOT NULL)"
    )
    # Direct filters (rank 0), and inherited ones (rank 1): every meta tag of a direct filter
    # (the closure is stored), unless it is direct too. Written in key order, with no index to
    # keep while filling, so that the comparisons below read it in order.
    cursor.execute(
        f"INSERT INTO filter_desired (work_id, filter_id, inherited) "
        f"SELECT work_id, filter_id, MIN(rank) = 1 FROM ("
        f"SELECT work_id, filter_id, 0 AS rank FROM filter_tags WHERE filter_id IS NOT NULL "
        f"UNION ALL "
        f"SELECT t.work_id, m.meta_tag_id, 1 FROM filter_tags t "
        f"JOIN {tables.meta} m ON m.sub_tag_id = t.filter_id) candidates "
        f"GROUP BY work_id, filter_id ORDER BY work_id, filter_id"
    )
    cursor.execute("CREATE INDEX filter_desired_key ON filter_desired (work_id, filter_id)")
    _analyze(cursor, "filter_desired")
    # Write the difference only: a merge adds a row or two to each of 100,000 works.
    cursor.execute(
        f"DELETE FROM {tables.filters} "
        f"WHERE work_id IN (SELECT work_id FROM filter_batch) AND NOT EXISTS ("
        f"SELECT 1 FROM filter_desired d WHERE d.work_id = {tables.filters}.work_id "
        f"AND d.filter_id = {tables.filters}.filter_id "
        f"AND d.inherited = {tables.filters}.inherited)"
    )
    cursor.execute(
        f"INSERT INTO {tables.filters} (work_id, filter_id, inherited) "
        f"SELECT d.work_id, d.filter_id, d.inherited FROM filter_desired d "
        f"WHERE NOT EXISTS (SELECT 1 FROM {tables.filters} f "
        f"WHERE f.work_id = d.work_id AND f.filter_id = d.filter_id) ON CONFLICT DO NOTHING"
    )


def _write_flags(cursor: CursorWrapper, tables: _Tables, id_type: str) -> None:
    # The fandoms and relationships of each work, synonyms merged: one pass over the taggings.
    cursor.execute(
        f"CREATE TEMPORARY TABLE filter_fandoms (work_id {id_type} NOT NULL, "
        f"tag_id {id_type} NOT NULL, fandom boolean NOT NULL)"
    )
    cursor.execute(
        "INSERT INTO filter_fandoms (work_id, tag_id, fandom) "
        "SELECT DISTINCT work_id, merged_id, type = %s FROM filter_tags WHERE type IN (%s, %s)",
        [TagType.FANDOM.value, TagType.FANDOM.value, TagType.RELATIONSHIP.value],
    )
    cursor.execute("CREATE INDEX filter_fandoms_key ON filter_fandoms (work_id, fandom)")
    _analyze(cursor, "filter_fandoms")
    cursor.execute(
        f"CREATE TEMPORARY TABLE filter_flags (work_id {id_type} PRIMARY KEY, "
        f"crossover boolean NOT NULL, otp boolean NOT NULL)"
    )
    cursor.execute(
        "INSERT INTO filter_flags (work_id, crossover, otp) "
        "SELECT b.work_id, false, COALESCE(r.relationships, 0) = 1 FROM filter_batch b "
        "LEFT JOIN (SELECT work_id, COUNT(*) AS relationships FROM filter_fandoms "
        "WHERE NOT fandom GROUP BY work_id) r ON r.work_id = b.work_id"
    )
    # Two fandoms are related when one is the other or a meta tag of it, or they share a meta
    # tag; a work is a crossover when no fandom of it is related to all the others. Only works
    # with two fandoms or more can be one.
    related = (
        f"c.tag_id = a.tag_id "
        f"OR EXISTS (SELECT 1 FROM {tables.meta} m WHERE m.sub_tag_id = a.tag_id "
        f"AND m.meta_tag_id = c.tag_id) "
        f"OR EXISTS (SELECT 1 FROM {tables.meta} m WHERE m.sub_tag_id = c.tag_id "
        f"AND m.meta_tag_id = a.tag_id) "
        f"OR EXISTS (SELECT 1 FROM {tables.meta} m1 JOIN {tables.meta} m2 "
        f"ON m2.meta_tag_id = m1.meta_tag_id "
        f"WHERE m1.sub_tag_id = a.tag_id AND m2.sub_tag_id = c.tag_id)"
    )
    cursor.execute(
        f"UPDATE filter_flags SET crossover = true "
        f"WHERE work_id IN (SELECT work_id FROM filter_fandoms WHERE fandom "
        f"GROUP BY work_id HAVING COUNT(*) > 1) "
        f"AND NOT EXISTS (SELECT 1 FROM filter_fandoms a "
        f"WHERE a.work_id = filter_flags.work_id AND a.fandom "
        f"AND NOT EXISTS (SELECT 1 FROM filter_fandoms c "
        f"WHERE c.work_id = filter_flags.work_id AND c.fandom AND NOT ({related})))"
    )
    cursor.execute(
        f"UPDATE {tables.work} SET crossover = f.crossover, otp = f.otp FROM filter_flags f "
        f"WHERE f.work_id = {tables.work}.id "
        f"AND ({tables.work}.crossover <> f.crossover OR {tables.work}.otp <> f.otp)"
    )
