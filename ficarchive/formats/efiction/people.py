"""eFiction members to accounts: the pen name as login and pseud, the e-mail kept, the MD5
password wrapped in Argon2 (accounts.hashers). A member without a usable e-mail address (none,
malformed, or another member's) becomes an unclaimed account: a user without a password, as
record imports make, whose works and pseud are there and whom the archivist can invite later.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from anyascii import anyascii
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from ficarchive.accounts.hashers import md5_wrapped
from ficarchive.accounts.models import LOGIN_MAX, LOGIN_MIN, PSEUD_MAX, Pseud, User
from ficarchive.formats.efiction import values
from ficarchive.formats.efiction.links import Links
from ficarchive.formats.efiction.reader import Row
from ficarchive.formats.efiction.report import Report
from ficarchive.formats.models import LegacyKind

_NOT_LOGIN = re.compile(r"[^A-Za-z0-9_]+")
_NOT_PSEUD = re.compile(r"[^\w \-]+")


@dataclass
class Member:
    uid: int
    login: str
    pseud: str
    email: str
    password: str
    bio: str
    joined: datetime | None


def login_for(penname: str, uid: int, taken: set[str]) -> str:
    """A free login made of the pen name: ASCII letters, digits and underscores."""
    base = _NOT_LOGIN.sub("_", anyascii(penname)).strip("_")[:LOGIN_MAX].rstrip("_")
    if len(base) < LOGIN_MIN:
        base = f"member_{uid}"
    login, number = base, 1
    while login.casefold() in taken:
        number += 1
        suffix = f"_{number}"
        login = base[: LOGIN_MAX - len(suffix)].rstrip("_") + suffix
    taken.add(login.casefold())
    return login


def pseud_for(penname: str, login: str) -> str:
    name = " ".join(_NOT_PSEUD.sub(" ", penname).split())[:PSEUD_MAX].strip()
    return name if any(char.isalnum() for char in name) else login


def usable_email(value: str, taken: set[str]) -> str:
    email = value.strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    if email.casefold() in taken:
        return ""
    taken.add(email.casefold())
    return email


def authors_import(
    rows: Iterable[Row],
    links: Links,
    report: Report,
    *,
    batch_size: int = 200,
    zone: tzinfo = UTC,
    on_row: Callable[[], None] | None = None,
) -> None:
    """Make an account for every member not imported before, a batch per transaction."""
    taken = {name.casefold() for name in User.objects.values_list("username", flat=True)}
    emails = {
        email.casefold() for email in User.objects.exclude(email="").values_list("email", flat=True)
    }
    batch: list[Member] = []
    for row in sorted(rows, key=lambda row: values.integer(row.get("uid"))):
        report.read["authors"] += 1
        if on_row:
            on_row()
        uid = values.integer(row.get("uid"))
        if uid <= 0:
            report.skip("authors", uid, "no member id")
            continue
        if links.has(LegacyKind.AUTHOR, uid):
            report.already["authors"] += 1
            continue
        penname = values.repaired(
            row.get("penname"), report.repairer("authors", uid, "penname")
        ).strip()
        login = login_for(penname or f"member_{uid}", uid, taken)
        if penname and login != penname:
            report.note(f"member {uid} {penname!r} logs in as {login!r}")
        email = usable_email(values.text(row.get("email")), emails)
        if not email:
            why = "no e-mail" if not values.text(row.get("email")).strip() else "unusable e-mail"
            report.note(f"member {uid} {penname!r} is an unclaimed account ({why}): invite later")
        batch.append(
            Member(
                uid=uid,
                login=login,
                pseud=pseud_for(penname, login),
                email=email,
                password=values.text(row.get("password")),
                bio=values.repaired(row.get("bio")),
                joined=values.when(row.get("date"), zone),
            )
        )
        if len(batch) >= batch_size:
            _write(batch, links, report)
            batch = []
    if batch:
        _write(batch, links, report)


def _hashes(batch: list[Member]) -> list[str | None]:
    """Each member's wrapped digest (None: no usable e-mail, or not a digest), on threads:
    Argon2 runs in C outside the GIL, and it is most of an import of members."""
    digests = [member.password if member.email else "" for member in batch]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(md5_wrapped, digests))


def _write(batch: list[Member], links: Links, report: Report) -> None:
    made: list[tuple[int, int]] = []
    hashes = _hashes(batch)
    try:
        with transaction.atomic():
            for member, password in zip(batch, hashes, strict=True):
                if member.email and password is None:
                    report.note(f"member {member.uid}: the password is not an MD5 digest; reset")
                user = User.objects.create(
                    username=member.login,
                    email=member.email,
                    password=password or make_password(None),
                    date_joined=member.joined or timezone.now(),
                )
                Pseud.objects.create(
                    user=user, name=member.pseud, is_default=True, description=member.bio
                )
                made.append((member.uid, user.pk))
            links.add(LegacyKind.AUTHOR, made)
    except BaseException:
        links.forget(LegacyKind.AUTHOR, [uid for uid, _ in made])
        raise
    report.made["users"] += len(made)
