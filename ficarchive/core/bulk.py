"""Fast inserts of many rows for the importer and the demo generator.

The ORM's bulk_create builds a model instance per row, which dominates the time at millions of
rows; this writes plain tuples instead: COPY on PostgreSQL, executemany on SQLite. Written by hand
because no maintained library covers both databases.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models


@functools.cache
def _adapters(
    model: type[models.Model], fields: tuple[str, ...], vendor: str
) -> list[Callable[[Any], Any]]:
    ops = connection.ops
    adapters: list[Callable[[Any], Any]] = []
    for name in fields:
        field = model._meta.get_field(name)
        if vendor == "postgresql":
            adapters.append(_same)
        elif isinstance(field, models.DateTimeField):
            adapters.append(ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapters.append(ops.adapt_datefield_value)
        else:
            adapters.append(_same)
    return adapters


def _same(value: Any) -> Any:
    return value


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 10_000,
) -> int:
    """Insert rows (tuples in the order of `fields`) into the model's table; returns the count.

    Field names are model field names; foreign keys take their `_id` column values. Runs in the
    caller's transaction.
    """
    meta = model._meta
    columns = [str(meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        adapters = _adapters(model, tuple(fields), connection.vendor)
        needs_adapting = any(adapter is not _same for adapter in adapters)
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            if needs_adapting:
                row = [adapt(value) for adapt, value in zip(adapters, row, strict=True)]
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def reset_sequence(model: type[models.Model]) -> None:
    """Move the id sequence past the largest id, after rows were inserted with explicit ids.

    SQLite's AUTOINCREMENT follows explicit ids by itself; PostgreSQL's identity sequence does
    not.
    """
    if connection.vendor != "postgresql":
        return
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), "
            f"COALESCE((SELECT MAX({connection.ops.quote_name(pk)}) FROM "
            f"{connection.ops.quote_name(table)}), 1), "
            f"(SELECT COUNT(*) > 0 FROM {connection.ops.quote_name(table)}))",
            [table, pk],
        )


def insert_instances(model: type[models.Model], instances: Iterable[models.Model]) -> int:
    """Insert unsaved model instances whose primary keys are already set, defaults included."""
    fields = list(model._meta.concrete_fields)
    return bulk_insert(
        model,
        [field.name for field in fields],
        ([getattr(instance, field.attname) for field in fields] for instance in instances),
    )
