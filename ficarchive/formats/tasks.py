"""Background work of the formats app, run by the task queue."""

from __future__ import annotations

from django_tasks import task

from ficarchive.formats.downloads.cache import download_prepare


@task()
def download_build(work_id: int, extension: str) -> None:
    """Build a large work's download, which its link then serves from the cache."""
    download_prepare(work_id, extension)
