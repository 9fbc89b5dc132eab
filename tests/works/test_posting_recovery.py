"""Nothing typed is lost: a failed CSRF check or an expired session brings the text back."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.html import parse
from tests.works.posting_data import chapter_data, post_work, work_data

pytestmark = pytest.mark.django_db

LONG_TEXT = "Every word of this chapter was typed by hand over a long evening.\n\nAnd more."


def _csrf_token(page: bytes) -> str:
    return parse(page).find("input", name="csrfmiddlewaretoken").attrs["value"]


def test_a_failed_csrf_check_brings_the_form_back_filled_and_saves_nothing(
    author: User,
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    data = work_data(author, text=LONG_TEXT, title="Kept Title", freeforms="Kept Tag")
    # No token at all: the page had been open so long that the cookie went.
    response = client.post("/works/new", data)
    assert response.status_code == 200
    page = parse(response.content)
    assert "security check had expired" in response.content.decode()
    assert page.find("textarea", name="text").text() == " ".join(LONG_TEXT.split())
    assert page.find("input", name="title").attrs["value"] == "Kept Title"
    assert page.find("input", name="freeforms").attrs["value"] == "Kept Tag"
    assert "checked" in page.find("input", name="rating", value="General Audiences").attrs
    assert not Work.objects.exists()
    # The page comes with a fresh token: submitting again posts the work.
    data["csrfmiddlewaretoken"] = _csrf_token(response.content)
    again = client.post("/works/new", data)
    assert again.status_code == 302
    assert Work.objects.get().chapters.get().text == LONG_TEXT


def test_a_wrong_csrf_token_on_a_chapter_edit_brings_the_chapter_back(author: User) -> None:
    setup = Client()
    setup.force_login(author)
    work = post_work(setup, author)
    chapter = work.chapters.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    client.get(f"/works/{work.pk}/chapters/{chapter.pk}/edit")  # sets the CSRF cookie
    data = chapter_data(text=LONG_TEXT, csrfmiddlewaretoken="x" * 64)
    response = client.post(f"/works/{work.pk}/chapters/{chapter.pk}/edit", data)
    assert response.status_code == 200
    assert (
        " ".join(LONG_TEXT.split()) in parse(response.content).find("textarea", name="text").text()
    )
    chapter.refresh_from_db()
    assert chapter.text != LONG_TEXT


def test_a_failed_csrf_check_elsewhere_explains_instead_of_an_error_page(author: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login", {"username": "author", "password": "x"})
    assert response.status_code == 403
    assert "Please try again" in response.content.decode()


def test_a_post_after_the_session_expired_comes_back_after_logging_in(author: User) -> None:
    client = Client()
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
    client = Client()
    data = work_data(author, text=LONG_TEXT, title="Edited Title", action="update")
    client.post(f"/works/{work.pk}/edit", data)
    client.post("/login", {"username": "author", "password": "a long test passphrase"})
    page = parse(client.get(f"/works/{work.pk}/edit").content)
    assert page.find("input", name="title").attrs["value"] == "Edited Title"
    work.refresh_from_db()
    assert work.title == "Harbour Lights"


def test_kept_text_comes_back_only_on_its_own_page(author: User) -> None:
    client = Client()
    client.post("/works/new", work_data(author, title="Kept For New"))
    client.post("/login", {"username": "author", "password": "a long test passphrase"})
    setup = Client()
    setup.force_login(author)
    work = post_work(setup, author)
    assert "Kept For New" not in client.get(f"/works/{work.pk}/edit").content.decode()
    assert "Kept For New" in client.get("/works/new").content.decode()
