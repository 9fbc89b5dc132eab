"""The chapter forms: one chapter's fields (also the first chapter's on the work form), a
chapter of its own, and the order of a work's chapters."""

from __future__ import annotations

from typing import Any

from django import forms

from ficarchive.core.forms import ArchiveForm
from ficarchive.works.forms.fields import (
    CHAPTERS_MAX,
    CONTENT_MIN,
    NOTES_MAX,
    SUMMARY_MAX,
    text_area,
    text_field,
)
from ficarchive.works.models import TITLE_MAX, Chapter, Work
from ficarchive.works.posting import ChapterFields


class ChapterFieldsMixin:
    """The fields every chapter has; on the work form they are its first chapter's."""

    def chapter_fields(self) -> ChapterFields:
        data = self.cleaned_data  # type: ignore[attr-defined]
        return ChapterFields(
            text=data["text"],
            title=data.get("chapter_title", ""),
            summary=data.get("chapter_summary", ""),
            notes=data.get("chapter_notes", ""),
            endnotes=data.get("chapter_endnotes", ""),
        )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]  # type: ignore[attr-defined]
        if len(text.strip()) < CONTENT_MIN:
            raise forms.ValidationError(
                f"The text needs at least {CONTENT_MIN} characters; it has {len(text.strip())}."
            )
        return text


class ChapterForm(ChapterFieldsMixin, ArchiveForm):
    chapter_title = forms.CharField(label="Chapter title", required=False, max_length=TITLE_MAX)
    chapter_summary = forms.CharField(
        label="Chapter summary",
        required=False,
        max_length=SUMMARY_MAX,
        strip=False,
        widget=text_area(4),
    )
    chapter_notes = forms.CharField(
        label="Chapter notes (at the beginning)",
        required=False,
        max_length=NOTES_MAX,
        strip=False,
        widget=text_area(4),
    )
    chapter_endnotes = forms.CharField(
        label="Chapter end notes",
        required=False,
        max_length=NOTES_MAX,
        strip=False,
        widget=text_area(4),
    )
    text = text_field()
    expected_chapters = forms.IntegerField(
        label="Chapters planned",
        required=False,
        min_value=1,
        max_value=CHAPTERS_MAX,
        help_text="Leave empty if you do not know yet.",
    )

    def __init__(self, *args: Any, work: Work | None, adding: bool, **kwargs: Any) -> None:
        """`work` is None only for a form that comes back after a failed CSRF check."""
        super().__init__(*args, **kwargs)
        self.work = work
        self.adding = adding
        if not adding:
            del self.fields["expected_chapters"]
        elif not self.is_bound and work is not None:
            expected = work.expected_chapters
            count = work.chapters.count()
            self.initial.setdefault(
                "expected_chapters", expected if expected and expected > count else None
            )

    def clean_expected_chapters(self) -> int | None:
        value: int | None = self.cleaned_data.get("expected_chapters")
        total = self.work.chapters.count() + 1 if self.work is not None else 1
        if value is not None and value < total:
            raise forms.ValidationError(
                f"With this chapter the work has {total}; plan at least that many, or leave it "
                f"empty."
            )
        return value


def chapter_initial(chapter: Chapter) -> dict[str, Any]:
    return {
        "chapter_title": chapter.title,
        "chapter_summary": chapter.summary,
        "chapter_notes": chapter.notes,
        "chapter_endnotes": chapter.endnotes,
        "text": chapter.text,
    }


class ChapterOrderForm(ArchiveForm):
    """A position for each chapter; ties keep the chapters' current order."""

    def __init__(self, *args: Any, chapters: list[Chapter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        for chapter in chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                label=f"{chapter.position}. {chapter}",
                min_value=1,
                max_value=len(chapters),
                initial=chapter.position,
            )

    def chapter_ids(self) -> list[int]:
        ordered = sorted(
            self.chapters,
            key=lambda chapter: (self.cleaned_data[f"position_{chapter.pk}"], chapter.position),
        )
        return [chapter.pk for chapter in ordered]
