"""Sanitised work HTML (the largest archive's allowlist, which is HTML 4 at heart) as XHTML that
EPUBCheck accepts: obsolete elements and attributes become their modern forms, elements where
the content model does not allow them become `div` or `span`, lists and tables are given the
structure they must have, links point at this archive, and images (which an EPUB may not fetch
from the web) become links to them. Nothing the reader could read is dropped."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin

from lxml import etree  # type: ignore[import-untyped]
from lxml import html as lxml_html

XHTML_NS = "http://www.w3.org/1999/xhtml"

PHRASING = frozenset(
    "a abbr b br cite code dfn em i kbd q ruby s samp small span strong sub sup u var del ins"
    " img".split()
)
# Elements whose content model is their parent's.
TRANSPARENT = frozenset(["a", "del", "ins"])
# Elements that hold phrasing content only.
PHRASING_ONLY = frozenset("p h1 h2 h3 h4 h5 h6 pre summary".split()) | (PHRASING - TRANSPARENT)
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Elements that only stand inside a certain parent.
_PARENTS = {
    "li": ("ul", "ol"),
    "dt": ("dl",),
    "dd": ("dl",),
    "caption": ("table",),
    "colgroup": ("table",),
    "thead": ("table",),
    "tbody": ("table",),
    "tfoot": ("table",),
    "tr": ("table", "thead", "tbody", "tfoot"),
    "td": ("tr",),
    "th": ("tr",),
    "col": ("colgroup",),
    "figcaption": ("figure",),
    "summary": ("details",),
    "rt": ("ruby",),
    "rp": ("ruby",),
}
_RENAMED = {"acronym": "abbr", "strike": "s", "big": "span", "tt": "span", "center": "div"}
_CLASS_OF_RENAMED = {"big": "big", "tt": "tt", "center": "center"}
_ALIGN = frozenset(["left", "right", "center", "justify"])
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^[1-9][0-9]{0,3}$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~"


def to_xhtml_fragment(html: str, base_url: str) -> list[etree._Element]:
    """The elements of a piece of sanitised HTML, made valid XHTML 5 (in no namespace yet:
    `xhtml_document` puts them in one)."""
    html = _XML_INVALID.sub("", html)
    if not html.strip():
        return []
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    _fix(root, "flow", set(), base_url)
    for element in root.iter():
        if not isinstance(element.tag, str):
            # Comments and processing instructions have no place in a book.
            element.drop_tree()
    children = list(root)
    if root.text and root.text.strip():
        paragraph = etree.Element("p")
        paragraph.text = root.text
        children.insert(0, paragraph)
    return children


def _fix(element: etree._Element, context: str, above: set[str], base: str) -> None:
    """Rewrite `element` (already renamed for its place) and its children in turn."""
    tag = element.tag
    _attributes(element, base)
    if tag in PHRASING_ONLY:
        inner = "phrasing"
    elif tag in TRANSPARENT:
        inner = context
    else:
        inner = "flow"
    _structure(element)
    inside = above | {tag}
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        _place(child, element.tag, inner, inside)
        _fix(child, inner, inside, base)


def _place(child: etree._Element, parent: str, context: str, above: set[str]) -> None:
    """Rename the child to what may stand where it is."""
    original = child.tag
    tag = _RENAMED.get(original, original)
    if original in _CLASS_OF_RENAMED:
        _add_class(child, _CLASS_OF_RENAMED[original])
    if original == "center":
        child.set("style", "text-align: center")
    if original == "img":
        _image_link(child)
        tag = child.tag
    fallback = "span" if context == "phrasing" else "div"
    if tag in _PARENTS and parent not in _PARENTS[tag]:
        tag = fallback
    if context == "phrasing" and tag not in PHRASING:
        tag = "span"
    if tag in ("a", "details") and "a" in above:
        tag = "span"
    if tag == "dfn" and "dfn" in above:
        tag = "span"
    if tag in HEADINGS and above & {"address", "dt", "th"}:
        tag = "div"
    if tag == "address" and "address" in above:
        tag = "div"
    if tag == "table" and "caption" in above:
        tag = "div"
    if tag != original:
        if original not in _CLASS_OF_RENAMED and original != tag and original != "img":
            _add_class(child, original)
        child.tag = tag


def _add_class(element: etree._Element, name: str) -> None:
    names = (element.get("class") or "").split()
    if name not in names:
        element.set("class", " ".join([*names, name]))


def _image_link(image: etree._Element) -> None:
    """An image, which a book may not load from the web, as a link to it."""
    source = image.get("src") or ""
    text = image.get("alt") or image.get("title") or "Image"
    for name in list(image.attrib):
        del image.attrib[name]
    image.tag = "a" if source else "span"
    if source:
        image.set("href", source)
    image.set("class", "image")
    image.text = f"[{text}]"


def _url(value: str, base: str) -> str | None:
    value = value.strip()
    if not value or value.startswith("#"):
        return None  # a book holds none of the page's anchors
    if not value.lower().startswith(("http://", "https://", "mailto:")):
        value = urljoin(base + "/", value)
    return quote(value, safe=_URL_SAFE)


_KEPT = {
    "a": {"href"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite"},
    "ins": {"cite"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
_GLOBAL = {"class", "dir", "lang", "title", "style", "id"}


def _attributes(element: etree._Element, base: str) -> None:
    tag = element.tag
    kept = _KEPT.get(tag, set()) | _GLOBAL
    align = (element.get("align") or "").strip().lower()
    for name in list(element.attrib):
        value = element.attrib[name]
        if name not in kept:
            del element.attrib[name]
        elif name in ("href", "cite"):
            url = _url(value, base)
            if url is None:
                del element.attrib[name]
            else:
                element.set(name, url)
        elif name == "dir" and value.lower() not in ("ltr", "rtl", "auto"):
            del element.attrib[name]
        elif name == "dir":
            element.set(name, value.lower())
        elif (
            (name == "lang" and not _LANG.match(value))
            or (name in ("start",) and not re.match(r"^-?[0-9]{1,9}$", value.strip()))
            or (name == "type" and value.strip() not in ("1", "a", "A", "i", "I"))
            or (name in ("colspan", "rowspan", "span") and not _INTEGER.match(value.strip()))
            or (
                name == "scope"
                and value.strip().lower()
                not in (
                    "row",
                    "col",
                    "rowgroup",
                    "colgroup",
                )
            )
        ):
            del element.attrib[name]
        elif name == "open":
            element.set("open", "open")
        elif name == "class" and not value.strip():
            del element.attrib[name]
    if tag == "a" and "href" not in element.attrib:
        element.tag = "span"
    if align in _ALIGN:
        element.set("style", f"text-align: {align}")


def _structure(element: etree._Element) -> None:
    """Give lists, tables, figures, details and ruby the structure their content model asks."""
    tag = element.tag
    if tag in ("ul", "ol"):
        _wrap_strays(element, {"li"}, "li")
    elif tag == "dl":
        _wrap_strays(element, {"dt", "dd"}, "dd")
        _pair_terms(element)
    elif tag in ("thead", "tbody", "tfoot"):
        _wrap_strays(element, {"tr"}, "tr")
        for row in element:
            _wrap_strays(row, {"td", "th"}, "td")
    elif tag == "tr":
        _wrap_strays(element, {"td", "th"}, "td")
    elif tag == "table":
        _table(element)
    elif tag == "colgroup":
        for child in list(element):
            if child.tag != "col":
                _unwrap_after(element.getparent(), child)
        element.text = None
        for child in element:
            child.tail = None
        if len(element):
            element.attrib.pop("span", None)
    elif tag == "col":
        for child in list(element):
            element.remove(child)
        element.text = None
    elif tag == "figure":
        captions = [child for child in element if child.tag == "figcaption"]
        for number, caption in enumerate(captions):
            if number > 0 or (caption is not element[0] and caption is not element[-1]):
                caption.tag = "div"
                _add_class(caption, "figcaption")
    elif tag == "details":
        summaries = [child for child in element if child.tag == "summary"]
        for summary in summaries:
            if summary is not element[0]:
                summary.tag = "div"
                _add_class(summary, "summary")
        if not len(element) or element[0].tag != "summary" or (element.text or "").strip():
            summary = etree.Element("summary")
            summary.text = "Details"
            if (element.text or "").strip():
                summary.tail, element.text = element.text, None
            element.insert(0, summary)
    elif tag == "ruby":
        # EPUBCheck's ruby model differs from the browsers' (and reading systems render ruby
        # unevenly): base text and annotation read inline instead, as 漢(kan).
        element.tag = "span"
        _add_class(element, "ruby")
        for child in element:
            if child.tag in ("rt", "rp"):
                _add_class(child, child.tag)
                child.tag = "span"


def _wrap_strays(element: etree._Element, allowed: set[str], wrapper: str) -> None:
    """Put every child (and run of text) that may not stand here into a `wrapper`."""
    if (element.text or "").strip():
        item = etree.Element(wrapper)
        item.text, element.text = element.text, None
        element.insert(0, item)
    element.text = None
    for child in list(element):
        if not isinstance(child.tag, str):
            continue
        tail = child.tail
        child.tail = None
        if child.tag not in allowed:
            item = etree.Element(wrapper)
            element.replace(child, item)
            item.append(child)
            child = item
        if tail and tail.strip():
            item = etree.Element(wrapper)
            item.text = tail
            child.addnext(item)


def _pair_terms(dl: etree._Element) -> None:
    """A dl's terms and descriptions in groups: each term group then its descriptions."""
    children = [child for child in dl if isinstance(child.tag, str)]
    previous = None
    for child in children:
        if child.tag == "dd" and previous is None:
            child.addprevious(etree.Element("dt"))
        previous = child.tag
    if children and children[-1].tag == "dt":
        children[-1].addnext(etree.Element("dd"))


def _table(table: etree._Element) -> None:
    """caption?, colgroup*, thead?, tbody*, tfoot?: loose rows go into a tbody, anything else
    into a cell."""
    _wrap_strays(table, {"caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr"}, "tr")
    for row in [child for child in table if child.tag == "tr"]:
        _wrap_strays(row, {"td", "th"}, "td")
    caption = None
    colgroups: list[etree._Element] = []
    head = foot = None
    bodies: list[etree._Element] = []
    loose: etree._Element | None = None
    for child in list(table):
        table.remove(child)
        if child.tag == "caption" and caption is None:
            caption = child
        elif child.tag == "col":
            group = etree.Element("colgroup")
            group.append(child)
            colgroups.append(group)
        elif child.tag == "colgroup":
            colgroups.append(child)
        elif child.tag == "thead" and head is None:
            head = child
        elif child.tag == "tfoot" and foot is None:
            foot = child
        elif child.tag in ("thead", "tfoot", "tbody"):
            child.tag = "tbody"
            bodies.append(child)
            loose = None
        elif child.tag == "caption":
            # A second caption: a row of its own.
            child.tag = "td"
            row = etree.Element("tr")
            row.append(child)
            loose = _loose_body(bodies, loose)
            loose.append(row)
        else:
            loose = _loose_body(bodies, loose)
            loose.append(child)
    for part in [caption, *colgroups, head, *bodies, foot]:
        if part is not None:
            table.append(part)


def _loose_body(bodies: list[etree._Element], loose: etree._Element | None) -> etree._Element:
    if loose is None:
        loose = etree.Element("tbody")
        bodies.append(loose)
    return loose


def _unwrap_after(parent: etree._Element | None, child: etree._Element) -> None:
    """Move a child that may not stand in a colgroup out of it, after the table."""
    group = child.getparent()
    assert group is not None
    group.remove(child)
    table = group.getparent()
    if table is not None and table.getparent() is not None:
        holder = etree.Element("div")
        holder.append(child)
        table.addnext(holder)


def xhtml_document(title: str, body: list[etree._Element], lang: str, css_href: str) -> bytes:
    """A whole XHTML 5 document around these elements, in the XHTML namespace."""
    root = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS})
    root.set("lang", lang)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    head = etree.SubElement(root, f"{{{XHTML_NS}}}head")
    meta = etree.SubElement(head, f"{{{XHTML_NS}}}meta")
    meta.set("charset", "utf-8")
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = title or "Untitled"
    link = etree.SubElement(head, f"{{{XHTML_NS}}}link")
    link.set("rel", "stylesheet")
    link.set("type", "text/css")
    link.set("href", css_href)
    body_element = etree.SubElement(root, f"{{{XHTML_NS}}}body")
    for element in body:
        body_element.append(element)
    for element in root.iter():
        if isinstance(element.tag, str) and not element.tag.startswith("{"):
            element.tag = f"{{{XHTML_NS}}}{element.tag}"
    return b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n" + etree.tostring(
        root, encoding="utf-8"
    )
