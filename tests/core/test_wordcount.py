import pytest
from hypothesis import given
from hypothesis import strategies as st

from ficarchive.core.wordcount import count_html_words, count_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", 0),
        ("One two three.", 3),
        ("Don't split can’t or ‘quoted’ words", 6),
        ("A well-known, long-awaited re-read", 4),
        ("before--after and before — after", 5),
        ("Numbers 1832 and 3.5 count", 6),
        ("中文字", 3),
        ("ひらがな カタカナ", 8),
        ("สวัสดี", 6),
        ("English and 中文 mixed", 5),
        ("Ёлка и Éponine", 3),
        ("  spaced   out  \n\n words ", 3),
    ],
)
def test_words_are_counted_by_the_largest_archives_rule(text: str, words: int) -> None:
    assert count_words(text) == words


def test_html_tags_separate_words_and_entities_are_text() -> None:
    html = "<p>First paragraph.</p><p>Second&nbsp;one &amp; more</p><br /><em>x</em>y"
    assert count_html_words(html) == 7


@given(
    st.one_of(
        st.text(st.characters(max_codepoint=0x2FF)),
        st.text(st.characters(max_codepoint=0x2100, exclude_categories=["Cs"])),
    )
)
def test_the_fast_path_counts_like_the_exact_rule(text: str) -> None:
    from ficarchive.core import wordcount

    exact = wordcount._WORD.subn("", wordcount._JOINERS.sub("", text.replace("--", " — ")))[1]
    assert count_words(text) == exact
