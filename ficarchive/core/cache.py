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
from typing import Any

from django.core.cache.backends import db
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

# The table (the settings' LOCATION; core.models.CacheEntry).
TABLE = "core_cache"


class DatabaseCache(db.DatabaseCache):
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
