"""Reading a search from a query string: fields, sidebar ids and free-text shortcuts."""

from __future__ import annotations

from django.http import QueryDict

from ficarchive.search.parse import ParsedSearch, parse_search
from ficarchive.search.query import MAX_TAGS, NumberRange, Sort
from ficarchive.tags.models import TagType
from tests.factories import TagFactory, fixed_tag


def _parse(query_string: str) -> ParsedSearch:
    return parse_search(QueryDict(query_string))


def test_counter_shortcuts_leave_the_free_text(db: None) -> None:
    parsed = _parse("q=harbor words>1000 kudos:>10 hits:100-200 comments: <5 bookmarks=3")
    assert parsed.query.text == "harbor"
    assert parsed.query.ranges == {
        "words": NumberRange(1001, None),
        "kudos": NumberRange(11, None),
        "hits": NumberRange(100, 200),
        "comments": NumberRange(None, 4),
        "bookmarks": NumberRange(3, 3),
    }
    assert parsed.errors == []


def test_sort_and_flag_shortcuts(db: None) -> None:
    parsed = _parse("q=sort:kudos complete:true otp:yes crossover:false single_chapter:t tea")
    query = parsed.query
    assert (query.text, query.sort, query.complete, query.otp) == ("tea", Sort.KUDOS, True, True)
    assert (query.crossover, query.single_chapter) == (False, True)
    # As in the largest archive, sort:>words means the smallest first.
    assert _parse("q=sort:>words").query.ascending is True
    assert _parse("q=sort:<words").query.ascending is False


def test_date_and_language_shortcuts(db: None) -> None:
    parsed = _parse("q=updated:<2weeks posted:2020-01-01..2020-12-31 language:en")
    assert set(parsed.query.dates) == {"updated", "posted"}
    assert parsed.query.language_ids
    assert parsed.query.text == ""


def test_pairing_categories_in_the_free_text_are_phrases(db: None) -> None:
    assert _parse("q=m/m fluff").query.text == '"m/m" fluff'


def test_form_fields_become_the_query(db: None) -> None:
    fandom = TagFactory.create(name="Sherlock (TV)", type=TagType.FANDOM, canonical=True)
    parsed = _parse(
        "fandoms=Sherlock (TV)&exclude_tags=Unknown Tag&rating=General Audiences"
        "&complete=false&words_from=1000&words_to=5000&sort=title&order=desc&page=3"
        "&language=en&updated_from=2024-01-01"
    )
    query = parsed.query
    assert query.include_tag_ids == (fandom.pk,)
    assert query.exclude_tag_names == ("Unknown Tag",)
    assert query.rating_ids == (fixed_tag("General Audiences").pk,)
    assert query.complete is False
    assert query.ranges["words"] == NumberRange(1000, 5000)
    assert (query.sort, query.ascending, query.page) == (Sort.TITLE, False, 3)
    assert query.dates["updated"].low is not None
    # The one name no tag has is said, and searched as words in tags.
    assert parsed.errors == [
        "No tag is named “Unknown Tag”: works with those words in their tags are shown."
    ]


def test_sidebar_ids_are_read_and_unknown_ones_reported(db: None) -> None:
    tag = TagFactory.create(name="Fluff", canonical=True)
    parsed = _parse(f"include={tag.pk}&exclude=999999&include=abc")
    assert parsed.query.include_tag_ids == (tag.pk,)
    assert parsed.query.exclude_tag_ids == ()
    assert any("999999" in error for error in parsed.errors)
    assert any("'abc'" in error for error in parsed.errors)


def test_bad_parameters_become_messages(db: None) -> None:
    parsed = _parse(
        "sort=sideways&order=up&page=-2&words=lots&complete=maybe&updated=soonish&rating=Unrated"
        "&language=xx-nowhere&updated_to=31/12/2020"
    )
    assert len(parsed.errors) == 9
    assert parsed.query.sort is None
    assert parsed.query.page == 1
    assert parsed.query.language_ids == (0,)  # a language nobody writes in finds nothing


def test_a_thousand_tags_are_cut_to_the_limit_with_a_message(db: None) -> None:
    names = ",".join(f"tag {number}" for number in range(1000))
    parsed = _parse(f"tags={names}")
    assert parsed.query.tag_count() == MAX_TAGS
    assert any(f"at most {MAX_TAGS} tags" in error for error in parsed.errors)


def test_a_tag_page_keeps_its_tag_under_the_readers_filters(db: None) -> None:
    from ficarchive.search.query import WorkQuery

    tag = TagFactory.create(name="Angst", canonical=True)
    other = TagFactory.create(name="Fluff", canonical=True)
    parsed = parse_search(QueryDict(f"include={other.pk}"), WorkQuery(include_tag_ids=(tag.pk,)))
    assert parsed.query.include_tag_ids == (tag.pk, other.pk)
