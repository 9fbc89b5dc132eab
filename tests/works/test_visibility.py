"""Who sees which work: Work.objects.visible_to and work.is_visible_to are one rule."""

from __future__ import annotations

from typing import Any

import pytest

from ficarchive.accounts.models import User
from ficarchive.works.models import Creatorship, Work
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_tags

pytestmark = pytest.mark.django_db

KINDS = {
    "public": {},
    "restricted": {"restricted": True},
    "draft": {"posted": False},
    "hidden": {"hidden_by_admin": True},
    "anonymous": {"anonymous": True},
}
# Who may open each kind of work.
EXPECTED = {
    "public": {"guest", "author", "other_user", "admin"},
    "restricted": {"author", "other_user", "admin"},
    "draft": {"author", "admin"},
    "hidden": {"author", "admin"},
    "anonymous": {"guest", "author", "other_user", "admin"},
}


@pytest.mark.parametrize("viewer", ["guest", "author", "other_user", "admin"])
@pytest.mark.parametrize("kind", list(KINDS))
def test_queryset_and_model_method_agree_on_who_sees_what(
    request: pytest.FixtureRequest, author: User, kind: str, viewer: str
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], **KINDS[kind])
    user: Any = request.getfixturevalue(viewer)
    expected = viewer in EXPECTED[kind]
    assert work.is_visible_to(user) is expected
    assert Work.objects.visible_to(user).filter(pk=work.pk).exists() is expected


def test_a_co_creator_who_has_not_accepted_does_not_see_the_draft(
    author: User, other_user: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], posted=False)
    Creatorship.objects.create(work=work, pseud=other_user.default_pseud(), approved=False)
    assert not work.is_visible_to(other_user)
    assert not Work.objects.visible_to(other_user).filter(pk=work.pk).exists()


def test_a_creator_sees_a_draft_written_under_another_of_their_pseuds(author: User) -> None:
    work = WorkFactory.create(creators=[PseudFactory.create(user=author)], posted=False)
    assert work.is_visible_to(author)
    assert Work.objects.visible_to(author).filter(pk=work.pk).exists()


def test_listings_leave_out_drafts_and_hidden_works_even_for_their_creators(
    author: User, admin: User
) -> None:
    pseud = author.default_pseud()
    public = WorkFactory.create(creators=[pseud])
    WorkFactory.create(creators=[pseud], posted=False)
    WorkFactory.create(creators=[pseud], hidden_by_admin=True)
    for viewer in (author, admin):
        assert list(Work.objects.listed_for(viewer)) == [public]


def test_listings_show_restricted_works_only_to_logged_in_users(
    guest: Any, other_user: User
) -> None:
    restricted = WorkFactory.create(restricted=True)
    assert not Work.objects.listed_for(guest).filter(pk=restricted.pk).exists()
    assert Work.objects.listed_for(other_user).filter(pk=restricted.pk).exists()


def test_creator_pages_leave_out_anonymous_works_except_for_the_creator(
    author: User, other_user: User, guest: Any
) -> None:
    pseud = author.default_pseud()
    named = WorkFactory.create(creators=[pseud])
    anonymous = WorkFactory.create(creators=[pseud], anonymous=True)
    assert set(Work.objects.by_creator(author, guest)) == {named}
    assert set(Work.objects.by_creator(author, other_user)) == {named}
    assert set(Work.objects.by_creator(author, author)) == {named, anonymous}


def test_with_tag_lists_exactly_the_works_tagged_with_the_tag() -> None:
    tag, other = TagFactory.create(), TagFactory.create()
    tagged, untagged = WorkFactory.create(), WorkFactory.create()
    add_tags(tagged, tag)
    add_tags(untagged, other)
    assert list(Work.objects.with_tag(tag)) == [tagged]


@pytest.mark.parametrize(
    ("rating", "adult"),
    [
        ("General Audiences", False),
        ("Teen And Up Audiences", False),
        ("Not Rated", True),
        ("Mature", True),
        ("Explicit", True),
    ],
)
def test_adult_ratings_are_not_rated_mature_and_explicit(rating: str, adult: bool) -> None:
    assert WorkFactory.create(rating=rating).is_adult() is adult


def test_a_work_without_a_rating_counts_as_adult() -> None:
    work = WorkFactory.create()
    work.taggings.all().delete()
    assert Work.objects.get(pk=work.pk).is_adult()
