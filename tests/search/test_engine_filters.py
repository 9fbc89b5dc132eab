"""What the engine's filters find: tags through filter ids, ratings, languages, flags, ranges
and dates, each against works that should and should not match."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ficarchive.accounts.models import User
from ficarchive.search.query import DateRange, NumberRange
from ficarchive.tags import wrangling
from ficarchive.tags.models import TagType
from ficarchive.works.models import Language
from tests.factories import WorkFactory, add_chapter, add_tags, fixed_tag
from tests.search.conftest import Find
from tests.tags.conftest import MakeTag, MakeWork


def test_including_a_canonical_tag_finds_its_synonyms_and_sub_tags(
    find: Find, make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    meta = make_tag("Alternate Universe", canonical=True)
    synonym = make_tag("AU")
    sub = make_tag("Alternate Universe - Coffee Shops", canonical=True)
    sub_synonym = make_tag("coffee shop au")
    other = make_tag("Canon Compliant", canonical=True)
    for tag in (meta, synonym, sub, sub_synonym, other):
        make_work(tag, title=f"with {tag.name}")
    wrangling.tag_make_synonym(synonym, meta, user=wrangler)
    wrangling.tag_make_synonym(sub_synonym, sub, user=wrangler)
    wrangling.meta_tag_add(meta, sub, user=wrangler)

    assert sorted(find(include_tag_ids=(meta.pk,))) == [
        "with AU",
        "with Alternate Universe",
        "with Alternate Universe - Coffee Shops",
        "with coffee shop au",
    ]
    assert sorted(find(include_tag_ids=(sub.pk,))) == [
        "with Alternate Universe - Coffee Shops",
        "with coffee shop au",
    ]
    # A synonym's own id finds only the works tagged with it, as in the largest archive.
    assert find(include_tag_ids=(synonym.pk,)) == ["with AU"]


def test_excluding_a_canonical_tag_excludes_its_synonyms_and_sub_tags_too(
    find: Find, make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    meta = make_tag("Angst", canonical=True)
    synonym = make_tag("angsty")
    sub = make_tag("Major Angst", canonical=True)
    other = make_tag("Fluff", canonical=True)
    for tag in (meta, synonym, sub, other):
        make_work(tag, title=f"with {tag.name}")
    wrangling.tag_make_synonym(synonym, meta, user=wrangler)
    wrangling.meta_tag_add(meta, sub, user=wrangler)
    assert find(exclude_tag_ids=(meta.pk,)) == ["with Fluff"]


def test_including_two_fandoms_finds_only_works_in_both(
    find: Find, make_tag: MakeTag, make_work: MakeWork
) -> None:
    one = make_tag("Les Misérables - Victor Hugo", TagType.FANDOM, canonical=True)
    two = make_tag("Sherlock (TV)", TagType.FANDOM, canonical=True)
    make_work(one, title="only one")
    make_work(two, title="only two")
    make_work(one, two, title="both")
    assert find(include_tag_ids=(one.pk, two.pk)) == ["both"]


def test_an_unknown_tag_name_matches_the_words_of_tag_names(
    find: Find, make_tag: MakeTag, make_work: MakeWork
) -> None:
    make_work(make_tag("Coffee Shop Alternate Universe"), title="coffee")
    make_work(make_tag("Tea Shop"), title="tea")
    assert find(include_tag_names=("coffee shop",)) == ["coffee"]
    assert find(exclude_tag_names=("coffee shop",)) == ["tea"]


def test_ratings_find_works_with_any_of_them(find: Find) -> None:
    WorkFactory.create(title="general", rating="General Audiences")
    WorkFactory.create(title="teen", rating="Teen And Up Audiences")
    WorkFactory.create(title="explicit", rating="Explicit")
    ratings = (fixed_tag("General Audiences").pk, fixed_tag("Teen And Up Audiences").pk)
    assert sorted(find(rating_ids=ratings)) == ["general", "teen"]
    assert find(rating_ids=(fixed_tag("Explicit").pk,)) == ["explicit"]


def test_archive_warnings_and_categories_are_tags_to_include_or_exclude(find: Find) -> None:
    violent = WorkFactory.create(title="violent")
    add_tags(violent, fixed_tag("Graphic Depictions Of Violence"), fixed_tag("M/M"))
    calm = WorkFactory.create(title="calm")
    add_tags(calm, fixed_tag("No Archive Warnings Apply"), fixed_tag("F/F"))
    assert find(include_tag_ids=(fixed_tag("M/M").pk,)) == ["violent"]
    assert find(exclude_tag_ids=(fixed_tag("Graphic Depictions Of Violence").pk,)) == ["calm"]


def test_languages_find_works_in_any_of_them(find: Find) -> None:
    french = Language.objects.get_or_create(code="fr", defaults={"name": "Français"})[0]
    chinese = Language.objects.get_or_create(code="zh", defaults={"name": "中文"})[0]
    WorkFactory.create(title="english")
    WorkFactory.create(title="french", language=french)
    WorkFactory.create(title="chinese", language=chinese)
    assert find(language_ids=(french.pk,)) == ["french"]
    assert sorted(find(language_ids=(french.pk, chinese.pk))) == ["chinese", "french"]


@pytest.mark.parametrize("value", [True, False])
def test_completion_finds_complete_works_or_works_in_progress(find: Find, value: bool) -> None:
    WorkFactory.create(title="complete", complete=True)
    WorkFactory.create(title="in progress", complete=False, expected_chapters=None)
    assert find(complete=value) == ["complete" if value else "in progress"]


def test_single_chapter_means_one_chapter_expected(find: Find) -> None:
    WorkFactory.create(title="oneshot", expected_chapters=1)
    WorkFactory.create(title="epic", expected_chapters=30, complete=False)
    WorkFactory.create(title="unknown", expected_chapters=None, complete=False)
    assert find(single_chapter=True) == ["oneshot"]
    assert sorted(find(single_chapter=False)) == ["epic", "unknown"]


def test_crossover_and_otp_filters_use_the_flags_wrangling_computes(
    find: Find, make_tag: MakeTag, make_work: MakeWork
) -> None:
    one = make_tag("Fandom One", TagType.FANDOM, canonical=True)
    two = make_tag("Fandom Two", TagType.FANDOM, canonical=True)
    pairing = make_tag("A/B", TagType.RELATIONSHIP, canonical=True)
    other_pairing = make_tag("C/D", TagType.RELATIONSHIP, canonical=True)
    make_work(one, two, pairing, title="crossover otp")
    make_work(one, pairing, other_pairing, title="single fandom, two pairings")
    assert find(crossover=True) == ["crossover otp"]
    assert find(crossover=False) == ["single fandom, two pairings"]
    assert find(otp=True) == ["crossover otp"]


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("hits", "hits"),
        ("kudos_count", "kudos"),
        ("comments_count", "comments"),
        ("bookmarks_count", "bookmarks"),
    ],
)
def test_counter_ranges_are_inclusive(find: Find, field: str, name: str) -> None:
    for value in (5, 10, 20):
        WorkFactory.create(title=f"{name} {value}", **{field: value})
    assert sorted(find(ranges={name: NumberRange(10, 20)})) == [f"{name} 10", f"{name} 20"]
    assert find(ranges={name: NumberRange(None, 9)}) == [f"{name} 5"]
    assert find(ranges={name: NumberRange(11, None)}) == [f"{name} 20"]


def test_word_count_ranges_follow_the_chapters(find: Find) -> None:
    WorkFactory.create(title="short", text="one two three")
    long = WorkFactory.create(title="long", text=" ".join(["word"] * 600))
    add_chapter(long, " ".join(["more"] * 600))
    assert find(ranges={"words": NumberRange(1000, None)}) == ["long"]
    assert find(ranges={"words": NumberRange(None, 10)}) == ["short"]


def test_date_ranges_use_the_updated_and_posted_dates(find: Find) -> None:
    now = datetime.now(UTC)
    WorkFactory.create(
        title="old", published_on=date(2019, 5, 1), revised_at=datetime(2020, 1, 2, tzinfo=UTC)
    )
    WorkFactory.create(
        title="recent", published_on=date(2019, 5, 1), revised_at=now - timedelta(days=3)
    )
    week_ago = now - timedelta(days=7)
    assert find(dates={"updated": DateRange(week_ago, None)}) == ["recent"]
    assert find(dates={"updated": DateRange(None, week_ago)}) == ["old"]
    may = DateRange(datetime(2019, 5, 1, tzinfo=UTC), datetime(2019, 5, 31, tzinfo=UTC))
    assert sorted(find(dates={"posted": may})) == ["old", "recent"]


def test_a_creator_page_query_finds_that_users_and_that_pseuds_works(
    find: Find, author: User, other_user: User
) -> None:
    from tests.factories import PseudFactory

    second = PseudFactory.create(user=author, name="Second Pseud")
    WorkFactory.create(title="default pseud", creators=[author.default_pseud()])
    WorkFactory.create(title="second pseud", creators=[second])
    WorkFactory.create(title="someone else", creators=[other_user.default_pseud()])
    assert sorted(find(creator_user_id=author.pk)) == ["default pseud", "second pseud"]
    assert find(creator_pseud_id=second.pk) == ["second pseud"]


def test_restricted_only_is_for_logged_in_readers(find: Find, other_user: User) -> None:
    WorkFactory.create(title="open")
    WorkFactory.create(title="members only", restricted=True)
    assert find(other_user, restricted=True) == ["members only"]
    assert find(other_user, restricted=False) == ["open"]
    assert find(restricted=True) == []
