"""Free text: words and phrases in every part of a work, the chapter text included, with the
query syntax readers type."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from tests.factories import (
    PseudFactory,
    TagFactory,
    UserFactory,
    WorkFactory,
    add_chapter,
    add_tags,
)
from tests.search.conftest import Find, FindParams


@pytest.fixture
def works(db: None) -> None:
    WorkFactory.create(title="The Lighthouse Keeper", text="Waves broke on the rocks.")
    WorkFactory.create(
        title="Harbour Lights", summary="A story about a cartographer.", text="Quiet streets."
    )
    noted = WorkFactory.create(title="Winter Notes", text="Snow fell.")
    noted.notes = "Written for the <em>solstice</em> exchange."
    noted.save()
    chaptered = WorkFactory.create(title="Long Road", text="The first chapter.")
    add_chapter(chaptered, "Somewhere in the second chapter a zeppelin appears.")
    tagged = WorkFactory.create(title="Tagged", text="Nothing to see.")
    add_tags(tagged, TagFactory.create(name="Slow Burn"))
    writer = UserFactory.create(username="quillwright")
    WorkFactory.create(title="By Quill", creators=[writer.default_pseud()], text="Ink.")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("lighthouse", ["The Lighthouse Keeper"]),
        ("cartographer", ["Harbour Lights"]),  # summary
        ("solstice", ["Winter Notes"]),  # notes
        ("zeppelin", ["Long Road"]),  # the text of a later chapter
        ("burn", ["Tagged"]),  # tags
        ("quillwright", ["By Quill"]),  # creators
        ("WAVES", ["The Lighthouse Keeper"]),  # case
        ('"second chapter"', ["Long Road"]),  # phrase
        ('"chapter second"', []),
        ("lighthouse rocks", ["The Lighthouse Keeper"]),  # all words must match
        ("lighthouse cartographer", []),
        ("lighthouse OR cartographer", ["Harbour Lights", "The Lighthouse Keeper"]),
        ("title:lights", ["Harbour Lights"]),
        ("summary:lights", []),
        ("tags:burn", ["Tagged"]),
        ("creators:quillwright", ["By Quill"]),
    ],
)
def test_free_text_searches_every_part_of_a_work(
    find: Find, works: None, query: str, expected: list[str]
) -> None:
    assert sorted(find(text=query)) == sorted(expected)


def test_a_minus_word_leaves_works_out(find: Find, works: None) -> None:
    found = find(text="chapter -zeppelin")
    assert "Long Road" not in found
    without = find(text="-creators:quillwright")
    assert "By Quill" not in without
    assert len(without) == 5


def test_title_and_creators_fields_search_only_there(find: Find, works: None) -> None:
    assert find(title="lighthouse") == ["The Lighthouse Keeper"]
    assert find(title="waves") == []
    assert find(creators="quillwright") == ["By Quill"]


def test_accents_and_case_are_folded(find: Find) -> None:
    WorkFactory.create(title="Les Misérables Reimagined")
    assert find(text="miserables") == ["Les Misérables Reimagined"]
    assert find(text="MISÉRABLES") == ["Les Misérables Reimagined"]


def test_chinese_and_japanese_words_are_found_inside_sentences(find: Find) -> None:
    WorkFactory.create(title="魔法少女", text="彼女は東京の学校に通っています。")
    WorkFactory.create(title="哈利波特与魔法石", text="他们在霍格沃茨上学。")
    assert sorted(find(text="魔法")) == ["哈利波特与魔法石", "魔法少女"]
    assert find(text="東京") == ["魔法少女"]
    assert find(text="霍格沃茨") == ["哈利波特与魔法石"]
    assert find(text="法魔") == []


def test_a_pseud_byline_is_searchable_by_pseud_and_login(find: Find, author: User) -> None:
    pseud = PseudFactory.create(user=author, name="Moonlit")
    WorkFactory.create(title="Under a Pseud", creators=[pseud])
    assert find(creators="moonlit") == ["Under a Pseud"]
    assert find(creators="author") == ["Under a Pseud"]


def test_text_that_tantivy_cannot_read_gives_a_message_not_an_error(
    find_params: FindParams,
) -> None:
    WorkFactory.create(title="Anything")
    _titles, errors = find_params("q=(unclosed AND")
    assert any("could not be read" in error for error in errors)


def test_only_text_fields_can_be_named_in_a_query(find: Find, author: User) -> None:
    """The index has private fields (the creators of anonymous works); a query naming one is
    read as plain words, never as a lookup of that field."""
    WorkFactory.create(title="Secret", anonymous=True, creators=[author.default_pseud()])
    assert find(text=f"private_user_ids:{author.pk}") == []
    assert find(text=f"private_pseud_ids:{author.default_pseud().pk}") == []
    assert find(text=f"user_ids:{author.pk}") == []
