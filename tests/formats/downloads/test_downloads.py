"""Downloads: the menu, the file names, every format, the cache and the count, and who may
download what."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from ficarchive.accounts.models import Pseud, User
from ficarchive.formats.downloads import cache
from ficarchive.formats.downloads.names import download_name
from ficarchive.tags.models import Tag
from ficarchive.works.models import Chapter, SerialWork, Series, Work
from tests.factories import TagFactory, WorkFactory, add_chapter, add_tags

pytestmark = pytest.mark.django_db


def _url(work: Work, extension: str) -> str:
    return f"/downloads/{work.pk}/{download_name(work.title, work.pk)}.{extension}"


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _epub_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(name).decode() for name in book.namelist())


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("A Short Title", "A_Short_Title"),
        ("Ünïcödé & «quotes»!", "Unicode_quotes"),
        ("日本語の題名", "RiBenYunoTiMing"),
        ("A title that is much longer than twenty-four", "A_title_that_is_much"),
        ("Supercalifragilisticexpialidocious", "Supercalifragilisticexpi"),
        ("?!…", "Work_7"),
        ("", "Work_7"),
    ],
)
def test_file_names_are_ascii_cut_at_a_word(title: str, name: str) -> None:
    assert download_name(title, 7) == name
    assert len(download_name(title, 7)) <= 24


def test_work_page_has_the_download_menu_with_what_the_server_makes(author: User) -> None:
    work = WorkFactory.create(title="Menu Work", creators=[author.default_pseud()])
    html = Client().get(f"/works/{work.pk}").content.decode()
    assert '<li class="download"' in html
    for extension in ("epub", "pdf", "html", "txt"):
        assert f'href="/downloads/{work.pk}/Menu_Work.{extension}"' in html
    # No calibre on the test machines: the menu offers only what can be made.
    assert ".azw3" not in html and ".mobi" not in html


@pytest.mark.parametrize(
    ("extension", "content_type", "magic"),
    [
        ("epub", "application/epub+zip", b"PK"),
        ("pdf", "application/pdf", b"%PDF"),
        ("html", "text/html; charset=utf-8", b"<!DOCTYPE html>"),
        ("txt", "text/plain; charset=utf-8", b"Title: "),
    ],
)
def test_each_format_downloads(extension: str, content_type: str, magic: bytes) -> None:
    work = WorkFactory.create(title="Every Format", text="Once upon a time.")
    response = Client().get(_url(work, extension))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert f"Every_Format.{extension}" in response["Content-Disposition"]
    assert _body(response).startswith(magic)


def test_the_record_is_what_export_writes() -> None:
    from ficarchive.formats.export import work_record, works_for_export
    from ficarchive.formats.workrecord.write import write_record

    work = WorkFactory.create(title="Recorded")
    body = _body(Client().get(_url(work, "txt"))).decode()
    assert body == write_record(work_record(works_for_export().get(pk=work.pk)))


def test_epub_lists_every_chapter_by_title_in_nav_and_ncx() -> None:
    work = WorkFactory.create(title="Chapters", text="One.")
    add_chapter(work, "Two.", title="The Second & Last")
    text = _epub_text(_body(Client().get(_url(work, "epub"))))
    assert "Chapter 2: The Second &amp; Last" in text
    assert "toc.ncx" in text and 'epub:type="toc"' in text


def test_unknown_format_and_missing_work_answer_404() -> None:
    work = WorkFactory.create(title="Known")
    assert Client().get(f"/downloads/{work.pk}/Known.docx").status_code == 404
    assert Client().get("/downloads/999999/Known.epub").status_code == 404


def test_a_wrong_file_name_redirects_to_the_right_one() -> None:
    work = WorkFactory.create(title="Right Name")
    response = Client().get(f"/downloads/{work.pk}/Wrong.epub")
    assert response.status_code == 302
    assert response["Location"] == _url(work, "epub")


def test_a_guest_never_downloads_a_restricted_work(other_user: User) -> None:
    work = WorkFactory.create(title="Members Only", restricted=True)
    assert Client().get(_url(work, "epub")).status_code == 404
    client = Client()
    client.force_login(other_user)
    assert client.get(_url(work, "epub")).status_code == 200


@pytest.mark.parametrize("field", ["posted", "hidden_by_admin"])
def test_nobody_downloads_a_draft_or_hidden_work(author: User, admin: User, field: str) -> None:
    work = WorkFactory.create(title="Not Out", creators=[author.default_pseud()])
    Work.objects.filter(pk=work.pk).update(**{field: field != "posted"})
    for user in (None, author, admin):
        client = Client()
        if user is not None:
            client.force_login(user)
        assert client.get(_url(work, "epub")).status_code == 404
        assert "/downloads/" not in client.get(f"/works/{work.pk}").content.decode()


@pytest.mark.parametrize("extension", ["epub", "html", "txt"])
def test_an_anonymous_works_files_never_name_its_creator(extension: str) -> None:
    from tests.conftest import make_user

    author = make_user("secretwriter")
    work = WorkFactory.create(title="Nameless", creators=[author.default_pseud()], anonymous=True)
    client = Client()
    client.force_login(author)  # even its creator gets the file everyone gets
    data = _body(client.get(_url(work, extension)))
    text = _epub_text(data) if extension == "epub" else data.decode()
    assert author.username not in text
    assert author.default_pseud().name not in text
    if extension != "txt":
        assert "Anonymous" in text


def test_files_are_cached_and_rebuilt_after_an_edit(data_dir: Path) -> None:
    work = WorkFactory.create(title="Cached", text="First version.")
    first = _body(Client().get(_url(work, "html")))
    files = list((data_dir / "downloads" / str(work.pk)).glob("*.html"))
    assert len(files) == 1
    assert _body(Client().get(_url(work, "html"))) == first
    chapter = work.chapters.get()
    chapter.html = "<p>Second version.</p>"
    chapter.save()
    second = _body(Client().get(_url(work, "html")))
    assert b"Second version." in second and b"First version." not in second
    assert len(list((data_dir / "downloads" / str(work.pk)).glob("*.html"))) == 1


def _key(work: Work) -> str:
    return cache.file_key(cache.downloadable_works().get(pk=work.pk))


def test_the_cache_key_changes_with_whatever_a_file_shows(author: User) -> None:
    """Renames included: a tag's, a pseud's, a login's, a series'; and a chapter edit that
    keeps its length (a typo fixed)."""
    tag = TagFactory.create(name="Old tag name", canonical=True)
    work = WorkFactory.create(title="Keyed", text="A teh typo.", creators=[author.default_pseud()])
    add_tags(work, tag)
    series = Series.objects.create(title="Old series")
    SerialWork.objects.create(series=series, work=work, position=1)
    keys = [_key(work)]

    def changed() -> bool:
        keys.append(_key(work))
        return keys[-1] != keys[-2]

    assert not changed()
    Work.objects.filter(pk=work.pk).update(kudos_count=5, hits=10)
    assert not changed(), "kudos and hits are in no file"
    Tag.objects.filter(pk=tag.pk).update(name="New tag name")
    assert changed()
    Pseud.objects.filter(pk=author.default_pseud().pk).update(name="New pen name")
    assert changed()
    User.objects.filter(pk=author.pk).update(username="renamedlogin")
    assert changed()
    Series.objects.filter(pk=series.pk).update(title="New series")
    assert changed()
    chapter = work.chapters.get()
    Chapter.objects.filter(pk=chapter.pk).update(html=chapter.html.replace("teh", "the"))
    assert changed()
    Work.objects.filter(pk=work.pk).update(summary="A new summary.")
    assert changed()


def test_downloads_are_counted_in_the_stats(author: User) -> None:
    work = WorkFactory.create(title="Counted", creators=[author.default_pseud()])
    Client().get(_url(work, "epub"))
    Client().get(_url(work, "pdf"))
    owner = Client()
    owner.force_login(author)
    owner.get(_url(work, "epub"))  # creators' own downloads do not count
    work.refresh_from_db()
    assert work.downloads_count == 2
    assert '<dd class="downloads">2</dd>' in Client().get(f"/works/{work.pk}").content.decode()


def test_a_large_work_is_built_in_the_background(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """Past the size limit the view hands the build to the task queue and, while no worker
    has made the file, asks the browser to come back; then it serves the file."""
    from tests.core.tasks.drain import run_ready_in_this_transaction

    settings.TASKS = {"default": {"BACKEND": "ficarchive.core.queue.backends.DatabaseBackend"}}
    monkeypatch.setattr(cache, "BACKGROUND_WORDS", 3)
    monkeypatch.setattr("ficarchive.formats.views.WAIT_SECONDS", 0.0)
    work = WorkFactory.create(title="Large", text="Many many words here.")
    waiting = Client().get(_url(work, "epub"))
    assert waiting.status_code == 202
    assert waiting["Refresh"] == "5"
    assert "Preparing" in waiting.content.decode()
    run_ready_in_this_transaction()
    served = Client().get(_url(work, "epub"))
    assert served.status_code == 200
    assert _body(served).startswith(b"PK")
