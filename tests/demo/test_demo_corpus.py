"""The demo corpus follows corpus-stats.md and keeps the invariants the archive relies on."""

from __future__ import annotations

import statistics
from collections import defaultdict

import langcodes
import pytest
from django.db.models import Count, F, Q

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.html import render_userstuff
from ficarchive.core.wordcount import count_html_words
from ficarchive.demo.generator import DemoConfig
from ficarchive.social.models import Comment
from ficarchive.tags.models import USER_DEFINED_TYPES, Tag, Tagging, TagType, tag_key
from ficarchive.works.models import Chapter, Language, Work

pytestmark = pytest.mark.django_db

# With 2,000 works a share's standard error is at most about 1.1 points.
TOLERANCE = 0.035
# Shares of works from corpus-stats.md, written out again so that a wrong constant in the
# generator fails here.
RATING_SHARES = {
    "General Audiences": 0.278,
    "Teen And Up Audiences": 0.299,
    "Mature": 0.151,
    "Explicit": 0.163,
    "Not Rated": 0.109,
}
WARNING_SHARES = {
    "No Archive Warnings Apply": 0.56,
    "Creator Chose Not To Use Archive Warnings": 0.35,
    "Graphic Depictions Of Violence": 0.072,
    "Major Character Death": 0.052,
    "Rape/Non-Con": 0.026,
    "Underage Sex": 0.025,
}
CATEGORY_SHARES = {
    "M/M": 0.515,
    "F/M": 0.253,
    "Gen": 0.196,
    "F/F": 0.09,
    "Multi": 0.051,
    "Other": 0.032,
}


def _shares(tag_type: str, works: int) -> dict[str, float]:
    rows = (
        Tagging.objects.filter(tag__type=tag_type)
        .values("tag__name")
        .annotate(n=Count("work", distinct=True))
    )
    return {row["tag__name"]: row["n"] / works for row in rows}


def _assert_shares(actual: dict[str, float], expected: dict[str, float]) -> None:
    for name, share in expected.items():
        assert abs(actual.get(name, 0.0) - share) < TOLERANCE, (name, actual.get(name), share)


def test_rating_shares_follow_the_archive(corpus: int) -> None:
    _assert_shares(_shares(TagType.RATING, corpus), RATING_SHARES)


def test_warning_and_category_shares_follow_the_archive(corpus: int) -> None:
    _assert_shares(_shares(TagType.WARNING, corpus), WARNING_SHARES)
    _assert_shares(_shares(TagType.CATEGORY, corpus), CATEGORY_SHARES)


def test_every_work_has_a_creator_exactly_one_rating_and_a_warning(corpus: int) -> None:
    works = Work.objects.annotate(
        creator_count=Count("creatorships", distinct=True),
        ratings=Count("taggings", filter=Q(taggings__tag__type=TagType.RATING), distinct=True),
        warnings=Count("taggings", filter=Q(taggings__tag__type=TagType.WARNING), distinct=True),
        fandoms=Count("taggings", filter=Q(taggings__tag__type=TagType.FANDOM), distinct=True),
    )
    assert works.count() == corpus
    assert not works.filter(creator_count=0).exists()
    assert not works.exclude(ratings=1).exists()
    assert not works.filter(warnings=0).exists()
    assert not works.filter(fandoms=0).exists()
    assert works.filter(creator_count__gt=1).exists()


def test_fixed_tags_are_reused_not_recreated(corpus: int) -> None:
    assert Tag.objects.filter(type=TagType.RATING).count() == 5
    assert Tag.objects.filter(type=TagType.CATEGORY).count() == 6
    assert Language.objects.filter(code="en").count() == 1


def test_chapter_counts_completion_and_dates_agree(corpus: int) -> None:
    chapters = defaultdict(list)
    for work_id, position, published, words in Chapter.objects.values_list(
        "work_id", "position", "published_on", "word_count"
    ):
        chapters[work_id].append((position, published, words))
    works = Work.objects.values_list(
        "id", "chapter_count", "expected_chapters", "complete", "published_on", "revised_at",
        "created_at", "word_count",
    )  # fmt: skip
    for work_id, count, expected, complete, published, revised, created, words in works:
        own = sorted(chapters[work_id])
        assert [position for position, _, _ in own] == list(range(1, count + 1))
        assert complete == (count == expected)
        assert expected is None or expected >= count
        assert created <= revised and published <= revised.date()
        assert own[0][1] == published
        assert all(published <= day <= revised.date() for _, day, _ in own)
        assert sum(part for _, _, part in own) == words
    assert 0.80 < Work.objects.filter(complete=True).count() / corpus < 0.88
    assert Work.objects.filter(expected_chapters__isnull=True).exists()
    assert Work.objects.filter(chapter_count__gt=1).exists()


def test_word_counts_are_mostly_short_with_a_few_empty_works(corpus: int) -> None:
    counts = list(Work.objects.values_list("word_count", flat=True))
    assert sum(words < 25_000 for words in counts) / corpus > 0.9
    assert sum(1000 <= words <= 7000 for words in counts) / corpus > 0.5
    assert 0 < sum(words == 0 for words in counts) / corpus < 0.02


def test_english_leads_and_languages_have_real_codes(corpus: int) -> None:
    english = Work.objects.filter(language__code="en").count() / corpus
    assert abs(english - 0.906) < TOLERANCE
    assert Work.objects.filter(language__code="zh").exists()
    for code, name in Language.objects.values_list("code", "name"):
        assert langcodes.tag_is_valid(code)
        assert name == langcodes.Language.get(code).display_name("en")


def test_works_under_25k_words_have_a_median_of_15_or_16_tags(corpus: int) -> None:
    short = Work.objects.filter(word_count__lt=25_000).annotate(n=Count("taggings"))
    assert 14 <= statistics.median(short.values_list("n", flat=True)) <= 17
    user_defined = Work.objects.annotate(
        n=Count("taggings", filter=Q(taggings__tag__type__in=USER_DEFINED_TYPES))
    )
    assert max(user_defined.values_list("n", flat=True)) <= 75


def test_taggings_follow_header_order(corpus: int) -> None:
    rows = Tagging.objects.order_by("work_id", "position").values_list("work_id", "tag__type")
    by_work = defaultdict(list)
    for work_id, tag_type in rows:
        by_work[work_id].append(TagType.order(tag_type))
    for order in by_work.values():
        assert order == sorted(order)


def test_synonyms_point_to_canonical_tags_of_the_same_type(corpus: int) -> None:
    synonyms = Tag.objects.filter(merger__isnull=False, type__in=USER_DEFINED_TYPES)
    assert synonyms.exists()
    assert not synonyms.filter(canonical=True).exists()
    assert not synonyms.filter(merger__canonical=False).exists()
    assert not synonyms.exclude(type=F("merger__type")).exists()
    user_defined = Tag.objects.filter(type__in=USER_DEFINED_TYPES).count()
    assert 0.15 < synonyms.count() / user_defined < 0.25
    assert Tagging.objects.filter(tag__merger__isnull=False).exists()


def test_tag_keys_are_the_normalised_names(corpus: int) -> None:
    for name, key in Tag.objects.values_list("name", "key"):
        assert key == tag_key(name)
        assert "," not in name


def test_relationships_are_made_of_characters(corpus: int) -> None:
    characters = set(Tag.objects.filter(type=TagType.CHARACTER).values_list("name", flat=True))
    relationships = Tag.objects.filter(type=TagType.RELATIONSHIP, canonical=True)
    names = list(relationships.values_list("name", flat=True))
    assert any("/" in name for name in names) and any(" & " in name for name in names)
    for name in names:
        people = name.split(" & ") if " & " in name else name.split("/")
        assert len(people) >= 2 and all(person in characters for person in people), name


def test_fandom_sizes_follow_a_power_law(corpus: int) -> None:
    sizes = sorted(
        Tagging.objects.filter(tag__type=TagType.FANDOM)
        .values("tag_id")
        .annotate(n=Count("work"))
        .values_list("n", flat=True),
        reverse=True,
    )
    assert statistics.median(sizes) <= 5  # most fandoms are tiny
    assert sizes[0] > 0.03 * corpus  # the largest is large
    assert sum(sizes[:10]) > sum(sizes[len(sizes) // 2 :])


def test_every_user_has_exactly_one_default_pseud(corpus: int) -> None:
    users = User.objects.annotate(
        defaults=Count("pseuds", filter=Q(pseuds__is_default=True)), pseud_count=Count("pseuds")
    )
    assert not users.exclude(defaults=1).exists()
    assert users.filter(pseud_count__gt=1).exists()
    assert Pseud.objects.filter(is_default=True).count() == User.objects.count()


def test_older_and_longer_works_have_more_hits(corpus: int) -> None:
    old = Work.objects.filter(published_on__year__lt=2018).values_list("hits", flat=True)
    new = Work.objects.filter(published_on__year=2025).values_list("hits", flat=True)
    assert statistics.median(old) > statistics.median(new)
    assert Work.objects.filter(restricted=True).exists()
    assert Work.objects.filter(anonymous=True).exists()
    assert not Work.objects.filter(kudos_count__gt=F("hits")).exists()


def test_chapter_html_is_the_rendered_text(corpus: int) -> None:
    for text, html in Chapter.objects.order_by("?").values_list("text", "html")[:300]:
        assert html == render_userstuff(text)


def test_capped_bodies_keep_the_sampled_word_count(corpus: int, corpus_body_words: int) -> None:
    chapters = Chapter.objects.values_list("text", "html", "word_count")
    assert any(words > corpus_body_words for _, _, words in chapters)
    for text, html, words in chapters:
        assert count_html_words(html) == min(words, corpus_body_words)
        assert text.strip() == text and "\n\n\n" not in text


def test_english_prose_in_other_languages_works_says_it_is_english(corpus: int) -> None:
    """The demo's prose is English: a screen reader must not read it as Russian."""
    chapters = Chapter.objects.select_related("work__language")
    others = [c for c in chapters if c.work.language.code != "en"]
    english = [c for c in chapters if c.work.language.code == "en"]
    assert others and english
    assert all(c.html.startswith('<div lang="en">') for c in others if c.html)
    assert not any(c.html and not c.text for c in others)
    assert not any("lang=" in c.html for c in english)
    summaries = Work.objects.exclude(language__code="en").exclude(summary="")
    assert all(
        summary.startswith('<p lang="en">')
        for summary in summaries.values_list("summary", flat=True)
    )


def test_each_works_comment_count_is_its_comment_rows(corpus: int) -> None:
    rows = dict(Comment.objects.values("work").annotate(n=Count("id")).values_list("work", "n"))
    counts = dict(Work.objects.values_list("id", "comments_count"))
    assert sum(rows.values()) > corpus  # most works have comments, some many
    assert {work: n for work, n in counts.items() if n} == rows
    assert max(rows.values()) <= DemoConfig().comments_per_work


def test_demo_threads_hold_together_and_no_creator_comments_on_their_own_work(
    corpus: int,
) -> None:
    comments = list(
        Comment.objects.select_related("parent", "chapter", "pseud").order_by("?")[:2000]
    )
    assert any(comment.parent_id for comment in comments)
    assert any(comment.depth >= 2 for comment in comments)
    for comment in comments:
        assert comment.chapter is not None and comment.pseud is not None
        assert comment.chapter.work_id == comment.work_id
        assert comment.html == render_userstuff(comment.text, allow_class=False)
        if comment.parent is None:
            assert (comment.thread_id, comment.depth) == (comment.pk, 0)
        else:
            parent = comment.parent
            assert (comment.thread_id, comment.depth) == (parent.thread_id, parent.depth + 1)
            assert (comment.created_at, comment.pk) > (parent.created_at, parent.pk)
        assert comment.pseud.user_id == comment.user_id
    creators = set(
        Work.objects.filter(pk__in={c.work_id for c in comments}).values_list(
            "id", "creatorships__pseud__user"
        )
    )
    assert not creators & {(c.work_id, c.user_id) for c in comments}


def test_each_works_bookmark_count_is_its_public_bookmarks_by_readers(corpus: int) -> None:
    from ficarchive.social.models import Bookmark
    from ficarchive.works.models import Creatorship

    public = Bookmark.objects.filter(private=False)
    rows = dict(public.values("work").annotate(n=Count("id")).values_list("work", "n"))
    counts = dict(Work.objects.values_list("id", "bookmarks_count"))
    assert rows and {work: n for work, n in counts.items() if n} == rows
    assert max(rows.values()) <= DemoConfig().bookmarks_per_work
    assert Bookmark.objects.filter(private=True).exists()
    assert (
        Bookmark.objects.exclude(notes="").exists() and Bookmark.objects.filter(rec=True).exists()
    )
    assert Bookmark.objects.filter(taggings__isnull=False).exists()
    own = set(Creatorship.objects.values_list("work_id", "pseud__user_id"))
    assert not own & set(Bookmark.objects.values_list("work_id", "user_id"))


def test_some_works_are_in_series_of_their_creator_numbered_from_one(corpus: int) -> None:
    from ficarchive.works.models import Series

    assert Series.objects.exists()
    for series in Series.objects.prefetch_related("serial_works"):
        positions = sorted(serial.position for serial in series.serial_works.all())
        assert positions == list(range(1, len(positions) + 1))
