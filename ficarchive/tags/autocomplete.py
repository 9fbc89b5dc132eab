"""Tag autocomplete for forms and search: each word of the query matches the start of a word
of a tag's name, canonical tags first, optionally of one type and within one fandom.

Each tag has a TagWord row per word of its name, holding the name from that word to the end
(with the tag's type and canonical flag copied), so that a query typed from the start of a word
("harry pot") is one index range on SQLite and PostgreSQL alike, whatever the number of tags.
Other queries of several words ("har pot") start from the word with fewest matches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from ficarchive.core.bulk import bulk_insert
from ficarchive.tags.models import ParentTagging, Tag, TagWord
from ficarchive.tags.names import name_phrases, name_words

DEFAULT_LIMIT = 15
# Rows fetched per lookup before ranking; bounded, so that a one-letter prefix costs the same
# as a long one.
_CANDIDATES = 100
# For a query of words typed apart, the rows of its rarest word checked against the others, at
# most: past that, the first matches found are the answer (the reader types on to narrow it).
_SCAN = 300


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: int
    name: str
    type: str
    canonical: bool

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "type": self.type, "canonical": self.canonical}


def tag_words_write(tags: Iterable[tuple[int, str, str, bool]]) -> int:
    """Write the autocomplete phrases of new tags, given as (id, name, type, canonical)."""
    return bulk_insert(
        TagWord,
        ("tag", "phrase", "type", "canonical"),
        (
            (pk, phrase, type_, canonical)
            for pk, name, type_, canonical in tags
            for phrase in name_phrases(name)
        ),
    )


def tag_words_refresh(tag: Tag) -> None:
    """Bring one tag's words in line with its name, type and canonical flag."""
    TagWord.objects.filter(tag=tag).delete()
    tag_words_write([(tag.pk, tag.name, tag.type, tag.canonical)])


def tag_words_rebuild(batch_size: int = 20_000) -> int:
    """Rewrite every tag's words (after loading tags some other way); returns the rows."""
    TagWord.objects.all().delete()
    written = 0
    last = 0
    while True:
        tags = list(
            Tag.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "name", "type", "canonical")[:batch_size]
        )
        if not tags:
            return written
        written += tag_words_write(tags)
        last = tags[-1][0]


def _upper(prefix: str) -> str:
    """The smallest string above every string that starts with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def tags_autocomplete(
    query: str,
    *,
    type: str | None = None,
    fandom: Tag | None = None,
    canonical_only: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> list[Suggestion]:
    """Tags with a word starting with each word of `query`: canonical tags first, then names
    that start with the query, then shorter names; `fandom` keeps the tags that have it as a
    parent."""
    words = name_words(query)
    if not words and fandom is None:
        return []
    found: dict[int, Suggestion] = {}
    for canonical in (True,) if canonical_only else (True, False):
        lookup = _Lookup(canonical, type, fandom)
        for tag in lookup.phrase(" ".join(words)):
            found.setdefault(tag.id, tag)
        if len(words) > 1 and len(found) < limit:
            for tag in lookup.apart(words):
                found.setdefault(tag.id, tag)
        if len(found) >= limit:
            break
    folded = " ".join(words)
    ranked = sorted(
        found.values(),
        key=lambda tag: (
            not tag.canonical,
            not " ".join(name_words(tag.name)).startswith(folded),
            len(tag.name),
            tag.name.casefold(),
        ),
    )
    return ranked[:limit]


class _Lookup:
    """The SQL of one pass (canonical tags, or the others) over the phrases."""

    def __init__(self, canonical: bool, type: str | None, fandom: Tag | None):
        quote = connection.ops.quote_name
        self.words = quote(TagWord._meta.db_table)
        self.tags = quote(Tag._meta.db_table)
        self.parents = quote(ParentTagging._meta.db_table)
        self.canonical, self.type, self.fandom = canonical, type, fandom

    def _where(self) -> tuple[str, list[Any]]:
        sql, params = "w.canonical = %s", list[Any]([self.canonical])
        if self.type:
            sql += " AND w.type = %s"
            params.append(self.type)
        return sql, params

    def _run(self, sql: str, params: list[Any]) -> list[Suggestion]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [Suggestion(pk, name, t, bool(c)) for pk, name, t, c in cursor.fetchall()]

    def phrase(self, phrase: str) -> list[Suggestion]:
        """Tags with a phrase that starts with this one (any tag of the fandom when empty)."""
        where, params = self._where()
        if phrase:
            where += " AND w.phrase >= %s AND w.phrase < %s"
            params += [phrase, _upper(phrase)]
        if self.fandom is not None:
            # A fandom has a few thousand children at most: start from them.
            source = (
                f"{self.parents} p JOIN {self.words} w ON w.tag_id = p.child_id "
                f"JOIN {self.tags} t ON t.id = w.tag_id"
            )
            where = "p.parent_id = %s AND " + where
            params.insert(0, self.fandom.pk)
        else:
            source = f"{self.words} w JOIN {self.tags} t ON t.id = w.tag_id"
        return self._run(
            f"SELECT t.id, t.name, t.type, t.canonical FROM {source} WHERE {where} "
            f"ORDER BY w.phrase LIMIT %s",
            [*params, _CANDIDATES],
        )

    def _count(self, word: str) -> int:
        """How many phrases start with this word, counting up to _SCAN."""
        where, params = self._where()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.words} w WHERE {where} "
                f"AND w.phrase >= %s AND w.phrase < %s LIMIT %s) counted",
                [*params, word, _upper(word), _SCAN],
            )
            return int(cursor.fetchone()[0])

    def apart(self, words: list[str]) -> list[Suggestion]:
        """Tags with a word starting with each of these words, wherever they are: from the
        rarest word's phrases, checking the others."""
        rarest = min(words, key=self._count)
        where, params = self._where()
        params += [rarest, _upper(rarest), _SCAN]
        checks = ""
        for word in words:
            if word != rarest:
                checks += (
                    f" AND EXISTS (SELECT 1 FROM {self.words} o WHERE o.tag_id = d.tag_id "
                    f"AND o.phrase >= %s AND o.phrase < %s)"
                )
                params += [word, _upper(word)]
        if self.fandom is not None:
            checks += (
                f" AND EXISTS (SELECT 1 FROM {self.parents} p WHERE p.child_id = d.tag_id "
                f"AND p.parent_id = %s)"
            )
            params.append(self.fandom.pk)
        return self._run(
            f"SELECT t.id, t.name, t.type, t.canonical FROM ("
            f"SELECT w.tag_id FROM {self.words} w WHERE {where} "
            f"AND w.phrase >= %s AND w.phrase < %s ORDER BY w.phrase LIMIT %s) d "
            f"JOIN {self.tags} t ON t.id = d.tag_id WHERE true{checks} LIMIT %s",
            [*params, _CANDIDATES],
        )
