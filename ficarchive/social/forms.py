"""The comment form: the text, and who writes it (one of the user's pseuds, or a guest's name
and e-mail address)."""

from __future__ import annotations

from typing import Any

from django import forms

from ficarchive.accounts.models import Pseud
from ficarchive.core.forms import ArchiveForm
from ficarchive.social.comments import EMPTY, TOO_LONG, Commenter
from ficarchive.social.models import COMMENT_MAX, GUEST_NAME_MAX

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
