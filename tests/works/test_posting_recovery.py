"""Nothing typed is lost: a failed CSRF check or an expired session brings the text back."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.html import parse
from tests.works.posting_data import chapter_data, post_work, work_data

pytestmark = pytest.mark.django_db

LONG_TEXT = "Every word of this chapter was typed by hand over a long evening.\n\nAnd more."


def _csrf_token(page: bytes) -> str:
    return parse(page).find("input", name="csrfmiddlewaretoken").attrs["value"]


def test_a_failed_csrf_check_answers_403_and_keeps_the_text_for_its_writer(
    author: User,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    data = work_data(author, text=LONG_TEXT, title="Kept Title", freeforms="Kept Tag")
    # No token at all: the page had been open so long that the cookie went.
    response = client.post("/works/new", data)
    assert response.status_code == 403
    assert "security check failed" in response.content.decode()
    # No form filled from the request: a cross-site page could have written it.
    assert parse(response.content).find_all("textarea") == []
    assert "Kept Title" not in response.content.decode()
    assert not Work.objects.exists()
    # The writer's own session came with it: the form page has their text, with a token.
    form = client.get("/works/new")
    page = parse(form.content)
    assert page.find("textarea", name="text").text() == " ".join(LONG_TEXT.split())
    assert page.find("input", name="title").attrs["value"] == "Kept Title"
    assert page.find("input", name="freeforms").attrs["value"] == "Kept Tag"
    assert "checked" in page.find("input", name="rating", value="General Audiences").attrs
    data["csrfmiddlewaretoken"] = _csrf_token(form.content)
    again = client.post("/works/new", data)
    assert again.status_code == 302
    assert Work.objects.get().chapters.get().text == LONG_TEXT


def test_a_cross_site_post_without_the_session_keeps_nothing(author: User) -> None:
    victim = Client(enforce_csrf_checks=True)
    victim.force_login(author)
    # The session cookie is SameSite=Lax: a cross-site POST arrives without it.
    response = Client(enforce_csrf_checks=True).post(
        "/works/new", work_data(author, title="Attacker Title")
    )
    assert response.status_code == 403
    assert "Attacker Title" not in victim.get("/works/new").content.decode()


def test_a_wrong_csrf_token_on_a_chapter_edit_keeps_the_chapter(author: User) -> None:
    setup = Client()
    setup.force_login(author)
    work = post_work(setup, author)
    chapter = work.chapters.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit")  # sets the CSRF cookie
    data = chapter_data(text=LONG_TEXT, csrfmiddlewaretoken="x" * 64)
    response = client.post(f"/works/{work.pk}/chapters/{chapter.pk}/edit", data)
    assert response.status_code == 403
    chapter.refresh_from_db()
    assert chapter.text != LONG_TEXT
    form = client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
    assert " ".join(LONG_TEXT.split()) in parse(form.content).find("textarea", name="text").text()


def test_a_failed_csrf_check_elsewhere_explains_instead_of_an_error_page(author: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login", {"username": "author", "password": "x"})
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()


def _logged_out_writer(author: User) -> Client:
    """A browser in which `author` was logged in, whose session has since expired."""
    client = Client()
    client.force_login(author)
    client.get("/works/new")  # the page that names the writer in a signed cookie
    Session.objects.all().delete()
    return client


def test_a_post_after_the_session_expired_comes_back_after_logging_in(author: User) -> None:
    client = _logged_out_writer(author)
    data = work_data(author, text=LONG_TEXT, title="Written While Logged Out")
    response = client.post("/works/new", data)
    assert response.status_code == 302
    assert response["Location"] == "/login?next=/works/new"
    assert not Work.objects.exists()
    login = client.get(response["Location"])
    assert "You were logged out before your changes were saved" in login.content.decode()
    logged_in = client.post(
        "/login",
        {"username": "author", "password": "a long test passphrase", "next": "/works/new"},
    )
    assert logged_in.status_code == 302 and logged_in["Location"] == "/works/new"
    form = client.get("/works/new")
    page = parse(form.content)
    assert page.find("textarea", name="text").text() == " ".join(LONG_TEXT.split())
    assert page.find("input", name="title").attrs["value"] == "Written While Logged Out"
    assert "Nothing is saved yet" in form.content.decode()
    # Once shown, the kept text is not shown again.
    assert "Written While Logged Out" not in client.get("/works/new").content.decode()


def test_an_edit_after_the_session_expired_comes_back_over_the_saved_work(
    author: User,
) -> None:
    setup = Client()
    setup.force_login(author)
    work = post_work(setup, author)
    client = _logged_out_writer(author)
    data = work_data(author, text=LONG_TEXT, title="Edited Title", action="update")
    client.post(f"/works/{work.pk}/edit", data)
    client.post("/login", {"username": "author", "password": "a long test passphrase"})
    page = parse(client.get(f"/works/{work.pk}/edit").content)
    assert page.find("input", name="title").attrs["value"] == "Edited Title"
    work.refresh_from_db()
    assert work.title == "Harbour Lights"


def test_kept_text_comes_back_only_on_its_own_page(author: User) -> None:
    client = _logged_out_writer(author)
    client.post("/works/new", work_data(author, title="Kept For New"))
    client.post("/login", {"username": "author", "password": "a long test passphrase"})
    setup = Client()
    setup.force_login(author)
    work = post_work(setup, author)
    assert "Kept For New" not in client.get(f"/works/{work.pk}/edit").content.decode()
    assert "Kept For New" in client.get("/works/new").content.decode()


def test_a_guest_post_is_never_stored(author: User) -> None:
    for _ in range(3):
        response = Client().post("/works/new", work_data(author, text=LONG_TEXT))
        assert response.status_code == 302
    stored = [session.get_decoded() for session in Session.objects.all()]
    assert not [data for data in stored if "posting_recovery" in data]


def test_kept_text_is_shown_only_to_the_writer_who_wrote_it(author: User, other_user: User) -> None:
    client = _logged_out_writer(author)
    client.post("/works/new", work_data(author, title="Only For Author"))
    client.post("/login", {"username": "reader", "password": "a long test passphrase"})
    assert "Only For Author" not in client.get("/works/new").content.decode()
