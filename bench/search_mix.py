"""The search benchmark's fixed query mix, drawn from the corpus with a fixed seed, and the
baseline: a straightforward Django ORM implementation of the same queries, joining through
taggings and expanding synonyms and sub tags at query time (what filter ids avoid)."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from django.db import OperationalError, connection
from django.db.models import Count, Q

from ficarchive.accounts.muting import ReaderFilter
from ficarchive.search.query import WorkQuery
from ficarchive.tags.models import FilterTagging, MetaTagging, Tag, Tagging, TagType
from ficarchive.works.models import Chapter, Creatorship, Work

DEEP_PAGE = 2000
CLASSES = ("selective", "broad", "many exclusions", "full text", "deep page")


def _top_filters(tag_type: str, limit: int) -> list[int]:
    """The canonical tags of this type that find the most works."""
    rows = (
        FilterTagging.objects.filter(filter__type=tag_type)
        .values("filter_id")
        .annotate(works=Count("work_id"))
        .order_by("-works")[:limit]
    )
    return [row["filter_id"] for row in rows]


def query_mix(per_class: int, seed: int = 2026) -> dict[str, list[WorkQuery]]:
    """`per_class` queries of each class, the same for the same corpus and seed."""
    rng = random.Random(seed)
    fandoms = _top_filters(TagType.FANDOM, 5)
    freeforms = _top_filters(TagType.FREEFORM, 40)
    listable = Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False)
    highest = listable.order_by("-id").values_list("id", flat=True).first() or 0
    samples: list[Work] = []
    while len(samples) < per_class * 2:
        work = listable.filter(pk__gte=rng.randint(1, highest)).order_by("pk").first()
        if work is not None:
            samples.append(work)

    selective: list[WorkQuery] = []
    text: list[WorkQuery] = []
    for work in samples:
        filters = dict(
            FilterTagging.objects.filter(work=work, inherited=False).values_list(
                "filter_id", "filter__type"
            )
        )
        fandom = next((pk for pk, kind in filters.items() if kind == TagType.FANDOM), None)
        others = [
            pk
            for pk, kind in filters.items()
            if kind in (TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
        ]
        rating = next((pk for pk, kind in filters.items() if kind == TagType.RATING), None)
        excluded = next((pk for pk in freeforms if pk not in filters), None)
        if fandom and others and rating and excluded and len(selective) < per_class:
            selective.append(
                WorkQuery(
                    include_tag_ids=(fandom, rng.choice(others)),
                    exclude_tag_ids=(excluded,),
                    rating_ids=(rating,),
                    language_ids=(work.language_id,),
                )
            )
        words = [word for word in re.findall(r"[A-Za-z]{5,}", work.title + " " + work.summary)]
        if fandom and words and len(text) < per_class:
            text.append(WorkQuery(text=rng.choice(words), include_tag_ids=(fandom,)))

    broad = [WorkQuery(include_tag_ids=(fandoms[n % len(fandoms)],)) for n in range(per_class)]
    exclusions = [
        WorkQuery(
            include_tag_ids=(fandoms[n % len(fandoms)],),
            exclude_tag_ids=tuple(rng.sample(freeforms, min(20, len(freeforms)))),
        )
        for n in range(per_class)
    ]
    top = fandoms[0]
    top_works = FilterTagging.objects.filter(filter_id=top).count()
    # Page 2,000 of the biggest fandom where it has that many pages, else of every work.
    deep_base = WorkQuery(include_tag_ids=(top,)) if top_works >= DEEP_PAGE * 20 else WorkQuery()
    deep = [replace(deep_base, page=DEEP_PAGE + n) for n in range(per_class)]
    return {
        "selective": selective,
        "broad": broad,
        "many exclusions": exclusions,
        "full text": text,
        "deep page": deep,
    }


def muted_reader_filter(tags: int, users: int, mix: dict[str, list[WorkQuery]]) -> ReaderFilter:
    """A reader's muted tags (canonical characters and freeforms the mix does not include)
    and muted users (creators of posted works), drawn with a fixed seed."""
    rng = random.Random(7)
    used = {pk for queries in mix.values() for query in queries for pk in query.include_tag_ids}
    candidates = list(
        Tag.objects.filter(canonical=True, type__in=[TagType.CHARACTER, TagType.FREEFORM])
        .exclude(pk__in=used)
        .order_by("pk")
        .values_list("pk", flat=True)[: tags * 20]
    )
    creators = list(
        Creatorship.objects.order_by("pseud__user_id")
        .values_list("pseud__user_id", flat=True)
        .distinct()[: users * 5]
    )
    return ReaderFilter(
        muted_tag_ids=tuple(sorted(rng.sample(candidates, min(tags, len(candidates))))),
        muted_user_ids=tuple(sorted(rng.sample(creators, min(users, len(creators))))),
    )


class BaselineTimeout(Exception):
    pass


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Abort the database's work after `seconds` (SQLite's progress handler, PostgreSQL's
    statement_timeout), so that one slow baseline query cannot take the whole run."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        deadline = time.monotonic() + seconds
        raw: Any = connection.connection
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            yield
        except OperationalError as error:
            raise BaselineTimeout from error
        finally:
            raw.set_progress_handler(None, 0)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {int(seconds * 1000)}")
        try:
            yield
        except OperationalError as error:
            raise BaselineTimeout from error
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")


def _expanded(tag_id: int) -> list[int]:
    """A tag, its synonyms, its sub tags (all levels) and their synonyms, looked up now."""
    subs = list(MetaTagging.objects.filter(meta_tag_id=tag_id).values_list("sub_tag_id", flat=True))
    canonicals = [tag_id, *subs]
    synonyms = Tag.objects.filter(merger_id__in=canonicals).values_list("pk", flat=True)
    return [*canonicals, *synonyms]


def _tagged(tag_ids: list[int]) -> Any:
    return Tagging.objects.filter(tag_id__in=tag_ids).values("work_id")


def orm_search(query: WorkQuery, facets: bool, reader: ReaderFilter | None = None) -> int:
    """The baseline: the same query for a guest through the ORM, with the exact total, one
    page newest first, and the top ten values of each tag type and language. Returns the
    total."""
    works = Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False)
    for tag_id in query.include_tag_ids:
        works = works.filter(pk__in=_tagged(_expanded(tag_id)))
    for tag_id in query.exclude_tag_ids:
        works = works.exclude(pk__in=_tagged(_expanded(tag_id)))
    if query.rating_ids:
        works = works.filter(pk__in=_tagged(list(query.rating_ids)))
    if query.language_ids:
        works = works.filter(language_id__in=list(query.language_ids))
    if query.text:
        word = query.text
        in_chapters = Chapter.objects.filter(text__icontains=word).values("work_id")
        works = works.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(pk__in=in_chapters)
        )
    if reader is not None:
        muted = [pk for tag_id in reader.muted_tag_ids for pk in _expanded(tag_id)]
        works = works.exclude(pk__in=_tagged(muted))
        by_muted = Creatorship.objects.filter(pseud__user_id__in=list(reader.muted_user_ids))
        works = works.exclude(Q(anonymous=False) & Q(pk__in=by_muted.values("work_id")))
    total = works.count()
    offset = (query.page - 1) * query.per_page
    list(
        works.order_by("-revised_at", "-id").values_list("pk", flat=True)[
            offset : offset + query.per_page
        ]
    )
    if facets:
        chosen = works.values("pk")
        for tag_type in TagType.values:
            list(
                Tagging.objects.filter(work_id__in=chosen, tag__type=tag_type)
                .values("tag_id")
                .annotate(works=Count("work_id"))
                .order_by("-works")[:10]
            )
        list(works.values("language_id").annotate(works=Count("pk")).order_by("-works")[:10])
    return total
