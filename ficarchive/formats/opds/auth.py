"""Who is asking the catalogue: a guest, a reader signed in with HTTP Basic (username and
password, as e-reader apps send them on every request), or with a personal access token
(`Authorization: Bearer`, made on the account's tokens page). Failed sign-ins are throttled with the
login form's rate and in the same count; a wrong password answers 401 with the header that
makes the app ask again.

An app sends the password with every page, and checking it (PBKDF2) takes a quarter of a
second on purpose: a sign-in that succeeded is remembered for VERIFIED_SECONDS in the cache,
under an HMAC of the username and password keyed with SECRET_KEY (never the password), with the
user's password hash, so that changing the password ends it at once."""

from __future__ import annotations

import base64
import binascii
import hmac
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare

from ficarchive.accounts.apitokens import user_for_token
from ficarchive.accounts.models import User
from ficarchive.core.throttle import throttle, too_many_requests
from ficarchive.formats.feeds.answers import error

VERIFIED_SECONDS = 300


class SignInFailed(Exception):
    """The request's credentials are not a reader's; `response` says so (401 or 429)."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


def challenge(request: HttpRequest, message: str) -> HttpResponse:
    response = error(request, 401, message)
    response["WWW-Authenticate"] = f'Basic realm="{settings.SITE_NAME}", charset="UTF-8"'
    return response


def catalogue_viewer(request: HttpRequest) -> Any:
    """The reader the Authorization header names, or a guest without one. Raises SignInFailed."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return AnonymousUser()
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return _token_user(request, value.strip())
    if scheme.lower() != "basic":
        raise SignInFailed(challenge(request, "Sign in with your username and password."))
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise SignInFailed(challenge(request, "The sign-in could not be read.")) from None
    username, colon, password = decoded.partition(":")
    if not colon or not username or "\x00" in decoded:
        raise SignInFailed(challenge(request, "The sign-in could not be read."))
    rate = settings.ACCOUNT_RATE_LIMIT
    wait = throttle(request, "login", rate, [username], increment=False)
    if wait:
        raise SignInFailed(too_many_requests(request, wait))
    key = _verified_key(username, password)
    remembered = cache.get(key)
    if remembered is not None:
        user = User.objects.filter(pk=remembered[0], is_active=True).first()
        if user is not None and constant_time_compare(user.password, remembered[1]):
            return user
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        wait = throttle(request, "login", rate, [username])
        if wait:
            raise SignInFailed(too_many_requests(request, wait))
        raise SignInFailed(challenge(request, "That username and password did not match."))
    cache.set(key, (user.pk, user.password), VERIFIED_SECONDS)
    return user


def _token_user(request: HttpRequest, token: str) -> Any:
    """The reader a personal access token (accounts.apitokens) belongs to. Tokens are random
    and long, but failures are still counted as failed sign-ins, by address."""
    rate = settings.ACCOUNT_RATE_LIMIT
    wait = throttle(request, "login", rate, increment=False)
    if wait:
        raise SignInFailed(too_many_requests(request, wait))
    user = user_for_token(token)
    if user is None:
        wait = throttle(request, "login", rate)
        if wait:
            raise SignInFailed(too_many_requests(request, wait))
        response = error(request, 401, "That token is not valid: it may have been revoked.")
        response["WWW-Authenticate"] = f'Bearer realm="{settings.SITE_NAME}", error="invalid_token"'
        raise SignInFailed(response)
    return user


def _verified_key(username: str, password: str) -> str:
    message = f"{username}\x00{password}".encode("utf-8", "surrogatepass")
    digest = hmac.new(settings.SECRET_KEY.encode(), message, "sha256").hexdigest()
    return f"opdsauth:{digest}"
