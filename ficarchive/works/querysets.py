"""Reusable reads of works: who may see which, what a tag or creator page lists, and what
listings fetch in one go."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.db.models import Prefetch, Q

from ficarchive.accounts.muting import ReaderFilter
from ficarchive.tags.models import FilterTagging, Tag, Tagging

if TYPE_CHECKING:
    from ficarchive.accounts.models import Pseud, User
    from ficarchive.works.models import Work  # noqa: F401 - named in the base class below


# Posted (a scheduled work is a draft until its time), not hidden by an admin, and not waiting
# for its collection's reveal.
LISTABLE = Q(posted=True, hidden_by_admin=False, in_unrevealed_collection=False)
# Works whose pages name their creators: not anonymous, nor in an anonymous collection.
CREATORS_SHOWN = Q(anonymous=False, in_anonymous_collection=False)


def _works_model(name: str) -> Any:
    """A model of works.models by name: that module builds its managers from these querysets,
    so they look its models up when they run instead of importing them."""
    return apps.get_model("works", name)


class WorkQuerySet(models.QuerySet["Work"]):
    def visible_to(self, user: Any) -> WorkQuerySet:
        """Works this user may open: posted and not hidden by an admin, restricted ones only when
        logged in; creators also see their own drafts and hidden works, admins see everything.

        Work.is_visible_to is the same rule for one work; the two must agree.
        """
        if not user.is_authenticated:
            return self.filter(LISTABLE, restricted=False)
        if user.is_archive_admin:
            return self.all()
        Creatorship = _works_model("Creatorship")
        own = Creatorship.objects.filter(pseud__user=user, approved=True).values("work_id")
        return self.filter(LISTABLE | Q(pk__in=own))

    def listable(self) -> WorkQuerySet:
        """Works that listings may show anyone at all (Work.is_listable): posted, not hidden by
        an admin. The search index holds exactly these; guests' queries then leave out the
        restricted ones, which is listed_for for each viewer."""
        return self.filter(LISTABLE)

    def listed_for(self, user: Any) -> WorkQuerySet:
        """Works that listings show this user: the visible ones, less drafts and hidden works,
        which only their own pages show."""
        return self.visible_to(user).filter(LISTABLE)

    def with_tag(self, tag: Tag) -> WorkQuerySet:
        """Works a tag's page lists.

        The only place that decides it: through filter tags (tags.filters), a canonical tag
        lists the works tagged with it, its synonyms, its sub tags and theirs; any other tag
        lists the works tagged with it exactly.
        """
        return self.with_tags(include=[tag])

    def with_tags(self, include: Iterable[Tag] = (), exclude: Iterable[Tag] = ()) -> WorkQuerySet:
        """Works found by all the `include` tags and none of the `exclude` tags.

        A canonical tag finds works through filter tags: those tagged with it, its synonyms, its
        sub tags and theirs. Any other tag finds only the works tagged with it exactly, as a
        search for a synonym's name does in the largest archive.
        """
        works = self
        for tag in include:
            works = works.filter(pk__in=_found_by(tag))
        for tag in exclude:
            works = works.exclude(pk__in=_found_by(tag))
        return works

    def by_creator(self, user: User, viewer: Any, pseud: Pseud | None = None) -> WorkQuerySet:
        """Works by this user (or one of their pseuds); anonymous works only when the user
        looks at their own page."""
        Creatorship = _works_model("Creatorship")
        creatorships = Creatorship.objects.filter(pseud__user=user, approved=True)
        if pseud is not None:
            creatorships = creatorships.filter(pseud=pseud)
        works = self.filter(pk__in=creatorships.values("work_id"))
        if not (viewer.is_authenticated and viewer.pk == user.pk):
            works = works.filter(CREATORS_SHOWN)
        return works

    def without_muted(self, reader: ReaderFilter) -> WorkQuerySet:
        """Less what a reader's filters hide: the database's version of the search engine's
        reader clauses, for listings while the index is being built."""
        Creatorship = _works_model("Creatorship")
        works = self
        if reader.muted_tag_ids:
            muted = list(reader.muted_tag_ids)
            works = works.exclude(
                pk__in=FilterTagging.objects.filter(filter_id__in=muted).values("work_id")
            ).exclude(pk__in=Tagging.objects.filter(tag_id__in=muted).values("work_id"))
        if reader.muted_user_ids:
            by_muted = Creatorship.objects.filter(
                pseud__user_id__in=list(reader.muted_user_ids), approved=True
            )
            works = works.exclude(CREATORS_SHOWN & Q(pk__in=by_muted.values("work_id")))
        if reader.complete is not None:
            works = works.filter(complete=reader.complete)
        if reader.language_ids:
            works = works.filter(language_id__in=list(reader.language_ids))
        return works

    def newest_first(self) -> WorkQuerySet:
        return self.order_by("-revised_at", "-id")

    def for_reading(self) -> WorkQuerySet:
        """Everything a blurb or a work's header shows, in a fixed number of queries."""
        return self.select_related("language").prefetch_related(*reading_prefetches())

    def for_listing(self) -> WorkQuerySet:
        """What a listing needs before its blurbs: blurbs come from the cache, and the few
        that do not are completed with reading_prefetches() when rendered."""
        return self.select_related("language")


def reading_prefetches() -> list[Prefetch]:
    """The related rows a blurb or a work's header shows."""
    Creatorship, SerialWork = _works_model("Creatorship"), _works_model("SerialWork")

    return [
        # Only what pages show: listings load some twenty tags a work, and full Tag rows (with
        # their timestamps to convert) were most of a listing's database time.
        Prefetch(
            "taggings",
            queryset=Tagging.objects.select_related("tag").only(
                "work_id", "position", "tag__name", "tag__type", "tag__adult"
            ),
        ),
        Prefetch(
            "creatorships",
            queryset=Creatorship.objects.filter(approved=True).select_related("pseud__user"),
        ),
        Prefetch("serial_works", queryset=SerialWork.objects.select_related("series")),
    ]


def _found_by(tag: Tag) -> models.QuerySet[Any]:
    if tag.canonical:
        return FilterTagging.objects.filter(filter=tag).values("work_id")
    return Tagging.objects.filter(tag=tag).values("work_id")
