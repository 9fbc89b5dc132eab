from datetime import date

import pytest

from ficarchive.formats.workrecord.parse import RecordError, decode_record, parse_record
from ficarchive.formats.workrecord.record import CreatorName, SeriesPart, WorkRecord
from tests.formats.records import MINIMAL, MULTI, SINGLE, with_header

TODAY = date(2026, 11, 25)


def parse(text: str, **kwargs: bool) -> WorkRecord:
    return parse_record(text, today=TODAY, **kwargs).record


def problems(text: str, **kwargs: bool) -> list[tuple[int, str]]:
    with pytest.raises(RecordError) as caught:
        parse_record(text, today=TODAY, **kwargs)
    return [(problem.line, problem.message) for problem in caught.value.problems]


def test_single_chapter_sample_reads_every_field() -> None:
    record = parse(SINGLE.read_text(encoding="utf-8"))
    assert record.title == "The Weight of Candlesticks"
    assert record.work_id == 1000001
    assert record.creators == [CreatorName("Lark", "larkspur")]
    assert record.rating == "General Audiences"
    assert record.relationships == ["Jean Valjean & Cosette"]
    assert record.freeforms[-1] == "candlesticks are a metaphor"
    assert len(record.freeforms) == 5
    assert record.fandoms == [] and record.warnings == []
    assert record.language == "English"
    assert record.complete and record.expected_chapters == 1
    assert record.published is None
    assert len(record.chapters) == 1
    assert record.chapters[0].text.startswith("Cosette found the candlesticks")
    assert record.chapters[0].text.endswith("without looking at the clue.")


def test_multi_chapter_sample_reads_chapters_series_and_dates() -> None:
    record = parse(MULTI.read_text(encoding="utf-8"))
    assert record.creators == [
        CreatorName("Nightjar", "nightjar"),
        CreatorName("Quill and Ink", "inkwell"),
    ]
    assert record.warnings == ["Graphic Depictions Of Violence"]
    assert record.categories == ["Gen", "M/M"]
    assert record.fandoms == ["Les Misérables - Victor Hugo"]
    assert record.characters[-1] == "Éponine Thénardier"
    assert record.series == [SeriesPart("The June Days", 1)]
    assert record.collections == ["Les Mis Summer Exchange 2026"]
    assert (record.published, record.updated) == (date(2026, 6, 5), date(2026, 7, 14))
    assert record.expected_chapters is None and not record.complete
    assert [c.title for c in record.chapters] == ["Tuesday", "Wednesday"]
    assert record.chapters[1].text.startswith("On Wednesday the coffee ran out.\n\nIt was")
    assert record.summary.startswith("Paris, 1832.")


@pytest.mark.parametrize(
    ("singular", "plural", "field"),
    [
        ("Relationship", "Relationships", "relationships"),
        ("Character", "Characters", "characters"),
        ("Archive Warning", "Archive Warnings", "warnings"),
        ("Category", "Categories", "categories"),
        ("Fandom", "Fandoms", "fandoms"),
        ("Additional Tag", "Additional Tags", "freeforms"),
    ],
)
def test_labels_are_understood_in_singular_and_plural(
    singular: str, plural: str, field: str
) -> None:
    value = {"warnings": "Major Character Death", "categories": "Gen"}.get(field, "Something")
    for label in (singular, plural, singular.upper()):
        assert getattr(parse(with_header(f"{label}: {value}")), field) == [value]


def test_values_are_comma_separated_trimmed_and_deduplicated() -> None:
    record = parse(with_header("Additional Tags:  Fluff ,  Angst   with a Happy Ending,, fluff,"))
    assert record.freeforms == ["Fluff", "Angst with a Happy Ending"]


def test_several_creators_and_bare_logins() -> None:
    record = parse(with_header().replace("Author: writer", "Author: writer, Blue Moth (moth_9)"))
    assert record.creators == [CreatorName("writer", "writer"), CreatorName("Blue Moth", "moth_9")]


def test_long_values_continue_on_indented_lines_with_dot_for_empty_lines() -> None:
    text = with_header("Summary: First line", "  second line", "  .", "  ..", "  Last paragraph.")
    assert parse(text).summary == "First line\nsecond line\n\n.\nLast paragraph."


def test_chapters_unknown_total_and_in_progress() -> None:
    record = parse(with_header("Status: In Progress", "Chapters: 1/?"))
    assert record.expected_chapters is None and not record.complete


def test_missing_status_and_chapters_means_a_complete_work() -> None:
    record = parse(with_header())
    assert record.expected_chapters == 1 and record.complete


def test_chapter_prefaces_and_escaped_heading_lines() -> None:
    body = (
        "Chapter 1: Start\nSummary: what happens\nNotes: a note\n  .\n  more\n"
        "End Notes: thanks\nPublished: 2026-01-02\n\n\\Chapter 7 is a line of text\n\n"
        "\\\\ starts with a backslash\n\nChapter 2\n\nSecond."
    )
    record = parse(with_header("Chapters: 2/2", "Published: 2026-01-01", body=body))
    first, second = record.chapters
    assert (first.title, first.summary, first.notes, first.endnotes) == (
        "Start",
        "what happens",
        "a note\n\nmore",
        "thanks",
    )
    assert first.published == date(2026, 1, 2)
    assert first.text == "Chapter 7 is a line of text\n\n\\ starts with a backslash"
    assert (second.title, second.text) == ("", "Second.")


def test_heading_like_lines_in_a_single_chapter_body_are_text() -> None:
    record = parse(with_header(body="Chapter 3\n\nChapter 4: not headings here"))
    assert record.chapters[0].text == "Chapter 3\n\nChapter 4: not headings here"


def test_empty_body_is_one_empty_chapter() -> None:
    record = parse("Title: Art\nAuthor: painter\n\n")
    assert len(record.chapters) == 1 and record.chapters[0].text == ""


def test_crlf_and_byte_order_mark_are_accepted() -> None:
    record = parse("\ufeff" + MINIMAL.replace("\n", "\r\n"))
    assert record.title == "A Small Work" and record.chapters[0].text == "A few words."


def test_statistics_labels_are_ignored_with_a_warning() -> None:
    result = parse_record(with_header("Words: 1,234", "Kudos: 5"), today=TODAY)
    assert [w.line for w in result.warnings] == [3, 4]


def test_unknown_labels_can_be_skipped_with_a_warning() -> None:
    result = parse_record(with_header("Mood: cheerful"), today=TODAY, skip_unknown_labels=True)
    assert result.warnings[0].line == 3 and "Mood" in result.warnings[0].message


# Malformed records: each names its line and says what is wrong.


def test_missing_title_is_reported() -> None:
    assert problems("Author: writer\n\nText.\n") == [(1, "Title: is missing")]


def test_empty_title_is_reported_on_its_line() -> None:
    assert problems("Author: writer\nTitle:   \n\nText.\n") == [(2, "Title: is empty")]


@pytest.mark.parametrize("value", ["two", "1", "1/0", "0/1", "-1/2", "1 of 2", "1/2/3"])
def test_bad_chapters_value_is_reported_on_its_line(value: str) -> None:
    found = problems(with_header("Rating: Mature", f"Chapters: {value}"))
    assert found and found[0][0] == 4 and "Chapters:" in found[0][1]


def test_chapter_count_must_match_the_body() -> None:
    [(line, message)] = problems(with_header("Chapters: 3/5"))
    assert line == 3 and "says 3 chapters, but the text has 1" in message


def test_status_contradicting_chapters_is_reported() -> None:
    [(line, message)] = problems(with_header("Status: Completed", "Chapters: 1/?"))
    assert line == 3 and "contradicts" in message


def test_header_without_blank_line_is_reported_at_the_first_text_line() -> None:
    text = SINGLE.read_text(encoding="utf-8").replace("Chapters: 1/1\n\n", "Chapters: 1/1\n", 1)
    [(line, message)] = problems(text)
    assert line == 10 and "blank line" in message


def test_header_without_blank_line_and_a_colon_in_the_text_is_still_explained() -> None:
    text = with_header("Chapters: 1/1").replace("\n\n", "\n") + "She said: it was a long day.\n"
    found = problems(text)
    assert any("blank line" in message for _line, message in found)


def test_header_running_to_the_end_of_the_file_is_reported() -> None:
    [(line, message)] = problems("Title: T\nAuthor: writer\nChapters: 1/1\n")
    assert line == 3 and "does not end with a blank line" in message


def test_unknown_label_suggests_the_closest_one() -> None:
    [(line, message)] = problems(with_header("Relatonships: A/B"))
    assert line == 3 and "did you mean Relationship:?" in message


def test_a_label_given_twice_is_reported_with_both_lines() -> None:
    [(line, message)] = problems(with_header("Fandom: A", "Fandoms: B"))
    assert line == 4 and "line 3" in message


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("Rating: Spicy", "unknown rating"),
        ("Rating: Mature, Explicit", "exactly one rating"),
        ("Archive Warning: Dragons", "unknown archive warning"),
        ("Category: M/M/F", "unknown category"),
        ("Published: 5 June 2026", "YYYY-MM-DD"),
        ("Published: 2026-02-30", "YYYY-MM-DD"),
        ("Published: 2027-01-01", "in the future"),
        ("Updated: 2026-01-01", "needs a Published: date"),
        ("Work ID: abc", "whole number"),
        ("Work ID: 0", "whole number"),
        ("Restricted: maybe", "Yes or No"),
        ("Series: The June Days", "Part N of Series Title"),
        ("Additional Tags: good, b*d", "cannot contain"),
        ("Additional Tags: " + "x" * 151, "at most 150"),
        ("Status: Finished-ish", "Completed or In Progress"),
    ],
)
def test_bad_values_are_reported_on_their_line(line: str, fragment: str) -> None:
    found = problems(with_header(line))
    assert found[0][0] == 3 and fragment in found[0][1]


def test_updated_before_published_is_reported() -> None:
    found = problems(with_header("Published: 2026-05-01", "Updated: 2026-04-01"))
    assert found == [(4, "Updated: is earlier than Published:")]


@pytest.mark.parametrize("author", ["ab", "no spaces allowed", "_underscore", "Pseud (bad login!)"])
def test_invalid_creators_are_reported(author: str) -> None:
    found = problems(with_header().replace("Author: writer", f"Author: {author}"))
    assert found[0][0] == 2 and "not a valid" in found[0][1]


def test_missing_author_is_reported() -> None:
    assert problems("Title: T\n\nText.\n")[0][1].startswith("Author: is missing")


def test_out_of_order_chapter_heading_is_reported_with_the_escape() -> None:
    body = "Chapter 1\n\nOne.\n\nChapter 3\n\nThree."
    found = problems(with_header("Chapters: 1/1", body=body))
    assert found[0][0] == 9 and "\\Chapter 3" in found[0][1]


def test_text_right_after_a_chapter_heading_is_reported() -> None:
    found = problems(with_header(body="Chapter 1\nIt began."))
    assert found[0][0] == 5 and "blank line before the text" in found[0][1]


def test_several_problems_are_all_reported_in_line_order() -> None:
    found = problems(with_header("Rating: Spicy", "Chapters: x"))
    assert [line for line, _message in found] == [3, 4]


def test_empty_file_and_leading_blank_line_are_reported() -> None:
    assert problems("") == [(1, "the file is empty")]
    assert problems("\nTitle: T\n")[0][0] == 1


def test_non_utf8_bytes_name_their_line() -> None:
    with pytest.raises(RecordError) as caught:
        decode_record(b"Title: T\nAuthor: writer\n\nna\xefve\n")
    assert caught.value.problems[0].line == 4


def test_a_control_character_names_its_line_and_column() -> None:
    text = with_header("Additional Tags: Fluff, Bad\x00Tag", body="Text with a\x07bell.")
    found = problems(text)
    assert [line for line, _message in found] == [3, 5]
    assert "control character (U+0000) at column 28" in found[0][1]
    assert "control character (U+0007) at column 12" in found[1][1]
