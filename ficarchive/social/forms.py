"""The comment form: the text, and who writes it (one of the user's pseuds, or a guest's name
and e-mail address); the bookmark form and the external work form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator

from ficarchive.accounts.models import Pseud
from ficarchive.core.forms import ArchiveForm
from ficarchive.social.bookmarks import (
    NOTES_TOO_LONG,
    TOO_MANY_TAGS,
    URL_INVALID,
    BookmarkFields,
    ExternalFields,
    split_tags,
)
from ficarchive.social.comments import EMPTY, TOO_LONG, Commenter
from ficarchive.social.models import (
    BOOKMARK_NOTES_MAX,
    BOOKMARK_TAGS_MAX,
    COMMENT_MAX,
    EXTERNAL_CREATOR_MAX,
    EXTERNAL_SUMMARY_MAX,
    EXTERNAL_TITLE_MAX,
    EXTERNAL_URL_MAX,
    GUEST_NAME_MAX,
)
from ficarchive.tags.models import TAG_NAME_MAX, Tag, TagType

EMAIL_INVALID = "Please give a valid e-mail address, such as name@example.com."


class CommentForm(ArchiveForm):
    text = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": COMMENT_MAX}),
        error_messages={"required": EMPTY, "max_length": TOO_LONG},
        help_text=f"Plain text with limited HTML, up to {COMMENT_MAX:,} characters.",
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if editing:
            return
        if user.is_authenticated:
            pseuds = (
                Pseud.objects.filter(user=user)
                .select_related("user")
                .order_by("-is_default", "name")
            )
            # The default pseud comes first, and a choice without an empty label is chosen.
            self.fields["pseud"] = forms.ModelChoiceField(
                label="Comment as", queryset=pseuds, empty_label=None
            )
        else:
            self.fields["name"] = forms.CharField(
                label="Name",
                max_length=GUEST_NAME_MAX,
                error_messages={"required": ("Please give a name to comment as a guest.")},
            )
            self.fields["email"] = forms.EmailField(
                label="E-mail address (never shown)",
                max_length=254,
                error_messages={"required": EMAIL_INVALID, "invalid": EMAIL_INVALID},
            )

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(EMPTY)
        if len(text) > COMMENT_MAX:
            raise forms.ValidationError(TOO_LONG)
        return text

    def commenter(self, ip_address: str) -> Commenter:
        data = self.cleaned_data
        if self.user.is_authenticated:
            return Commenter(user=self.user, pseud=data["pseud"], ip_address=ip_address)
        return Commenter(guest_name=data["name"], guest_email=data["email"], ip_address=ip_address)


class HideForm(ArchiveForm):
    reason = forms.CharField(
        label="Reason (shown to the comment's writer)",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# Bookmarks.

# A tag field holds at most this many characters (75 tags of 150 characters and their commas).
_TAG_FIELD_MAX = BOOKMARK_TAGS_MAX * (TAG_NAME_MAX + 2)


def _tag_field(label: str, help_text: str = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=_TAG_FIELD_MAX,
        help_text=help_text or "Separate tags with commas.",
    )


class BookmarkForm(ArchiveForm):
    """The reader's part of a bookmark: pseud, notes, their tags, private and rec."""

    notes = forms.CharField(
        label="Notes",
        required=False,
        strip=False,
        # Longer text is let through to clean_notes, which says how long it is.
        max_length=BOOKMARK_NOTES_MAX * 4,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"Plain text with limited HTML, up to {BOOKMARK_NOTES_MAX:,} characters.",
    )
    tags = _tag_field(
        "Your tags", f"Separate tags with commas; at most {BOOKMARK_TAGS_MAX} of them."
    )
    rec = forms.BooleanField(label="Rec (recommend it to others)", required=False)
    private = forms.BooleanField(label="Private bookmark (only you see it)", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pseuds = (
            Pseud.objects.filter(user=user).select_related("user").order_by("-is_default", "name")
        )
        self.fields["pseud"] = forms.ModelChoiceField(
            label="Bookmark as", queryset=pseuds, empty_label=None
        )
        # The pseud first, as the largest archive's form has it.
        self.order_fields(["pseud", "notes", "tags", "rec", "private"])

    def clean_notes(self) -> str:
        notes: str = self.cleaned_data["notes"]
        if len(notes) > BOOKMARK_NOTES_MAX:
            raise forms.ValidationError(f"{NOTES_TOO_LONG} Yours have {len(notes):,}.")
        return notes

    def clean_tags(self) -> list[str]:
        names = split_tags(self.cleaned_data["tags"])
        if len(names) > BOOKMARK_TAGS_MAX:
            raise forms.ValidationError(f"{TOO_MANY_TAGS} You gave {len(names)}.")
        return names

    def fields_value(self) -> BookmarkFields:
        data = self.cleaned_data
        return BookmarkFields(
            pseud=data["pseud"],
            notes=data["notes"],
            tags=data["tags"],
            private=data["private"],
            rec=data["rec"],
        )


class ExternalWorkForm(ArchiveForm):
    """A work elsewhere on the web, for a bookmark of it."""

    url = forms.CharField(
        label="URL", max_length=EXTERNAL_URL_MAX, help_text="Its web address (http or https)."
    )
    title = forms.CharField(label="Title", max_length=EXTERNAL_TITLE_MAX)
    creator = forms.CharField(label="Creator", max_length=EXTERNAL_CREATOR_MAX)
    summary = forms.CharField(
        label="Summary",
        required=False,
        max_length=EXTERNAL_SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    rating = forms.ChoiceField(label="Rating", required=False)
    fandoms = _tag_field("Fandoms", required=True)
    relationships = _tag_field("Relationships")
    characters = _tag_field("Characters")
    freeforms = _tag_field("Additional tags")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ratings = (
            Tag.objects.filter(type=TagType.RATING).order_by("pk").values_list("name", flat=True)
        )
        rating_field = self.fields["rating"]
        assert isinstance(rating_field, forms.ChoiceField)
        rating_field.choices = [("", "(none)")] + [(name, name) for name in ratings]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"].strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except forms.ValidationError:
            raise forms.ValidationError(URL_INVALID) from None
        return url

    def fields_value(self) -> ExternalFields:
        data = self.cleaned_data
        return ExternalFields(
            url=data["url"],
            title=data["title"],
            creator=data["creator"],
            summary=data["summary"],
            rating=data["rating"],
            fandoms=split_tags(data["fandoms"]),
            relationships=split_tags(data["relationships"]),
            characters=split_tags(data["characters"]),
            freeforms=split_tags(data["freeforms"]),
        )
