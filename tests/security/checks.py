"""Finding executable script in a rendered page, parsed as a browser would (html5lib follows
the WHATWG parsing rules, foreign content included)."""

from __future__ import annotations

import html5lib

# Elements no page of ours contains, whose mere presence could run or load something.
FORBIDDEN_ELEMENTS = frozenset(
    "iframe frame frameset object embed applet svg math base style template portal".split()
)
URL_ATTRIBUTES = frozenset(
    "href src action formaction cite data background dynsrc lowsrc poster srcset "
    "xlink:href ping longdesc codebase manifest".split()
)
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _bare_url(value: str) -> str:
    """A URL as a browser reads its scheme: without whitespace or control characters."""
    return "".join(char for char in value if char > " " and char != "\x7f").lower()


def script_problems(page: str | bytes) -> list[str]:
    """What in the page could execute script; empty when nothing can."""
    document = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    problems: list[str] = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        name = _local(element.tag)
        attributes = {_local(key): value for key, value in element.attrib.items()}
        described = f"<{name} {attributes}>"
        if name == "script":
            # Only the site's own scripts: files under /static/, with nothing inline.
            if not attributes.get("src", "").startswith("/static/") or (element.text or "").strip():
                problems.append(f"script element {described}")
            continue
        if name in FORBIDDEN_ELEMENTS:
            problems.append(f"forbidden element {described}")
        if name == "meta" and "http-equiv" in attributes:
            problems.append(f"meta refresh {described}")
        if name == "link" and not _own_link(attributes):
            problems.append(f"link {described}")
        for attribute, value in attributes.items():
            if attribute.startswith("on"):
                problems.append(f"event handler {attribute} in {described}")
            elif attribute in {"style", "srcdoc"}:
                problems.append(f"{attribute} attribute in {described}")
            elif attribute in URL_ATTRIBUTES:
                bare = _bare_url(value)
                # The site's own empty favicon is the one data: URL a page may have.
                if name == "link" and attributes.get("rel") == "icon" and bare == "data:,":
                    continue
                if bare.startswith(BAD_SCHEMES):
                    problems.append(f"{attribute}={value!r} in {described}")
        if name == "form" and not attributes.get("action", "/").startswith("/"):
            problems.append(f"form posting elsewhere {described}")
    return problems


def _own_link(attributes: dict[str, str]) -> bool:
    """The site's own <link>s: its icon and style sheets, and its feeds and catalogue
    (rel="alternate") at paths of this site."""
    rel = attributes.get("rel")
    if rel in {"icon", "stylesheet"}:
        return True
    href = attributes.get("href", "")
    return rel == "alternate" and href.startswith("/") and not href.startswith("//")


def assert_no_script(page: str | bytes, where: str) -> None:
    problems = script_problems(page)
    assert not problems, f"{where}: {problems}"


def text_of(page: str | bytes, tag: str, class_: str) -> str:
    """The text of the first element with this tag and exact class, whitespace collapsed."""
    document = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    for element in document.iter(tag):
        if element.get("class") == class_:
            return " ".join("".join(element.itertext()).split())
    raise AssertionError(f"no <{tag} class={class_!r}> in the page")
