"""Rules for tag names, shared by every way a tag can enter the archive."""

from __future__ import annotations

import re

from ficarchive.tags.models import TAG_NAME_MAX

# As in the largest archive: commas separate tags, and these characters break its URLs and
# search syntax.
FORBIDDEN_CHARACTERS = ",^*<>{}=`，、\\%"
_FORBIDDEN = re.compile("[" + re.escape(FORBIDDEN_CHARACTERS) + "]")


def clean_tag_name(name: str) -> str:
    """Collapse surrounding and repeated whitespace."""
    return " ".join(name.split())


def tag_name_error(name: str) -> str | None:
    """Why a cleaned tag name is not allowed, or None when it is fine."""
    if not name:
        return "a tag name cannot be empty"
    if len(name) > TAG_NAME_MAX:
        return f"the tag {name[:40]!r}… is {len(name)} characters long; at most {TAG_NAME_MAX}"
    found = _FORBIDDEN.search(name)
    if found:
        return f"the tag {name!r} contains {found.group()!r}, which tags cannot contain"
    return None
