"""The adult-content gate: adult works show a notice, and not their text, until the reader
proceeds; the choice lasts for the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.works.models import Work
from tests.factories import WorkFactory
from tests.html import parse
from tests.works.builders import (
    MULTI_TEXT,
    SINGLE_TEXT,
    chapter,
    chaptered_work,
    explicit_record,
    import_record,
    multi_chapter_record,
)

pytestmark = pytest.mark.django_db

NOTICE = "This work could have adult content."


@pytest.mark.parametrize("rating", ["Not Rated", "Mature", "Explicit"])
def test_adult_works_show_the_notice_and_not_their_text(client: Client, rating: str) -> None:
    work = WorkFactory.create(rating=rating, text="Words behind the gate.", summary="The summary.")
    content = client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE in content
    assert "Words behind the gate." not in content
    assert 'role="article"' not in content
    # As in the largest archive, the notice comes with the work's blurb.
    assert "The summary." in content


@pytest.mark.parametrize("rating", ["General Audiences", "Teen And Up Audiences"])
def test_other_works_show_their_text_at_once(client: Client, rating: str) -> None:
    work = WorkFactory.create(rating=rating, text="Open words.")
    content = client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE not in content
    assert "Open words." in content


def test_the_notice_offers_to_proceed_or_go_back(client: Client) -> None:
    work = WorkFactory.create(rating="Explicit")
    links = {
        a.text(): a.attrs["href"]
        for a in parse(client.get(f"/works/{work.pk}").content)
        .find("section", "adult notice")
        .find_all("a")
    }
    assert links == {"Yes, Continue": "?view_adult=true", "No, Go Back": "/"}


def test_proceeding_shows_the_text_and_the_choice_lasts_for_the_session(client: Client) -> None:
    work = chaptered_work(2, rating="Explicit")
    second = chapter(work, 2)
    assert "Text of chapter 1." in client.get(f"/works/{work.pk}?view_adult=true").content.decode()
    # No parameter any more: the session remembers, on other chapters and other works too.
    assert (
        "Text of chapter 2."
        in client.get(f"/works/{work.pk}/chapters/{second.pk}").content.decode()
    )
    other = WorkFactory.create(rating="Mature", text="Another adult text.")
    assert "Another adult text." in client.get(f"/works/{other.pk}").content.decode()


def test_the_choice_does_not_carry_over_to_another_session(client: Client) -> None:
    work = WorkFactory.create(rating="Explicit", text="Adult text.")
    client.get(f"/works/{work.pk}?view_adult=true")
    assert "Adult text." not in Client().get(f"/works/{work.pk}").content.decode()


def test_the_gate_stands_before_chapters_and_the_entire_work_too(client: Client) -> None:
    work = chaptered_work(2, rating="Explicit")
    for url in (
        f"/works/{work.pk}/chapters/{chapter(work, 2).pk}",
        f"/works/{work.pk}?view_full_work=true",
    ):
        content = client.get(url).content.decode()
        assert NOTICE in content
        assert "Text of chapter" not in content


def test_proceeding_from_the_entire_work_keeps_the_entire_work(client: Client) -> None:
    work = chaptered_work(2, rating="Explicit")
    html = parse(client.get(f"/works/{work.pk}?view_full_work=true").content)
    proceed = html.find("a", "button primary").attrs["href"]
    assert proceed == "?view_full_work=true&view_adult=true"
    content = client.get(f"/works/{work.pk}{proceed}").content.decode()
    assert "Text of chapter 1." in content and "Text of chapter 2." in content


@pytest.mark.parametrize("viewer", ["author", "admin"])
def test_creators_and_admins_are_not_stopped_by_the_gate(
    client: Client, request: pytest.FixtureRequest, author: User, viewer: str
) -> None:
    work = WorkFactory.create(
        rating="Explicit", text="Adult text.", creators=[author.default_pseud()]
    )
    client.force_login(request.getfixturevalue(viewer))
    assert "Adult text." in client.get(f"/works/{work.pk}").content.decode()


def test_other_logged_in_users_see_the_gate(client: Client, other_user: User) -> None:
    work = WorkFactory.create(rating="Explicit", text="Adult text.")
    client.force_login(other_user)
    assert "Adult text." not in client.get(f"/works/{work.pk}").content.decode()


def test_the_gate_counts_no_hit(client: Client) -> None:
    work = WorkFactory.create(rating="Explicit")
    client.get(f"/works/{work.pk}")
    assert Work.objects.get(pk=work.pk).hits == 0
    client.get(f"/works/{work.pk}?view_adult=true")
    assert Work.objects.get(pk=work.pk).hits == 1


def test_an_imported_explicit_record_is_gated_then_shows_every_header_field(
    client: Client, tmp_path: Path
) -> None:
    work = import_record(explicit_record(tmp_path))

    gated = client.get(f"/works/{work.pk}").content.decode()
    assert NOTICE in gated
    assert SINGLE_TEXT not in gated
    assert "Thank you for reading." not in gated

    html = parse(client.get(f"/works/{work.pk}?view_adult=true").content)
    meta = html.find("dl", "work meta group")

    def tags(css: str) -> list[str]:
        return [a.text() for a in meta.find("dd", f"{css} tags").find_all("a", "tag")]

    assert tags("rating") == ["Explicit"]
    assert tags("warning") == ["No Archive Warnings Apply"]
    assert tags("category") == ["Gen"]
    assert tags("fandom") == ["Les Misérables - Victor Hugo"]
    assert tags("relationship") == ["Jean Valjean & Cosette"]
    assert tags("character") == ["Cosette", "Jean Valjean"]
    assert tags("freeform") == [
        "Found Family",
        "Father-Daughter Relationship",
        "Fluff",
        "Alternate Universe - Modern Setting",
        "candlesticks are a metaphor",
    ]
    assert meta.find("dd", "language").text() == "English"
    assert meta.find("dd", "series").text() == "Part 2 of Advent Candles"
    assert meta.find("dd", "collections").text() == "Winter Fluff 2026"
    stats = meta.find("dl", "stats")
    assert {
        dt.text(): dd.text()
        for dt, dd in zip(stats.find_all("dt"), stats.find_all("dd"), strict=True)
    } == {
        "Published:": "2026-01-05",
        "Completed:": "2026-02-01",
        "Words:": f"{work.word_count:,}",
        "Chapters:": "1/1",
        "Comments:": "0",
        "Kudos:": "0",
        "Hits:": "0",
        "Downloads:": "0",
    }
    preface = html.find("div", "preface group")
    assert preface.find("h2", "title heading").text() == "The Weight of Candlesticks"
    byline = preface.find("h3", "byline heading").find("a", rel="author")
    assert (byline.text(), byline.attrs["href"]) == (
        "Lark (larkspur)",
        "/users/larkspur/pseuds/Lark",
    )
    assert preface.find("div", "summary module").find("blockquote", "userstuff").text() == (
        "A father, a daughter, and two candlesticks."
    )
    notes = preface.find("div", "notes module").find("blockquote", "userstuff")
    assert notes.find("em").text() == "winter"
    text = html.find("div", "chapter", id="chapter-1").find(
        "div", "userstuff module", role="article"
    )
    assert SINGLE_TEXT in text.text()
    endnotes = html.find("div", "afterword preface group").find("div", "end notes module")
    assert endnotes.find("blockquote", "userstuff").text() == "Thank you for reading."


def test_an_imported_explicit_chaptered_record_is_gated_on_every_page(
    client: Client, tmp_path: Path
) -> None:
    work = import_record(multi_chapter_record(tmp_path, rating="Explicit"))
    second = chapter(work, 2)
    for url in (f"/works/{work.pk}", f"/works/{work.pk}/chapters/{second.pk}"):
        content = client.get(url).content.decode()
        assert not any(text in content for text in MULTI_TEXT)
    proceeded = client.get(f"/works/{work.pk}/chapters/{second.pk}?view_adult=true").content
    assert MULTI_TEXT[1] in proceeded.decode()
