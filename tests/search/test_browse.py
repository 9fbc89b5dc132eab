"""Finding one's way: the fandoms pages by medium, tag pages, profiles and the home page,
as guests and readers load them."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.models import ParentTagging, Tag, TagType
from ficarchive.tags.wrangling import WranglingError
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_tags
from tests.html import parse

pytestmark = pytest.mark.django_db


def _medium(name: str) -> Tag:
    return Tag.objects.get(name=name, type=TagType.MEDIA)


def _fandom(name: str, medium: str | None = None) -> Tag:
    fandom = TagFactory.create(name=name, type=TagType.FANDOM, canonical=True)
    if medium is not None:
        ParentTagging.objects.create(parent=_medium(medium), child=fandom)
    return fandom


def _works_in(fandom: Tag, count: int, **fields: object) -> None:
    for _ in range(count):
        add_tags(WorkFactory.create(**fields), fandom)


def _counts(html: bytes) -> dict[str, str]:
    """Each fandom link's name and the count after it."""
    page = parse(html)
    found = {}
    for item in page.find_all("li"):
        links = item.find_all("a", "tag")
        counts = item.find_all("span", "count")
        if len(links) == 1 and counts:
            found[links[0].text()] = counts[0].text()
    return found


def test_the_migration_makes_the_media_and_they_are_fixed() -> None:
    names = set(Tag.objects.filter(type=TagType.MEDIA).values_list("name", flat=True))
    assert {"TV Shows", "Books & Literature", "Uncategorized Fandoms"} <= names
    with pytest.raises(WranglingError, match="fixed"):
        wrangling.tag_make_noncanonical(_medium("Movies"), user=None)


def test_a_wrangler_puts_a_fandom_under_a_medium_and_nothing_else(admin: User) -> None:
    fandom = _fandom("The Kalemor Cycle")
    wrangling.parent_add(_medium("Books & Literature"), fandom, user=admin)
    assert ParentTagging.objects.filter(parent__name="Books & Literature", child=fandom).exists()
    freeform = TagFactory.create(name="Fluff", canonical=True)
    with pytest.raises(WranglingError, match="media"):
        wrangling.parent_add(freeform, fandom, user=admin)


def test_the_media_page_lists_each_medium_with_its_biggest_fandoms(client: Client) -> None:
    _works_in(_fandom("Harbour Lights", "TV Shows"), 3)
    _works_in(_fandom("Quiet Orbit", "TV Shows"), 1)
    _works_in(_fandom("Paper Lanterns"), 2)  # no medium: uncategorized
    _fandom("Nobody Wrote This", "TV Shows")
    response = client.get("/media")
    assert response.status_code == 200
    counts = _counts(response.content)
    assert counts["Harbour Lights"] == "(3)"
    assert counts["Quiet Orbit"] == "(1)"
    assert counts["Paper Lanterns"] == "(2)"
    assert "Nobody Wrote This" not in counts
    page = parse(response.content)
    headings = [h.text() for h in page.find_all("h3")]
    assert "TV Shows (2 fandoms)" in headings
    assert headings[-1].startswith("Uncategorized Fandoms (1 fandom")


def test_a_guest_counts_no_restricted_work_a_reader_does(client: Client, other_user: User) -> None:
    fandom = _fandom("Harbour Lights", "TV Shows")
    _works_in(fandom, 2)
    _works_in(fandom, 1, restricted=True)
    assert _counts(client.get("/media/TV Shows/fandoms").content)["Harbour Lights"] == "(2)"
    client.force_login(other_user)
    assert _counts(client.get("/media/TV Shows/fandoms").content)["Harbour Lights"] == "(3)"


def test_a_fandom_counts_its_synonyms_and_sub_tags_works(client: Client) -> None:
    fandom = _fandom("Harbour Lights", "TV Shows")
    synonym = TagFactory.create(name="HL", type=TagType.FANDOM, merger=fandom)
    _works_in(fandom, 1)
    _works_in(synonym, 1)
    assert _counts(client.get("/media/TV Shows/fandoms").content)["Harbour Lights"] == "(2)"


def test_a_medium_page_lists_its_fandoms_by_letter(client: Client) -> None:
    for name in ("Zephyr Road", "apple orchard", "Amber Coast", "1984 Station"):
        _works_in(_fandom(name, "Movies"), 1)
    page = parse(client.get("/media/Movies/fandoms").content)
    letters = [h.text() for h in page.find_all("h3")]
    assert letters == ["#", "A", "Z"]
    names = [a.text() for a in page.find_all("a", "tag")]
    assert names == ["1984 Station", "Amber Coast", "apple orchard", "Zephyr Road"]


def test_a_medium_with_escaped_characters_and_unknown_media(client: Client) -> None:
    assert client.get("/media/Books *a* Literature/fandoms").status_code == 200
    assert client.get("/media/books *a* literature/fandoms").status_code == 302
    assert client.get("/media/Fluff/fandoms").status_code == 404
    assert client.get("/media/No Such Thing/fandoms").status_code == 404
    assert client.get("/media/%00/fandoms").status_code == 404


def test_the_tag_page_shows_what_wranglers_made_of_a_tag(client: Client) -> None:
    fandom = _fandom("Harbour Lights", "TV Shows")
    character = TagFactory.create(name="Mira Okafor", type=TagType.CHARACTER, canonical=True)
    ParentTagging.objects.create(parent=fandom, child=character)
    TagFactory.create(name="Mira O.", type=TagType.CHARACTER, merger=character)
    response = client.get("/tags/Mira Okafor")
    assert response.status_code == 200
    page = parse(response.content)
    text = page.find("article", "tag-page").text()
    assert "Character" in text and "Canonical" in text
    links = {a.text(): a.attrs["href"] for a in page.find("article", "tag-page").find_all("a")}
    assert links["Mira O."] == "/tags/Mira%20O*d*"
    assert links["Harbour Lights"] == "/tags/Harbour%20Lights"
    assert links["Works tagged Mira Okafor"] == "/tags/Mira%20Okafor/works"
    fandom_page = parse(client.get("/tags/Harbour Lights").content).text()
    assert "Mira Okafor" in fandom_page and "TV Shows" in fandom_page


def test_a_synonyms_tag_page_names_its_canonical(client: Client) -> None:
    canonical = TagFactory.create(name="Slow Burn", canonical=True)
    TagFactory.create(name="slowburn", merger=canonical)
    page = parse(client.get("/tags/slowburn").content)
    status = page.find("dd", "status")
    assert status.text() == "Synonym of Slow Burn"
    assert status.find("a").attrs["href"] == "/tags/Slow%20Burn"


def test_tag_pages_escape_redirect_and_refuse_nonsense(client: Client) -> None:
    TagFactory.create(name="Angst/Comfort", canonical=True)
    assert client.get("/tags/Angst*s*Comfort").status_code == 200
    response = client.get("/tags/angst*s*comfort")
    assert response.status_code == 302
    assert response["Location"] == "/tags/Angst*s*Comfort"
    assert client.get("/tags/Angst*s*Comfort/works").status_code == 200
    assert client.get("/tags/No Such Tag").status_code == 404
    assert client.get("/tags/%00").status_code == 404
    assert client.get("/tags/" + "x" * 5000).status_code == 404


def test_the_profile_shows_pseuds_about_and_newest_works(client: Client, author: User) -> None:
    default = author.default_pseud()
    default.description = "I write <em>quiet</em> stories.<script>alert(1)</script>"
    default.save()
    other = PseudFactory.create(user=author, name="Lark")
    for number in range(7):
        WorkFactory.create(title=f"Story {number}", creators=[default])
    WorkFactory.create(title="Hidden Name", creators=[other], anonymous=True)
    response = client.get(f"/users/{author.username}")
    assert response.status_code == 200
    page = parse(response.content)
    about = page.find("blockquote", "userstuff")
    assert about.find("em").text() == "quiet"
    assert "alert(1)" not in response.content.decode()
    pseuds = [a.text() for a in page.find("ul", "pseuds").find_all("a")]
    assert pseuds == [default.name, "Lark"]
    titles = [li.find("h4").find("a").text() for li in page.find_all("li", "work blurb group")]
    assert len(titles) == 5 and "Hidden Name" not in titles
    assert "All 7 works by author" in response.content.decode()


def test_profiles_of_unknown_users_are_not_found(client: Client) -> None:
    assert client.get("/users/nobody-here").status_code == 404
    assert client.get("/users/%00").status_code == 404


def test_the_home_page_welcomes_and_leads_to_the_fandoms(client: Client) -> None:
    WorkFactory.create(title="A New Story")
    page = parse(client.get("/").content)
    assert page.find("h2", id="welcome-heading") is not None
    media = [a.text() for a in page.find("ul", "media navigation actions").find_all("a")]
    assert media[0] == "Anime & Manga" and media[-1] == "Uncategorized Fandoms"
    titles = [li.find("h4").find("a").text() for li in page.find_all("li", "work blurb group")]
    assert titles == ["A New Story"]
