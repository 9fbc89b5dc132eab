"""Downloads: a work's file in one format, fetched through the visibility rule, served from the
cache of built files."""

from __future__ import annotations

import time

from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from ficarchive.formats.downloads.cache import (
    build_file,
    builds_in_background,
    cached_path,
    downloadable_works,
    file_key,
)
from ficarchive.formats.downloads.formats import FORMATS
from ficarchive.formats.downloads.names import download_name
from ficarchive.formats.tasks import download_build
from ficarchive.works.access import Need, work_for
from ficarchive.works.services import work_downloaded

# How long a download of a large work waits for its background build before it asks the
# reader's browser to try again.
WAIT_SECONDS = 8.0
RETRY_SECONDS = 5


def download(
    request: HttpRequest, work_id: int, file_name: str, extension: str
) -> HttpResponseBase:
    format = FORMATS.get(extension)
    if format is None or not format.available():
        raise Http404(f"This archive does not make {extension!r} files.")
    work = work_for(request.user, work_id, Need.READ, works=downloadable_works())
    if not work.is_listable():
        # Creators and admins open drafts and hidden works, but nobody downloads them.
        raise Http404("Drafts and hidden works cannot be downloaded.")
    name = download_name(work.title, work.pk)
    if file_name != name:
        return redirect("formats:download", work.pk, name, extension)
    key = file_key(work)
    path = cached_path(work, format, key)
    if not (path.exists() and format.cached):
        if builds_in_background(work) and format.cached:
            download_build.enqueue(work.pk, extension)
            deadline = time.monotonic() + WAIT_SECONDS
            while not path.exists() and time.monotonic() < deadline:
                time.sleep(0.25)
            if not path.exists():
                response = render(
                    request,
                    "formats/downloads/preparing.html",
                    {"work": work, "format": format, "retry": RETRY_SECONDS},
                    status=202,
                )
                response["Refresh"] = str(RETRY_SECONDS)
                response["Retry-After"] = str(RETRY_SECONDS)
                return response
        else:
            path = build_file(work, format, key)
    work_downloaded(work, request.user)
    return FileResponse(
        path.open("rb"),
        as_attachment=extension != "html",
        filename=f"{name}.{extension}",
        content_type=format.content_type,
    )
