"""A WorkQuery for a viewer as a Tantivy query: the filters, the reader's own filters, and the
free text, parsed as the index has it. search.engine runs what this builds."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import tantivy

from ficarchive.accounts.muting import ReaderFilter
from ficarchive.search.documents import IDEOGRAPHS, spaced_ideographs
from ficarchive.search.index import (
    SCHEMA,
    STEM_BOOST,
    STEM_FIELDS,
    TEXT_FIELDS,
    register_tokenizers,
)
from ficarchive.search.query import DateRange, NumberRange, WorkQuery

_DATE_FIELDS = {"posted": "posted", "updated": "revised"}


class TantivyQuery:
    """A WorkQuery for a viewer as a Tantivy query: `query` with the reader's own filters,
    `base` without them (what the listing's "hid N works" line counts against)."""

    def __init__(self, query: WorkQuery, viewer: Any) -> None:
        self.work_query = query
        self.viewer = viewer
        self.errors: list[str] = []
        # The reader's filters as they apply to this query (WorkQuery.effective_reader).
        self.reader = query.effective_reader()

    @functools.cached_property
    def query(self) -> Any:
        """The query with the reader's filters around it: muted tags and users left out, default
        filters required, neither changing best-match scores."""
        if self.reader is None:
            return self.base
        reader_must, reader_must_not = _reader_queries(self.reader)
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Must, self.base),
                *[(tantivy.Occur.Must, clause) for clause in reader_must],
                *[(tantivy.Occur.MustNot, clause) for clause in reader_must_not],
            ]
        )

    @functools.cached_property
    def base(self) -> Any:
        """The query without the reader's own filters."""
        query = self.work_query
        must: list[Any] = []
        must_not: list[Any] = []
        if not self.viewer.is_authenticated:
            if query.restricted:
                return tantivy.Query.empty_query()
            must_not.append(term("restricted", True))
        elif query.restricted is not None:
            must.append(term("restricted", query.restricted))
        for tag_id in query.include_tag_ids:
            must.append(term("filter_ids", tag_id))
        for tag_id in query.exclude_tag_ids:
            must_not.append(term("filter_ids", tag_id))
        if query.rating_ids:
            must.append(any_of("filter_ids", query.rating_ids))
        if query.language_ids:
            must.append(any_of("language_id", query.language_ids))
        if query.collection_id is not None:
            must.append(term("collection_ids", query.collection_id))
        for name in ("complete", "single_chapter", "crossover", "otp"):
            value = getattr(query, name)
            if value is not None:
                must.append(term(name, value))
        for name, bounds in query.ranges.items():
            must.append(_number_range(name, bounds))
        for name, date_bounds in query.dates.items():
            range_query = _date_range(_DATE_FIELDS[name], date_bounds)
            if range_query is not None:
                must.append(range_query)
        must.extend(self._creator_clauses())
        for name in query.include_tag_names:
            must.append(self._text(_phrase(name), ["tags"]))
        for name in query.exclude_tag_names:
            must_not.append(self._text(_phrase(name), ["tags"]))

        text = [
            self._text(query.text, list(TEXT_FIELDS)) if query.text.strip() else None,
            self._text(query.title, ["title"]) if query.title.strip() else None,
            self._text(query.creators, ["creators"]) if query.creators.strip() else None,
        ]
        scored = [clause for clause in text if clause is not None]
        filters = [(tantivy.Occur.Must, clause) for clause in must] + [
            (tantivy.Occur.MustNot, clause) for clause in must_not
        ]
        if not filters and not scored:
            return tantivy.Query.all_query()
        if not must:
            # Only exclusions: they need something to exclude from.
            filters.append((tantivy.Occur.Must, tantivy.Query.all_query()))
        if not scored:
            return tantivy.Query.boolean_query(filters)
        # Filters must not change best-match scores: they count for nothing.
        filter_query = tantivy.Query.const_score_query(tantivy.Query.boolean_query(filters), 0.0)
        clauses = [(tantivy.Occur.Must, clause) for clause in scored]
        return tantivy.Query.boolean_query([*clauses, (tantivy.Occur.Must, filter_query)])

    def _creator_clauses(self) -> list[Any]:
        query = self.work_query
        own = (
            self.viewer.is_authenticated
            and query.creator_user_id is not None
            and self.viewer.pk == query.creator_user_id
        )
        clauses = []
        if query.creator_user_id is not None:
            name = "private_user_ids" if own else "user_ids"
            clauses.append(term(name, query.creator_user_id))
        if query.creator_pseud_id is not None:
            name = "private_pseud_ids" if own else "pseud_ids"
            clauses.append(term(name, query.creator_pseud_id))
        return clauses

    def _text(self, text: str, fields: list[str]) -> Any:
        index = _parser_index()
        boosts = {name: TEXT_FIELDS[name] for name in fields if TEXT_FIELDS[name] != 1.0}
        text = _prepared_text(_safe_fields(text))
        if set(fields) == set(TEXT_FIELDS) and not _NAMED_FIELD.search(text):
            # Free text over every field also finds the words' stems, in each language's
            # stemmed field, below exact matches; phrases stay exact (on the exact fields).
            text = _exact_phrases(text)
            fields = [*fields, *STEM_FIELDS]
            boosts.update(dict.fromkeys(STEM_FIELDS, STEM_BOOST))
        try:
            parsed, errors = index.parse_query_lenient(
                text, fields, field_boosts=boosts, conjunction_by_default=True
            )
            if errors and any("only excluding" in str(error).lower() for error in errors):
                # `-creators:someone` alone: everything but that.
                parsed, errors = index.parse_query_lenient(
                    "* " + text, fields, field_boosts=boosts, conjunction_by_default=True
                )
        except ValueError as error:
            self.errors.append(f"Your search could not be read: {error}")
            return tantivy.Query.empty_query()
        if errors:
            self.errors.append(
                "Part of your search could not be read and was left out; check quotes and brackets."
            )
        return parsed


@functools.lru_cache(maxsize=512)
def _reader_queries(reader: ReaderFilter) -> tuple[list[Any], list[Any]]:
    """A reader's clauses, kept built: with thousands of muted users, making the term sets
    anew cost a millisecond a search, and a reader's filters change rarely."""
    must: list[Any] = []
    must_not: list[Any] = []
    if reader.muted_tag_ids:
        must_not.append(
            tantivy.Query.term_set_query(SCHEMA, "filter_ids", list(reader.muted_tag_ids))
        )
    if reader.muted_user_ids:
        # Public creators only: hiding anonymous works too would tell who wrote them.
        must_not.append(
            tantivy.Query.term_set_query(SCHEMA, "user_ids", list(reader.muted_user_ids))
        )
    required = []
    if reader.complete is not None:
        required.append(term("complete", reader.complete))
    if reader.language_ids:
        required.append(any_of("language_id", reader.language_ids))
    if required:
        # Default filters must not change best-match scores either.
        must.append(
            tantivy.Query.const_score_query(
                tantivy.Query.boolean_query([(tantivy.Occur.Must, c) for c in required]), 0.0
            )
        )
    return must, must_not


_FIELD = re.compile(r"(?P<neg>[-+]?)(?P<name>\b[A-Za-z_]+):")
# Field names readers use for the text fields.
_FIELD_ALIASES = {
    "creator": "creators",
    "author": "creators",
    "authors": "creators",
    "tag": "tags",
    "endnotes": "notes",
    "body": "text",
    "chapters": "text",
}


def _safe_fields(text: str) -> str:
    """Only the text fields may be named in the free text (`title:`, `summary:`...): the
    index's other fields (creator ids of anonymous works, for one) are not for queries."""

    def field_name(found: re.Match[str]) -> str:
        name = found["name"].lower()
        name = _FIELD_ALIASES.get(name, name)
        if name in TEXT_FIELDS:
            return f"{found['neg']}{name}:"
        return f"{found['neg']}{found['name']} "

    return _FIELD.sub(field_name, text)


_IDEOGRAPH_RUN = re.compile(f"[{IDEOGRAPHS}]+")
_NAMED_FIELD = re.compile(r"\b(?:" + "|".join(TEXT_FIELDS) + r"):")
_QUOTED = re.compile(r'"[^"]*"')


def _exact_phrases(text: str) -> str:
    """Each quoted phrase as the same phrase in any of the exact text fields, so that the
    stemmed fields (which keep no positions) never see a phrase."""

    def exact(found: re.Match[str]) -> str:
        phrase = found.group()
        if not phrase.strip('" '):
            return phrase
        return "(" + " OR ".join(f"{name}:{phrase}" for name in TEXT_FIELDS) + ")"

    return _QUOTED.sub(exact, text)


def _prepared_text(text: str) -> str:
    """A query with its ideographs spaced as the index has them: a run of them outside quotes
    becomes a phrase, as a word would be."""
    parts = text.split('"')
    for position, part in enumerate(parts):
        if position % 2:
            parts[position] = spaced_ideographs(part)
        else:
            parts[position] = _IDEOGRAPH_RUN.sub(
                lambda found: '"' + " ".join(found.group()) + '"', part
            )
    return '"'.join(parts)


def _parser_index() -> tantivy.Index:
    """An empty in-memory index with the archive's schema and tokenizer: what parses text
    queries, whichever index folder is live."""
    global _PARSER
    if _PARSER is None:
        index = tantivy.Index(SCHEMA)
        register_tokenizers(index)
        _PARSER = index
    return _PARSER


_PARSER: tantivy.Index | None = None


def term(name: str, value: Any) -> Any:
    return tantivy.Query.term_query(SCHEMA, name, value)


def any_of(name: str, values: Sequence[Any]) -> Any:
    """Documents with any of a few values. Not a term set: that marks every document of each
    value before the rest of the query narrows them down (an English-only filter marked nine
    works in ten, a few milliseconds a search); term queries are read only where needed."""
    if len(values) == 1:
        return term(name, values[0])
    return tantivy.Query.boolean_query([(tantivy.Occur.Should, term(name, v)) for v in values])


def _phrase(name: str) -> str:
    return '"' + name.replace("\\", " ").replace('"', " ") + '"'


def _number_range(name: str, bounds: NumberRange) -> Any:
    low = None if bounds.low is None else max(0, bounds.low)
    high = bounds.high
    if high is not None and high < 0:
        return tantivy.Query.empty_query()
    if low is None and high is None:
        return tantivy.Query.all_query()
    return tantivy.Query.range_query(SCHEMA, name, tantivy.FieldType.Unsigned, low, high)


def _date_range(name: str, bounds: DateRange) -> Any:
    if bounds.low is None and bounds.high is None:
        return None
    return tantivy.Query.range_query(
        SCHEMA, name, tantivy.FieldType.Date, _utc(bounds.low), _utc(bounds.high)
    )


def _utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else moment.astimezone(UTC)
