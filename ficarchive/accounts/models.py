"""Users and their pseuds: a user writes under one or more pseuds, and works belong to pseuds."""

from __future__ import annotations

import re

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

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


class User(AbstractUser):
    """An account; `username` is the login shown in bylines as `Pseud (login)`."""

    username = models.CharField(
        "login",
        max_length=LOGIN_MAX,
        unique=True,
        validators=[login_validator],
        error_messages={"unique": "That login is already taken."},
    )

    class Meta:
        constraints = [models.UniqueConstraint(Lower("username"), name="user_login_ci_unique")]

    @property
    def login(self) -> str:
        return self.username

    def default_pseud(self) -> Pseud:
        return self.pseuds.get(is_default=True)


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
