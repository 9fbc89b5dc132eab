"""Users and their pseuds (a user writes under one or more pseuds, and works belong to pseuds),
their preferences, and the invitation queue."""

from __future__ import annotations

import re
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

LOGIN_MIN, LOGIN_MAX = 3, 40
PSEUD_MAX = 40

LOGIN_REGEX = r"^[A-Za-z0-9](?:[A-Za-z0-9_]*[A-Za-z0-9])?$"
PSEUD_REGEX = r"^(?=.*\w)[\w \-]+$"
LOGIN_PATTERN = re.compile(LOGIN_REGEX)
PSEUD_PATTERN = re.compile(PSEUD_REGEX)

login_validator = RegexValidator(
    LOGIN_REGEX,
    "A login uses letters, digits and underscores, and starts and ends with a letter or digit.",
)
pseud_validator = RegexValidator(
    PSEUD_REGEX,
    "A pseud uses letters, digits, spaces, underscores and hyphens, with at least one letter "
    "or digit.",
)


class UserManager(AuthUserManager["User"]):
    def by_login(self, login: str, *, active_only: bool = True) -> User | None:
        """The user with this login, in any case (logins are unique regardless of case); only
        an active account unless `active_only` is False. None for a name that cannot be a
        login: too long, or with a NUL byte, which PostgreSQL would refuse."""
        if len(login) > LOGIN_MAX or "\x00" in login:
            return None
        users = self.filter(username__iexact=login)
        return (users.filter(is_active=True) if active_only else users).first()


class User(AbstractUser):
    """An account; `username` is the login shown in bylines as `Pseud (login)`."""

    username = models.CharField(
        "login",
        max_length=LOGIN_MAX,
        unique=True,
        validators=[login_validator],
        error_messages={"unique": "That login is already taken."},
    )

    # When the owner confirmed their email address; accounts that sign up stay inactive (and
    # cannot log in) until then. Accounts made by imports or by hand have none.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_login_ci_unique"),
            # Imported creators have no address, so only addresses that are given are unique.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_ci_unique"
            ),
        ]

    @property
    def login(self) -> str:
        return self.username

    # The roles. A guest (AnonymousUser) has neither attribute: code that may be handed a guest
    # asks `user.is_authenticated and user.is_archive_admin`; templates may ask directly.
    @property
    def is_archive_admin(self) -> bool:
        """Administers the archive: opens every work, moderates works, and wrangles as a
        wrangler does, canonical tags too (an active superuser)."""
        return self.is_active and self.is_superuser

    @property
    def is_wrangler(self) -> bool:
        """Wrangles tags: the permission the `wranglers` group gives, which admins also have."""
        return self.has_perm("tags.wrangle_tag")

    def default_pseud(self) -> Pseud:
        return self.pseuds.get(is_default=True)

    def is_awaiting_confirmation(self) -> bool:
        """Signed up but has not confirmed the email address yet."""
        return not self.is_active and self.confirmed_at is None and self.has_usable_password()

    def preferences(self) -> Preference:
        """The user's preferences; defaults (unsaved) for an account that never set any."""
        try:
            return self.preference
        except Preference.DoesNotExist:
            return Preference(user=self)


class Pseud(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=PSEUD_MAX, validators=[pseud_validator])
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user_id", "-is_default", "name"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="pseud_name_ci_unique_per_user"),
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="one_default_pseud"
            ),
        ]

    def __str__(self) -> str:
        return self.byline

    @property
    def byline(self) -> str:
        """`Pseud (login)` when the pseud's name is not exactly the login, else the login."""
        login = self.user.username
        return self.name if self.name == login else f"{self.name} ({login})"


class Theme(models.TextChoices):
    SYSTEM = "system", "Follow the system setting"
    LIGHT = "light", "Light"
    DARK = "dark", "Dark"


class NotificationMail(models.TextChoices):
    IMMEDIATELY = "immediately", "Mail me each notification as it happens"
    DIGEST = "digest", "Mail me once a day, listing that day's notifications"
    NEVER = "never", "Never mail me notifications"


class Preference(models.Model):
    """How one user wants the archive to look and behave; one row per user, made when they
    first save their preferences (until then, User.preferences() gives the defaults)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preference")
    view_adult = models.BooleanField("Show me adult content without checking", default=False)
    hide_warnings = models.BooleanField(
        "Hide archive warnings in listings (show them with a click)", default=False
    )
    hide_freeform = models.BooleanField(
        "Hide additional tags in listings (show them with a click)", default=False
    )
    theme = models.CharField(max_length=8, choices=Theme.choices, default=Theme.SYSTEM)
    hide_creator_style = models.BooleanField(
        "Hide the creator's formatting (alignment, sizes, widths) in works", default=False
    )
    load_remote_images = models.BooleanField(
        "Load images that works show from other sites",
        default=False,
        help_text="Off, the archive's content policy blocks them: the site that holds an image "
        "learns who reads the work, and when.",
    )
    time_zone = models.CharField(
        max_length=64, default="UTC", help_text="Dates and scheduled posting use this zone."
    )
    notification_mail = models.CharField(
        "Notification mail",
        max_length=12,
        choices=NotificationMail.choices,
        default=NotificationMail.IMMEDIATELY,
        help_text="Mail about your account (confirmations, password resets) always comes.",
    )
    # Reading history (works.history): on by default, as in the largest archive.
    reading_history = models.BooleanField(
        "Keep my reading history",
        default=True,
        db_default=True,
        help_text="Off, nothing new is recorded; clear what is there on your history page.",
    )
    later_kept = models.BooleanField(
        "Keep works in Marked for Later after I read them",
        default=False,
        db_default=False,
    )
    # Default filters: applied to every listing and search unless the reader asks otherwise
    # there (an explicit "in progress" wins over "complete only").
    default_complete = models.BooleanField(
        "Show complete works only, unless I ask for others", default=False
    )
    default_language = models.ForeignKey(
        "works.Language",
        verbose_name="Show works in this language only, unless I ask for others",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"preferences of {self.user}"


class NotificationState(models.TextChoices):
    DIGEST = "digest", "waiting for the daily digest"
    MAILED = "mailed", "mailed"
    DROPPED = "dropped", "not mailed (the reader wants no notification mail)"


class Notification(models.Model):
    """Something a user was told about (accounts.notifications.notify), and what became of
    its mail. `key` is unique, so that the same event never notifies, nor mails, twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=8, choices=NotificationState.choices)

    class Meta:
        indexes = [models.Index(fields=["state", "user"], name="notification_pending_idx")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}: {self.subject}"


class InviteRequest(models.Model):
    """A place in the invitation queue, when sign-up is by invitation (ACCOUNT_SIGNUP=invite)."""

    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    invited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(Lower("email"), name="invite_request_email_unique")]

    def __str__(self) -> str:
        return self.email


class Invitation(models.Model):
    """A one-time sign-up link sent to an address from the queue (or by an admin)."""

    token = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"invitation for {self.email}"


# Reader control. Far more than the "at least 2,000 users and 200 tags" that search is measured
# with, and a bound on what one reader's filter costs every search they make.
MUTED_USERS_MAX = 5000
MUTED_TAGS_MAX = 500
BLOCKED_USERS_MAX = 5000


class Mute(models.Model):
    """A reader never sees this user's works in listings and search (server side, so counts
    stay true). Anonymous works are not hidden by it: that would tell who wrote them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "muted"], name="mute_once"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("muted")), name="mute_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.muted}"


class Block(models.Model):
    """The blocked user can no longer give kudos to, comment on or give gifts to the
    blocker's works (Work.accepts_interaction_from asks)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "blocked"], name="block_once"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} blocks {self.blocked}"


class MutedTag(models.Model):
    """A tag the reader never wants to see: works found by it (through filter ids, so its
    synonyms and sub tags too) leave every listing and search."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_tags")
    tag = models.ForeignKey("tags.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="mute_tag_once")]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.tag_id}"


API_TOKEN_NAME_MAX = 100
API_TOKENS_MAX = 20


class TokenScope(models.TextChoices):
    READ = "read", "Read"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A personal access token, for apps that sign in without the password (the OPDS catalogue
    now, the API later). Only a digest of the token is kept; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=API_TOKEN_NAME_MAX)
    # SHA-256 of the token: tokens are long and random, so a slow hash adds nothing.
    token_hash = models.CharField(max_length=64, unique=True)
    # The token's first characters, which the settings page shows to tell tokens apart.
    prefix = models.CharField(max_length=12)
    scope = models.CharField(max_length=8, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user}'s token {self.name}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
