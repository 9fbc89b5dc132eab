"""What readers give works: kudos (comments, bookmarks and gifts to come)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kudo(models.Model):
    """One reader's kudos on a work: a logged-in user, or a guest known only by a keyed hash of
    their IP address (as the largest archive keeps guests' kudos), once per work each."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kudos",
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=models.Q(user__isnull=False),
                name="kudo_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["work", "ip_hash"],
                condition=models.Q(user__isnull=True),
                name="kudo_once_per_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(ip_hash=""),
                name="kudo_user_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id}"
