"""Every EPUB the archive makes passes EPUBCheck with no error and no warning: the demo
corpus's works and the adversarial ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from ficarchive.formats.downloads.book import book_of
from ficarchive.formats.downloads.cache import downloadable_works
from ficarchive.formats.downloads.epub import epub_bytes
from tests.formats.downloads.adversarial import adversarial_works, long_text_work
from tests.formats.downloads.epubcheck import epubcheck, require_epubcheck

pytestmark = pytest.mark.django_db


def _write(tmp_path: Path, work_ids: list[int]) -> list[Path]:
    paths = []
    for work in downloadable_works().filter(pk__in=work_ids).order_by("pk"):
        path = tmp_path / f"{work.pk}.epub"
        path.write_bytes(epub_bytes(book_of(work)))
        paths.append(path)
    return paths


def test_adversarial_works_pass_epubcheck(tmp_path: Path) -> None:
    require_epubcheck()
    works = adversarial_works()
    works.append(long_text_work(500_000, 40))
    paths = _write(tmp_path, [work.pk for work in works])
    found = epubcheck(paths)
    failures = {path.name: messages for path, messages in found.items() if messages}
    assert not failures, "\n".join(f"{name}: {m}" for name, ms in failures.items() for m in ms)


def test_demo_works_pass_epubcheck(tmp_path: Path) -> None:
    require_epubcheck()
    call_command("demo", works=12, body_words=300, verbosity=0)
    from ficarchive.works.models import Work

    ids = list(Work.objects.listable().values_list("pk", flat=True))
    assert len(ids) >= 5
    paths = _write(tmp_path, ids)
    found = epubcheck(paths)
    failures = {path.name: messages for path, messages in found.items() if messages}
    assert not failures, "\n".join(f"{name}: {m}" for name, ms in failures.items() for m in ms)
