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
