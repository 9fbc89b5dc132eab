"""The Tantivy index on disk: its schema, where the live one is, and opening it to read or write.

The search folder (SEARCH_DIR, by default DATA_DIR/search) holds one or more index folders and
a file `current` naming the live one. Rebuilding writes a new folder beside the live one and
swaps the name in `current` with an atomic rename, so that readers never see a half-built index;
each process notices the swap and the indexer's commits by looking at two files' times before
each search.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tantivy
from django.conf import settings

from ficarchive.search.documents import FACET_TYPES, WorkDocument, spaced_ideographs

logger = logging.getLogger(__name__)

# Raise when the schema or what goes into a document changes: an index of another version is
# not read, and the indexer rebuilds it.
SCHEMA_VERSION = 4
CURRENT = "current"
INFO = "ficarchive-index.json"
TOKENIZER = "words"
# Creator-written text fields and their weight in best-match ranking (as the largest archive
# weighs them); a query without a field searches all of them.
TEXT_FIELDS: dict[str, float] = {
    "title": 7.0,
    "creators": 5.0,
    "tags": 2.0,
    "summary": 1.0,
    "notes": 1.0,
    "series": 1.0,
    "text": 1.0,
}
# Stemming by the work's language: its title, summary, notes and text again, stemmed by the
# Snowball stemmer of its language (where Tantivy has one), in a field of that language. Word
# frequencies only, no positions: phrases stay exact, and searches weigh stemmed matches below
# exact ones (STEM_BOOST), so that "apple" finds "apples" after the works with "apple".
STEMMERS = {
    "ar": "arabic",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
}
STEM_BOOST = 0.3
COUNTER_FIELDS = ("words", "hits", "kudos", "comments", "bookmarks")
DATE_FIELDS = ("posted", "revised")
BUILT = "built"
FLAG_FIELDS = ("complete", "single_chapter", "crossover", "otp", "restricted", "anonymous")
# A composite sort key holds the value above the work id, so that equal values keep one order
# from page to page.
ID_BITS = 32
ID_MASK = (1 << ID_BITS) - 1
VALUE_MAX = (1 << 31) - 1


def facet_field(tag_type: str) -> str:
    return f"{tag_type}_ids"


def stem_field(stemmer: str) -> str:
    return f"stem_{stemmer}"


STEM_FIELDS = tuple(stem_field(stemmer) for stemmer in sorted(set(STEMMERS.values())))


def stemmer_for(language_code: str) -> str | None:
    """The Snowball stemmer for a language code (`pt-BR`: portuguese), if Tantivy has one."""
    return STEMMERS.get(language_code.split("-")[0].lower())


def sort_field(name: str) -> str:
    return f"sort_{name}"


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("id", stored=True, indexed=True, fast=True)
    # Tag ids and filter ids (canonical tags and their meta tags): what including and excluding
    # a tag looks up, as the largest archive's `filter_ids`.
    builder.add_unsigned_field("filter_ids", indexed=True)
    for tag_type in FACET_TYPES:
        builder.add_unsigned_field(facet_field(tag_type), fast=True)
    builder.add_unsigned_field("language_id", indexed=True, fast=True)
    # The collections that list the work (a collection's page is a search with this filter).
    builder.add_unsigned_field("collection_ids", indexed=True)
    # Written by the full build (ficarchive reindex), not by the indexer since: facets count
    # the two apart (search.facets).
    builder.add_boolean_field(BUILT, indexed=True)
    for name in FLAG_FIELDS:
        builder.add_boolean_field(name, indexed=True)
    for name in COUNTER_FIELDS:
        builder.add_unsigned_field(name, indexed=True, fast=True)
        builder.add_unsigned_field(sort_field(name), fast=True)
    for name in DATE_FIELDS:
        builder.add_date_field(name, indexed=True, fast=True)
        builder.add_unsigned_field(sort_field(name), fast=True)
    builder.add_text_field(sort_field("title"), fast=True, tokenizer_name="raw")
    builder.add_text_field(sort_field("creator"), fast=True, tokenizer_name="raw")
    # Creators of works that show them; the private fields have every creator, anonymous works
    # included, and are only asked for a user's own pages.
    builder.add_unsigned_field("user_ids", indexed=True)
    builder.add_unsigned_field("pseud_ids", indexed=True)
    builder.add_unsigned_field("private_user_ids", indexed=True)
    builder.add_unsigned_field("private_pseud_ids", indexed=True)
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name=TOKENIZER)
    for name in STEM_FIELDS:
        builder.add_text_field(name, tokenizer_name=name, index_option="freq")
    return builder.build()


SCHEMA = build_schema()


def _analyzer() -> Any:
    # Words split on anything but letters and digits, folded to lower case without accents.
    # Chinese, Japanese and Thai text has no spaces: documents.spaced_ideographs puts one
    # around each such character first (each counts as a word, as word counts have it), which
    # is over three times faster than a regex tokenizer here.
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(80))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _stem_analyzer(stemmer: str) -> Any:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(80))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.stemmer(stemmer))
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def register_tokenizers(index: tantivy.Index) -> None:
    """The archive's tokenizers, which Tantivy does not store with an index."""
    index.register_tokenizer(TOKENIZER, _analyzer())
    for stemmer in sorted(set(STEMMERS.values())):
        index.register_tokenizer(stem_field(stemmer), _stem_analyzer(stemmer))


def search_dir() -> Path:
    return Path(settings.SEARCH_DIR)


@dataclass(frozen=True)
class IndexInfo:
    """What ficarchive writes beside Tantivy's files in an index folder."""

    schema: int
    built_at: datetime
    # The segments the full build wrote (0: not known).
    build_segments: int = 0
    # The change log id the build began after: the index replays the rows after it.
    replay_from: int = 0

    @classmethod
    def read(cls, path: Path) -> IndexInfo | None:
        try:
            data = json.loads((path / INFO).read_text(encoding="utf-8"))
            return cls(
                int(data["schema"]),
                datetime.fromisoformat(data["built_at"]),
                int(data.get("build_segments", 0)),
                int(data.get("replay_from", 0)),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        data = {
            "schema": self.schema,
            "built_at": self.built_at.isoformat(),
            "build_segments": self.build_segments,
            "replay_from": self.replay_from,
        }
        temporary = path / (INFO + ".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        temporary.replace(path / INFO)


def open_index(path: Path, schema: tantivy.Schema | None = None) -> tantivy.Index:
    """An index folder opened with the archive's tokenizer (Tantivy does not store it)."""
    path.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(schema or SCHEMA, path=str(path), reuse=True)
    register_tokenizers(index)
    return index


def live_path(root: Path | None = None, version: int = SCHEMA_VERSION) -> Path | None:
    """The folder of the live index, if there is one of this schema version. `root` is the
    folder of another index of the same layout (the bookmarks', search.bookmark_index)."""
    root = root or search_dir()
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = root / name
    info = IndexInfo.read(path)
    if not name or info is None or info.schema != version:
        return None
    return path


def new_index_path(root: Path | None = None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return (root or search_dir()) / f"index-{stamp}"


def make_live(path: Path, version: int = SCHEMA_VERSION) -> None:
    """Point `current` at this index folder (atomically) and remove the folders it replaced
    that nobody writes to any more."""
    directory = path.parent
    temporary = directory / (CURRENT + ".tmp")
    temporary.write_text(path.name, encoding="utf-8")
    temporary.replace(directory / CURRENT)
    prune_index_folders(directory, version)


def prune_index_folders(root: Path | None = None, version: int = SCHEMA_VERSION) -> None:
    """Remove the index folders that are not live, unless a process still writes to one (an
    indexer that has not yet followed a swap: it prunes them itself when it does)."""
    root = root or search_dir()
    live = live_path(root, version)
    for other in root.glob("index-*"):
        if not other.is_dir() or other == live:
            continue
        try:
            index = tantivy.Index.open(str(other))
            index.writer(15_000_000, 1).rollback()
        except ValueError as error:
            if "lock" in str(error).lower():
                continue
        except Exception:  # not an index at all (a build that died early): remove it
            logger.debug("removing a broken index folder %s", other)
        shutil.rmtree(other, ignore_errors=True)


def writer(index: tantivy.Index, heap_bytes: int = 64_000_000, threads: int = 1) -> Any:
    """The index's one writer; raises WriterBusy when another process holds it."""
    try:
        return index.writer(heap_bytes, threads)
    except ValueError as error:
        if "lock" in str(error).lower():
            raise WriterBusy(str(error)) from error
        raise


class WriterBusy(Exception):
    """Another process (the indexer) is writing to this index."""


def _sort_value(value: int, work_id: int) -> int:
    return (max(0, min(value, VALUE_MAX)) << ID_BITS) | (work_id & ID_MASK)


def _sort_text(value: str, work_id: int) -> str:
    return f"{value}\x00{work_id:012d}"


def tantivy_document(work: WorkDocument, *, built: bool) -> tantivy.Document:
    """A work's document; `built` when the full build writes it."""
    document = tantivy.Document()
    document.add_unsigned("id", work.id)
    document.add_boolean(BUILT, built)
    for value in dict.fromkeys([*work.tag_ids, *work.filter_ids]):
        document.add_unsigned("filter_ids", value)
    for tag_type, ids in work.facets.items():
        for value in ids:
            document.add_unsigned(facet_field(tag_type), value)
    document.add_unsigned("language_id", work.language_id)
    for collection_id in work.collection_ids:
        document.add_unsigned("collection_ids", collection_id)
    for name in FLAG_FIELDS:
        document.add_boolean(name, bool(getattr(work, name)))
    for name in COUNTER_FIELDS:
        value = max(0, int(getattr(work, name)))
        document.add_unsigned(name, value)
        document.add_unsigned(sort_field(name), _sort_value(value, work.id))
    for name in DATE_FIELDS:
        moment: datetime = getattr(work, name)
        document.add_date(name, moment)
        document.add_unsigned(sort_field(name), _sort_value(int(moment.timestamp()), work.id))
    document.add_text(sort_field("title"), _sort_text(work.title_sort, work.id))
    document.add_text(sort_field("creator"), _sort_text(work.creator_sort, work.id))
    for user_id in work.user_ids:
        document.add_unsigned("private_user_ids", user_id)
        if not work.anonymous:
            document.add_unsigned("user_ids", user_id)
    for pseud_id in work.pseud_ids:
        document.add_unsigned("private_pseud_ids", pseud_id)
        if not work.anonymous:
            document.add_unsigned("pseud_ids", pseud_id)
    document.add_text("title", spaced_ideographs(work.title))
    for creator in work.creators:
        document.add_text("creators", spaced_ideographs(creator))
    for name in work.tag_names:
        document.add_text("tags", spaced_ideographs(name))
    document.add_text("summary", spaced_ideographs(work.summary))
    document.add_text("notes", spaced_ideographs(work.notes))
    for title in work.series:
        document.add_text("series", spaced_ideographs(title))
    for text in work.text:
        document.add_text("text", spaced_ideographs(text))
    stemmer = stemmer_for(work.language_code)
    if stemmer is not None:
        name = stem_field(stemmer)
        for text in (work.title, work.summary, work.notes, *work.text):
            document.add_text(name, text)
    return document


class _Reader:
    """The live index of this process, reopened when `current` names another folder and
    reloaded when the indexer has committed (Tantivy's own reload waits for a file watcher)."""

    def __init__(
        self,
        root: Callable[[], Path] = search_dir,
        version: int = SCHEMA_VERSION,
        schema: tantivy.Schema | None = None,
    ) -> None:
        self.root = root
        self.version = version
        self.schema = schema
        self.lock = threading.Lock()
        self.key: tuple[str, int] | None = None
        self.path: Path | None = None
        self.index: tantivy.Index | None = None
        self.meta_stamp = 0
        self.build_segments = 0

    def searcher(self) -> tantivy.Searcher | None:
        with self.lock:
            current = self.root() / CURRENT
            try:
                key = (str(current), current.stat().st_mtime_ns)
            except OSError:
                self.key = self.index = self.path = None
                return None
            if key != self.key:
                self.key = key
                self.path = live_path(self.root(), self.version)
                self.index = None
                if self.path is not None:
                    info = IndexInfo.read(self.path)
                    self.build_segments = info.build_segments if info is not None else 0
                    self.index = open_index(self.path, self.schema)
                    self.index.config_reader("Manual")
                    self.meta_stamp = 0
            if self.index is None or self.path is None:
                return None
            try:
                stamp = (self.path / "meta.json").stat().st_mtime_ns
            except OSError:
                return None
            if stamp != self.meta_stamp:
                self.index.reload()
                self.meta_stamp = stamp
            return self.index.searcher()


_reader = _Reader()
_READERS = [_reader]


def live_searcher() -> tantivy.Searcher | None:
    """A searcher over the live index as last committed, or None while there is no index."""
    return _reader.searcher()


def live_version() -> str:
    """Which committed state of which index the last searcher of this process read: facet
    counts cached under it stay exact."""
    return f"{_reader.path.name if _reader.path else ''}:{_reader.meta_stamp}"


def live_build_segments() -> int:
    """The segments the full build wrote of the index the last searcher read (0: not known)."""
    return _reader.build_segments


def forget_reader() -> None:
    """Drop this process's open indexes (tests point SEARCH_DIR elsewhere between tests)."""
    for reader in _READERS:
        reader.key = reader.index = reader.path = None


def reader_for(root: Callable[[], Path], version: int, schema: tantivy.Schema) -> _Reader:
    """A live reader of another index of this layout (the bookmarks'), forgotten with this
    one's."""
    reader = _Reader(root, version, schema)
    _READERS.append(reader)
    return reader


def index_size_bytes(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.iterdir() if entry.is_file())


def remove_search_dir() -> None:
    if search_dir().exists():
        shutil.rmtree(search_dir())
