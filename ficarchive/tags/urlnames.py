"""Tag names in URLs, escaped as the largest archive escapes them so that its links and readers'
tools keep working: `/` is `*s*`, `&` `*a*`, `.` `*d*`, `?` `*q*`, `#` `*h*`.

Tag names cannot contain `*` (see tags.names), so the escapes cannot be confused with a name.
"""

from __future__ import annotations

_ESCAPES = (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*"))


def tag_url_name(name: str) -> str:
    """The tag name as it appears, unquoted, in a URL path segment."""
    for character, escape in _ESCAPES:
        name = name.replace(character, escape)
    return name


def tag_name_from_url(url_name: str) -> str:
    """The tag name a (percent-decoded) URL path segment stands for."""
    for character, escape in _ESCAPES:
        url_name = url_name.replace(escape, character)
    return url_name
