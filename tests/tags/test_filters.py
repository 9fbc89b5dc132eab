"""Filter tags: what searching, listing and counting by a tag find, from the largest archive's
own tests (features/search/works_tags.feature and friends)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.tags import wrangling
from ficarchive.tags.models import FilterTagging, Tag, TagType
from ficarchive.tags.urlnames import tag_url_name
from ficarchive.works.models import Work
from tests.tags.conftest import MakeTag, MakeWork


def _found(include: list[Tag] = [], exclude: list[Tag] = []) -> set[str]:  # noqa: B006
    works = Work.objects.with_tags(include=include, exclude=exclude)
    return set(works.values_list("title", flat=True))


def _family(make_tag: MakeTag, make_work: MakeWork, user: User) -> dict[str, Tag]:
    """A canonical tag with a synonym, a sub tag with its own synonym, and a work for each;
    plus an unrelated work."""
    tags = {
        "meta": make_tag("Alternate Universe", canonical=True),
        "meta syn": make_tag("AU"),
        "sub": make_tag("Alternate Universe - Coffee Shops", canonical=True),
        "sub syn": make_tag("coffee shop au"),
        "other": make_tag("Canon Compliant", canonical=True),
    }
    for key, tag in tags.items():
        make_work(tag, title=f"work with {key}")
    wrangling.tag_make_synonym(tags["meta syn"], tags["meta"], user=user)
    wrangling.tag_make_synonym(tags["sub syn"], tags["sub"], user=user)
    wrangling.meta_tag_add(tags["meta"], tags["sub"], user=user)
    return tags


def test_filtering_by_a_canonical_finds_its_synonyms_sub_tags_and_their_synonyms(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tags = _family(make_tag, make_work, wrangler)
    assert _found(include=[tags["meta"]]) == {
        "work with meta",
        "work with meta syn",
        "work with sub",
        "work with sub syn",
    }
    assert _found(include=[tags["sub"]]) == {"work with sub", "work with sub syn"}


def test_excluding_a_canonical_excludes_all_of_those_too(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tags = _family(make_tag, make_work, wrangler)
    assert _found(exclude=[tags["meta"]]) == {"work with other"}


def test_including_two_fandoms_finds_only_works_in_both(
    make_tag: MakeTag, make_work: MakeWork
) -> None:
    merlin = make_tag("Merlin", TagType.FANDOM, canonical=True)
    legends = make_tag("Arthurian Legends", TagType.FANDOM, canonical=True)
    make_work(merlin, title="merlin")
    make_work(legends, title="legends")
    make_work(merlin, legends, title="both")
    assert _found(include=[merlin, legends]) == {"both"}


def test_a_synonyms_name_finds_only_the_works_tagged_with_it_exactly(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tags = _family(make_tag, make_work, wrangler)
    assert _found(include=[tags["meta syn"]]) == {"work with meta syn"}


def test_parents_do_not_widen_filters(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    fandom = make_tag("Merlin", TagType.FANDOM, canonical=True)
    character = make_tag("Gwen", TagType.CHARACTER, canonical=True)
    wrangling.parent_add(fandom, character, user=wrangler)
    make_work(character, title="gwen only")
    assert _found(include=[fandom]) == set()


def test_filter_tags_are_stored_with_inherited_meta_tags(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tags = _family(make_tag, make_work, wrangler)
    work = Work.objects.get(title="work with sub syn")
    rows = {
        (row.filter.name, row.inherited)
        for row in FilterTagging.objects.filter(work=work).select_related("filter")
    }
    assert rows == {
        ("General Audiences", False),
        ("Alternate Universe - Coffee Shops", False),
        ("Alternate Universe", True),
    }
    assert not FilterTagging.objects.filter(filter=tags["sub syn"]).exists()


def test_counting_by_a_tag_counts_filter_tags(
    make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tags = _family(make_tag, make_work, wrangler)
    assert FilterTagging.objects.filter(filter=tags["meta"]).count() == 4


def test_a_synonyms_tag_page_redirects_to_its_canonical(
    client: Client, make_tag: MakeTag, wrangler: User
) -> None:
    canonical = make_tag("Hurt/Comfort", canonical=True)
    synonym = wrangling.tag_make_synonym(make_tag("h/c"), canonical, user=wrangler)
    response = client.get(reverse("works:tag_works", args=[tag_url_name(synonym.name)]))
    assert response.status_code == 302
    assert response["Location"] == reverse("works:tag_works", args=[tag_url_name(canonical.name)])


def test_a_canonical_tag_page_lists_the_works_of_its_synonyms_and_sub_tags(
    client: Client, make_tag: MakeTag, make_work: MakeWork, wrangler: User
) -> None:
    tags = _family(make_tag, make_work, wrangler)
    client.force_login(wrangler)
    page = client.get(reverse("works:tag_works", args=[tag_url_name(tags["meta"].name)]))
    text = page.content.decode()
    for title in ("work with meta", "work with meta syn", "work with sub", "work with sub syn"):
        assert title in text
    assert "work with other" not in text
