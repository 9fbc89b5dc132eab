"""The collections' services: making collections, adding, inviting and reviewing works, and
the bad input each refuses with a message."""

from __future__ import annotations

import pytest

from ficarchive.accounts.models import User
from ficarchive.collections.services import (
    CollectionError,
    CollectionFields,
    collection_create,
    collection_item_add,
    collection_item_invite,
    collection_item_remove,
    collection_item_respond,
    collection_item_review,
    collection_maintainer_add,
    collection_update,
)
from ficarchive.works.models import Approval, CollectionItem, MaintainerRole, Work
from tests.collections.helpers import make_collection
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def _work_by(user: User) -> Work:
    return Work.objects.for_reading().get(pk=WorkFactory.create(creators=[user.default_pseud()]).pk)


def test_the_maker_owns_the_collection_and_texts_are_sanitised(author: User) -> None:
    collection = make_collection(
        author, profile="<p>Hello</p><script>alert(1)</script>", rules="Be kind."
    )
    assert collection.maintainerships.get().role == MaintainerRole.OWNER
    assert "<script" not in collection.profile and "Hello" in collection.profile
    assert "<p>Be kind.</p>" in collection.rules


@pytest.mark.parametrize("name", ["a", "has space", "dash-ed", "x" * 256, "é_name"])
def test_a_bad_name_is_refused(author: User, name: str) -> None:
    with pytest.raises(CollectionError, match="Name"):
        make_collection(author, name=name)


def test_a_duplicate_name_is_refused_whatever_its_case(author: User, other_user: User) -> None:
    make_collection(author, name="fest")
    with pytest.raises(CollectionError, match="exists already"):
        make_collection(other_user, name="FEST")


def test_sub_collections_are_one_level_and_their_parents_owners(
    author: User, other_user: User
) -> None:
    parent = make_collection(author, name="parent")
    child = make_collection(author, name="child", parent=parent)
    assert child.parent == parent
    with pytest.raises(CollectionError, match="cannot have sub collections"):
        make_collection(author, name="grandchild", parent=child)
    with pytest.raises(CollectionError, match="only its owners"):
        make_collection(other_user, name="stranger", parent=parent)


def test_a_creator_adding_a_work_approves_it_and_an_open_collection_too(author: User) -> None:
    collection = make_collection(author)
    item = collection_item_add(collection, _work_by(author), author)
    assert (item.user_approval, item.collection_approval) == (Approval.APPROVED,) * 2


def test_a_moderated_collection_makes_the_item_wait_for_a_maintainer(
    author: User, other_user: User
) -> None:
    collection = make_collection(other_user, moderated=True)
    item = collection_item_add(collection, _work_by(author), author)
    assert item.collection_approval == Approval.UNREVIEWED
    with pytest.raises(CollectionError, match="maintainers"):
        collection_item_review(item, author, approve=True)
    collection_item_review(item, other_user, approve=True)
    item.refresh_from_db()
    assert item.approved


def test_a_moderator_reviews_but_only_an_owner_is_an_owner(
    author: User, other_user: User, admin: User
) -> None:
    collection = make_collection(admin, moderated=True)
    collection_maintainer_add(collection, other_user, MaintainerRole.MODERATOR)
    item = collection_item_add(collection, _work_by(author), author)
    collection_item_review(item, other_user, approve=False)
    item.refresh_from_db()
    assert item.collection_approval == Approval.REJECTED


def test_a_maintainers_invitation_waits_for_the_creator(author: User, other_user: User) -> None:
    collection = make_collection(other_user)
    work = _work_by(author)
    item = collection_item_invite(collection, work, other_user)
    assert (item.user_approval, item.collection_approval) == (
        Approval.UNREVIEWED,
        Approval.APPROVED,
    )
    with pytest.raises(CollectionError, match="creators"):
        collection_item_respond(item, other_user, accept=True)
    collection_item_respond(item, author, accept=True)
    item.refresh_from_db()
    assert item.approved


def test_adding_an_invited_work_accepts_the_invitation(author: User, other_user: User) -> None:
    collection = make_collection(other_user)
    work = _work_by(author)
    collection_item_invite(collection, work, other_user)
    collection_item_add(collection, work, author)
    assert CollectionItem.objects.get(work=work).approved


def test_only_maintainers_invite(author: User, other_user: User) -> None:
    collection = make_collection(other_user)
    with pytest.raises(CollectionError, match="maintainers"):
        collection_item_invite(collection, _work_by(author), author)


def test_a_closed_collection_takes_no_work(author: User, other_user: User) -> None:
    collection = make_collection(other_user, closed=True)
    with pytest.raises(CollectionError, match="closed"):
        collection_item_add(collection, _work_by(author), author)
    assert not CollectionItem.objects.exists()


def test_a_work_that_is_not_yours_cannot_be_added(author: User, other_user: User) -> None:
    collection = make_collection(other_user)
    with pytest.raises(CollectionError, match="Only the work's creators"):
        collection_item_add(collection, _work_by(author), other_user)


def test_the_same_work_twice_is_refused(author: User) -> None:
    collection = make_collection(author)
    work = _work_by(author)
    collection_item_add(collection, work, author)
    with pytest.raises(CollectionError, match="already"):
        collection_item_add(collection, work, author)
    assert CollectionItem.objects.count() == 1


def test_unrevealed_and_anonymous_settings_set_the_works_flags(author: User) -> None:
    collection = make_collection(author, unrevealed=True, anonymous=True)
    work = _work_by(author)
    collection_item_add(collection, work, author)
    work.refresh_from_db()
    assert work.in_unrevealed_collection and work.in_anonymous_collection
    fields = CollectionFields(name=collection.name, title=collection.title, anonymous=True)
    collection_update(collection, author, fields)
    work.refresh_from_db()
    assert not work.in_unrevealed_collection and work.in_anonymous_collection
    collection_item_remove(CollectionItem.objects.get(work=work), author)
    work.refresh_from_db()
    assert not work.in_anonymous_collection


def test_a_rejected_item_no_longer_hides_the_work(author: User, other_user: User) -> None:
    collection = make_collection(other_user, unrevealed=True, moderated=True)
    work = _work_by(author)
    item = collection_item_add(collection, work, author)
    work.refresh_from_db()
    assert work.in_unrevealed_collection
    collection_item_review(item, other_user, approve=False)
    work.refresh_from_db()
    assert not work.in_unrevealed_collection


def test_an_invitation_changes_nothing_until_accepted(author: User, other_user: User) -> None:
    collection = make_collection(other_user, unrevealed=True)
    work = _work_by(author)
    item = collection_item_invite(collection, work, other_user)
    work.refresh_from_db()
    assert not work.in_unrevealed_collection
    collection_item_respond(item, author, accept=True)
    work.refresh_from_db()
    assert work.in_unrevealed_collection


def test_a_change_of_settings_is_recorded_for_the_index(author: User) -> None:
    from ficarchive.core.models import ChangeLog

    collection = make_collection(author)
    work = _work_by(author)
    collection_item_add(collection, work, author)
    assert ChangeLog.objects.filter(work_id=work.pk, reason="added to a collection").exists()
    collection_update(
        collection, author, CollectionFields(name=collection.name, title="T", unrevealed=True)
    )
    assert ChangeLog.objects.filter(work_id=work.pk, reason="collection settings changed").exists()


def test_create_needs_a_title(author: User) -> None:
    with pytest.raises(CollectionError, match="Title"):
        collection_create(author, CollectionFields(name="named", title="  "))
