"""Template filters of the reading pages: tag and creator links, numbers, creator text."""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django import template
from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from ficarchive.accounts.models import Pseud
from ficarchive.core.html import render_userstuff
from ficarchive.tags.models import Tag
from ficarchive.tags.urlnames import tag_url_name
from ficarchive.works.models import Language, Work
from ficarchive.works.querysets import reading_prefetches
from ficarchive.works.symbols import Symbol, work_symbols

register = template.Library()

# A rendered blurb is kept this long; its key changes with everything a reader sees change
# (dates, counts, anonymity), so this only bounds how long a renamed tag or pseud shows its
# old name.
BLURB_SECONDS = 600
# Changes with the blurb's markup, so that no cached blurb of an older layout is shown.
BLURB_VERSION = 5


# Listings repeat the same tags and creators on every page, and reverse() is slow enough to
# show at twenty blurbs of fifteen tags; the URL of a name never changes within a process.
@lru_cache(maxsize=16384)
def tag_works_url(name: str) -> str:
    return reverse("works:tag_works", args=[tag_url_name(name)])


@lru_cache(maxsize=16384)
def pseud_url(login: str, pseud: str) -> str:
    return reverse("accounts:pseud", args=[login, pseud])


@lru_cache(maxsize=16384)
def _tag_link(name: str) -> SafeString:
    return format_html('<a class="tag" href="{}">{}</a>', tag_works_url(name), name)


@register.filter
def tag_url(tag: Tag) -> str:
    """The tag's works page."""
    return tag_works_url(tag.name)


@register.filter
def tag_page_url(tag: Tag) -> str:
    """The tag's own page (its type, synonyms, parents and children)."""
    return reverse("tags:tag", args=[tag_url_name(tag.name)])


@register.filter
def media_fandoms_url(tag: Tag) -> str:
    """The fandoms page of a medium."""
    return reverse("works:media_fandoms", args=[tag_url_name(tag.name)])


@register.filter
def tag_link(tag: Tag) -> SafeString:
    """`<a class="tag">` to the tag's works page. Built in Python and remembered per name:
    listings show hundreds of tags, and each template variable costs more than this whole
    link."""
    return _tag_link(tag.name)


@register.filter
def byline(work: Work) -> SafeString:
    """The work's creators as links with rel="author", or "Anonymous"."""
    if work.hides_creators:
        return mark_safe("Anonymous")
    return format_html_join(
        ", ",
        '<a rel="author" href="{}">{}</a>',
        ((byline_url(pseud), pseud.byline) for pseud in work.creator_pseuds()),
    )


@register.simple_tag
def anonymous_creators(work: Work, user: object) -> SafeString:
    """On an anonymous work's own pages, who made it, for those who may know
    (Work.creators_revealed_to: its creators and admins); nothing for everyone else."""
    pseuds = work.revealed_creator_pseuds(user)
    if not pseuds:
        return mark_safe("")
    names = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((byline_url(pseud), pseud.byline) for pseud in pseuds),
    )
    return format_html(
        '<p class="notice anonymous">Posted anonymously by {}; only its creators and '
        "administrators see this.</p>",
        names,
    )


@register.filter
def byline_url(pseud: Pseud) -> str:
    """The page a byline links to: the pseud's page under its user."""
    return pseud_url(pseud.user.username, pseud.name)


@register.filter
def thousands(number: int | None) -> str:
    """1234567 as 1,234,567, as the largest archive writes its statistics."""
    return f"{number or 0:,}"


@register.filter
def userstuff(text: str) -> SafeString:
    """Creator-written text (plain text with optional HTML) as sanitised HTML."""
    return mark_safe(render_userstuff(text))


@register.filter
def symbols(work: Work) -> list[Symbol]:
    return work_symbols(work)


@register.filter
def html_lang(language: Language) -> str:
    """The language's code for a lang attribute; empty for private-use codes, which browsers
    and screen readers cannot use."""
    return "" if language.code.startswith("x-") else language.code


@register.filter
def page_range(page: Page) -> list[int | str]:
    """Page numbers around the current page and at both ends, with gaps as an ellipsis."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def blurb_key(work: Work) -> str:
    parts = (
        work.pk,
        int(work.revised_at.timestamp()),
        work.title,
        work.hides_creators,
        work.chapter_count,
        work.expected_chapters,
        work.word_count,
        work.hits,
        work.kudos_count,
        work.comments_count,
        work.bookmarks_count,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f"blurb{BLURB_VERSION}:{work.pk}:{digest}"


@register.filter
def blurbs(page: Page) -> list[SafeString]:
    """The page's works as rendered blurbs, from the cache where they are there.

    Rendering a blurb with Django's templates takes about a millisecond, most of a listing's
    time; the same blurbs appear on the home page, tag pages and creator pages.
    """
    return work_blurbs(list(page.object_list))


def work_blurbs(works: list[Work]) -> list[SafeString]:
    """These works as rendered blurbs, from the cache where they are there (the blurbs filter,
    for pages such as bookmarks whose items are not a page of works)."""
    keys = [blurb_key(work) for work in works]
    found = cache.get_many(keys)
    to_render = [(work, key) for work, key in zip(works, keys, strict=True) if key not in found]
    prefetch_related_objects([work for work, _key in to_render], *reading_prefetches())
    missing = {}
    for work, key in to_render:
        missing[key] = render_to_string("works/components/blurb.html", {"work": work})
    if missing:
        cache.set_many(missing, BLURB_SECONDS)
    # Both come from our own template, which escaped what it had to.
    return [mark_safe(found.get(key) or missing[key]) for key in keys]
