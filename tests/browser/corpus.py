"""The works the browser tests read: the two seed samples (one made Explicit) and a few more."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ficarchive.tags import wrangling
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Chapter, Work
from tests.factories import WorkFactory
from tests.formats.records import SINGLE
from tests.works.builders import explicit_record, import_record, multi_chapter_record


@dataclass
class Corpus:
    general: Work  # The Weight of Candlesticks: one chapter, General Audiences
    explicit: Work  # Barricade Weather rated Explicit: two chapters
    explicit_single: Work  # the single-chapter sample rated Explicit, every header field filled

    def second_chapter(self) -> Chapter:
        return self.explicit.chapters.get(position=2)


def reading_corpus(folder: Path) -> Corpus:
    general = import_record(SINGLE)
    explicit = import_record(multi_chapter_record(folder, rating="Explicit"))
    # A second copy of the single sample, with its own id, for the every-field header.
    record = explicit_record(folder)
    record.write_text(
        record.read_text(encoding="utf-8")
        .replace("Work ID: 1000001", "Work ID: 1000003")
        .replace("Title: The Weight of Candlesticks", "Title: The Weight of Snow"),
        encoding="utf-8",
    )
    explicit_single = import_record(record)
    for number in range(4):
        WorkFactory.create(title=f"Filler work {number}", summary="A short summary.")
    # The samples' fandom, wrangled: canonical and under its medium, for the fandoms pages.
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Les Misérables - Victor Hugo")
    wrangling.tag_make_canonical(fandom, user=None)
    medium = Tag.objects.get(type=TagType.MEDIA, name="Books & Literature")
    wrangling.parent_add(medium, fandom, user=None)
    return Corpus(general, explicit, explicit_single)
