"""Preferences: the adult gate, hidden warnings and additional tags, theme, creator's style."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import Preference, User
from tests.html import parse
from tests.works.builders import tagged_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client: Client, other_user: User) -> Client:
    client.force_login(other_user)
    return client


def _save(client: Client, **fields: str) -> None:
    data = {"theme": "system", "time_zone": "UTC", **fields}
    response = client.post("/account/preferences", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_saving_preferences_makes_the_row(logged_in: Client, other_user: User) -> None:
    _save(logged_in, hide_warnings="on", theme="dark", time_zone="Europe/Paris")
    preference = Preference.objects.get(user=other_user)
    assert preference.hide_warnings and preference.theme == "dark"
    assert preference.time_zone == "Europe/Paris"
    assert not preference.view_adult


def test_notification_mail_is_chosen_on_the_preferences_page(
    logged_in: Client, other_user: User
) -> None:
    page = parse(logged_in.get("/account/preferences").content)
    radios = page.find_all("input", name="notification_mail")
    assert [radio.attrs["value"] for radio in radios] == ["immediately", "digest", "never"]
    assert [radio.attrs["value"] for radio in radios if "checked" in radio.attrs] == ["immediately"]
    _save(logged_in, notification_mail="digest")
    assert Preference.objects.get(user=other_user).notification_mail == "digest"
    # A form sent without the setting leaves it as it was.
    _save(logged_in, hide_warnings="on")
    assert Preference.objects.get(user=other_user).notification_mail == "digest"


def test_an_unknown_time_zone_or_theme_is_refused(logged_in: Client) -> None:
    response = logged_in.post("/account/preferences", {"theme": "neon", "time_zone": "Mars/Base"})
    assert response.content.decode().count("Select a valid choice.") == 2


def test_the_adult_gate_is_skipped_for_readers_who_chose_so(
    logged_in: Client, other_user: User
) -> None:
    work = tagged_work(rating="Explicit")
    assert "Adult Content Warning" in logged_in.get(f"/works/{work.pk}").content.decode()
    _save(logged_in, view_adult="on")
    page = logged_in.get(f"/works/{work.pk}").content.decode()
    assert "Adult Content Warning" not in page and "Some words of a story." in page
    # Guests still see the gate.
    assert "Adult Content Warning" in Client().get(f"/works/{work.pk}").content.decode()


def test_theme_and_creator_style_come_on_the_page(logged_in: Client) -> None:
    _save(logged_in, theme="dark", hide_creator_style="on")
    html = parse(logged_in.get("/").content).find("html")
    assert html.attrs["data-theme"] == "dark"
    assert html.attrs["data-creator-style"] == "hidden"
    guest = parse(Client().get("/").content).find("html")
    assert "data-theme" not in guest.attrs and "data-preferences-url" not in guest.attrs


def test_the_header_toggles_save_to_the_account(logged_in: Client, other_user: User) -> None:
    assert (
        logged_in.post(
            "/account/preferences/display", {"theme": "light", "creator_style": "hidden"}
        ).status_code
        == 204
    )
    preference = Preference.objects.get(user=other_user)
    assert preference.theme == "light" and preference.hide_creator_style
    assert logged_in.post("/account/preferences/display", {"theme": "neon"}).status_code == 400
    assert Client().post("/account/preferences/display", {"theme": "dark"}).status_code == 302


def test_hidden_warnings_and_tags_are_in_the_blurb_behind_a_reveal(logged_in: Client) -> None:
    work = tagged_work()
    _save(logged_in, hide_warnings="on", hide_freeform="on")
    page = parse(logged_in.get("/").content)
    assert "data-hide-warnings" in page.find("html").attrs
    assert "data-hide-freeform" in page.find("html").attrs
    blurb = page.find("li", id=f"work_{work.pk}")
    toggle = blurb.find("input", id=f"reveal-warnings-{work.pk}")
    assert toggle.attrs["type"] == "checkbox"
    assert blurb.find("label", **{"for": f"reveal-warnings-{work.pk}"}).text() == "Show warnings"
    assert blurb.find("label", **{"for": f"reveal-freeforms-{work.pk}"})
    # The tags are still there for the reveal (and for readers' tools).
    assert "Graphic Depictions Of Violence" in blurb.text()
    assert "Slow Burn" in blurb.text()
