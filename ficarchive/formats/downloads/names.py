"""Download file names, made as the largest archive makes them so that e-readers (Kindles in
particular, whose tables of contents broke on long names) take them: the title transliterated
to ASCII, without punctuation, at most 24 characters cut at a word, spaces as underscores."""

from __future__ import annotations

import re

from anyascii import anyascii

NAME_MAX = 24
_NOT_WORD = re.compile(r"[^\w _-]+", re.ASCII)
_SPACES = re.compile(r"\s+")


def download_name(title: str, work_id: int) -> str:
    """The file name (without its extension) of a work's downloads: `Work_<id>` when nothing of
    the title is left."""
    name = _NOT_WORD.sub("", anyascii(title))
    name = _SPACES.sub(" ", name).strip()
    if len(name) > NAME_MAX:
        cut = name[: NAME_MAX + 1]
        # Cut at the last space within the limit, unless the first word alone is longer.
        name = cut.rsplit(" ", 1)[0] if " " in cut else name[:NAME_MAX]
        name = name[:NAME_MAX].strip()
    name = name.replace(" ", "_")
    return name or f"Work_{work_id}"
