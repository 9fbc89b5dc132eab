from typing import Any

from django.http import HttpRequest

from ficarchive.social.inbox import inbox_unread_count
from ficarchive.social.updates import update_items_unread


def inbox(request: HttpRequest) -> dict[str, Any]:
    """The unread count of the header's Inbox link, comments and updates (two counts by
    index, logged-in users only), read only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": lambda: inbox_unread_count(user) + update_items_unread(user)}
