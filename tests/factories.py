"""Factories for the archive's models: build what a test needs, nothing more."""

from __future__ import annotations

import factory
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.tags.autocomplete import tag_words_refresh
from ficarchive.tags.models import Tag, Tagging, TagType
from ficarchive.tags.recompute import works_filters_refresh
from ficarchive.works.models import Chapter, Creatorship, Language, Work


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a long test passphrase")

    @factory.post_generation
    def default_pseud(user: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            Pseud.objects.create(user=user, name=user.username, is_default=True)


class PseudFactory(factory.django.DjangoModelFactory[Pseud]):
    class Meta:
        model = Pseud

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Pseud {n}")


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tag {n}")
    type = TagType.FREEFORM
    canonical = False

    @factory.post_generation
    def words(tag: Tag, create: bool, extracted: object, **kwargs: object) -> None:
        """The autocomplete words that every way of creating a tag writes."""
        if create:
            tag_words_refresh(tag)


class WorkFactory(factory.django.DjangoModelFactory[Work]):
    """A posted one-chapter work by a new user, rated General Audiences, in English."""

    class Meta:
        model = Work
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Work {n}")
    language = factory.LazyFunction(lambda: Language.objects.get(code="en"))
    published_on = factory.LazyFunction(timezone.localdate)
    expected_chapters = 1
    complete = True

    @factory.post_generation
    def creators(work: Work, create: bool, extracted: list[Pseud] | None, **kwargs: object) -> None:
        if not create:
            return
        pseuds = extracted or [UserFactory().default_pseud()]
        for position, pseud in enumerate(pseuds):
            Creatorship.objects.create(work=work, pseud=pseud, position=position)

    @factory.post_generation
    def text(work: Work, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create:
            add_chapter(work, extracted or "Some words of a story.")

    @factory.post_generation
    def rating(work: Work, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create:
            tag = Tag.objects.get(name=extracted or "General Audiences", type=TagType.RATING)
            Tagging.objects.create(work=work, tag=tag, position=0)
            works_filters_refresh([work.pk], "created in a test")


def add_chapter(work: Work, text: str, **fields: object) -> Chapter:
    """Append a posted chapter and keep the work's counts in step."""
    html = render_userstuff(text)
    position = work.chapters.count() + 1
    chapter = Chapter.objects.create(
        work=work,
        position=position,
        text=text,
        html=html,
        word_count=count_html_words(html),
        **fields,
    )
    work.chapter_count = position
    work.word_count = sum(work.chapters.values_list("word_count", flat=True))
    work.save(update_fields=["chapter_count", "word_count"])
    return chapter


def add_tags(work: Work, *tags: Tag) -> None:
    """Tag a work with these tags, after the tags it has, and recompute its filter tags as
    every way of tagging a work does."""
    start = work.taggings.count()
    for offset, tag in enumerate(tags):
        Tagging.objects.create(work=work, tag=tag, position=start + offset)
    works_filters_refresh([work.pk], "tagged in a test")


def fixed_tag(name: str) -> Tag:
    """A rating, archive warning or category, which a migration creates."""
    return Tag.objects.get(name=name)
