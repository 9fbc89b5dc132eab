"""Every field that takes creators' text, fed each known XSS vector through the real forms and
rendered on the real pages: none may leave executable script behind."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client

from ficarchive.accounts.models import PSEUD_MAX, Pseud, User
from ficarchive.core.forms import CONTROL_CHARACTERS
from ficarchive.tags.models import TAG_NAME_MAX, TagType
from ficarchive.tags.names import FORBIDDEN_CHARACTERS
from ficarchive.tags.urlnames import tag_url_name
from ficarchive.works.models import TITLE_MAX, Work
from tests.security.checks import assert_no_script, script_problems, text_of
from tests.security.xss_vectors import BROWSER_VECTORS, VECTORS
from tests.works.posting_data import chapter_data, work_data

pytestmark = pytest.mark.django_db

_FORBIDDEN = re.compile("[" + re.escape(FORBIDDEN_CHARACTERS) + "]")


def test_there_are_at_least_a_hundred_distinct_vectors() -> None:
    assert len(set(VECTORS)) == len(VECTORS) >= 100
    assert set(BROWSER_VECTORS) - set(VECTORS) <= {
        v for v in BROWSER_VECTORS if "__xss" in v or "alert" in v
    }


@pytest.mark.parametrize(
    "page",
    [
        "<p><img src=x onerror=alert(1)></p>",
        "<p><script>alert(1)</script></p>",
        '<a href=" java\tscript:alert(1)">x</a>',
        '<p style="color:red">x</p>',
        "<svg><a>x</a></svg>",
        '<form action="https://evil.example/"></form>',
        '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    ],
)
def test_the_checker_finds_script_that_would_run(page: str) -> None:
    assert script_problems(page)


def _tag_value(vector: str, max_length: int = TAG_NAME_MAX) -> str:
    """The vector as a tag name: tags cannot contain , < > and a few others, which the form
    refuses (tested below); what is left still goes through as a tag."""
    cleaned = " ".join(_FORBIDDEN.sub(" ", vector).split())[: max_length - 10]
    return cleaned or "Plain Tag"


def _title(vector: str) -> str:
    return " ".join(vector.split())[:TITLE_MAX] or "Untitled"


@pytest.fixture
def writer(client: Client, author: User) -> User:
    client.force_login(author)
    return author


def _check_pages(client: Client, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        assert_no_script(response.content, url)


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_no_vector_survives_in_any_field_on_any_page(
    client: Client, writer: User, vector: str
) -> None:
    if CONTROL_CHARACTERS.search(vector):
        # Control characters are refused in every field first (core.forms), with a message;
        # the vector goes on without them (a space in their place keeps it a vector).
        refused = client.post("/works/new", work_data(writer, summary=vector, title="Control"))
        assert refused.status_code == 200
        assert "control character" in refused.content.decode()
        assert_no_script(refused.content, "refused form")
        vector = CONTROL_CHARACTERS.sub(" ", vector)
    tag = _tag_value(vector)
    text_fields = {
        "title": _title(vector),
        "summary": vector,
        "notes": vector,
        "endnotes": vector,
        "chapter_title": _title(vector),
        "text": vector + "\n\nand a few more words of story.",
    }
    tags = {"fandoms": vector, "relationships": vector, "characters": vector, "freeforms": vector}
    data = work_data(writer, expected_chapters="", **text_fields, **tags)

    # Tags that contain forbidden characters are refused with a message, never a 500.
    first = client.post("/works/new", data)
    if _FORBIDDEN.search(vector) or not " ".join(vector.split()):
        assert first.status_code == 200
        assert_no_script(first.content, "refused form")
        assert "which tags cannot contain" in first.content.decode() or "Name at least" in (
            first.content.decode()
        )
        data.update(fandoms=tag, relationships=tag + " rel", characters=tag + " char")
        data.update(freeforms=tag + " free")
        # The preview renders the real components without saving.
        preview = client.post("/works/new", {**data, "action": "preview"})
        assert preview.status_code == 200
        assert_no_script(preview.content, "preview")
        response = client.post("/works/new", data)
    else:
        response = first
    assert response.status_code == 302, response.content.decode()[:2000]
    work = Work.objects.get()
    chapter = work.chapters.get()

    second = chapter_data(
        chapter_title=_title(vector),
        chapter_summary=vector,
        chapter_notes=vector,
        chapter_endnotes=vector,
        text=vector + " and the second chapter.",
    )
    assert client.post(f"/works/{work.pk}/chapters/new", second).status_code == 302
    second_chapter = work.chapters.get(position=2)

    # A pseud named with the vector is refused (names are letters, digits, spaces, hyphens);
    # its description takes HTML and is sanitised.
    refused = client.post("/account/pseuds/new", {"name": vector[:PSEUD_MAX]})
    assert refused.status_code in {200, 302}
    assert_no_script(refused.content, "pseud form")
    client.post("/account/pseuds/new", {"name": "Second Pen", "description": vector})
    pen = Pseud.objects.get(user=writer, name="Second Pen")

    fandom = work.tags.filter(type=TagType.FANDOM).get()
    urls = [
        f"/works/{work.pk}?view_full_work=true",
        f"/works/{work.pk}/chapters/{chapter.pk}",
        f"/works/{work.pk}/chapters/{second_chapter.pk}",
        f"/works/{work.pk}/navigate",
        f"/works/{work.pk}/edit",
        f"/works/{work.pk}/chapters/{second_chapter.pk}/edit",
        f"/works/{work.pk}/chapters/manage",
        f"/works/{work.pk}/delete",
        "/",
        f"/tags/{tag_url_name(fandom.name)}/works",
        "/users/author/works",
        "/users/author/pseuds/author",
        f"/users/author/pseuds/{quote(pen.name)}",
        "/account/works",
        "/account/pseuds",
    ]
    _check_pages(client, urls)
    # Guests see the same pages through the cache-free path too.
    _check_pages(Client(), [urls[0], "/", urls[9]])

    # The title reached the page, as text.
    page = client.get(f"/works/{work.pk}").content
    assert text_of(page, "h2", "title heading") == _title(vector)


@pytest.mark.parametrize("vector", BROWSER_VECTORS)
def test_a_preview_of_a_new_work_keeps_nothing_executable(
    client: Client, writer: User, vector: str
) -> None:
    data = work_data(writer, summary=vector, text=vector + " padding words here", action="preview")
    response = client.post("/works/new", data)
    assert response.status_code == 200
    assert_no_script(response.content, "preview")
    assert not Work.objects.exists()


@pytest.mark.parametrize("vector", VECTORS, ids=range(len(VECTORS)))
def test_no_vector_survives_in_a_bookmark_on_any_bookmark_page(
    client: Client, writer: User, vector: str
) -> None:
    from tests.factories import WorkFactory

    vector = CONTROL_CHARACTERS.sub(" ", vector)
    work = WorkFactory.create(title="Bookmarked")
    tag = _tag_value(vector)
    pseud = str(writer.default_pseud().pk)
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {"pseud": pseud, "notes": vector, "tags": f"{tag}, second {tag}"[:TAG_NAME_MAX]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    external = client.post(
        "/bookmarks/external/new",
        {
            "pseud": pseud,
            "url": "https://example.org/elsewhere?x=1",
            "title": _title(vector),
            "creator": _title(vector),
            "summary": vector,
            "fandoms": tag,
            "freeforms": tag + " free",
            "notes": vector,
        },
    )
    assert external.status_code == 302, external.content.decode()[:2000]
    bookmark = writer.bookmarks.get(work=work)
    _check_pages(
        client,
        [
            f"/users/{writer.username}/bookmarks",
            f"/works/{work.pk}/bookmarks",
            f"/bookmarks/{bookmark.pk}",
            f"/bookmarks/{bookmark.pk}/edit",
            f"/tags/{tag_url_name(tag)}/bookmarks",
        ],
    )
