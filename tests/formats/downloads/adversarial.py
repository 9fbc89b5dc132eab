"""Works built to break e-books: hundreds of chapters, empty chapter titles, markup characters
and non-Latin scripts everywhere, right-to-left text, every element the sanitiser allows in
awkward places, series and notes on every level."""

from __future__ import annotations

from ficarchive.accounts.models import Pseud
from ficarchive.core.html import ALLOWED_TAGS
from ficarchive.tags.models import TagType
from ficarchive.works.models import SerialWork, Series, Work
from tests.factories import (
    PseudFactory,
    TagFactory,
    UserFactory,
    WorkFactory,
    add_chapter,
    add_tags,
)

NASTY = "& < > \" ' &amp; <b>not bold</b>"
SCRIPTS = "Ελληνικά Русский 日本語の題名 한국어 हिन्दी עברית العربية"

# Every allowed element, inside and outside the places it belongs, with its attributes.
EVERY_ELEMENT = """
<p align="center" dir="rtl" lang="ar">نص عربي <big>big</big> <tt>tt</tt>
<acronym title="x">AC</acronym>
<strike>struck</strike> <u>u</u> <s>s</s> <strong>strong</strong> <em>em</em> <b>b</b>
<i>i</i> <small>small</small> <sub>2</sub><sup>3</sup>
<abbr title="abbr">ab</abbr> <cite>cite</cite> <code>code</code> <dfn>dfn <dfn>inner</dfn></dfn>
<kbd>kbd</kbd> <samp>samp</samp> <var>var</var> <q cite="/works/1">q</q> <del>del</del>
<ins>ins</ins> <a href="/works/1">relative</a> <a href="#nowhere">fragment</a>
<a href="https://example.com/a b">spaced</a> <a name="anchor">named</a>
<a href="mailto:someone@example.com">mail <a href="https://example.com">nested</a></a>
<img src="https://example.com/pic.png" alt="a picture" width="10" height="10" border="1" />
<img src="https://example.com/no-alt.png" /> <br /><span>span <div>div in span</div></span>
<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> <ruby><rt>only annotation</rt></ruby></p>
<center>centred</center>
<div><h1>h1</h1><h2>h2</h2><h3>h3</h3><h4>h4</h4><h5>h5</h5><h6>h6</h6></div>
<address>address <h2>heading in address</h2><address>nested</address></address>
<blockquote cite="https://example.com">quote <p>para</p></blockquote>
<pre>pre   <div>div in pre</div></pre>
<hr width="50%" />
<ul type="disc">stray text<li>one</li><p>para in ul</p><li>two<ul><li>nested</li></ul></li></ul>
<ol start="3" type="a"><li>three</li>text</ol>
<dl><dd>dd first</dd><dt>term</dt><dd>def</dd><dt>last term</dt></dl>
<dl>text in dl<p>p in dl</p></dl>
<li>orphan li</li><dt>orphan dt</dt><dd>orphan dd</dd><td>orphan td</td><tr><td>orphan tr</td></tr>
<figure><p>figure body</p><figcaption>caption</figcaption><figcaption>second</figcaption></figure>
<figure><p>a</p><figcaption>middle caption</figcaption><p>b</p></figure>
<figcaption>orphan figcaption</figcaption>
<details open="open"><summary>summary</summary>details body</details>
<details>no summary at all</details>
<summary>orphan summary</summary><rt>orphan rt</rt><rp>orphan rp</rp>
<table border="1" width="100%" summary="s">
<caption>caption</caption><col span="2" /><colgroup span="x"><col width="20" /></colgroup>
<thead><tr><th scope="col" abbr="a" axis="x">head</th></tr></thead>
<tr><td colspan="2" rowspan="abc" align="right">loose row</td></tr>
<tbody><tr><td>body <table><tr><td>nested table</td></tr></table></td></tr>text in tbody</tbody>
<tfoot><tr><td>foot</td></tr></tfoot><caption>second caption</caption>
</table>
<table><tr>text in tr<th>th</th><div>div in tr</div></tr></table>
<p>control characters \x0b\x0c removed</p>
"""
assert all(f"<{tag}" in EVERY_ELEMENT for tag in ALLOWED_TAGS)


def _pseud(name: str) -> Pseud:
    user = UserFactory.create(username=name)
    return user.default_pseud()


def adversarial_works() -> list[Work]:
    """The adversarial works, posted and public."""
    fandom = TagFactory.create(
        name=f"Fandom {NASTY} {SCRIPTS}", type=TagType.FANDOM, canonical=True
    )
    freeform = TagFactory.create(name=f"Tag {NASTY}", type=TagType.FREEFORM)
    character = TagFactory.create(name="שלום & עולם", type=TagType.CHARACTER)
    works = []

    long_work = WorkFactory.create(
        title=f"Three hundred chapters {NASTY}",
        creators=[_pseud("manychapters")],
        summary=f"Summary {NASTY}",
        notes="Notes <em>with</em> markup",
        endnotes="End notes & more",
        expected_chapters=None,
        complete=False,
        text="The first chapter.",
    )
    for number in range(2, 301):
        add_chapter(
            long_work,
            f"Chapter text {number} {NASTY}",
            title="" if number % 2 else f"Title {number} {NASTY}",
            summary="" if number % 3 else f"Summary of {number}",
            endnotes="" if number % 5 else f"End of {number}",
        )
    add_tags(long_work, fandom, freeform, character)
    works.append(long_work)

    rtl = WorkFactory.create(
        title="עבודה בעברית",
        creators=[_pseud("rtlwriter")],
        language=_language("he", "עברית"),
        text='<p dir="rtl">שלום עולם. זהו סיפור.</p>\n\n<p>مرحبا بالعالم</p>',
        summary="תקציר",
    )
    add_tags(rtl, fandom)
    works.append(rtl)

    scripts = WorkFactory.create(
        title=SCRIPTS,
        creators=[_pseud("scriptwriter"), PseudFactory.create(name="第二作者")],
        language=_language("ja", "日本語"),
        text="日本語の本文です。\n\n한국어 본문.\n\nΕλληνικό κείμενο.",
    )
    add_tags(scripts, character)
    series = Series.objects.create(title=f"Series {NASTY}")
    SerialWork.objects.create(series=series, work=scripts, position=2)
    works.append(scripts)

    elements = WorkFactory.create(
        title="", creators=[_pseud("elements")], text=EVERY_ELEMENT, anonymous=False
    )
    add_chapter(elements, EVERY_ELEMENT, title=NASTY, notes=EVERY_ELEMENT)
    works.append(elements)

    private = WorkFactory.create(
        title="Private language",
        creators=[_pseud("privatelang")],
        language=_language("x-test", "Testish"),
        text="Words.",
    )
    works.append(private)
    return works


def long_text_work(words: int, chapters: int) -> Work:
    """A work of about `words` words in `chapters` chapters of plain paragraphs."""
    paragraph = " ".join(["word"] * 99 + ["end."])
    per_chapter = max(1, words // chapters // 100)
    text = "\n\n".join([paragraph] * per_chapter)
    work = WorkFactory.create(title="A long work", text=text, expected_chapters=chapters)
    for number in range(2, chapters + 1):
        add_chapter(work, text, title=f"Part {number}")
    return work


def _language(code: str, name: str):  # type: ignore[no-untyped-def]
    from ficarchive.works.models import Language

    language, _ = Language.objects.get_or_create(code=code, defaults={"name": name})
    return language
