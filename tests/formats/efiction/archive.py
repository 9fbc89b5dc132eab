"""Synthetic eFiction 3.5 archives, written as mysqldump-style SQL by the tests themselves: the
tables the importer reads, in the column order of eFiction's schema, with a small clean
archive and the messy rows real ones have."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

# (table, [(column, MySQL type)]): the columns the importer reads, as eFiction 3.5 has them.
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "settings": [
        ("sitekey", "varchar(50) NOT NULL default '1'"),
        ("sitename", "varchar(200) NOT NULL default 'Your Site'"),
        ("language", "varchar(10) NOT NULL default 'en'"),
        ("storiespath", "varchar(20) NOT NULL default 'stories'"),
        ("store", "varchar(5) NOT NULL default 'files'"),
    ],
    "authors": [
        ("uid", "int(11) NOT NULL auto_increment"),
        ("penname", "varchar(200) NOT NULL default ''"),
        ("realname", "varchar(200) NOT NULL default ''"),
        ("email", "varchar(200) NOT NULL default ''"),
        ("website", "varchar(200) NOT NULL default ''"),
        ("bio", "text NOT NULL"),
        ("image", "varchar(200) NOT NULL default ''"),
        ("date", "datetime NOT NULL default '0000-00-00 00:00:00'"),
        ("admincreated", "int(11) NOT NULL default '0'"),
        ("password", "varchar(40) NOT NULL default '0'"),
    ],
    "categories": [
        ("catid", "int(11) NOT NULL auto_increment"),
        ("parentcatid", "int(11) NOT NULL default '-1'"),
        ("category", "varchar(60) NOT NULL default ''"),
        ("description", "text NOT NULL"),
        ("image", "varchar(100) NOT NULL default ''"),
        ("locked", "tinyint(4) NOT NULL default '0'"),
        ("leveldown", "tinyint(4) NOT NULL default '0'"),
        ("displayorder", "int(4) NOT NULL default '0'"),
        ("numitems", "int(11) NOT NULL default '0'"),
    ],
    "characters": [
        ("charid", "int(11) NOT NULL auto_increment"),
        ("catid", "int(11) NOT NULL default '0'"),
        ("charname", "varchar(60) NOT NULL default ''"),
        ("bio", "text NOT NULL"),
        ("image", "varchar(200) NOT NULL default ''"),
    ],
    "classtypes": [
        ("classtype_id", "int(11) NOT NULL auto_increment"),
        ("classtype_name", "varchar(50) NOT NULL default ''"),
        ("classtype_title", "varchar(50) NOT NULL default ''"),
    ],
    "classes": [
        ("class_id", "int(11) NOT NULL auto_increment"),
        ("class_type", "int(11) NOT NULL default '0'"),
        ("class_name", "varchar(100) NOT NULL default ''"),
    ],
    "ratings": [
        ("rid", "int(11) NOT NULL auto_increment"),
        ("rating", "varchar(60) NOT NULL default ''"),
        ("ratingwarning", "int(11) NOT NULL default '0'"),
        ("warningtext", "text NOT NULL"),
    ],
    "stories": [
        ("sid", "int(11) NOT NULL auto_increment"),
        ("title", "varchar(200) NOT NULL default ''"),
        ("summary", "text"),
        ("storynotes", "text"),
        ("catid", "varchar(100) NOT NULL default '0'"),
        ("classes", "varchar(200) default NULL"),
        ("charid", "varchar(250) NOT NULL default '0'"),
        ("rid", "varchar(25) NOT NULL default '0'"),
        ("date", "datetime NOT NULL default '0000-00-00 00:00:00'"),
        ("updated", "datetime NOT NULL default '0000-00-00 00:00:00'"),
        ("uid", "int(11) NOT NULL default '0'"),
        ("coauthors", "varchar(200) default NULL"),
        ("featured", "tinyint(4) NOT NULL default '0'"),
        ("validated", "tinyint(4) NOT NULL default '0'"),
        ("completed", "tinyint(4) NOT NULL default '0'"),
        ("rr", "tinyint(4) NOT NULL default '0'"),
        ("wordcount", "int(11) NOT NULL default '0'"),
        ("rating", "tinyint(4) NOT NULL default '0'"),
        ("reviews", "smallint(6) NOT NULL default '0'"),
        ("count", "int(11) NOT NULL default '0'"),
        ("challenges", "varchar(200) NOT NULL default '0'"),
    ],
    "chapters": [
        ("chapid", "int(11) NOT NULL auto_increment"),
        ("title", "varchar(250) NOT NULL default ''"),
        ("inorder", "int(11) NOT NULL default '0'"),
        ("notes", "text NOT NULL"),
        ("storytext", "mediumtext NOT NULL"),
        ("endnotes", "text"),
        ("validated", "tinyint(4) NOT NULL default '0'"),
        ("wordcount", "int(11) NOT NULL default '0'"),
        ("rating", "tinyint(4) NOT NULL default '0'"),
        ("reviews", "smallint(6) NOT NULL default '0'"),
        ("sid", "int(11) NOT NULL default '0'"),
        ("uid", "int(11) NOT NULL default '0'"),
        ("count", "int(11) NOT NULL default '0'"),
    ],
    "coauthors": [
        ("sid", "int(11) NOT NULL default '0'"),
        ("uid", "int(11) NOT NULL default '0'"),
    ],
    "series": [
        ("seriesid", "int(11) NOT NULL auto_increment"),
        ("title", "varchar(200) NOT NULL default ''"),
        ("summary", "text"),
        ("uid", "int(11) NOT NULL default '0'"),
        ("isopen", "tinyint(4) NOT NULL default '0'"),
        ("catid", "varchar(200) NOT NULL default '0'"),
        ("rating", "tinyint(4) NOT NULL default '0'"),
        ("classes", "varchar(200) default NULL"),
        ("characters", "varchar(250) NOT NULL default ''"),
    ],
    "inseries": [
        ("seriesid", "int(11) NOT NULL default '0'"),
        ("sid", "int(11) NOT NULL default '0'"),
        ("subseriesid", "int(11) NOT NULL default '0'"),
        ("confirmed", "int(11) NOT NULL default '0'"),
        ("inorder", "int(11) NOT NULL default '0'"),
        ("updated", "datetime NOT NULL default '0000-00-00 00:00:00'"),
    ],
    "reviews": [
        ("reviewid", "int(11) NOT NULL auto_increment"),
        ("item", "int(11) NOT NULL default '0'"),
        ("chapid", "int(11) NOT NULL default '0'"),
        ("reviewer", "varchar(60) NOT NULL default '0'"),
        ("uid", "int(11) NOT NULL default '0'"),
        ("review", "text NOT NULL"),
        ("date", "datetime NOT NULL default '0000-00-00 00:00:00'"),
        ("rating", "int(11) NOT NULL default '0'"),
        ("respond", "char(1) NOT NULL default '0'"),
        ("type", "char(2) NOT NULL default 'ST'"),
    ],
    "favorites": [
        ("uid", "int(11) NOT NULL default '0'"),
        ("item", "int(11) NOT NULL default '0'"),
        ("type", "char(2) NOT NULL default ''"),
        ("comments", "text"),
    ],
    "news": [
        ("nid", "int(11) NOT NULL auto_increment"),
        ("author", "varchar(60) NOT NULL default ''"),
        ("title", "varchar(255) NOT NULL default ''"),
        ("story", "text NOT NULL"),
        ("time", "datetime default NULL"),
        ("comments", "int(11) NOT NULL default '0'"),
    ],
}
_KEYS = {
    "authors": "uid",
    "categories": "catid",
    "characters": "charid",
    "classtypes": "classtype_id",
    "classes": "class_id",
    "ratings": "rid",
    "stories": "sid",
    "chapters": "chapid",
    "series": "seriesid",
    "reviews": "reviewid",
    "news": "nid",
}
_TEXT_DEFAULTS = {"bio": "", "description": "", "warningtext": "", "notes": "", "story": ""}


def md5(password: str) -> str:
    return hashlib.md5(password.encode(), usedforsecurity=False).hexdigest()


def quote(value: Any) -> str:
    """A value as MySQL writes it in a dump."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    escaped = (
        str(value)
        .replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\x00", "\\0")
    )
    return f"'{escaped}'"


@dataclass
class Archive:
    """Tables of rows (dicts; columns left out take the schema's default)."""

    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, **row: Any) -> dict[str, Any]:
        self.tables.setdefault(table, []).append(row)
        return row

    def sql(self, prefix: str = "fanfiction_", *, rows_per_insert: int = 3) -> str:
        out = [
            "-- MySQL dump written by the ficarchive tests",
            "/*!40101 SET NAMES utf8mb4 */;",
            "/*!40101 SET @OLD_SQL_MODE=@@SQL_MODE, SQL_MODE='NO_AUTO_VALUE_ON_ZERO' */;",
            "",
        ]
        for table, columns in SCHEMA.items():
            name = f"{prefix}{table}"
            out.append(f"DROP TABLE IF EXISTS `{name}`;")
            body = [f"  `{column}` {type_}" for column, type_ in columns]
            if table in _KEYS:
                body.append(f"  PRIMARY KEY  (`{_KEYS[table]}`)")
            if table == "stories":
                body.append("  KEY `catid` (`catid`)")
            out.append(
                f"CREATE TABLE `{name}` (\n" + ",\n".join(body) + "\n) DEFAULT CHARSET=utf8mb4;"
            )
            rows = self.tables.get(table, [])
            for start in range(0, len(rows), rows_per_insert):
                chunk = rows[start : start + rows_per_insert]
                values = ",\n".join(
                    "(" + ",".join(quote(self._value(table, row, c)) for c, _t in columns) + ")"
                    for row in chunk
                )
                out.append(f"INSERT INTO `{name}` VALUES {values};")
            out.append("")
        return "\n".join(out) + "\n"

    def _value(self, table: str, row: dict[str, Any], column: str) -> Any:
        if column in row:
            return row[column]
        type_ = dict(SCHEMA[table])[column]
        if "default NULL" in type_:
            return None
        if "default '" in type_:
            default = type_.split("default '", 1)[1].split("'", 1)[0]
            return int(default) if type_.startswith(("int", "tinyint", "smallint")) else default
        if type_.startswith(("int", "tinyint", "smallint")):
            return 0
        return _TEXT_DEFAULTS.get(column, "")


def small_archive() -> Archive:
    """A clean small archive: a category tree, characters, ratings, classes of three types,
    three members (one co-author), stories with chapters, a series, reviews with a response,
    favourites of each kind, and a news item."""
    a = Archive()
    a.add("settings", sitename="Test Archive", language="en", store="db")
    a.add(
        "authors",
        uid=1,
        penname="Nightjar",
        email="nightjar@example.org",
        password=md5("old secret"),
        date="2009-03-01 10:00:00",
        bio="Writes things.",
    )
    a.add(
        "authors",
        uid=2,
        penname="Kestrel Wing",
        email="kestrel@example.org",
        password=md5("another one"),
        date="2010-05-02 11:00:00",
    )
    a.add(
        "authors",
        uid=3,
        penname="Reader Three",
        email="reader3@example.org",
        password=md5("reading"),
        date="0000-00-00 00:00:00",
    )
    a.add("categories", catid=1, parentcatid=-1, category="Starfall Saga")
    a.add("categories", catid=2, parentcatid=1, category="Starfall: The Early Years")
    a.add("categories", catid=3, parentcatid=-1, category="Harbour Lights")
    a.add("characters", charid=1, catid=1, charname="Captain Mira")
    a.add("characters", charid=2, catid=1, charname="Tobin")
    a.add("characters", charid=3, catid=3, charname="Tobin")
    for rid, name in enumerate(["G", "PG", "PG-13", "R", "NC-17", "Odd"], 1):
        a.add("ratings", rid=rid, rating=name)
    a.add("classtypes", classtype_id=1, classtype_name="genres", classtype_title="Genres")
    a.add("classtypes", classtype_id=2, classtype_name="warnings", classtype_title="Warnings")
    a.add("classtypes", classtype_id=3, classtype_name="pairings", classtype_title="Pairings")
    a.add("classes", class_id=1, class_type=1, class_name="Adventure")
    a.add("classes", class_id=2, class_type=2, class_name="Character Death")
    a.add("classes", class_id=3, class_type=2, class_name="Mild Language")
    a.add("classes", class_id=4, class_type=3, class_name="Mira/Tobin")
    a.add(
        "stories",
        sid=1,
        title="The Long Watch",
        summary="A watch that lasts.",
        storynotes="Thanks to my beta.",
        catid="2",
        classes="1,2,4",
        charid="1,2",
        rid="2",
        date="2009-04-01 12:00:00",
        updated="2009-06-01 12:00:00",
        uid=1,
        validated=1,
        completed=1,
        wordcount=12,
        featured=1,
        count=345,
    )
    a.add(
        "chapters",
        chapid=10,
        sid=1,
        uid=1,
        inorder=1,
        title="Beginning",
        validated=1,
        notes="Chapter notes.",
        storytext="<p>The watch began at dusk.</p><p>It was cold.</p>",
        endnotes="More soon.",
    )
    a.add(
        "chapters",
        chapid=11,
        sid=1,
        uid=1,
        inorder=2,
        title="Middle",
        validated=1,
        storytext="Plain text line one.\nline two.\n\nA second paragraph here.",
    )
    a.add(
        "stories",
        sid=2,
        title="Harbour Song",
        summary="Lights &amp; songs.",
        catid="3",
        classes="3",
        charid="3",
        rid="5",
        date="2010-01-01 00:00:00",
        updated="2010-02-01 00:00:00",
        uid=2,
        coauthors="1",
        validated=1,
        completed=0,
        wordcount=6,
    )
    a.add(
        "chapters",
        chapid=20,
        sid=2,
        uid=2,
        inorder=1,
        title="One",
        validated=1,
        storytext="<p>Ships come in, ships go out.</p>",
    )
    a.add(
        "stories",
        sid=3,
        title="Unfinished Draft",
        catid="1",
        rid="1",
        date="2011-01-01 00:00:00",
        uid=1,
        validated=0,
        wordcount=3,
    )
    a.add(
        "chapters",
        chapid=30,
        sid=3,
        uid=1,
        inorder=1,
        title="Only",
        validated=0,
        storytext="Not yet done.",
    )
    a.add("series", seriesid=1, title="Watches", summary="All the watches.", uid=1)
    a.add("inseries", seriesid=1, sid=2, inorder=2)
    a.add("inseries", seriesid=1, sid=1, inorder=1)
    a.add(
        "reviews",
        reviewid=1,
        item=1,
        chapid=11,
        reviewer="Reader Three",
        uid=3,
        review="Loved the second chapter!",
        date="2009-07-01 08:00:00",
        type="ST",
    )
    a.add(
        "reviews",
        reviewid=2,
        item=1,
        chapid=10,
        reviewer="A Passer-by",
        uid=0,
        review="Nice start.<br><br><i>Author's Response:</i> Thank you kindly!",
        date="2009-07-02 09:00:00",
        respond="1",
        type="ST",
    )
    a.add(
        "reviews",
        reviewid=3,
        item=1,
        chapid=0,
        reviewer="Series fan",
        uid=0,
        review="Great series.",
        date="2009-07-03 09:00:00",
        type="SE",
    )
    a.add("favorites", uid=3, item=1, type="ST", comments="A favourite.")
    a.add("favorites", uid=3, item=1, type="SE")
    a.add("favorites", uid=3, item=2, type="AU")
    a.add(
        "news",
        nid=1,
        author="Admin",
        title="We are moving",
        story="Soon.",
        time="2012-01-01 00:00:00",
    )
    return a
