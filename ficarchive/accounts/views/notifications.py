"""The one-click unsubscribe link of notification mail (RFC 8058)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ficarchive.accounts.models import User
from ficarchive.accounts.notifications import notification_mail_stop
from ficarchive.accounts.tokens import unsubscribe_read


# Exempt from CSRF on purpose: RFC 8058's one-click unsubscribe is a POST that the reader's
# mail program sends by itself, with no cookie and no form token. The signed token in the
# address is what proves the request came from the mail, and all the view can do is stop
# notification mail for that one user, which a forged request cannot turn to any harm.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners follow links and must not unsubscribe anyone);
    POST, from that page's button or from a mail program, stops notification mail."""
    user_id = unsubscribe_read(token)
    user = User.objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        problem = "This unsubscribe link is not genuine, or its account is gone."
        return render(request, "accounts/link_failed.html", {"problem": problem}, status=400)
    if request.method == "POST":
        notification_mail_stop(user)
        return render(request, "accounts/unsubscribed.html", {"done": True})
    return render(request, "accounts/unsubscribed.html", {"done": False})
