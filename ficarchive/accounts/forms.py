"""Account forms: sign-up, login, address and account changes, pseuds, preferences, the
invitation queue. Django's own auth forms where they fit."""

from __future__ import annotations

import zoneinfo
from functools import lru_cache
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
    UsernameField,
)

from ficarchive.accounts.mail import mail_send
from ficarchive.accounts.models import (
    API_TOKEN_NAME_MAX,
    LOGIN_MAX,
    LOGIN_MIN,
    PSEUD_MAX,
    Preference,
    Theme,
    TokenScope,
    User,
    pseud_validator,
)
from ficarchive.accounts.orphans import ORPHAN_LOGIN
from ficarchive.core.forms import ArchiveForm, ArchiveFormMixin, ArchiveModelForm

# Logins nobody may sign up with: the orphan account's, and names that would mislead.
RESERVED_LOGINS = frozenset({ORPHAN_LOGIN, "admin", "administrator", "anonymous", "support"})
PSEUD_DESCRIPTION_MAX = 500


class SignUpForm(ArchiveFormMixin, UserCreationForm):
    """Login, email address and password (twice), checked by the password validators."""

    email = forms.EmailField(
        label="Email address",
        help_text="We send a link to confirm it; it is never shown to anyone.",
    )

    class Meta:
        model = User
        fields = ("username", "email")
        field_classes = {"username": UsernameField}
        help_texts = {
            "username": f"{LOGIN_MIN} to {LOGIN_MAX} letters, digits and underscores. It "
            "appears in your bylines and cannot be changed."
        }

    def __init__(self, *args: Any, invited_email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if invited_email and not self.is_bound:
            self.initial["email"] = invited_email

    def clean_username(self) -> str:
        login: str | None = super().clean_username()
        if login is None:  # taken: the parent class has said so
            return ""
        if len(login) < LOGIN_MIN:
            raise forms.ValidationError(f"A login has at least {LOGIN_MIN} characters.")
        if login.casefold() in RESERVED_LOGINS:
            raise forms.ValidationError("That login is reserved. Please choose another.")
        return login

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account already uses this address. Log in, or reset your password."
            )
        return email


class LoginForm(ArchiveFormMixin, AuthenticationForm):
    """Log in with a login or an email address; says so when the account still waits for
    its address to be confirmed."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The login (or email address) and password do not match an account. "
        "Both are case-sensitive for the password.",
        "unconfirmed": "Please confirm your email address first: follow the link we mailed "
        "you. You can ask for a new link below.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Login or email address"
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.max_length = 254
        username.widget.attrs["maxlength"] = "254"

    def clean(self) -> dict[str, Any]:
        name = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password")
        if name and password:
            login = name
            if "@" in name:
                found = User.objects.filter(email__iexact=name).first()
                login = found.username if found else name
            self.user_cache = authenticate(self.request, username=login, password=password)
            if self.user_cache is None:
                waiting = User.objects.by_login(login, active_only=False)
                if (
                    waiting is not None
                    and waiting.is_awaiting_confirmation()
                    and waiting.check_password(password)
                ):
                    raise forms.ValidationError(
                        self.error_messages["unconfirmed"], code="unconfirmed"
                    )
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class EmailForm(ArchiveForm):
    email = forms.EmailField(label="Email address")


class EmailChangeForm(ArchiveForm):
    email = forms.EmailField(label="New email address")
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if email.casefold() == self.user.email.casefold():
            raise forms.ValidationError("That is the address you have now.")
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError("Another account uses that address.")
        return email


class AccountDeleteForm(ArchiveForm):
    works = forms.ChoiceField(
        label="What should happen to your works?",
        choices=[
            ("orphan", "Orphan them: they stay on the archive, owned by the orphan account"),
            ("delete", "Delete them (works you share with co-creators stay with them)"),
        ],
        widget=forms.RadioSelect,
        initial="orphan",
    )
    keep_pseud_name = forms.BooleanField(
        label="Keep my pseud names on orphaned works (without any link to me)", required=False
    )
    password = forms.CharField(
        label="Your password", strip=False, widget=forms.PasswordInput(render_value=False)
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class PseudForm(ArchiveForm):
    name = forms.CharField(max_length=PSEUD_MAX, validators=[pseud_validator])
    description = forms.CharField(
        required=False,
        max_length=PSEUD_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown on the pseud's page. Plain text or simple HTML.",
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


@lru_cache(maxsize=1)
def time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    return [(zone, zone.replace("_", " ")) for zone in zones]


class PreferenceForm(ArchiveModelForm):
    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = Preference
        fields = [
            "view_adult",
            "hide_warnings",
            "hide_freeform",
            "theme",
            "hide_creator_style",
            "load_remote_images",
            "time_zone",
            "notification_mail",
            "reading_history",
            "later_kept",
        ]
        widgets = {"theme": forms.RadioSelect, "notification_mail": forms.RadioSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A form sent without it (from a page older than the setting) keeps what was chosen.
        self.fields["notification_mail"].required = False

    def clean_notification_mail(self) -> str:
        return str(self.cleaned_data["notification_mail"] or self.instance.notification_mail)


class DisplayPreferenceForm(ArchiveForm):
    """What the header's toggles change without leaving the page."""

    theme = forms.ChoiceField(choices=Theme.choices, required=False)
    creator_style = forms.ChoiceField(
        choices=[("hidden", "hidden"), ("shown", "shown")], required=False
    )


class QueuedPasswordResetForm(ArchiveFormMixin, PasswordResetForm):
    """Django's password reset, with its mail sent through the queue like all the others."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        mail_send(to_email, "password_reset", context)


class ArchivePasswordChangeForm(ArchiveFormMixin, PasswordChangeForm):
    """Django's password change, with the archive's checks of every field."""


class ArchiveSetPasswordForm(ArchiveFormMixin, SetPasswordForm):
    """Django's new password after a reset link, with the archive's checks of every field."""


class ApiTokenForm(ArchiveForm):
    name = forms.CharField(
        max_length=API_TOKEN_NAME_MAX,
        help_text="What the token is for, such as the reading app on your phone.",
    )
    scope = forms.ChoiceField(
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text="Read is all the catalogue needs.",
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())
