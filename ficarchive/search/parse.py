"""Reading a search from a request: form fields, sidebar checkboxes and the shortcuts readers
type into the free text (`words>1000`, `kudos:>10`, `complete:true`, `sort:kudos`), as the
largest archive's QueryCleaner reads them. Whatever cannot be read becomes a message, never
an error page."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.http import QueryDict

from ficarchive.search.query import (
    COUNTERS,
    MAX_TAGS,
    MAX_TEXT,
    DateRange,
    NumberRange,
    Sort,
    WorkQuery,
)
from ficarchive.search.ranges import RangeError, date_bound, parse_date_range, parse_number_range
from ficarchive.tags.autocomplete import tags_autocomplete
from ficarchive.tags.models import TAG_NAME_MAX, Tag, TagType, tag_key
from ficarchive.tags.names import clean_tag_name
from ficarchive.works.models import Language

MAX_PAGE = 1_000_000
# Room for MAX_TAGS tags of any length in a comma-separated field.
TAG_LIST_MAX = MAX_TAGS * (TAG_NAME_MAX + 2)
SORT_WORDS: dict[str, Sort] = {
    "best": Sort.BEST,
    "relevance": Sort.BEST,
    "_score": Sort.BEST,
    "creator": Sort.CREATOR,
    "creators": Sort.CREATOR,
    "author": Sort.CREATOR,
    "authors_to_sort_on": Sort.CREATOR,
    "title": Sort.TITLE,
    "title_to_sort_on": Sort.TITLE,
    "posted": Sort.POSTED,
    "created_at": Sort.POSTED,
    "published": Sort.POSTED,
    "updated": Sort.UPDATED,
    "revised_at": Sort.UPDATED,
    "revised": Sort.UPDATED,
    "date": Sort.UPDATED,
    "words": Sort.WORDS,
    "word_count": Sort.WORDS,
    "hits": Sort.HITS,
    "kudos": Sort.KUDOS,
    "kudos_count": Sort.KUDOS,
    "comments": Sort.COMMENTS,
    "comments_count": Sort.COMMENTS,
    "bookmarks": Sort.BOOKMARKS,
    "bookmarks_count": Sort.BOOKMARKS,
}
_COUNTER_WORDS = {
    "words": "words",
    "word_count": "words",
    "hits": "hits",
    "kudos": "kudos",
    "kudos_count": "kudos",
    "comments": "comments",
    "comments_count": "comments",
    "bookmarks": "bookmarks",
    "bookmarks_count": "bookmarks",
}
_COUNTER_SHORTCUT = re.compile(
    r"(?<!\S)(?P<name>" + "|".join(_COUNTER_WORDS) + r")\s*:?\s*"
    r"(?P<value>(?:<=|>=|<|>|=)?\s*\d[\d,]*(?:\s*-\s*\d[\d,]*)?)(?!\S)",
    re.IGNORECASE,
)
_SORT_SHORTCUT = re.compile(r"(?<!\S)sort\s*:\s*(?P<dir>[<>])?\s*(?P<name>\w+)(?!\S)", re.I)
_FLAG_SHORTCUT = re.compile(
    r"(?<!\S)(?P<name>complete|otp|crossover|single_chapter|restricted)\s*:\s*"
    r"(?P<value>true|false|yes|no|t|f)(?!\S)",
    re.IGNORECASE,
)
_UNIT = r"(?:hour|day|week|month|year)s?"
_DATE_SHORTCUT = re.compile(
    r"(?<!\S)(?P<name>updated|revised_at|revised|posted|published|created_at)\s*:\s*"
    rf"(?P<value>(?:<=|>=|<|>)?\s*(?:\d{{1,5}}\s*{_UNIT}(?:\s+ago)?|[\d\-.]+(?:to[\d\-.]+)?))"
    r"(?!\S)",
    re.IGNORECASE,
)
_LANGUAGE_SHORTCUT = re.compile(r"(?<!\S)language(?:_id)?\s*:\s*(?P<code>[\w\-]+)(?!\S)", re.I)
_PAIRING = re.compile(r"(?<![\w\"/])([mf]/[mf])(?![\w\"/])", re.IGNORECASE)


@dataclass
class ParsedSearch:
    """A query read from a request, the tags it names (by id, for showing them), and what
    could not be read."""

    query: WorkQuery
    tags: dict[int, Tag] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def parse_search(params: QueryDict, base: WorkQuery | None = None) -> ParsedSearch:
    """The search a request's GET parameters describe, on top of `base` (a tag page's tag)."""
    reader = _Reader(params)
    return reader.read(base or WorkQuery())


class _Reader:
    def __init__(self, params: QueryDict) -> None:
        self.params = params
        self.errors: list[str] = []
        self.fields: dict[str, Any] = {}

    def one(self, name: str, limit: int = MAX_TEXT) -> str:
        value = self.params.get(name, "")
        return value[:limit] if isinstance(value, str) else ""

    def many(self, name: str) -> list[str]:
        return [value[:MAX_TEXT] for value in self.params.getlist(name) if value.strip()]

    def read(self, base: WorkQuery) -> ParsedSearch:
        text = self.text_shortcuts(self.one("q"))
        self.fields["text"] = text
        self.fields["title"] = self.one("title").strip()
        self.fields["creators"] = self.one("creators").strip()
        self.read_flags()
        self.read_ranges()
        self.read_sort()
        self.read_page()
        tags = self.read_tags(base)
        query = WorkQuery(**{**base.__dict__, **self.fields})
        if query.tag_count() > MAX_TAGS:
            self.errors.append(
                f"A search can name at most {MAX_TAGS} tags; this one names "
                f"{query.tag_count()}. Only the first {MAX_TAGS} were used."
            )
            query = _first_tags(query, MAX_TAGS)
        return ParsedSearch(query, tags, self.errors)

    # The free text.

    def text_shortcuts(self, text: str) -> str:
        text = _COUNTER_SHORTCUT.sub(self._counter, text)
        text = _SORT_SHORTCUT.sub(self._sort, text)
        text = _FLAG_SHORTCUT.sub(self._flag, text)
        text = _DATE_SHORTCUT.sub(self._date, text)
        text = _LANGUAGE_SHORTCUT.sub(self._language, text)
        text = _PAIRING.sub(r'"\1"', text)
        return " ".join(text.split())

    def _counter(self, found: re.Match[str]) -> str:
        name = _COUNTER_WORDS[found["name"].lower()]
        self.add_range(name, found["value"])
        return " "

    def _sort(self, found: re.Match[str]) -> str:
        sort = SORT_WORDS.get(found["name"].lower())
        if sort is None:
            self.errors.append(f"sort:{found['name']} is not a way to sort; {_sort_help()}")
            return " "
        self.fields["sort"] = sort
        if found["dir"]:
            # As in the largest archive: sort:>words is the smallest first.
            self.fields["ascending"] = found["dir"] == ">"
        return " "

    def _flag(self, found: re.Match[str]) -> str:
        value = found["value"].lower() in ("true", "yes", "t")
        name = found["name"].lower()
        self.fields[name] = value
        return " "

    def _date(self, found: re.Match[str]) -> str:
        name = (
            "posted"
            if found["name"].lower() in ("posted", "published", "created_at")
            else "updated"
        )
        self.add_date_range(name, found["value"])
        return " "

    def _language(self, found: re.Match[str]) -> str:
        self.add_languages([found["code"]])
        return " "

    # Form fields.

    def read_flags(self) -> None:
        for name in ("complete", "crossover", "single_chapter", "otp"):
            value = self.one(name).strip().lower()
            if value in ("true", "t", "1", "yes", "on"):
                self.fields[name] = True
            elif value in ("false", "f", "0", "no"):
                self.fields[name] = False
            elif value not in ("", "all", "any"):
                self.errors.append(f"{name}: {value[:20]!r} is not one of true, false or empty")

    def read_ranges(self) -> None:
        for name in COUNTERS:
            value = self.one(name).strip()
            if value:
                self.add_range(name, value)
            low, high = self.one(f"{name}_from").strip(), self.one(f"{name}_to").strip()
            if low or high:
                self.add_range(name, f"{low or 0}-{high or 2**31 - 1}")
        for name in ("posted", "updated"):
            value = self.one(name).strip()
            if value:
                self.add_date_range(name, value)
            low, high = self.one(f"{name}_from").strip(), self.one(f"{name}_to").strip()
            try:
                bounds = DateRange(
                    date_bound(low, f"{name} from", end=False) if low else None,
                    date_bound(high, f"{name} to", end=True) if high else None,
                )
            except RangeError as error:
                self.errors.append(str(error))
                continue
            if low or high:
                self.merge_date(name, bounds)

    def read_sort(self) -> None:
        value = self.one("sort").strip().lower()
        if value:
            sort = SORT_WORDS.get(value)
            if sort is None:
                self.errors.append(f"{value[:30]!r} is not a way to sort; {_sort_help()}")
            else:
                self.fields["sort"] = sort
        order = self.one("order").strip().lower()
        if order in ("asc", "desc"):
            self.fields["ascending"] = order == "asc"
        elif order:
            self.errors.append(f"order: {order[:20]!r} is not asc or desc")

    def read_page(self) -> None:
        value = self.one("page").strip()
        if not value:
            return
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_PAGE:
            self.fields["page"] = int(value)
        else:
            self.errors.append(f"page: {value[:20]!r} is not a page number; showing the first")

    def add_range(self, name: str, value: str) -> None:
        try:
            new = parse_number_range(value, name)
        except RangeError as error:
            self.errors.append(str(error))
            return
        ranges: dict[str, NumberRange] = dict(self.fields.get("ranges", {}))
        old = ranges.get(name)
        if old is not None:
            new = NumberRange(_max(old.low, new.low), _min(old.high, new.high))
        ranges[name] = new
        self.fields["ranges"] = ranges

    def add_date_range(self, name: str, value: str) -> None:
        try:
            self.merge_date(name, parse_date_range(value, name))
        except RangeError as error:
            self.errors.append(str(error))

    def merge_date(self, name: str, new: DateRange) -> None:
        dates: dict[str, DateRange] = dict(self.fields.get("dates", {}))
        old = dates.get(name)
        if old is not None:
            new = DateRange(_max(old.low, new.low), _min(old.high, new.high))
        dates[name] = new
        self.fields["dates"] = dates

    def add_languages(self, codes: Iterable[str]) -> None:

        wanted = [code.strip() for code in codes if code.strip()]
        if not wanted:
            return
        found = {
            code.casefold(): pk
            for pk, code in Language.objects.filter(code__in=wanted[:100]).values_list("pk", "code")
        }
        for code in wanted:
            if code.casefold() not in found:
                self.errors.append(f"language: no works are in {code[:20]!r}")
        ids = tuple(dict.fromkeys([*self.fields.get("language_ids", ()), *found.values()]))
        # A language nobody writes in finds nothing, not everything.
        self.fields["language_ids"] = ids or (0,)

    # Tags.

    def read_tags(self, base: WorkQuery) -> dict[int, Tag]:
        self.add_languages(self.many("language"))
        include_names = [
            *_split(self.one("tags", TAG_LIST_MAX)),
            *(
                name
                for tag_type in ("fandoms", "characters", "relationships", "freeforms")
                for name in _split(self.one(tag_type, TAG_LIST_MAX))
            ),
        ]
        exclude_names = _split(self.one("exclude_tags", TAG_LIST_MAX))
        include_ids = self.ids("include")
        exclude_ids = self.ids("exclude")
        rating_values = self.many("rating")
        by_name = _tags_named([*include_names, *exclude_names, *rating_values])
        tags: dict[int, Tag] = {tag.pk: tag for tag in by_name.values()}
        tags.update(Tag.objects.in_bulk([*include_ids, *exclude_ids, *base.include_tag_ids]))

        ratings: list[int] = []
        for value in rating_values:
            tag = by_name.get(tag_key(clean_tag_name(value)))
            if tag is None and value.isdigit():
                tag = Tag.objects.filter(pk=int(value[:18]), type=TagType.RATING).first()
            if tag is None or tag.type != TagType.RATING:
                self.errors.append(f"rating: {value[:40]!r} is not a rating")
                continue
            tags[tag.pk] = tag
            ratings.append(tag.pk)
        if ratings:
            self.fields["rating_ids"] = tuple(dict.fromkeys(ratings))

        includes = list(base.include_tag_ids)
        excludes = list(base.exclude_tag_ids)
        unknown_in, unknown_out = list(base.include_tag_names), list(base.exclude_tag_names)
        for names, known, unknown in (
            (include_names, includes, unknown_in),
            (exclude_names, excludes, unknown_out),
        ):
            for name in names:
                tag = by_name.get(tag_key(name))
                if tag is None:
                    unknown.append(name)
                    self.errors.append(_unknown_tag(name))
                else:
                    known.append(tag.pk)
        for ids, known in ((include_ids, includes), (exclude_ids, excludes)):
            for pk in ids:
                if pk in tags:
                    known.append(pk)
                else:
                    self.errors.append(f"there is no tag with the id {pk}")
        self.fields["include_tag_ids"] = tuple(dict.fromkeys(includes))
        self.fields["exclude_tag_ids"] = tuple(dict.fromkeys(excludes))
        self.fields["include_tag_names"] = tuple(dict.fromkeys(unknown_in))
        self.fields["exclude_tag_names"] = tuple(dict.fromkeys(unknown_out))
        return tags

    def ids(self, name: str) -> list[int]:
        ids: list[int] = []
        for value in self.many(name):
            for part in value.split(","):
                part = part.strip()
                if part.isascii() and part.isdigit() and len(part) <= 18:
                    ids.append(int(part))
                elif part:
                    self.errors.append(f"{name}: {part[:20]!r} is not a tag id")
        return ids


def _unknown_tag(name: str) -> str:
    """Says that no tag has this name, with the nearest names autocomplete knows: those of
    the name's words, else of their first letters (a typo late in a word)."""
    shown = name[:60]
    suggestions = tags_autocomplete(name, limit=3)
    if not suggestions:
        stems = " ".join(word[:4] for word in name.split() if len(word) >= 4)
        suggestions = tags_autocomplete(stems, limit=3) if stems else []
    message = f"No tag is named “{shown}”: works with those words in their tags are shown."
    if suggestions:
        names = ", ".join(f"“{suggestion.name}”" for suggestion in suggestions)
        message += f" Did you mean {names}?"
    return message


def _split(value: str) -> list[str]:
    names = (clean_tag_name(part) for part in value.split(","))
    return [name for name in names if name and len(name) <= TAG_NAME_MAX and "\x00" not in name]


def _tags_named(names: Iterable[str]) -> dict[str, Tag]:
    keys = {tag_key(clean_tag_name(name)) for name in names if name.strip()}
    found: dict[str, Tag] = {}
    key_list = sorted(keys)
    for start in range(0, len(key_list), 500):
        for tag in Tag.objects.filter(key__in=key_list[start : start + 500]):
            found[tag.key] = tag
    return found


def _first_tags(query: WorkQuery, limit: int) -> WorkQuery:
    include = query.include_tag_ids[:limit]
    exclude = query.exclude_tag_ids[: max(0, limit - len(include))]
    left = limit - len(include) - len(exclude)
    names_in = query.include_tag_names[: max(0, left)]
    names_out = query.exclude_tag_names[: max(0, left - len(names_in))]
    return replace(
        query,
        include_tag_ids=include,
        exclude_tag_ids=exclude,
        include_tag_names=names_in,
        exclude_tag_names=names_out,
    )


def _sort_help() -> str:
    return "sort by one of " + ", ".join(sort.value for sort in Sort)


def _max(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _min(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)
