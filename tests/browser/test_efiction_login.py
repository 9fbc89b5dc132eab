"""An eFiction member, imported, logs in with the old password in a real browser, after
following an old story link; the hash is upgraded at that login."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from ficarchive.accounts.models import User
from tests.formats.efiction.archive import Archive, md5
from tests.formats.efiction.conftest import run_import
from tests.formats.efiction.helpers import work_of

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OLD_PASSWORD = "my old eFiction password"


def _archive() -> Archive:
    archive = Archive()
    archive.add("settings", store="db")
    archive.add(
        "authors",
        uid=4,
        penname="Kestrel Wing",
        email="kestrel@example.org",
        password=md5(OLD_PASSWORD),
    )
    archive.add("categories", catid=1, category="Harbour Lights")
    archive.add("ratings", rid=1, rating="PG")
    archive.add(
        "stories",
        sid=12,
        title="Harbour Song",
        catid="1",
        rid="1",
        uid=4,
        validated=1,
        date="2010-01-01 00:00:00",
        updated="2010-01-01 00:00:00",
    )
    archive.add(
        "chapters",
        chapid=30,
        sid=12,
        uid=4,
        inorder=1,
        validated=1,
        storytext="Ships come in, ships go out.",
    )
    return archive


def test_an_imported_member_follows_an_old_link_and_logs_in_with_the_old_password(
    page: Page, tmp_path: Path
) -> None:
    run_import(_archive(), tmp_path)
    work = work_of(12)
    page.goto("/viewstory.php?sid=12")
    assert page.url.endswith(f"/works/{work.pk}")
    expect(page.get_by_role("heading", name="Harbour Song")).to_be_visible()

    page.goto("/login")
    page.get_by_label("Login or email address:").fill("Kestrel_Wing")
    page.get_by_label("Password:").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert User.objects.get(username="Kestrel_Wing").password.startswith("argon2$")
