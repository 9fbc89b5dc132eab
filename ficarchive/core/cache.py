"""The shared cache without Redis: Django's database cache, with an increment that every
worker can trust.

Rate limits, hit keys and guests' cached pages must be one store for every worker, or each
worker counts alone (five workers let five times the tries through). Without REDIS_URL the
cache is the archive's own database (the `core_cache` table, made by a migration). Django's
DatabaseCache adds atomically (an insert that loses the race fails), but its `incr` is a get
and a set, so two workers counting at once could both write the same number; here the row is
locked for the read and the write (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
transaction takes the write lock when it begins).
"""

from __future__ import annotations

import base64
import pickle
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends import db
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.db import DatabaseError, connections, models, router, transaction
from django.utils.timezone import now as tz_now

# The table (the settings' LOCATION; core.models.CacheEntry).
TABLE = "core_cache"


class DatabaseCache(db.DatabaseCache):
    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        """All the entries in one transaction, with one look at the table's size, where
        Django's sets each alone (a count of the whole table, a transaction and a commit each:
        a listing's twenty blurbs cost 23 commits). Returns the keys not stored, as Django's."""
        if len(data) <= 1:
            return super().set_many(data, timeout, version)
        rows = {
            self.make_and_validate_key(key, version=version): base64.b64encode(
                pickle.dumps(value, self.pickle_protocol)
            ).decode("latin1")
            for key, value in data.items()
        }
        backend_timeout = self.get_backend_timeout(timeout)
        if backend_timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(backend_timeout, tz=UTC if settings.USE_TZ else None)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, key_column = quote(TABLE), quote("cache_key")
        stored_expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        try:
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                count = cursor.fetchone()[0]
                if count > self._max_entries:
                    self._cull(alias, cursor, tz_now().replace(microsecond=0), count)  # type: ignore[attr-defined]
                marks = ", ".join(["%s"] * len(rows))
                cursor.execute(f"DELETE FROM {table} WHERE {key_column} IN ({marks})", list(rows))
                cursor.executemany(
                    f"INSERT INTO {table} ({key_column}, {quote('value')}, {quote('expires')}) "
                    "VALUES (%s, %s, %s)",
                    [(key, value, stored_expires) for key, value in rows.items()],
                )
        except DatabaseError:
            # As Django's own sets: a write that loses a race fails quietly.
            return list(data)
        return []

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, key_column = quote(TABLE), quote("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "
                f"WHERE {key_column} = %s{lock}",
                [key],
            )
            row = cursor.fetchone()
            if row is None or _expires(connection, row[1]) < tz_now():
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {key_column} = %s",
                [encoded, key],
            )
        return int(value)


def _expires(connection: Any, value: Any) -> Any:
    """A stored expiry as an aware datetime, converted as Django's own cache does."""
    expression = models.Expression(output_field=models.DateTimeField())
    converters = connection.ops.get_db_converters(expression)
    for converter in converters + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value
