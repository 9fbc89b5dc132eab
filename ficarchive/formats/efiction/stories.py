"""eFiction stories to works, through the one work writer: chapters in order (from the
database or from stories/<uid>/<chapid>.txt), notes, summary, completion, co-authors as
co-creators, dates kept, tags by the mapping, unvalidated stories and chapters as drafts."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from pathlib import Path

from django.db import transaction

from ficarchive.accounts.models import Pseud
from ficarchive.core.html import sanitize
from ficarchive.formats.efiction import values
from ficarchive.formats.efiction.links import Links, in_chunks
from ficarchive.formats.efiction.mapping import NO_WARNINGS_GIVEN, Mapping
from ficarchive.formats.efiction.reader import Row, Source
from ficarchive.formats.efiction.report import Report
from ficarchive.formats.models import LegacyKind
from ficarchive.tags.names import clean_tag_name, tag_name_error
from ficarchive.works.models import Chapter
from ficarchive.works.writer.drafts import ChapterDraft, TagRef, WorkCounts, WorkDraft
from ficarchive.works.writer.write import Reasons, works_write_bulk

IMPORTED = Reasons(new="imported from eFiction", again="imported from eFiction again")
FEATURED = "Featured stories"
# Word counts further apart than this are reported (ours are recomputed by our rule).
WORDS_TOLERANCE = 0.05
# Tags that say the text is HTML (TinyMCE's): then line breaks are not paragraphs.
_HTML_MARKS = ("<p", "<br", "<div", "<P", "<BR", "<DIV")


@dataclass
class Context:
    """What every story's draft needs, read once."""

    mapping: Mapping
    links: Links
    report: Report
    store_files: bool
    stories_dir: Path | None
    language: str
    zone: tzinfo = UTC
    chapters: dict[int, list[Row]] = field(default_factory=dict)
    coauthors: dict[int, list[int]] = field(default_factory=dict)
    pseuds: dict[int, int] = field(default_factory=dict)
    category_names: dict[str, int] = field(default_factory=dict)
    character_names: dict[str, int] = field(default_factory=dict)
    class_names: dict[str, int] = field(default_factory=dict)


def context_read(
    source: Source,
    mapping: Mapping,
    links: Links,
    report: Report,
    *,
    store_files: bool,
    stories_dir: Path | None,
    language: str,
    zone: tzinfo = UTC,
) -> Context:
    context = Context(mapping, links, report, store_files, stories_dir, language, zone)
    chapters: dict[int, list[Row]] = defaultdict(list)
    for row in source.rows("chapters"):
        report.read["chapters"] += 1
        chapters[values.integer(row.get("sid"))].append(row)
    for rows in chapters.values():
        rows.sort(
            key=lambda row: (values.integer(row.get("inorder")), values.integer(row["chapid"]))
        )
    context.chapters = dict(chapters)
    coauthors: dict[int, list[int]] = defaultdict(list)
    for row in source.rows("coauthors"):
        report.read["coauthors"] += 1
        coauthors[values.integer(row.get("sid"))].append(values.integer(row.get("uid")))
    context.coauthors = dict(coauthors)
    users = links.all(LegacyKind.AUTHOR)
    defaults: dict[int, int] = {}
    for chunk in in_chunks(users.values()):
        defaults.update(
            Pseud.objects.filter(user_id__in=chunk, is_default=True).values_list("user_id", "pk")
        )
    context.pseuds = {int(uid): defaults[user] for uid, user in users.items() if user in defaults}
    context.category_names = _names(mapping.categories)
    context.character_names = _names(mapping.characters)
    context.class_names = _names(mapping.classes)
    return context


def _names(entries: dict[str, dict[str, object]]) -> dict[str, int]:
    return {str(entry.get("old", "")).casefold(): int(key) for key, entry in entries.items()}


def stories_import(
    rows: Iterable[Row],
    context: Context,
    *,
    batch_size: int = 200,
    on_row: Callable[[], None] | None = None,
) -> None:
    rows = sorted(rows, key=lambda row: values.integer(row.get("sid")))
    known_sids = {values.integer(row.get("sid")) for row in rows}
    for sid in sorted(set(context.chapters) - known_sids):
        for chapter in context.chapters[sid]:
            context.report.skip("chapters", chapter.get("chapid"), f"story {sid} does not exist")
    batch: list[tuple[int, WorkDraft, list[int], int]] = []
    for row in rows:
        context.report.read["stories"] += 1
        if on_row:
            on_row()
        sid = values.integer(row.get("sid"))
        if context.links.has(LegacyKind.STORY, sid):
            context.report.already["stories"] += 1
            continue
        made = _draft(row, sid, context)
        if made is None:
            continue
        draft, chapids = made
        batch.append((sid, draft, chapids, values.integer(row.get("wordcount"))))
        if len(batch) >= batch_size:
            _write(batch, context)
            batch = []
    if batch:
        _write(batch, context)


def _draft(row: Row, sid: int, context: Context) -> tuple[WorkDraft, list[int]] | None:
    report = context.report

    def fix(column: str, value: object) -> str:
        return values.repaired(value, report.repairer("stories", sid, column)).strip()

    uid = values.integer(row.get("uid"))
    coauthor_ids, bad = values.id_list(row.get("coauthors"))
    for item in bad:
        report.skip("stories", sid, f"co-author {item!r} is not a member id")
    creators: list[int] = []
    for author in [uid, *coauthor_ids, *context.coauthors.get(sid, [])]:
        pseud = context.pseuds.get(author)
        if pseud is None:
            if author:
                report.skip("stories", sid, f"author {author} is not a member (left out)")
            continue
        if pseud not in creators:
            creators.append(pseud)
    if not creators:
        report.skip("stories", sid, "no author that is a member: story not imported")
        return None
    chapter_rows = context.chapters.get(sid, [])
    if not chapter_rows:
        report.skip("stories", sid, "no chapters: story not imported")
        return None
    chapters = [_chapter(chapter, uid, context) for chapter in chapter_rows]
    published = values.when(row.get("date"), context.zone)
    updated = values.when(row.get("updated"), context.zone) or published
    if published is None:
        report.note(f"story {sid}: no date; dated the day of the import")
    tags = _tags(row, sid, context)
    validated = values.integer(row.get("validated")) > 0
    posted = validated and any(chapter.posted for chapter in chapters)
    if not posted:
        report.note(f"story {sid}: not validated in eFiction, imported as a draft")
    complete = values.integer(row.get("completed")) > 0
    draft = WorkDraft(
        title=fix("title", row.get("title")) or f"Untitled {sid}",
        language=context.language,
        creators=list(creators),
        rating=tags.rating,
        warnings=tags.warnings or [NO_WARNINGS_GIVEN],
        categories=tags.categories,
        fandoms=tags.fandoms,
        relationships=tags.relationships,
        characters=tags.characters,
        freeforms=tags.freeforms,
        chapters=chapters,
        summary=values.plain_summary(fix("summary", row.get("summary"))),
        notes=fix("storynotes", row.get("storynotes")),
        posted=posted,
        expected_chapters=len(chapters) if complete else None,
        complete=complete,
        published_on=published.date() if published else None,
        revised_at=updated,
        dates_known=published is not None,
        created_at=published,
        collections=[FEATURED] if values.integer(row.get("featured")) > 0 else [],
        # eFiction's read count; comments and bookmarks count up as they are imported.
        counts=WorkCounts(hits=max(0, values.integer(row.get("count")))),
    )
    return draft, [values.integer(chapter["chapid"]) for chapter in chapter_rows]


def _chapter(row: Row, story_uid: int, context: Context) -> ChapterDraft:
    chapid = values.integer(row["chapid"])
    report = context.report

    def fix(column: str, value: object) -> str:
        return values.repaired(value, report.repairer("chapters", chapid, column))

    body = values.text(row.get("storytext"))
    if context.store_files:
        body = _chapter_file(row, chapid, story_uid, context)
    text = fix("storytext", body)
    html = _html(text)
    return ChapterDraft(
        text=text,
        title=fix("title", row.get("title")).strip(),
        notes=fix("notes", row.get("notes")).strip(),
        endnotes=fix("endnotes", row.get("endnotes")).strip(),
        posted=values.integer(row.get("validated")) > 0,
        html=html,
    )


def _chapter_file(row: Row, chapid: int, story_uid: int, context: Context) -> str:
    uid = values.integer(row.get("uid")) or story_uid
    if context.stories_dir is None:
        context.report.skip("chapters", chapid, "the text is in a file and no --stories given")
        return ""
    path = context.stories_dir / str(uid) / f"{chapid}.txt"
    try:
        data = path.read_bytes()
    except OSError:
        context.report.skip("chapters", chapid, f"the file {path} is missing: imported empty")
        return ""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        context.report.repair("chapters", chapid, "file", "latin1", "utf-8")
        return data.decode("cp1252", errors="replace")


def _html(text: str) -> str | None:
    """TinyMCE's HTML is kept as it is (sanitised); None lets the writer make paragraphs of
    plain text with line breaks, as posting does."""
    if any(mark in text for mark in _HTML_MARKS):
        return sanitize(text, allow_class=True)
    return None


@dataclass
class _Tags:
    rating: str = "Not Rated"
    warnings: list[TagRef] = field(default_factory=list)
    categories: list[TagRef] = field(default_factory=list)
    fandoms: list[TagRef] = field(default_factory=list)
    relationships: list[TagRef] = field(default_factory=list)
    characters: list[TagRef] = field(default_factory=list)
    freeforms: list[TagRef] = field(default_factory=list)


def _tags(row: Row, sid: int, context: Context) -> _Tags:
    mapping, report = context.mapping, context.report
    tags = _Tags()
    ratings, bad = values.id_list(row.get("rid"))
    bad += [str(r) for r in ratings if str(r) not in mapping.ratings]
    tags.rating = mapping.rating(ratings)
    for item in bad:
        report.skip("stories", sid, f"rating {item!r} unknown: Not Rated")
    categories, bad = values.id_list(row.get("catid"), context.category_names)
    bad += [str(c) for c in categories if str(c) not in mapping.categories]
    for item in bad:
        report.skip("stories", sid, f"category {item!r} unknown (left out)")
    tags.fandoms = list[TagRef](
        mapping.fandoms([c for c in categories if str(c) in mapping.categories])
    )
    characters, bad = values.id_list(row.get("charid"), context.character_names)
    for character in characters:
        entry = mapping.characters.get(str(character))
        if entry is None:
            bad.append(str(character))
        elif entry.get("character"):
            _add(tags.characters, entry["character"])
    for item in bad:
        report.skip("stories", sid, f"character {item!r} unknown (left out)")
    classes, bad = values.id_list(row.get("classes"), context.class_names)
    for class_id in classes:
        entry = mapping.classes.get(str(class_id))
        if entry is None:
            bad.append(str(class_id))
            continue
        target = {
            "warning": tags.warnings,
            "freeform": tags.freeforms,
            "relationship": tags.relationships,
            "category": tags.categories,
        }.get(entry["type"])
        if target is not None:
            _add(target, entry["tag"])
    for item in bad:
        report.skip("stories", sid, f"class {item!r} unknown (left out)")
    _refused_left_out(tags, sid, report)
    return tags


def _add(names: list[TagRef], name: str) -> None:
    if name not in names:
        names.append(name)


def _refused_left_out(tags: _Tags, sid: int, report: Report) -> None:
    """Names (of an edited mapping) the archive refuses as tags are left out, and reported,
    so that one bad name does not cost the whole story."""
    for names in (tags.fandoms, tags.characters, tags.relationships, tags.freeforms):
        for name in list(names):
            problem = tag_name_error(clean_tag_name(str(name)))
            if problem is not None:
                names.remove(name)
                report.skip("stories", sid, f"tag left out: {problem}")


def _write(batch: list[tuple[int, WorkDraft, list[int], int]], context: Context) -> None:
    report, links = context.report, context.links
    linked: list[int] = []
    try:
        with transaction.atomic():
            written = works_write_bulk([draft for _, draft, _, _ in batch], reasons=IMPORTED)
            story_links: list[tuple[int, int]] = []
            chapter_links: list[tuple[object, int]] = []
            works = {}
            for (sid, _draft, _chapids, _words), result in zip(batch, written.results, strict=True):
                if result.work is None:
                    report.skip("stories", sid, f"refused by the archive: {result.error}")
                    continue
                works[result.work.pk] = sid
                story_links.append((sid, result.work.pk))
            chapter_ids: dict[int, list[int]] = defaultdict(list)
            words: Counter[int] = Counter()
            for work_id, chapter_id, count in (
                Chapter.objects.filter(work_id__in=list(works))
                .order_by("work_id", "position")
                .values_list("work_id", "pk", "word_count")
            ):
                chapter_ids[work_id].append(chapter_id)
                # All chapters, drafts too: eFiction counted them all.
                words[work_id] += count
            by_sid = {sid: (chapids, words) for sid, _draft, chapids, words in batch}
            for (sid, _d, _c, _w), result in zip(batch, written.results, strict=True):
                if result.work is None:
                    continue
                chapids, old_words = by_sid[sid]
                chapter_links += list(zip(chapids, chapter_ids[result.work.pk], strict=True))
                _words_check(sid, old_words, words[result.work.pk], report)
            links.add(LegacyKind.STORY, story_links)
            linked = [sid for sid, _ in story_links]
            links.add(LegacyKind.CHAPTER, chapter_links)
            report.made["works"] += len(story_links)
            report.made["chapters"] += len(chapter_links)
    except BaseException:
        links.forget(LegacyKind.STORY, linked)
        raise


def _words_check(sid: int, old: int, new: int, report: Report) -> None:
    if old and abs(new - old) > WORDS_TOLERANCE * old:
        report.note(f"story {sid}: eFiction counted {old} words, the archive counts {new}")
