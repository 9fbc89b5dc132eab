"""The dump reader: mysqldump's SQL read by a real tokenizer, and malformed files refused
with the file, the line and the problem, giving no rows at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from ficarchive.formats.efiction.reader import DumpSource, SourceError
from tests.formats.efiction.archive import Archive, small_archive

HEADER = (
    "CREATE TABLE `fanfiction_authors` (\n  `uid` int(11) NOT NULL,\n  `penname` varchar(200),\n"
    "  `bio` text,\n  PRIMARY KEY (`uid`),\n  KEY `penname` (`penname`)\n);\n"
)


def _source(tmp_path: Path, sql: str) -> DumpSource:
    path = tmp_path / "dump.sql"
    path.write_text(sql)
    return DumpSource(path)


def test_rows_come_back_as_written(tmp_path: Path) -> None:
    archive = Archive()
    archive.add("authors", uid=7, penname='It\'s "quoted"\\ and; semi', bio="line\nbreak")
    source = _source(tmp_path, archive.sql())
    (row,) = source.rows("authors")
    assert row["uid"] == 7
    assert row["penname"] == 'It\'s "quoted"\\ and; semi'
    assert row["bio"] == "line\nbreak"
    assert row["date"] == "0000-00-00 00:00:00"


def test_every_row_of_multi_row_inserts_is_read(tmp_path: Path) -> None:
    source = _source(tmp_path, small_archive().sql())
    assert [row["reviewid"] for row in source.rows("reviews")] == [1, 2, 3]
    assert len(list(source.rows("chapters"))) == 4


@pytest.mark.parametrize("chunk_chars", [7, 50, 333])
def test_a_dump_read_a_piece_at_a_time_gives_the_same_rows(
    tmp_path: Path, chunk_chars: int
) -> None:
    archive = small_archive()
    archive.add("authors", uid=9, penname="Semi; colon 'quoted'' twice", bio="/* not a comment */")
    path = tmp_path / "dump.sql"
    path.write_text(archive.sql(), encoding="utf-8")
    whole, pieces = DumpSource(path), DumpSource(path, chunk_chars=chunk_chars)
    for table in ("authors", "stories", "chapters", "reviews"):
        assert list(pieces.rows(table)) == list(whole.rows(table))


@pytest.mark.parametrize("chunk_chars", [10, 1_000_000])
def test_errors_name_the_line_however_the_dump_is_read(tmp_path: Path, chunk_chars: int) -> None:
    path = tmp_path / "dump.sql"
    path.write_text(HEADER + "INSERT INTO `fanfiction_authors` VALUES\n(1,'a','b'),\n(2,'c');\n")
    with pytest.raises(SourceError, match=r"dump.sql:10: a row of fanfiction_authors has 2"):
        DumpSource(path, chunk_chars=chunk_chars)


def test_named_columns_null_negative_and_hex_values(tmp_path: Path) -> None:
    sql = HEADER + (
        "INSERT INTO `fanfiction_authors` (`penname`, `uid`, `bio`) VALUES "
        "('a', -1, NULL), ('b', 2, 0x4869);"
    )
    rows = list(_source(tmp_path, sql).rows("authors"))
    assert rows == [
        {"uid": -1, "penname": "a", "bio": None},
        {"uid": 2, "penname": "b", "bio": b"Hi"},
    ]


def test_other_prefixes_and_comments_are_ignored(tmp_path: Path) -> None:
    sql = (
        "-- a comment; with a semicolon\n/*!40101 SET NAMES utf8 */;\n"
        "CREATE TABLE `other_x` (`a` int);\nINSERT INTO `other_x` VALUES (1);\n" + HEADER
    )
    source = _source(tmp_path, sql)
    assert source.has("authors") and not source.has("x")


@pytest.mark.parametrize(
    ("tail", "line", "problem"),
    [
        (
            "INSERT INTO `fanfiction_authors` VALUES\n(1,'a','b'),\n(2,'unclosed,'c');\n",
            10,
            "unclosed quote",
        ),
        ("INSERT INTO `fanfiction_authors` VALUES\n(1,'a');\n", 9, "2 values for 3 columns"),
        (
            "INSERT INTO `fanfiction_authors` VALUES\n(1,'a','b') (2,'c','d');\n",
            9,
            "',' or ';' expected",
        ),
        ("INSERT INTO `fanfiction_chapters` VALUES (1);\n", 8, "before its CREATE TABLE"),
        ("INSERT INTO `fanfiction_authors` VALUES\n(1,'a',now());\n", 9, "unexpected 'now'"),
    ],
)
def test_malformed_dump_names_file_line_and_problem(
    tmp_path: Path, tail: str, line: int, problem: str
) -> None:
    with pytest.raises(SourceError) as error:
        _source(tmp_path, HEADER + tail)
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'dump.sql'}:{line}: ")
    assert problem in message


def test_latin1_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "dump.sql"
    path.write_bytes(
        (HEADER + "INSERT INTO `fanfiction_authors` VALUES (1,'Zoë',NULL);").encode("latin1")
    )
    source = DumpSource(path)
    assert next(source.rows("authors"))["penname"] == "Zoë"
    assert source.repaired_encoding


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read the file"):
        DumpSource(tmp_path / "nope.sql")
