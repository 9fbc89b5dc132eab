"""The style sheet of every download: a readable serif text, headings that open a page."""

BOOK_CSS = """\
body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2, h3 { font-family: sans-serif; }
h2.toc-heading { page-break-before: always; break-before: page; margin-top: 2em; }
#preface h2.toc-heading { page-break-before: auto; break-before: auto; }
dl.tags dt { font-weight: bold; float: left; clear: left; margin-right: 0.5em; }
dl.tags dd { margin: 0 0 0.3em 0; }
blockquote { margin: 0.5em 1.5em; }
.byline { font-style: italic; margin-bottom: 1em; }
"""
