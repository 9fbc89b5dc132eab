"""A wrangler in a real browser makes a new additional tag a synonym of a canonical tag, and
the works tagged with it appear on the canonical tag's page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from ficarchive.accounts.models import User
from ficarchive.tags.models import ParentTagging, Tag, TagType
from ficarchive.tags.urlnames import tag_url_name
from tests.factories import TagFactory, WorkFactory, add_tags

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Screenshot = Callable[[Page, str], Path]


def _log_in(page: Page, user: User, live_server: Any) -> None:
    """Sign the browser in as this user (there is no login page yet): Django's test client
    makes the session, the browser gets its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )


def test_a_wrangler_makes_a_new_tag_a_synonym_and_sees_its_works_on_the_canonical_page(
    page: Page, wrangler: User, live_server: Any, screenshot: Screenshot
) -> None:
    merlin = TagFactory.create(name="Merlin", type=TagType.FANDOM, canonical=True)
    canonical = TagFactory.create(name="Hurt/Comfort", type=TagType.FREEFORM, canonical=True)
    new_tag = TagFactory.create(name="hurt and comfort", type=TagType.FREEFORM)
    # Canonical additional tags have a fandom ("No Fandom" for general ones); a new synonym
    # takes it, which is what takes the synonym out of the bin.
    ParentTagging.objects.create(parent=merlin, child=canonical)
    pseud = wrangler.default_pseud()
    for title, tag in (
        ("Already Canonical", canonical),
        ("Typed Their Own Way", new_tag),
        ("Also Their Own Way", new_tag),
    ):
        add_tags(WorkFactory.create(title=title, creators=[pseud]), merlin, tag)
    _log_in(page, wrangler, live_server)

    page.goto(f"/tags/{merlin.pk}/wrangle?type=freeform")
    expect(page.get_by_role("heading", name="Unwrangled tags in Merlin")).to_be_visible()
    row = page.get_by_role("row", name="hurt and comfort")
    expect(row).to_contain_text("2")
    page.get_by_role("checkbox", name="hurt and comfort").check()
    page.get_by_label("Canonical tag").fill("Hurt/Comfort")
    screenshot(page, "bin")
    page.get_by_role("button", name="Make synonyms of it").click()
    expect(page.get_by_role("status")).to_contain_text("Wrangled 1 tag.")
    expect(page.get_by_text("Nothing left to wrangle here.")).to_be_visible()

    page.goto(f"/tags/{new_tag.pk}/edit")
    expect(page.locator("dd.status")).to_have_text("Synonym of Hurt/Comfort")
    expect(page.locator("table.history")).to_contain_text("Made a synonym of 'Hurt/Comfort'.")
    expect(page.locator("table.history")).to_contain_text("wrangler")

    # The synonym's page leads to the canonical's, which lists all three works.
    page.goto(f"/tags/{tag_url_name(new_tag.name)}/works")
    expect(page).to_have_url(f"{live_server.url}/tags/{tag_url_name(canonical.name)}/works")
    for title in ("Already Canonical", "Typed Their Own Way", "Also Their Own Way"):
        expect(page.get_by_role("link", name=title)).to_be_visible()
    screenshot(page, "canonical-page")

    page.goto(f"/tags/{canonical.pk}/edit")
    expect(page.locator("dd.works .count")).to_have_text("3")
    assert Tag.objects.get(pk=new_tag.pk).merger_id == canonical.pk
