"""`ficarchive demo`: options, reruns and reproducibility."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ficarchive.accounts.models import User
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.tags.models import USER_DEFINED_TYPES, Tag
from ficarchive.works.models import Chapter, Language, Work


def _demo(**options: object) -> None:
    call_command("demo", verbosity=0, **options)


def _snapshot() -> list[tuple[object, ...]]:
    """Everything a reader sees of the corpus, without row ids."""
    works: list[tuple[object, ...]] = []
    for work in (
        Work.objects.order_by("id")
        .select_related("language")
        .prefetch_related("taggings__tag", "creators", "chapters")
    ):
        works.append(
            (
                work.title,
                work.summary,
                work.word_count,
                work.published_on,
                work.revised_at,
                work.expected_chapters,
                (work.restricted, work.anonymous),
                (work.hits, work.kudos_count, work.comments_count, work.bookmarks_count),
                work.language.code,
                [tagging.tag.name for tagging in work.taggings.all()],
                sorted(pseud.name for pseud in work.creators.all()),
                [chapter.text for chapter in work.chapters.all()],
            )
        )
    return works


def _clear() -> None:
    Work.objects.all().delete()
    Tag.objects.filter(type__in=USER_DEFINED_TYPES).delete()
    User.objects.all().delete()
    Language.objects.exclude(code="en").delete()


def test_same_seed_gives_the_same_corpus_and_another_seed_does_not(db: None) -> None:
    _demo(works=150, seed=7, body_words=30)
    first = _snapshot()
    _clear()
    _demo(works=150, seed=7, body_words=30)
    assert _snapshot() == first
    _clear()
    _demo(works=150, seed=8, body_words=30)
    assert _snapshot() != first


def test_body_cap_changes_bodies_but_not_metadata(db: None) -> None:
    _demo(works=60, body_words=10)
    capped = [work[:-1] for work in _snapshot()]
    _clear()
    _demo(works=60, body_words=5000)
    assert [work[:-1] for work in _snapshot()] == capped


def test_if_empty_fills_an_empty_database_and_then_does_nothing(db: None) -> None:
    _demo(works=40, if_empty=True)
    assert Work.objects.count() == 40
    tags, users = Tag.objects.count(), User.objects.count()
    _demo(works=40, if_empty=True)
    assert Work.objects.count() == 40
    assert (Tag.objects.count(), User.objects.count()) == (tags, users)


def test_a_second_run_adds_works_next_to_the_first(db: None) -> None:
    _demo(works=50, body_words=10)
    _demo(works=50, body_words=10)
    assert Work.objects.count() == 100
    # Ids continue after the demo's explicit ids.
    work = Work.objects.create(title="Later", language=Language.objects.get(code="en"))
    assert work.id == 101


def test_full_bodies_have_the_sampled_word_count(db: None) -> None:
    _demo(works=40)
    chapters = list(Chapter.objects.values_list("text", "html", "word_count"))
    assert sum(words for _, _, words in chapters) > 40 * 1000
    for text, html, words in chapters:
        assert count_html_words(html) == words
        assert html == render_userstuff(text)


def test_bookmarks_per_work_zero_writes_none(db: None) -> None:
    from ficarchive.social.models import Bookmark

    _demo(works=30, body_words=5, bookmarks_per_work=0)
    assert not Bookmark.objects.exists()
    assert not Work.objects.filter(bookmarks_count__gt=0).exists()
    with pytest.raises(CommandError, match="bookmarks-per-work"):
        _demo(works=1, bookmarks_per_work=-1)


def test_works_must_be_positive(db: None) -> None:
    with pytest.raises(CommandError):
        _demo(works=0)


@pytest.mark.django_db
def test_the_progress_bar_stays_out_of_logs(capsys: pytest.CaptureFixture[str]) -> None:
    # Standard error is not a terminal here, as in a log file or a service's journal.
    call_command("demo", works=3, verbosity=1)
    captured = capsys.readouterr()
    assert "Demo corpus written" in captured.out
    assert "it/s" not in captured.err and "3/3" not in captured.err
