"""Finding or making what drafts name: languages, creators, tags, series and collections,
remembered for the rest of a run so that 10,000 records do not each ask for the same ones."""

from __future__ import annotations

import collections
import contextlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import langcodes
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils.text import slugify

from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.services import TagNameError, tags_find_or_create
from ficarchive.works.languages import language_code_and_name, private_use_code
from ficarchive.works.models import Collection, Language, Series
from ficarchive.works.writer.drafts import CreatorRef, LanguageRef, NamedCreator, TagRef, WorkDraft


class DraftError(ValueError):
    """A draft the archive cannot take (a tag clash, say); the message says why."""


class TagsError(DraftError):
    """A draft's tags the archive refuses."""


class WriterCache:
    """What a run of the writer has already looked up or made.

    Entries found or made inside `attempt()` stay only if the block succeeds, so that a draft
    that fails (and the savepoint that rolls back with it) takes its entries along.
    """

    def __init__(self) -> None:
        self._chains: list[collections.ChainMap[Any, Any]] = []
        self.tags = self._memo()
        self.users = self._memo()
        self.pseuds = self._memo()
        self.languages = self._memo()
        self.series = self._memo()
        self.collections = self._memo()

    def _memo(self) -> collections.ChainMap[Any, Any]:
        chain: collections.ChainMap[Any, Any] = collections.ChainMap({})
        self._chains.append(chain)
        return chain

    @contextlib.contextmanager
    def attempt(self) -> Iterator[None]:
        for chain in self._chains:
            chain.maps.insert(0, {})
        try:
            yield
        except BaseException:
            for chain in self._chains:
                del chain.maps[0]
            raise
        for chain in self._chains:
            chain.maps[1].update(chain.maps.pop(0))


def scalar(sql: str, params: list[Any]) -> Any:
    """The first column of the first row, or None. Raw SQL for lookups that run once per
    draft, where building an ORM query costs more than running it; `lower()` matches the
    case-insensitive unique indexes on logins and pseud names."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def language_id(value: LanguageRef, cache: WriterCache) -> int:
    if isinstance(value, Language):
        return value.pk
    key: tuple[str, str] = (
        ("name", value.casefold()) if isinstance(value, str) else ("code", value[0].casefold())
    )
    if key not in cache.languages:
        language = _language_named(value) if isinstance(value, str) else _language_coded(*value)
        cache.languages[key] = language.pk
    return int(cache.languages[key])


def _language_coded(code: str, name: str) -> Language:
    found = Language.objects.filter(code__iexact=code).first()
    return found or Language.objects.create(code=code, name=name)


def _language_named(value: str) -> Language:
    language = Language.objects.filter(name__iexact=value).first()
    if language is not None:
        return language
    found = language_code_and_name(value)
    if found is not None:
        return _language_coded(*found)
    taken = set(Language.objects.filter(code__startswith="x-").values_list("code", flat=True))
    return Language.objects.create(code=private_use_code(value, taken), name=value)


def languages_for_codes(codes: Iterable[str]) -> dict[str, Language]:
    """The languages with these codes, made (named in English) where missing and their name
    is free; a code whose name another language has is left out."""
    codes = list(codes)
    have = set(Language.objects.values_list("code", flat=True))
    names = set(Language.objects.values_list("name", flat=True))
    new = []
    for code in codes:
        name = langcodes.Language.get(code).display_name("en")
        if code not in have and name not in names:
            new.append(Language(code=code, name=name))
            names.add(name)
    Language.objects.bulk_create(new)
    return {language.code: language for language in Language.objects.filter(code__in=codes)}


def user_id(creator: NamedCreator, cache: WriterCache) -> int:
    key = creator.login.casefold()
    if key not in cache.users:
        found = scalar(
            f"SELECT id FROM {User._meta.db_table} WHERE lower(username) = %s",
            [creator.login.lower()],
        )
        if found is None:
            user = User.objects.create(username=creator.login, password=make_password(None))
            # The default pseud is the login, or the byline's spelling of it ("Nightjar").
            same = creator.pseud.casefold() == creator.login.casefold()
            default_name = creator.pseud if same else creator.login
            Pseud.objects.create(user=user, name=default_name, is_default=True)
            found = user.pk
        cache.users[key] = found
    return int(cache.users[key])


def pseud_id(creator: CreatorRef, cache: WriterCache) -> int:
    if isinstance(creator, Pseud):
        return creator.pk
    if isinstance(creator, int):
        return creator
    owner = user_id(creator, cache)
    key = (owner, creator.pseud.casefold())
    if key not in cache.pseuds:
        found = scalar(
            f"SELECT id FROM {Pseud._meta.db_table} WHERE user_id = %s AND lower(name) = %s",
            [owner, creator.pseud.lower()],
        )
        if found is None:
            found = Pseud.objects.create(user_id=owner, name=creator.pseud).pk
        cache.pseuds[key] = found
    return int(cache.pseuds[key])


def creator_user_id(creator: CreatorRef, cache: WriterCache) -> int:
    if isinstance(creator, Pseud):
        return creator.user_id
    if isinstance(creator, int):
        return int(scalar(f"SELECT user_id FROM {Pseud._meta.db_table} WHERE id = %s", [creator]))
    return user_id(creator, cache)


def tag_ids(refs: list[tuple[TagRef, str]], cache: WriterCache) -> list[int]:
    """The ids of these tags in order, each once; names are found or made by the clash rule
    (tags.services), ids are taken as they are."""
    names = [(ref, type_) for ref, type_ in refs if isinstance(ref, str)]
    try:
        if not names:
            return list(dict.fromkeys(ref for ref, _type in refs if isinstance(ref, int)))
        found = tags_find_or_create(names, known=cache.tags)
        if len(names) == len(refs):
            return [tag.pk for tag in found]
        # Names and ids mixed: each name again, answered from the cache just filled.
        ids = [
            ref
            if isinstance(ref, int)
            else tags_find_or_create([(ref, type_)], known=cache.tags)[0].pk
            for ref, type_ in refs
        ]
    except TagNameError as error:
        raise TagsError(str(error)) from None
    return list(dict.fromkeys(ids))


def tags_make_together(drafts: Sequence[WorkDraft], cache: WriterCache) -> bool:
    """Find or make the tags all these drafts name, in one go (a batch's new tags in one
    insert instead of one per draft); False, with nothing made, when any name is refused."""
    names = [
        (ref, type_) for draft in drafts for ref, type_ in draft.tag_refs() if isinstance(ref, str)
    ]
    if not names:
        return False
    try:
        with cache.attempt():
            # The clash rule refuses before it makes anything, so no savepoint is needed.
            tags_find_or_create(names, known=cache.tags)
    except TagNameError:
        return False
    return True


def series_id(title: str, owner: int, cache: WriterCache) -> int:
    """A series of this title that this user already has works in, or a new one."""
    key = (title.casefold(), owner)
    if key not in cache.series:
        series = (
            Series.objects.filter(title=title, works__creators__user_id=owner)
            .order_by("id")
            .first()
        )
        if series is None:
            series = Series.objects.create(title=title)
            series.owners.add(owner)
        cache.series[key] = series.pk
    return int(cache.series[key])


def collection_id(title: str, cache: WriterCache) -> int:
    key = title.casefold()
    if key not in cache.collections:
        collection = Collection.objects.filter(title=title).order_by("id").first()
        if collection is None:
            base = slugify(title)[:200] or "collection"
            name, number = base, 1
            while Collection.objects.filter(name=name).exists():
                number += 1
                name = f"{base}-{number}"
            collection = Collection.objects.create(name=name, title=title)
        cache.collections[key] = collection.pk
    return int(cache.collections[key])
