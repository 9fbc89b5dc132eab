"""Reading an eFiction 3.5 database: the rows of each table, from a mysqldump file (parsed by
sqlglot's MySQL tokenizer, never by patterns over lines) or from a live MySQL/MariaDB server.

Both sources give a row as a dict of column name to value (int, float, str, bytes, None, or a
date/datetime from the server); the importer cleans values the same way for both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit

from sqlglot.dialects.mysql import MySQL
from sqlglot.errors import TokenError
from sqlglot.tokens import Token, TokenType

DEFAULT_PREFIX = "fanfiction_"
# The dump is tokenized this many characters at a time (more where a statement is longer).
CHUNK_CHARS = 4_000_000
# The tables the importer reads, without the prefix.
TABLES = (
    "settings",
    "authors",
    "authorprefs",
    "categories",
    "characters",
    "classtypes",
    "classes",
    "ratings",
    "stories",
    "chapters",
    "coauthors",
    "series",
    "inseries",
    "reviews",
    "favorites",
    "news",
)
Row = dict[str, Any]


class SourceError(Exception):
    """A source that cannot be read; the message names the file and line, or the server."""


class Source(Protocol):
    """Where the eFiction tables come from."""

    def describe(self) -> str: ...

    def has(self, table: str) -> bool: ...

    def rows(self, table: str) -> Iterator[Row]: ...


# Dump files.

# Keywords that start a table constraint, not a column, in CREATE TABLE.
_CONSTRAINTS = {"PRIMARY", "KEY", "UNIQUE", "INDEX", "CONSTRAINT", "FULLTEXT", "FOREIGN", "SPATIAL"}
_CONSTRAINT_TYPES = {
    TokenType.PRIMARY_KEY,
    TokenType.KEY,
    TokenType.UNIQUE,
    TokenType.INDEX,
    TokenType.CONSTRAINT,
    TokenType.FOREIGN_KEY,
}


_L_PAREN, _R_PAREN, _COMMA = TokenType.L_PAREN, TokenType.R_PAREN, TokenType.COMMA
_STRING, _NUMBER, _NULL = TokenType.STRING, TokenType.NUMBER, TokenType.NULL


@dataclass
class _Table:
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    # The named columns of each INSERT, when it names them.
    named: list[tuple[list[str], int, int]] = field(default_factory=list)


class DumpSource:
    """The tables of a mysqldump file, read whole before any row is given: a malformed file
    raises SourceError (file, line, problem) and gives nothing."""

    def __init__(
        self, path: Path, prefix: str = DEFAULT_PREFIX, *, chunk_chars: int = CHUNK_CHARS
    ) -> None:
        self.path = path
        self.prefix = prefix
        self.chunk_chars = chunk_chars
        self.repaired_encoding = False
        self._tables: dict[str, _Table] = {}
        self._lines = 0
        self._parse(self._text())

    def describe(self) -> str:
        return str(self.path)

    def has(self, table: str) -> bool:
        return self.prefix + table in self._tables

    def rows(self, table: str) -> Iterator[Row]:
        found = self._tables.get(self.prefix + table)
        if found is None:
            return
        for row in found.rows:
            yield dict(zip(found.columns, row, strict=False))

    def _text(self) -> str:
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise SourceError(f"{self.path}: cannot read the file: {error.strerror}") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            # Old archives dumped as latin1: every byte is a character there.
            self.repaired_encoding = True
            return data.decode("cp1252", errors="replace")

    def _error(self, line: int, problem: str) -> SourceError:
        return SourceError(f"{self.path}:{self._lines + line}: {problem}")

    def _parse(self, text: str) -> None:
        """Tokenize the text a piece at a time, so that the tokens of a large dump are never
        all held at once: each piece ends at its last complete statement, and the rest is read
        again with the next. A piece cut inside a quoted string or a comment cannot be
        tokenized, so it grows until it holds the statement whole."""
        start, size = 0, self.chunk_chars
        self._lines = 0
        while start < len(text):
            end = start + size
            last = end >= len(text)
            piece = text[start:end]
            tokenizer = MySQL().tokenizer()
            try:
                tokens = tokenizer.tokenize(piece)
            except TokenError:
                if not last:
                    size *= 2
                    continue
                done = tokenizer.tokens
                line = done[-1].line if done else 1
                raise self._error(line, "cannot read the SQL here (an unclosed quote?)") from None
            if not last:
                ends = [i for i, t in enumerate(tokens) if t.token_type == TokenType.SEMICOLON]
                if not ends:
                    size *= 2
                    continue
                tokens = tokens[: ends[-1] + 1]
                piece = piece[: tokens[-1].end + 1]
            for statement in _statements(tokens):
                self._statement(statement)
            self._lines += piece.count("\n")
            start += len(piece)
            size = self.chunk_chars

    def _statement(self, tokens: list[Token]) -> None:
        first = tokens[0].token_type
        if (
            first == TokenType.CREATE
            and len(tokens) > 2
            and tokens[1].token_type == TokenType.TABLE
        ):
            self._create(tokens)
        elif first in (TokenType.INSERT, TokenType.REPLACE):
            self._insert(tokens)

    def _create(self, tokens: list[Token]) -> None:
        index = 2
        # CREATE TABLE IF NOT EXISTS `name`
        while index < len(tokens) and tokens[index].text.upper() in {"IF", "NOT", "EXISTS"}:
            index += 1
        if index >= len(tokens):
            raise self._error(tokens[0].line, "CREATE TABLE without a name")
        name = tokens[index].text
        if not name.startswith(self.prefix):
            return
        columns = []
        depth = 0
        starts_item = False
        for token in tokens[index + 1 :]:
            if token.token_type == TokenType.L_PAREN:
                depth += 1
                starts_item = depth == 1
                continue
            if token.token_type == TokenType.R_PAREN:
                depth -= 1
                continue
            if depth == 1 and token.token_type == TokenType.COMMA:
                starts_item = True
                continue
            if starts_item:
                starts_item = False
                if (
                    token.token_type not in _CONSTRAINT_TYPES
                    and token.text.upper() not in _CONSTRAINTS
                ):
                    columns.append(token.text)
        if not columns:
            raise self._error(tokens[0].line, f"CREATE TABLE {name} has no columns")
        self._tables[name] = _Table(columns=columns)

    def _insert(self, tokens: list[Token]) -> None:
        index = 1
        while index < len(tokens) and tokens[index].token_type in (
            TokenType.INTO,
            TokenType.IGNORE,
        ):
            index += 1
        if index >= len(tokens):
            raise self._error(tokens[0].line, "INSERT without a table")
        name = tokens[index].text
        index += 1
        if not name.startswith(self.prefix):
            return
        table = self._tables.get(name)
        if table is None:
            raise self._error(tokens[0].line, f"INSERT into {name} before its CREATE TABLE")
        named: list[str] | None = None
        if index < len(tokens) and tokens[index].token_type == TokenType.L_PAREN:
            named, index = self._names(tokens, index)
        if index >= len(tokens) or tokens[index].token_type != TokenType.VALUES:
            line = tokens[min(index, len(tokens) - 1)].line
            raise self._error(line, f"INSERT into {name}: VALUES expected")
        index += 1
        rows = []
        width = len(named) if named is not None else len(table.columns)
        while index < len(tokens):
            row, index = self._row(tokens, index, name)
            if len(row) != width:
                raise self._error(
                    tokens[min(index, len(tokens)) - 1].line,
                    f"a row of {name} has {len(row)} values for {width} columns",
                )
            rows.append(row)
            if index < len(tokens) and tokens[index].token_type == TokenType.COMMA:
                index += 1
            elif index < len(tokens):
                raise self._error(tokens[index].line, f"INSERT into {name}: ',' or ';' expected")
        if named is not None and named != table.columns:
            order = [named.index(column) if column in named else None for column in table.columns]
            rows = [tuple(None if i is None else row[i] for i in order) for row in rows]
        table.rows.extend(rows)

    def _names(self, tokens: list[Token], index: int) -> tuple[list[str], int]:
        names = []
        index += 1
        while index < len(tokens) and tokens[index].token_type != TokenType.R_PAREN:
            if tokens[index].token_type != TokenType.COMMA:
                names.append(tokens[index].text)
            index += 1
        return names, index + 1

    def _row(self, tokens: list[Token], index: int, name: str) -> tuple[tuple[Any, ...], int]:
        """One parenthesised row of values; the common values (strings, numbers, NULL) are
        read here, the rest by _value. This loop is most of reading a dump."""
        if tokens[index].token_type is not _L_PAREN:
            raise self._error(tokens[index].line, f"INSERT into {name}: '(' expected")
        index += 1
        values: list[Any] = []
        append = values.append
        count = len(tokens)
        while True:
            if index >= count:
                raise self._error(tokens[-1].line, f"INSERT into {name}: the row is not closed")
            token = tokens[index]
            kind = token.token_type
            if kind is _STRING:
                append(token.text)
                index += 1
            elif kind is _NUMBER:
                text = token.text
                append(int(text) if text.isdigit() else float(text))
                index += 1
            elif kind is _NULL:
                append(None)
                index += 1
            else:
                value, index = self._value(tokens, index, name)
                append(value)
            if index >= count:
                raise self._error(tokens[-1].line, f"INSERT into {name}: the row is not closed")
            token = tokens[index]
            if token.token_type is _COMMA:
                index += 1
            elif token.token_type is _R_PAREN:
                return tuple(values), index + 1
            else:
                raise self._error(
                    token.line, f"INSERT into {name}: ',' expected, not {token.text!r}"
                )

    def _value(self, tokens: list[Token], index: int, name: str) -> tuple[Any, int]:
        token = tokens[index]
        kind = token.token_type
        sign = 1
        if kind in (TokenType.DASH, TokenType.PLUS) and index + 1 < len(tokens):
            sign = -1 if kind == TokenType.DASH else 1
            index += 1
            token = tokens[index]
            kind = token.token_type
            if kind != TokenType.NUMBER:
                raise self._error(token.line, f"INSERT into {name}: a number expected after sign")
        if kind == TokenType.NUMBER:
            text = token.text
            number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
            return sign * number, index + 1
        if kind in (TokenType.STRING, TokenType.NATIONAL_STRING):
            return token.text, index + 1
        if kind == TokenType.NULL:
            return None, index + 1
        if kind == TokenType.HEX_STRING:
            return bytes.fromhex(token.text), index + 1
        if kind in (TokenType.TRUE, TokenType.FALSE):
            return int(kind == TokenType.TRUE), index + 1
        raise self._error(token.line, f"INSERT into {name}: unexpected {token.text!r} in a row")


def _statements(tokens: list[Token]) -> Iterator[list[Token]]:
    current: list[Token] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                yield current
            current = []
        else:
            current.append(token)
    if current:
        yield current


# Live servers.


class MysqlSource:
    """The tables of a live MySQL/MariaDB database, named by a URL
    (mysql://user:password@host:port/database, or ?unix_socket=PATH)."""

    def __init__(self, url: str, prefix: str = DEFAULT_PREFIX) -> None:
        # Imported here: PyMySQL is only needed for a live source.
        import pymysql

        self.url = url
        self.prefix = prefix
        parts = urlsplit(url)
        if parts.scheme not in {"mysql", "mariadb"}:
            raise SourceError(f"{url}: a mysql:// URL expected")
        query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
        try:
            self._connection = pymysql.connect(
                host=parts.hostname or "localhost",
                port=parts.port or 3306,
                user=unquote(parts.username or "root"),
                password=unquote(parts.password or ""),
                database=parts.path.lstrip("/"),
                unix_socket=query.get("unix_socket"),
                charset="utf8mb4",
                cursorclass=pymysql.cursors.SSDictCursor,
            )
        except pymysql.MySQLError as error:
            raise SourceError(f"{self.describe()}: cannot connect: {error}") from None
        with self._connection.cursor() as cursor:
            cursor.execute("SHOW TABLES")
            self._tables = {next(iter(row.values())) for row in cursor.fetchall()}

    def describe(self) -> str:
        parts = urlsplit(self.url)
        return f"mysql://{parts.hostname or 'localhost'}{parts.path}"

    def has(self, table: str) -> bool:
        return self.prefix + table in self._tables

    def rows(self, table: str) -> Iterator[Row]:
        if not self.has(table):
            return
        name = (self.prefix + table).replace("`", "``")
        with self._connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM `{name}`")
            # The whole table is read before the first row is given, so that a table is
            # imported from one consistent read and the connection is free for the next.
            rows = list(cursor.fetchall())
        yield from rows

    def close(self) -> None:
        self._connection.close()
