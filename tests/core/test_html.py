from ficarchive.core.html import paragraphs, render_userstuff, sanitize


def test_blank_lines_make_paragraphs_and_single_breaks_make_br() -> None:
    assert paragraphs("One\nline two\n\n\nThree") == "<p>One<br />\nline two</p>\n<p>Three</p>"


def test_text_typed_as_html_is_not_wrapped_twice() -> None:
    assert paragraphs("<p>Already</p>\n\nPlain") == "<p>Already</p>\n<p>Plain</p>"


def test_plain_text_special_characters_are_escaped() -> None:
    assert render_userstuff("Tom & Jerry <3") == "<p>Tom &amp; Jerry &lt;3</p>"


def test_scripts_styles_and_frames_are_removed_with_their_content() -> None:
    html = "<p>ok</p><script>alert(1)</script><style>p{}</style><iframe src=x>in</iframe>"
    assert sanitize(html) == "<p>ok</p>"


def test_links_keep_safe_schemes_and_get_nofollow() -> None:
    assert sanitize('<a href="https://example.org">x</a>') == (
        '<a href="https://example.org" rel="nofollow">x</a>'
    )
    assert "href" not in sanitize('<a href="javascript:alert(1)">x</a>')
    assert 'href="mailto:a@example.org"' in sanitize('<a href="mailto:a@example.org">x</a>')


def test_images_only_from_the_web_and_no_event_handlers_or_styles() -> None:
    assert "src" not in sanitize('<img src="data:image/png;base64,xx">')
    cleaned = sanitize('<img src="https://example.org/a.png" onerror="x()" style="color:red">')
    assert cleaned == '<img src="https://example.org/a.png">'


def test_class_is_kept_only_where_allowed_and_only_plain_names() -> None:
    html = '<p class="note bad:name">x</p>'
    assert sanitize(html, allow_class=True) == '<p class="note">x</p>'
    assert sanitize(html, allow_class=False) == "<p>x</p>"


def test_a_quotations_cite_keeps_web_and_relative_urls_only() -> None:
    assert sanitize('<q cite="javascript:alert(1)">x</q>') == "<q>x</q>"
    assert sanitize('<blockquote cite="java\tscript:alert(1)">x</blockquote>') == (
        "<blockquote>x</blockquote>"
    )
    assert sanitize('<q cite="data:text/html,x">x</q>') == "<q>x</q>"
    assert sanitize('<q cite="https://example.org/a">x</q>') == (
        '<q cite="https://example.org/a">x</q>'
    )
    assert sanitize('<q cite="/works/1">x</q>') == '<q cite="/works/1">x</q>'


def test_links_allow_only_http_https_mailto_and_relative_addresses() -> None:
    assert sanitize('<a href="ftp://example.org/f">x</a>') == '<a rel="nofollow">x</a>'
    assert sanitize('<a href="data:text/html,x">x</a>') == '<a rel="nofollow">x</a>'
    assert sanitize('<a href="#footnote-1">1</a>') == '<a href="#footnote-1" rel="nofollow">1</a>'
    # A creator's own rel or target never survives: every link is rel="nofollow" only.
    assert sanitize('<a href="https://e.org" rel="opener" target="_blank">x</a>') == (
        '<a href="https://e.org" rel="nofollow">x</a>'
    )


def test_every_allowed_tag_of_the_largest_archive_survives_and_others_do_not() -> None:
    from ficarchive.core.html import ALLOWED_TAGS

    expected = set(
        "a abbr acronym address b big blockquote br caption center cite code col colgroup "
        "details dd del dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd "
        "li ol p pre q rp rt ruby s samp small span strike strong sub summary sup table tbody "
        "td tfoot th thead tr tt u ul var".split()
    )
    assert expected == ALLOWED_TAGS
    assert sanitize("<u>kept</u><font>unwrapped</font><marquee>too</marquee>") == (
        "<u>kept</u>unwrappedtoo"
    )


def test_math_svg_and_other_foreign_content_go_with_everything_inside() -> None:
    html = "<svg><a href='x'>in svg</a></svg><math><mi>in math</mi></math><p>after</p>"
    assert sanitize(html) == "<p>after</p>"
    assert sanitize("<template><p>hidden</p></template>kept") == "kept"


def test_generic_attributes_stay_everywhere_and_style_never() -> None:
    html = '<span dir="rtl" lang="he" title="t" align="left" style="color:red" id="i">x</span>'
    assert sanitize(html) == '<span dir="rtl" lang="he" title="t" align="left">x</span>'
