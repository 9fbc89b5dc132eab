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
def _date_adapters(
    model: type[models.Model], fields: tuple[str, ...]
) -> tuple[tuple[int, Callable[[Any], Any]], ...]:
    """SQLite's converters for the date and datetime columns among `fields`, by position."""
    ops = connection.ops
    adapters: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(fields):
        field = model._meta.get_field(name)
        if isinstance(field, models.DateTimeField):
            adapters.append((index, ops.adapt_datetimefield_value))
        elif isinstance(field, models.DateField):
            adapters.append((index, ops.adapt_datefield_value))
    return tuple(adapters)


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    batch_size: int = 10_000,
) -> int:
    """Insert rows (tuples in the order of `fields`) into the model's table; returns the count.

    Field names are model field names; foreign keys take their `_id` column values. Columns
    not named that have a default get it (evaluated once per call), so that a field added to a
    model later does not break callers. Runs in the caller's transaction.
    """
    meta = model._meta
    others = [
        field
        for field in meta.concrete_fields
        if field.name not in fields and not field.primary_key and field.has_default()
    ]
    if others:
        defaults = tuple(field.get_default() for field in others)
        fields = (*fields, *(field.name for field in others))
        rows = ((*row, *defaults) for row in rows)
    columns = [str(meta.get_field(name).column) for name in fields]  # type: ignore[union-attr]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            # Django's errors, as from its own cursor, so that callers can catch a refused row.
            sql = f"COPY {table} ({column_list}) FROM STDIN"
            with connection.wrap_database_errors, raw.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        dates = _date_adapters(model, tuple(fields))
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"
        batch: list[Sequence[Any]] = []
        for row in rows:
            if dates:
                row = list(row)
                for index, adapt in dates:
                    row[index] = adapt(row[index])
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def insert_instances(model: type[models.Model], instances: Iterable[models.Model]) -> int:
    """Insert unsaved model instances whose primary keys are already set, defaults included."""
    fields = list(model._meta.concrete_fields)
    return bulk_insert(
        model,
        [field.name for field in fields],
        ([getattr(instance, field.attname) for field in fields] for instance in instances),
    )


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
