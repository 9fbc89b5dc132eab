"""A work's page, chapter pages, the entire work and the chapter index, in the markup of the
largest archive that readers' tools parse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from ficarchive.accounts.models import User
from tests.factories import WorkFactory, add_chapter
from tests.html import Node, parse
from tests.works.builders import (
    MULTI_TEXT,
    chapter,
    chaptered_work,
    import_record,
    multi_chapter_record,
    tagged_work,
)

pytestmark = pytest.mark.django_db


def page(client: Client, url: str, **params: Any) -> Node:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return parse(response.content)


def tag_texts(meta: Node, css: str) -> list[str]:
    return [a.text() for a in meta.find("dd", f"{css} tags").find_all("a", "tag")]


def test_work_header_uses_the_largest_archive_markup(client: Client, tmp_path: Path) -> None:
    work = import_record(multi_chapter_record(tmp_path))
    html = page(client, f"/works/{work.pk}", view_full_work="true")
    meta = html.find("dl", "work meta group")
    assert tag_texts(meta, "rating") == ["Teen And Up Audiences"]
    assert tag_texts(meta, "warning") == ["Graphic Depictions Of Violence"]
    assert tag_texts(meta, "category") == ["Gen", "M/M"]
    assert tag_texts(meta, "fandom") == ["Les Misérables - Victor Hugo"]
    assert tag_texts(meta, "relationship") == ["Enjolras/Grantaire", "Combeferre & Courfeyrac"]
    assert tag_texts(meta, "character")[-1] == "Éponine Thénardier"
    assert tag_texts(meta, "freeform")[0] == "Canon Era"
    assert meta.find("dd", "language").text() == "English"
    assert meta.find("dd", "series").text() == "Part 1 of The June Days"
    assert meta.find("dd", "collections").text() == "Les Mis Summer Exchange 2026"
    stats = meta.find("dl", "stats")
    labels = [dt.text() for dt in stats.find_all("dt")]
    assert labels == [
        "Published:",
        "Updated:",
        "Words:",
        "Chapters:",
        "Comments:",
        "Kudos:",
        "Hits:",
        "Downloads:",  # ours: the largest archive counts downloads but does not show them
    ]
    assert stats.find("dd", "published").text() == "2026-06-05"
    assert stats.find("dd", "status").text() == "2026-07-14"
    assert stats.find("dd", "chapters").text() == "2/?"
    preface = html.find("div", "preface group")
    assert preface.find("h2", "title heading").text() == "Barricade Weather"
    byline = preface.find("h3", "byline heading")
    assert [(a.attrs["href"], a.text()) for a in byline.find_all("a", rel="author")] == [
        ("/users/nightjar/pseuds/Nightjar", "Nightjar (nightjar)"),
        ("/users/inkwell/pseuds/Quill%20and%20Ink", "Quill and Ink (inkwell)"),
    ]
    assert "nobody at the Café Musain" in preface.find("blockquote", "userstuff").text()
    for position, text in enumerate(MULTI_TEXT, 1):
        body = html.find("div", "chapter", id=f"chapter-{position}")
        assert text in body.find("div", "userstuff module", role="article").text()


def test_tag_links_lead_to_the_tag_pages(client: Client) -> None:
    work = tagged_work()
    meta = page(client, f"/works/{work.pk}").find("dl", "work meta group")
    links = {a.text(): a.attrs["href"] for a in meta.find_all("a", "tag")}
    assert (
        links["Graphic Depictions Of Violence"]
        == "/tags/Graphic%20Depictions%20Of%20Violence/works"
    )
    assert links["Enjolras/Grantaire"] == "/tags/Enjolras*s*Grantaire/works"
    assert client.get(links["Enjolras/Grantaire"]).status_code == 200


def test_a_one_chapter_work_shows_its_text_without_chapter_navigation(client: Client) -> None:
    work = WorkFactory.create(text="Only words here.", notes="Before.", endnotes="After.")
    html = page(client, f"/works/{work.pk}")
    body = html.find("div", "chapter", id="chapter-1")
    assert "Only words here." in body.find("div", "userstuff module", role="article").text()
    assert html.find("div", "notes module").text() == "Notes: Before."
    assert html.find("div", "end notes module", id="work_endnotes").text() == "End Notes: After."
    assert not html.find_all("li", "chapter next")
    assert not html.find_all("form", "chapter-menu")


def test_a_chaptered_work_opens_on_its_first_chapter_with_a_link_to_the_next(
    client: Client,
) -> None:
    work = chaptered_work(3, endnotes="The end.")
    html = page(client, f"/works/{work.pk}")
    assert [n.attrs["id"] for n in html.find_all("div", "chapter")] == ["chapter-1"]
    assert "Text of chapter 1." in html.text()
    assert "Text of chapter 2." not in html.text()
    next_link = html.find("li", "chapter next").find("a")
    assert next_link.attrs["href"] == f"/works/{work.pk}/chapters/{chapter(work, 2).pk}"
    assert (
        html.find("li", "chapter entire").find("a").attrs["href"].endswith("?view_full_work=true")
    )
    # The work's end notes close its last chapter, not the first.
    assert "The end." not in html.text()


def test_the_entire_work_shows_every_chapter_in_order(client: Client) -> None:
    work = chaptered_work(3, endnotes="The end.")
    html = page(client, f"/works/{work.pk}", view_full_work="true")
    chapters = html.find_all("div", "chapter")
    assert [n.attrs["id"] for n in chapters] == ["chapter-1", "chapter-2", "chapter-3"]
    assert [n.find("div", "userstuff module").text() for n in chapters] == [
        "Chapter Text Text of chapter 1.",
        "Chapter Text Text of chapter 2.",
        "Chapter Text Text of chapter 3.",
    ]
    assert html.find("div", "end notes module", id="work_endnotes").text() == "End Notes: The end."


def test_a_chapter_page_links_back_and_forth_and_offers_a_chapter_menu(client: Client) -> None:
    work = chaptered_work(3)
    first, second, third = (chapter(work, n) for n in (1, 2, 3))
    html = page(client, f"/works/{work.pk}/chapters/{second.pk}")
    assert [n.attrs["id"] for n in html.find_all("div", "chapter")] == ["chapter-2"]
    assert html.find("div", "chapter", id="chapter-2").find("h3", "title").text() == (
        "Chapter 2: Part 2"
    )
    assert html.find("li", "chapter previous").find("a").attrs["href"].endswith(f"/{first.pk}")
    assert html.find("li", "chapter next").find("a").attrs["href"].endswith(f"/{third.pk}")
    menu = html.find("form", "chapter-menu")
    options = menu.find_all("option")
    assert [o.attrs["value"] for o in options] == [str(c.pk) for c in (first, second, third)]
    assert "selected" in options[1].attrs


def test_the_last_chapter_has_no_next_link_and_shows_the_work_end_notes(client: Client) -> None:
    work = chaptered_work(2, endnotes="The end.")
    html = page(client, f"/works/{work.pk}/chapters/{chapter(work, 2).pk}")
    assert not html.find_all("li", "chapter next")
    assert "The end." in html.find("div", "end notes module", id="work_endnotes").text()


def test_chapter_notes_and_end_notes_show_in_their_modules(client: Client) -> None:
    work = chaptered_work(1)
    add_chapter(work, "Second text.", notes="Chapter note.", endnotes="Chapter end note.")
    html = page(client, f"/works/{work.pk}/chapters/{chapter(work, 2).pk}")
    assert html.find("div", "notes module").find("blockquote", "userstuff").text() == (
        "Chapter note."
    )
    endnotes = html.find("div", "end notes module", id="chapter_2_endnotes")
    assert endnotes.find("blockquote", "userstuff").text() == "Chapter end note."


def test_the_chapter_menu_goes_to_the_chosen_chapter(client: Client) -> None:
    work = chaptered_work(3)
    third = chapter(work, 3)
    response = client.get(f"/works/{work.pk}/chapters", {"selected_id": third.pk})
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}/chapters/{third.pk}"


def test_a_chapter_of_another_work_is_not_found(client: Client) -> None:
    work, other = chaptered_work(2), chaptered_work(2)
    foreign = chapter(other, 2)
    assert client.get(f"/works/{work.pk}/chapters/{foreign.pk}").status_code == 404
    assert client.get(f"/works/{work.pk}/chapters", {"selected_id": foreign.pk}).status_code == 404


def test_the_chapter_of_a_one_chapter_work_redirects_to_the_work(client: Client) -> None:
    work = WorkFactory.create()
    response = client.get(f"/works/{work.pk}/chapters/{chapter(work, 1).pk}")
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}"


def test_the_chapter_index_lists_each_chapter_with_its_date(client: Client, tmp_path: Path) -> None:
    work = import_record(multi_chapter_record(tmp_path))
    html = page(client, f"/works/{work.pk}/navigate")
    heading = html.find("h2", "heading")
    assert heading.find("a").attrs["href"] == f"/works/{work.pk}"
    assert [a.text() for a in heading.find_all("a", rel="author")] == [
        "Nightjar (nightjar)",
        "Quill and Ink (inkwell)",
    ]
    items = html.find("ol", "chapter index group").find_all("li")
    assert [item.text() for item in items] == [
        "1. Tuesday (2026-06-05)",
        "2. Wednesday (2026-07-14)",
    ]
    first = chapter(work, 1)
    assert items[0].find("a").attrs["href"] == f"/works/{work.pk}/chapters/{first.pk}"
    assert items[0].find("span", "datetime").text() == "(2026-06-05)"


def test_an_anonymous_work_has_anonymous_as_its_byline(client: Client, author: User) -> None:
    work = WorkFactory.create(anonymous=True, creators=[author.default_pseud()])
    html = page(client, f"/works/{work.pk}")
    assert html.find("h3", "byline heading").text() == "Anonymous"
    assert "/users/author" not in html.text() and not html.find_all("a", rel="author")


def test_creator_html_is_sanitised_on_the_work_page(client: Client) -> None:
    work = WorkFactory.create(
        summary='<script>alert("s")</script><em>fine</em>',
        text='<p onclick="x()">Words</p><script>alert("t")</script>',
    )
    content = client.get(f"/works/{work.pk}").content.decode()
    assert "<em>fine</em>" in content
    assert "alert(" not in content and "onclick" not in content


def test_the_text_carries_the_language_of_the_work(client: Client) -> None:
    work = WorkFactory.create()
    assert page(client, f"/works/{work.pk}").find("div", None, id="chapters").attrs["lang"] == "en"


@pytest.mark.parametrize("viewer", ["guest", "other_user", "author", "admin"])
def test_a_draft_opens_only_for_its_creators_and_admins(
    client: Client, request: pytest.FixtureRequest, author: User, viewer: str
) -> None:
    work = WorkFactory.create(posted=False, creators=[author.default_pseud()])
    user = request.getfixturevalue(viewer)
    if viewer != "guest":
        client.force_login(user)
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == (200 if viewer in ("author", "admin") else 404)
    if response.status_code == 200:
        assert "This work is a draft" in response.content.decode()


def test_a_restricted_work_is_not_found_for_guests_and_opens_for_users(
    client: Client, other_user: User
) -> None:
    work = WorkFactory.create(restricted=True, text="Members only.")
    response = client.get(f"/works/{work.pk}")
    assert response.status_code == 404
    assert "Members only." not in response.content.decode()
    client.force_login(other_user)
    assert "Members only." in client.get(f"/works/{work.pk}").content.decode()


@pytest.mark.usefixtures("local_cache")
def test_reading_a_long_work_takes_a_fixed_number_of_queries(
    client: Client, other_user: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    work = chaptered_work(10)
    client.force_login(other_user)
    client.get("/")  # the session exists before counting
    # 14 with the reader's group permissions, which the header's staff links ask for; 15
    # with the header's count of unread comments in the inbox; 19 with the library's: the
    # unread updates, the reader's history row ("continue reading"), their preference and
    # the history's one upsert; 20 with the bookmarks' count and the reader's own bookmark
    # (one query).
    with django_assert_max_num_queries(20):
        response = client.get(f"/works/{work.pk}", {"view_full_work": "true"})
    assert len(parse(response.content).find_all("div", "chapter")) == 10
