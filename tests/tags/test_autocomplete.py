"""Tag autocomplete: by prefix of any word, canonical tags first, by type and by fandom."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.autocomplete import tags_autocomplete
from ficarchive.tags.models import TagType
from ficarchive.tags.services import tags_find_or_create
from tests.tags.conftest import MakeTag


def _names(query: str, **options: object) -> list[str]:
    return [tag.name for tag in tags_autocomplete(query, **options)]  # type: ignore[arg-type]


def test_matches_the_start_of_the_name_and_of_any_word_in_it(make_tag: MakeTag) -> None:
    make_tag("Harry Potter", TagType.CHARACTER, canonical=True)
    make_tag("Harry Potter - J. K. Rowling", TagType.FANDOM, canonical=True)
    make_tag("Lily Evans Potter", TagType.CHARACTER, canonical=True)
    make_tag("Potions", canonical=True)
    assert set(_names("pot")) == {
        "Harry Potter",
        "Harry Potter - J. K. Rowling",
        "Lily Evans Potter",
        "Potions",
    }
    assert set(_names("harry pot")) == {"Harry Potter", "Harry Potter - J. K. Rowling"}
    assert _names("rowl") == ["Harry Potter - J. K. Rowling"]
    assert _names("xyz") == []


def test_each_word_of_the_query_may_start_any_word_of_the_name(make_tag: MakeTag) -> None:
    make_tag("Harry Potter", TagType.CHARACTER, canonical=True)
    make_tag("Harriet Vane", TagType.CHARACTER, canonical=True)
    make_tag("Lily Evans Potter", TagType.CHARACTER, canonical=True)
    assert _names("har pot") == ["Harry Potter"]
    assert _names("potter harry") == ["Harry Potter"]
    assert _names("pot lil") == ["Lily Evans Potter"]
    assert _names("har pot vane") == []


def test_canonical_tags_come_first_then_names_that_start_with_the_query(
    make_tag: MakeTag,
) -> None:
    make_tag("Fluff and Angst")
    make_tag("Tooth-Rotting Fluff", canonical=True)
    make_tag("Fluff", canonical=True)
    assert _names("fluff") == ["Fluff", "Tooth-Rotting Fluff", "Fluff and Angst"]
    assert _names("fluff", canonical_only=True) == ["Fluff", "Tooth-Rotting Fluff"]


def test_filters_by_type(make_tag: MakeTag) -> None:
    make_tag("Merlin", TagType.FANDOM, canonical=True)
    make_tag("Merlin (Merlin)", TagType.CHARACTER, canonical=True)
    assert _names("merl", type=TagType.CHARACTER) == ["Merlin (Merlin)"]


def test_filters_by_fandom(make_tag: MakeTag, wrangler: User) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    arthur = make_tag("Arthur Pendragon", TagType.CHARACTER, canonical=True)
    make_tag("Arthur Dent", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(merlin, arthur, user=wrangler)
    assert _names("arth", type=TagType.CHARACTER, fandom=merlin) == ["Arthur Pendragon"]
    assert _names("", type=TagType.CHARACTER, fandom=merlin) == ["Arthur Pendragon"]


def test_ignores_case_and_accents(make_tag: MakeTag) -> None:
    make_tag("Éponine Thénardier", TagType.CHARACTER, canonical=True)
    assert _names("EPON") == ["Éponine Thénardier"]
    assert _names("thénar") == ["Éponine Thénardier"]


def test_follows_wrangling_and_new_tags(make_tag: MakeTag, wrangler: User) -> None:
    [tag] = tags_find_or_create([("Kitchen Disasters", TagType.FREEFORM)])
    assert _names("kitch", canonical_only=True) == []
    wrangling.tag_make_canonical(tag, user=wrangler)
    assert _names("kitch", canonical_only=True) == ["Kitchen Disasters"]
    wrangling.tag_make_noncanonical(tag, user=wrangler)
    wrangling.tag_change_type(tag, TagType.CHARACTER, user=wrangler)
    assert _names("kitch", type=TagType.CHARACTER) == ["Kitchen Disasters"]


def test_the_endpoint_answers_json(client: Client, make_tag: MakeTag, wrangler: User) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    arthur = make_tag("Arthur Pendragon", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(merlin, arthur, user=wrangler)
    url = reverse("tags:autocomplete")
    response = client.get(url, {"q": "arth", "type": "character", "fandom": "merlin"})
    assert response.status_code == 200
    assert response.json() == {
        "results": [
            {"id": arthur.pk, "name": "Arthur Pendragon", "type": "character", "canonical": True}
        ]
    }
    assert client.get(url, {"q": "a", "type": "nonsense"}).status_code == 400
    assert client.get(url, {"q": "a", "fandom": "no such fandom"}).json() == {"results": []}
    assert client.get(url).json() == {"results": []}
    # Refused before the view, as every address with a control character is (core.middleware).
    assert client.get(url, {"q": "\x00" * 500}).status_code == 400
