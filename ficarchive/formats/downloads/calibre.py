"""AZW3 and MOBI through calibre's `ebook-convert`, from the EPUB, when calibre is installed
(Debian's `calibre`); without it the menu does not offer them."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_SECONDS = 300


def calibre_available() -> bool:
    return shutil.which("ebook-convert") is not None


def convert_epub(epub: bytes, extension: str) -> bytes:
    """The EPUB converted to `extension` (azw3 or mobi) by ebook-convert."""
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "book.epub", Path(folder) / f"book.{extension}"
        source.write_bytes(epub)
        subprocess.run(
            ["ebook-convert", str(source), str(target)],
            check=True,
            capture_output=True,
            timeout=CONVERT_SECONDS,
        )
        return target.read_bytes()
