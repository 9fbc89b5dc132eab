"""works.posting called directly: the rules it enforces whatever form calls it."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.core.models import ChangeLog
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Language, Work
from ficarchive.works.posting import (
    ChapterFields,
    PostingError,
    WorkFields,
    chapter_add,
    chapter_delete,
    chapters_reorder,
    work_create,
)

pytestmark = pytest.mark.django_db


def fields(user: User, **overrides: object) -> WorkFields:
    values: dict[str, object] = dict(
        title="Service Work",
        language=Language.objects.get(code="en"),
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Service Fandom"],
        pseuds=[user.default_pseud()],
    )
    values.update(overrides)
    return WorkFields(**values)  # type: ignore[arg-type]


TEXT = ChapterFields(text="Words of a chapter written through the service.")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pseuds": []}, "at least one of your pseuds"),
        ({"fandoms": []}, "at least one fandom"),
        ({"warnings": []}, "at least one archive warning"),
        ({"freeforms": [f"T{n}" for n in range(75)]}, "at most 75"),
        ({"rating": "Nonexistent Rating"}, "there is no rating called"),
        ({"warnings": ["Made Up Warning"]}, "there is no archive warning called"),
    ],
)
def test_the_service_refuses_what_the_database_must_never_hold(
    author: User, overrides: dict[str, object], message: str
) -> None:
    tags = Tag.objects.count()
    with pytest.raises(PostingError, match=message):
        work_create(author, fields(author, **overrides), TEXT, post=True)
    assert not Work.objects.exists() and Tag.objects.count() == tags
    assert not ChangeLog.objects.exists()


def test_nobody_posts_as_someone_elses_pseud(author: User, other_user: User) -> None:
    with pytest.raises(PostingError, match="your own pseuds"):
        work_create(author, fields(author, pseuds=[other_user.default_pseud()]), TEXT, post=True)
    with pytest.raises(PostingError, match="invite other people only"):
        work_create(author, fields(author, cocreators=[author.default_pseud()]), TEXT, post=True)


def test_a_draft_and_its_new_tags_stay_out_of_the_posted_counts(author: User) -> None:
    work = work_create(author, fields(author, freeforms=["Draft Only Tag"]), TEXT, post=False)
    assert not work.posted
    tag = Tag.objects.get(name="Draft Only Tag", type=TagType.FREEFORM)
    assert not Tag.objects.on_posted_works().filter(pk=tag.pk).exists()
    assert not Work.objects.listed_for(author).filter(pk=work.pk).exists()
    assert list(ChangeLog.objects.values_list("reason", flat=True)) == ["draft saved"]


def test_chapters_must_be_reordered_all_at_once(author: User) -> None:
    work = work_create(author, fields(author), TEXT, post=True)
    second = chapter_add(work, ChapterFields(text="A second chapter of words."))
    with pytest.raises(PostingError):
        chapters_reorder(work, [second.pk])
    with pytest.raises(PostingError):
        chapters_reorder(work, [second.pk, second.pk])
    chapters_reorder(work, [second.pk, work.chapters.get(position=1).pk])
    assert work.chapters.get(position=1) == second


def test_the_last_chapter_cannot_go(author: User) -> None:
    work = work_create(author, fields(author), TEXT, post=True)
    with pytest.raises(PostingError, match="at least one chapter"):
        chapter_delete(work.chapters.get())
    assert work.chapters.count() == 1
