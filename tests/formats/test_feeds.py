"""Atom feeds of tags, creators and series: what they list (the newest works a guest may list,
through the tag's synonyms and sub tags), what an entry says, where they are advertised, and
that every one is valid Atom (feedparser, and Jing against the Atom RELAX NG schema)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.core.site import absolute_url
from ficarchive.tags import wrangling
from ficarchive.tags.models import Tag, TagType
from ficarchive.tags.urlnames import tag_url_name
from ficarchive.works.models import SerialWork, Series, Work
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_tags
from tests.formats.feedcheck import parse_atom, relaxng_errors

pytestmark = pytest.mark.django_db


def _feed(url: str) -> Any:
    response = Client().get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content


def _titles(body: bytes) -> list[str]:
    return [entry.title for entry in parse_atom(body).entries]


def _fandom(name: str = "Feed Fandom") -> Tag:
    return TagFactory.create(name=name, type=TagType.FANDOM, canonical=True)


def _tagged(tag: Tag, **fields: Any) -> Work:
    work = WorkFactory.create(**fields)
    add_tags(work, tag)
    return work


def test_tag_feed_lists_the_tags_works_with_its_synonyms_and_sub_tags(wrangler: User) -> None:
    meta = TagFactory.create(name="Alternate Universe", canonical=True)
    synonym = TagFactory.create(name="AU")
    sub = TagFactory.create(name="Coffee Shop AU", canonical=True)
    other = TagFactory.create(name="Canon Compliant", canonical=True)
    for tag in (meta, synonym, sub, other):
        _tagged(tag, title=f"with {tag.name}")
    wrangling.tag_make_synonym(synonym, meta, user=wrangler)
    wrangling.meta_tag_add(meta, sub, user=wrangler)

    titles = _titles(_feed("/tags/Alternate%20Universe/feed.atom"))
    assert sorted(titles) == ["with AU", "with Alternate Universe", "with Coffee Shop AU"]


def test_a_synonyms_feed_redirects_to_its_canonical_tags_feed(wrangler: User) -> None:
    canonical = TagFactory.create(name="Hurt/Comfort", canonical=True)
    synonym = TagFactory.create(name="hurt and comfort")
    wrangling.tag_make_synonym(synonym, canonical, user=wrangler)
    response = Client().get("/tags/hurt%20and%20comfort/feed.atom")
    assert response.status_code == 302
    assert response["Location"] == "/tags/Hurt*s*Comfort/feed.atom"


def test_a_tag_that_is_not_canonical_has_no_feed() -> None:
    TagFactory.create(name="just a tag", canonical=False)
    response = Client().get("/tags/just%20a%20tag/feed.atom")
    assert response.status_code == 404
    assert "canonical" in response.content.decode()
    assert Client().get("/tags/no%20such%20tag/feed.atom").status_code == 404


def test_feeds_list_what_a_guest_may_list_whoever_asks(author: User) -> None:
    fandom = _fandom()
    _tagged(fandom, title="Open work")
    _tagged(fandom, title="Restricted work", restricted=True)
    _tagged(fandom, title="Draft work", posted=False)
    _tagged(fandom, title="Hidden work", hidden_by_admin=True)
    client = Client()
    client.force_login(author)
    body = client.get("/tags/Feed%20Fandom/feed.atom").content
    assert _titles(body) == ["Open work"]


def test_feed_has_the_25_newest_works_newest_first() -> None:
    fandom = _fandom()
    start = datetime.date(2020, 1, 1)
    for day in range(30):
        _tagged(
            fandom,
            title=f"Work of day {day}",
            published_on=start + datetime.timedelta(days=day),
        )
    titles = _titles(_feed("/tags/Feed%20Fandom/feed.atom"))
    assert titles == [f"Work of day {day}" for day in range(29, 4, -1)]


def test_an_entry_has_title_creators_summary_tags_and_link(author: User) -> None:
    fandom = _fandom()
    cocreator = PseudFactory.create(name="Second Quill")
    work = _tagged(
        fandom,
        title="An <Entry> & more",
        summary="A summary with <em>emphasis</em>.",
        creators=[author.default_pseud(), cocreator],
    )
    freeform = TagFactory.create(name="Fluff & Angst", canonical=True)
    add_tags(work, freeform)
    entry = parse_atom(_feed("/tags/Feed%20Fandom/feed.atom")).entries[0]
    assert entry.title == "An <Entry> & more"
    assert entry.link == absolute_url(f"/works/{work.pk}")
    names = [person["name"] for person in entry.authors]
    assert names == ["author", f"Second Quill ({cocreator.user.username})"]
    assert "<em>emphasis</em>" in entry.summary
    assert {tag.term for tag in entry.tags} >= {"Feed Fandom", "Fluff & Angst"}
    assert "Words:" in entry.summary


def test_an_anonymous_works_entry_never_names_its_creators(author: User) -> None:
    fandom = _fandom()
    _tagged(fandom, title="Nameless", anonymous=True, creators=[author.default_pseud()])
    body = _feed("/tags/Feed%20Fandom/feed.atom")
    entry = parse_atom(body).entries[0]
    assert [person["name"] for person in entry.authors] == ["Anonymous"]
    assert b"author" not in body.replace(b"<author>", b"").replace(b"</author>", b"")
    # Nor does its creator's feed list it.
    assert _titles(_feed("/users/author/works/feed.atom")) == []


def test_creator_feed_lists_the_creators_works_under_every_pseud(author: User) -> None:
    other_pseud = PseudFactory.create(user=author, name="Other Pen")
    WorkFactory.create(title="By the login", creators=[author.default_pseud()])
    WorkFactory.create(title="By the pseud", creators=[other_pseud])
    WorkFactory.create(title="By someone else")
    assert sorted(_titles(_feed("/users/author/works/feed.atom"))) == [
        "By the login",
        "By the pseud",
    ]
    assert Client().get("/users/nobody/works/feed.atom").status_code == 404


def test_series_feed_lists_the_series_works_a_guest_may_list() -> None:
    series = Series.objects.create(title="A Series")
    for position, restricted in ((1, False), (2, True)):
        work = WorkFactory.create(title=f"Part {position}", restricted=restricted)
        SerialWork.objects.create(series=series, work=work, position=position)
    assert _titles(_feed(f"/series/{series.pk}/feed.atom")) == ["Part 1"]
    hidden = Series.objects.create(title="Only restricted")
    work = WorkFactory.create(title="Secret part", restricted=True)
    SerialWork.objects.create(series=hidden, work=work, position=1)
    response = Client().get(f"/series/{hidden.pk}/feed.atom")
    assert response.status_code == 404
    assert b"Only restricted" not in response.content


def test_every_feed_is_valid_atom(author: User, wrangler: User) -> None:
    fandom = _fandom("Fandom & <Friends> 日本")
    series = Series.objects.create(title='Series "quoted"')
    for number in range(3):
        work = _tagged(
            fandom,
            title=f"Valid & <{number}> ' \" עברית",
            summary="<p>Summary & <strong>more</strong></p>",
            creators=[author.default_pseud()],
            anonymous=number == 2,
        )
        SerialWork.objects.create(series=series, work=work, position=number + 1)
    empty = TagFactory.create(name="Empty tag", canonical=True)
    documents = [
        _feed(url)
        for url in (
            reverse("formats:tag_feed", args=[tag_url_name(fandom.name)]),
            reverse("formats:tag_feed", args=[tag_url_name(empty.name)]),
            "/users/author/works/feed.atom",
            f"/series/{series.pk}/feed.atom",
        )
    ]
    for document in documents:
        parse_atom(document)
    assert relaxng_errors(documents, "atom.rnc") == []
    # The schema is really applied: an entry without its id is refused.
    broken = documents[0].replace(b"<id>", b"<!--", 2).replace(b"</id>", b"-->", 2)
    assert relaxng_errors([broken], "atom.rnc") != []


def test_pages_advertise_their_feeds(author: User) -> None:
    fandom = _fandom()
    work = _tagged(fandom, title="Advertised", creators=[author.default_pseud()])
    series = Series.objects.create(title="Advertised series")
    SerialWork.objects.create(series=series, work=work, position=1)
    client = Client()
    pages = {
        "/tags/Feed%20Fandom/works": "/tags/Feed%20Fandom/feed.atom",
        "/tags/Feed%20Fandom": "/tags/Feed%20Fandom/feed.atom",
        "/users/author/works": "/users/author/works/feed.atom",
        f"/works/{work.pk}": f"/series/{series.pk}/feed.atom",
    }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert '<link rel="alternate" type="application/atom+xml"' in html, page
        assert f'href="{feed}"' in html, page
