"""The work form: every field of a work, with its first chapter while it has only one."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Any

from django import forms
from django.utils import timezone

from ficarchive.accounts.models import Pseud
from ficarchive.core.forms import ArchiveForm
from ficarchive.tags.fixed import ARCHIVE_WARNINGS, CATEGORIES, RATINGS
from ficarchive.tags.models import TagType
from ficarchive.works.forms.chapter import ChapterFieldsMixin
from ficarchive.works.forms.creators import find_pseud
from ficarchive.works.forms.fields import (
    CHAPTERS_MAX,
    NOTES_MAX,
    SUMMARY_MAX,
    TagListField,
    text_area,
    text_field,
)
from ficarchive.works.languages import language_code_and_name
from ficarchive.works.models import TITLE_MAX, CommentPermission, Language, Series, Work
from ficarchive.works.posting import USER_DEFINED_TAGS_MAX, ChapterFields, WorkFields


def user_zone(user: Any) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.preferences().time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, AttributeError):
        return zoneinfo.ZoneInfo("UTC")


class WorkForm(ChapterFieldsMixin, ArchiveForm):
    """Every field of a work; for a new work or one of a single chapter, its text too."""

    title = forms.CharField(max_length=TITLE_MAX)
    pseuds = forms.ModelMultipleChoiceField(
        label="Creator/Pseud(s)",
        queryset=Pseud.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one of your pseuds."},
    )
    cocreators = forms.CharField(
        label="Invite co-creators",
        required=False,
        max_length=2000,
        help_text="Logins or bylines such as Pseud (login), comma-separated. They are shown as "
        "creators once they accept.",
    )
    rating = forms.ChoiceField(
        choices=[(name, name) for name, _adult in RATINGS],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a rating."},
    )
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings",
        choices=[(name, name) for name in ARCHIVE_WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one archive warning."},
    )
    categories = forms.MultipleChoiceField(
        choices=[(name, name) for name in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    fandoms = TagListField(
        tag_type=TagType.FANDOM,
        required=True,
        error_messages={"required": "Name at least one fandom."},
    )
    relationships = TagListField(tag_type=TagType.RELATIONSHIP)
    characters = TagListField(tag_type=TagType.CHARACTER)
    freeforms = TagListField(tag_type=TagType.FREEFORM, label="Additional Tags")
    language = forms.ModelChoiceField(
        queryset=Language.objects.all(), empty_label="(another language, below)", required=False
    )
    other_language = forms.CharField(
        label="Another language",
        required=False,
        max_length=100,
        help_text="Not in the list? Its name or code, such as Deutsch, German or de.",
    )
    summary = forms.CharField(
        required=False, max_length=SUMMARY_MAX, strip=False, widget=text_area(5)
    )
    notes = forms.CharField(
        label="Notes (at the beginning)",
        required=False,
        max_length=NOTES_MAX,
        strip=False,
        widget=text_area(5),
    )
    endnotes = forms.CharField(
        label="End notes",
        required=False,
        max_length=NOTES_MAX,
        strip=False,
        widget=text_area(5),
    )
    restricted = forms.BooleanField(label="Only show this work to logged-in users", required=False)
    anonymous = forms.BooleanField(
        label="Post anonymously (the byline says Anonymous)", required=False
    )
    comment_permission = forms.ChoiceField(
        label="Who may comment",
        choices=CommentPermission.choices,
        initial=CommentPermission.ANYONE,
        # Forms of before the choice existed leave it out: anyone, as then.
        required=False,
        help_text="Restricted works take comments from logged-in users only.",
    )
    comments_moderated = forms.BooleanField(
        label="New comments wait for my approval before they show", required=False
    )
    backdate = forms.BooleanField(label="Set a different publication date", required=False)
    published_on = forms.DateField(
        label="Publication date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expected_chapters = forms.IntegerField(
        label="Chapters planned",
        required=False,
        min_value=1,
        max_value=CHAPTERS_MAX,
        help_text="Leave empty if you do not know yet.",
    )
    publish_at = forms.DateTimeField(
        label="Post at a later time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        help_text="Leave empty to post when you choose Post.",
    )
    series = forms.ModelChoiceField(
        label="Add to one of your series",
        queryset=Series.objects.none(),
        required=False,
        empty_label="(none)",
    )
    new_series = forms.CharField(
        label="Or to a new series called",
        required=False,
        max_length=TITLE_MAX,
        help_text="Reorder or remove parts on the series' page.",
    )
    chapter_title = forms.CharField(label="Chapter title", required=False, max_length=TITLE_MAX)
    text = text_field()

    def __init__(self, *args: Any, user: Any, work: Work | None = None, **kwargs: Any) -> None:
        """`user` is the one posting; a guest only when a form comes back after a failed
        CSRF check (it has no pseuds to offer then, and cannot be submitted as it is)."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.work = work
        self.zone = user_zone(user)
        if user.is_authenticated:
            pseuds = self.fields["pseuds"]
            pseuds.queryset = Pseud.objects.filter(user=user)  # type: ignore[attr-defined]
            series = self.fields["series"]
            series.queryset = Series.objects.filter(owners=user).order_by("title")  # type: ignore[attr-defined]
        self.fields["publish_at"].help_text += f" Time zone: {self.zone.key}."
        if work is not None and work.chapters.count() > 1:
            # Chapters of a longer work are edited one by one.
            del self.fields["text"]
            del self.fields["chapter_title"]
        if work is not None and work.posted:
            del self.fields["publish_at"]
        planned = self.initial.get("publish_at")
        if isinstance(planned, datetime) and timezone.is_aware(planned):
            self.initial["publish_at"] = planned.astimezone(self.zone).replace(tzinfo=None)
        if not self.is_bound and work is None and user.is_authenticated:
            self.initial.setdefault("pseuds", [user.default_pseud()])
            self.initial.setdefault("language", Language.objects.filter(code="en").first())
            self.initial.setdefault("expected_chapters", 1)

    def has_text(self) -> bool:
        return "text" in self.fields

    def clean_published_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("published_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError("The publication date cannot be in the future.")
        return value

    def clean_publish_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("publish_at")
        if value is None:
            return None
        # The field read the time in the site's zone; the writer meant their own.
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        value = value.replace(tzinfo=self.zone)
        if value <= timezone.now():
            raise forms.ValidationError("Choose a time in the future, or leave it empty.")
        return value

    def clean_expected_chapters(self) -> int | None:
        value: int | None = self.cleaned_data.get("expected_chapters")
        if value is not None and self.work is not None:
            have = self.work.chapters.count()
            if value < have:
                raise forms.ValidationError(
                    f"The work has {have} chapters already; plan at least that many, or leave "
                    f"it empty."
                )
        return value

    def clean_cocreators(self) -> list[Pseud]:
        text: str = self.cleaned_data.get("cocreators", "")
        found: list[Pseud] = []
        for part in text.split(","):
            name = " ".join(part.split())
            if not name:
                continue
            pseud = find_pseud(name)
            if pseud is None:
                raise forms.ValidationError(f"There is no creator called {name}.")
            if pseud.user_id == self.user.pk:
                raise forms.ValidationError(
                    f"{name} is one of your own pseuds: choose it under Creator/Pseud(s)."
                )
            if pseud not in found:
                found.append(pseud)
        return found

    def clean_other_language(self) -> Language | tuple[str, str] | None:
        value = " ".join(self.cleaned_data.get("other_language", "").split())
        if not value:
            return None
        found = Language.objects.filter(name__iexact=value).first()
        if found is not None:
            return found
        known = language_code_and_name(value)
        if known is None:
            raise forms.ValidationError(
                f"We do not know the language {value}. Give its name or code (such as German "
                f"or de), or choose one from the list."
            )
        code, name = known
        return Language.objects.filter(code__iexact=code).first() or (code, name)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None
        if data.get("other_language"):
            data["language"] = data["other_language"]
        elif not data.get("language") and "other_language" not in self.errors:
            self.add_error("language", "Choose the work's language.")
        if data.get("backdate") and not data.get("published_on"):
            self.add_error("published_on", "Give the date to publish the work under.")
        names = [
            name.casefold()
            for key in ("fandoms", "relationships", "characters", "freeforms")
            for name in data.get(key) or []
        ]
        if len(set(names)) > USER_DEFINED_TAGS_MAX:
            raise forms.ValidationError(
                f"You have {len(set(names))} fandoms, relationships, characters and additional "
                f"tags; a work can have at most {USER_DEFINED_TAGS_MAX}."
            )
        return data

    def work_fields(self) -> WorkFields:
        data = self.cleaned_data
        return WorkFields(
            title=data["title"],
            language=data["language"],
            rating=data["rating"],
            warnings=list(data["warnings"]),
            categories=list(data["categories"]),
            fandoms=data["fandoms"],
            relationships=data["relationships"],
            characters=data["characters"],
            freeforms=data["freeforms"],
            pseuds=list(data["pseuds"]),
            cocreators=data["cocreators"],
            summary=data["summary"],
            notes=data["notes"],
            endnotes=data["endnotes"],
            restricted=data["restricted"],
            anonymous=data["anonymous"],
            comment_permission=CommentPermission(
                data["comment_permission"] or CommentPermission.ANYONE
            ),
            comments_moderated=data["comments_moderated"],
            backdate=data["published_on"] if data["backdate"] else None,
            expected_chapters=data["expected_chapters"],
            publish_at=data.get("publish_at"),
            series=data.get("series"),
            new_series_title=" ".join((data.get("new_series") or "").split()),
        )

    def chapter_or_none(self) -> ChapterFields | None:
        return self.chapter_fields() if self.has_text() else None


def work_initial(work: Work) -> dict[str, Any]:
    """The work form's values for an existing work."""
    groups = work.tags_by_type
    own_and_invited = list(work.creatorships.select_related("pseud__user"))
    rating = groups[TagType.RATING]
    return {
        "title": work.title,
        "pseuds": [c.pseud for c in own_and_invited if c.approved],
        "cocreators": ", ".join(c.pseud.byline for c in own_and_invited if not c.approved),
        "rating": rating[0].name if rating else None,
        "warnings": [tag.name for tag in groups[TagType.WARNING]],
        "categories": [tag.name for tag in groups[TagType.CATEGORY]],
        "fandoms": [tag.name for tag in groups[TagType.FANDOM]],
        "relationships": [tag.name for tag in groups[TagType.RELATIONSHIP]],
        "characters": [tag.name for tag in groups[TagType.CHARACTER]],
        "freeforms": [tag.name for tag in groups[TagType.FREEFORM]],
        "language": work.language,
        "summary": work.summary,
        "notes": work.notes,
        "endnotes": work.endnotes,
        "restricted": work.restricted,
        "anonymous": work.anonymous,
        "comment_permission": work.comment_permission,
        "comments_moderated": work.comments_moderated,
        "backdate": work.backdated,
        "published_on": work.published_on,
        "expected_chapters": work.expected_chapters,
        "publish_at": work.publish_at,
        **_first_chapter_initial(work),
    }


def _first_chapter_initial(work: Work) -> dict[str, Any]:
    chapters = list(work.chapters.order_by("position")[:2])
    if len(chapters) != 1:
        return {}
    return {"chapter_title": chapters[0].title, "text": chapters[0].text}
