"""The search form offers what can find works: canonical warnings and categories, each to
include or to leave out, and the counts and sorts the archive has."""

from __future__ import annotations

from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.tags.models import Tag, TagType
from tests.conftest import make_user
from tests.factories import WorkFactory, add_tags, fixed_tag
from tests.html import parse
from tests.search.conftest import FindParams


def test_the_form_lists_canonical_warnings_only(client: Client, db: None) -> None:
    synonym = Tag.objects.get(name="Choose Not To Use Archive Warnings")
    assert synonym.type == TagType.WARNING and synonym.merger is not None
    page = parse(client.get("/works/search").content)
    labels = [
        label.text() for label in page.find("fieldset", "checkboxes warnings").find_all("label")
    ]
    assert "Choose Not To Use Archive Warnings" not in labels
    assert "Creator Chose Not To Use Archive Warnings" in labels
    assert "Major Character Death" in labels


def test_warnings_and_categories_can_be_left_out(client: Client, db: None) -> None:
    death = fixed_tag("Major Character Death")
    gen = fixed_tag("Gen")
    sad = WorkFactory.create(title="Sad Ending")
    add_tags(sad, death, gen)
    happy = WorkFactory.create(title="Happy Ending")
    add_tags(happy, fixed_tag("No Archive Warnings Apply"), fixed_tag("F/F"))
    page = parse(client.get("/works/search").content)
    for group, tag in (("warnings", death), ("categories", gen)):
        fieldset = page.find("fieldset", f"checkboxes {group}")
        leave_out = fieldset.find("fieldset", "checkboxes exclude")
        box = leave_out.find("input", name="exclude", value=str(tag.pk))
        assert box is not None, group
        response = client.get("/works/search", {"q": "ending", "exclude": str(tag.pk)})
        titles = [h4.find("a").text() for h4 in parse(response.content).find_all("h4")]
        assert titles == ["Happy Ending"]
        # The box stays checked on the results.
        checked = parse(response.content).find("input", id=f"search-exclude-{tag.pk}")
        assert "checked" in checked.attrs


def test_the_form_offers_the_counts_the_archive_keeps(client: Client, db: None) -> None:
    WorkFactory.create(title="Counted", comments_count=5, bookmarks_count=7)
    page = parse(client.get("/works/search", {"q": "counted"}).content)
    assert page.find("input", id="search-words") is not None
    # Comments and bookmarks are kept (social.comments, social.bookmarks).
    assert page.find("input", id="search-comments") is not None
    assert page.find("input", id="search-bookmarks") is not None
    sorts = [
        option.attrs["value"] for option in page.find("select", id="search-sort").find_all("option")
    ]
    assert "kudos" in sorts and "comments" in sorts and "bookmarks" in sorts
    sidebar = [
        option.attrs["value"] for option in page.find("select", id="filter-sort").find_all("option")
    ]
    assert "comments" in sidebar and "bookmarks" in sidebar
    blurb = page.find("li", "work blurb group")
    assert "Comments:" in blurb.text() and "Bookmarks:" in blurb.text()


def test_bookmarking_reaches_the_bookmarks_sort_and_range(
    find_params: FindParams, other_user: User
) -> None:
    from ficarchive.social.bookmarks import BookmarkFields, bookmark_create

    quiet = WorkFactory.create(title="Quiet one")
    loved = WorkFactory.create(title="Loved one")
    assert find_params("bookmarks=1-10")[0] == []
    for login in ("fan1", "fan2"):
        reader = make_user(login)
        bookmark_create(reader, loved, BookmarkFields(pseud=reader.default_pseud()))
    bookmark_create(other_user, quiet, BookmarkFields(pseud=other_user.default_pseud()))
    # A private bookmark counts for nobody.
    bookmark_create(
        make_user("fan3"),
        quiet,
        BookmarkFields(pseud=User.objects.get(username="fan3").default_pseud(), private=True),
    )
    assert find_params("sort=bookmarks")[0] == ["Loved one", "Quiet one"]
    assert find_params("bookmarks=2-10")[0] == ["Loved one"]
    assert find_params("q=bookmarks:<2")[0] == ["Quiet one"]
