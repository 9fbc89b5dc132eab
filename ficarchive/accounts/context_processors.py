from typing import Any

from django.conf import settings
from django.http import HttpRequest


def account(request: HttpRequest) -> dict[str, Any]:
    """The reader's preferences (None for guests) and how sign-up works, for base.html."""
    user = getattr(request, "user", None)
    preferences = user.preferences() if user is not None and user.is_authenticated else None
    return {"preferences": preferences, "ACCOUNT_SIGNUP": settings.ACCOUNT_SIGNUP}
