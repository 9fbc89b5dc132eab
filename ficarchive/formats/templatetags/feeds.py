"""The `<link rel="alternate">` lines that advertise feeds and the catalogue on the pages they
belong to."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ficarchive.tags.urlnames import tag_url_name

register = template.Library()

ATOM = "application/atom+xml"


def _alternate(url: str, title: str) -> SafeString:
    return format_html('<link rel="alternate" type="{}" href="{}" title="{}">', ATOM, url, title)


@register.simple_tag
def tag_feed_link(tag: Any) -> SafeString:
    return _alternate(reverse("formats:tag_feed", args=[tag_url_name(tag.name)]), tag.name)


@register.simple_tag
def creator_feed_link(user: Any) -> SafeString:
    url = reverse("formats:creator_feed", args=[user.username])
    return _alternate(url, f"Works by {user.username}")


@register.simple_tag
def series_feed_links(work: Any) -> SafeString:
    """A feed per series of a work that guests may see (a restricted work's series may have
    nothing else a guest may list)."""
    if work.restricted or not work.is_listable():
        return SafeString("")
    return format_html_join(
        "",
        '<link rel="alternate" type="' + ATOM + '" href="{}" title="{}">',
        (
            (reverse("formats:series_feed", args=[serial.series_id]), serial.series.title)
            for serial in work.serial_works.all()
        ),
    )


@register.simple_tag
def catalogue_links() -> SafeString:
    """The OPDS catalogue, for e-reader apps and browsers that look for it."""
    return format_html(
        '<link rel="alternate" type="{}" href="{}" title="OPDS catalogue">'
        '<link rel="alternate" type="application/opds+json" href="{}" title="OPDS 2 catalogue">',
        "application/atom+xml;profile=opds-catalog;kind=navigation",
        reverse("formats:opds_root"),
        reverse("formats:opds2_root"),
    )
