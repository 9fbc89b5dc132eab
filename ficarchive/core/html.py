"""Creator-written text to safe HTML: paragraphs from blank lines, then nh3 with the allowlist of
the largest archive."""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "address",
        "b",
        "big",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "details",
        "dd",
        "del",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
    ]
)
_GENERIC_ATTRIBUTES = {"align", "dir", "lang", "title"}
_ATTRIBUTES = {
    "a": {"href", "name"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "details": {"open"},
    "hr": {"width"},
    "img": {"alt", "border", "height", "src", "width"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "table": {"border", "summary", "width"},
    "td": {"abbr", "axis", "colspan", "height", "rowspan", "width"},
    "th": {"abbr", "axis", "colspan", "height", "rowspan", "scope", "width"},
}
# Removed together with everything inside them, not just unwrapped.
REMOVED_WITH_CONTENT = frozenset(
    [
        "script",
        "style",
        "iframe",
        "svg",
        "math",
        "noembed",
        "noframes",
        "noscript",
        "plaintext",
        "xmp",
        "object",
        "embed",
        "template",
        "title",
        "textarea",
        "select",
    ]
)
_CLASS_NAME = re.compile(r"^[A-Za-z][\w-]+$")
_WEB = ("http://", "https://")
# A URL's scheme, if it has one: letters and digits before a colon that comes before any
# slash, question mark or hash.
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.\-]*):")


def _web_or_relative(value: str) -> bool:
    """Whether a URL is http(s) or relative, after stripping the characters that browsers
    ignore inside a scheme (tabs, newlines, control characters)."""
    bare = "".join(char for char in value if char > " " and char != "\x7f")
    found = _SCHEME.match(bare)
    return found is None or found.group(1).lower() in {"http", "https"}


def _filter_attribute(allow_class: bool) -> Callable[[str, str, str], str | None]:
    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            if not allow_class:
                return None
            names = [name for name in value.split() if _CLASS_NAME.match(name)]
            return " ".join(names) or None
        if tag == "img" and attribute == "src":
            return value if value.strip().lower().startswith(_WEB) else None
        if attribute == "cite":
            # nh3 checks the schemes of href and src only; a quotation's source is a URL too.
            return value if _web_or_relative(value) else None
        return value

    return attribute_filter


_FILTERS = {True: _filter_attribute(True), False: _filter_attribute(False)}


def sanitize(html: str, *, allow_class: bool = False) -> str:
    """Keep only allowlisted tags and attributes; links get rel="nofollow"."""
    attributes: dict[str, set[str]] = {"*": set(_GENERIC_ATTRIBUTES)}
    if allow_class:
        attributes["*"].add("class")
    for tag, names in _ATTRIBUTES.items():
        attributes[tag] = set(names)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=attributes,
        attribute_filter=_FILTERS[allow_class],
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow",
        strip_comments=True,
    )


_BLOCK_START = re.compile(
    r"^\s*<(?:p|div|blockquote|h[1-6]|ul|ol|dl|table|hr|pre|center|details|figure|address)\b",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")


def paragraphs(text: str) -> str:
    """Wrap runs of text separated by blank lines in <p>, and single line breaks in <br />.

    Chunks that already start with a block element are left as they are, so text typed as HTML
    is not wrapped twice.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    chunks = []
    for chunk in _BLANK_LINES.split(text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk):
            chunks.append(chunk)
        else:
            chunks.append("<p>" + chunk.replace("\n", "<br />\n") + "</p>")
    return "\n".join(chunks)


def render_userstuff(text: str, *, allow_class: bool = True) -> str:
    """Creator text (plain text with optional HTML) to the sanitised HTML that pages show."""
    return sanitize(paragraphs(text), allow_class=allow_class)
