"""The collection pages, each as the viewer it names: the index, a collection's works through
the search engine, its profile, the owners' form, adding and inviting works, the maintainers'
queue and a creator's invitations; bad input answers 4xx with a message and the text kept."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.accounts.models import User
from ficarchive.collections.services import collection_item_add, collection_item_invite
from ficarchive.tags.models import TagType
from ficarchive.works.models import Approval, CollectionItem, Work
from tests.collections.helpers import make_collection
from tests.factories import TagFactory, WorkFactory, add_tags

pytestmark = pytest.mark.django_db


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _work_by(user: User, title: str) -> Work:
    work = WorkFactory.create(creators=[user.default_pseud()], title=title)
    return Work.objects.for_reading().get(pk=work.pk)


def test_the_index_lists_collections_and_their_sub_collections(author: User) -> None:
    parent = make_collection(author, name="big_fest")
    make_collection(author, name="small_fest", parent=parent)
    html = _client().get("/collections").content.decode()
    assert "Title big_fest" in html and "Title small_fest" in html


def test_a_collection_page_lists_its_approved_works_with_counts_and_tags(
    author: User, other_user: User
) -> None:
    collection = make_collection(other_user, moderated=True)
    fandom = TagFactory.create(name="Collected Fandom", type=TagType.FANDOM, canonical=True)
    approved = _work_by(author, "The approved one")
    add_tags(approved, fandom)
    waiting = _work_by(author, "The waiting one")
    outside = _work_by(author, "The outside one")
    item = collection_item_add(collection, approved, author)
    CollectionItem.objects.filter(pk=item.pk).update(collection_approval=Approval.APPROVED)
    from ficarchive.collections.reveal import works_flags_refresh

    works_flags_refresh([approved.pk], "approved in a test")
    collection_item_add(collection, waiting, author)
    html = _client().get("/collections/spring_fest").content.decode()
    assert approved.title in html
    assert waiting.title not in html and outside.title not in html
    assert "of 1 work" in html or "1 work" in html
    assert f'<label for="include-{fandom.pk}">' in html  # its tag cloud
    # The collection's filters are the search's: a text filter narrows the list.
    html = _client().get("/collections/spring_fest?q=nothingmatches").content.decode()
    assert approved.title not in html


def test_the_work_page_names_its_approved_collections(author: User) -> None:
    collection = make_collection(author)
    work = _work_by(author, "A collected work")
    collection_item_add(collection, work, author)
    html = _client().get(f"/works/{work.pk}").content.decode()
    link = '<a href="/collections/spring_fest">Title spring_fest</a>'
    assert f'<dd class="collections">{link}' in html


def test_an_unrevealed_work_is_a_mystery_to_readers_and_known_to_its_creator(
    author: User, other_user: User
) -> None:
    make_collection(other_user, unrevealed=True)
    from ficarchive.works.models import Collection

    collection = Collection.objects.get(name="spring_fest")
    work = _work_by(author, "A secret gift")
    collection_item_add(collection, work, author)
    response = _client(other_user).get(f"/works/{work.pk}")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Mystery work" in html and "Title spring_fest" in html
    assert work.title not in html
    assert _client(author).get(f"/works/{work.pk}").status_code == 200
    page = _client().get("/collections/spring_fest").content.decode()
    assert "1 mystery work" in page and work.title not in page
    # Its maintainers see it in their queue.
    queue = _client(other_user).get("/collections/spring_fest/manage").content.decode()
    assert work.title in queue


def test_the_profile_shows_sanitised_profile_rules_and_faq(author: User) -> None:
    make_collection(author, profile="Our <b>fest</b><script>x()</script>", faq="Ask away")
    html = _client().get("/collections/spring_fest/profile").content.decode()
    assert "Our <b>fest</b>" in html and "<script>x()" not in html and "Ask away" in html


def test_making_a_collection_from_the_form(author: User) -> None:
    response = _client(author).post(
        "/collections/new", {"name": "new_fest", "title": "New Fest", "moderated": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/collections/new_fest"


@pytest.mark.parametrize(
    ("name", "message"), [("bad name!", "letters, digits"), ("spring_fest", "exists already")]
)
def test_a_bad_or_taken_name_answers_400_with_the_text_kept(
    author: User, name: str, message: str
) -> None:
    make_collection(author)
    response = _client(author).post(
        "/collections/new", {"name": name, "title": "Kept title", "rules": "Kept rules"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html and "Kept title" in html and "Kept rules" in html


def test_a_guest_is_sent_to_log_in_to_make_a_collection() -> None:
    assert _client().get("/collections/new").status_code == 302


def test_only_owners_edit(author: User, other_user: User) -> None:
    make_collection(author)
    assert _client(other_user).get("/collections/spring_fest/edit").status_code == 404
    response = _client(author).post(
        "/collections/spring_fest/edit", {"name": "spring_fest", "title": "Renamed"}
    )
    assert response.status_code == 302
    html = _client().get("/collections/spring_fest").content.decode()
    assert "Renamed" in html


def test_adding_my_work_from_the_collection_page(author: User, other_user: User) -> None:
    make_collection(other_user)
    work = _work_by(author, "My offering")
    response = _client(author).post("/collections/spring_fest/add", {"work": work.pk})
    assert response.status_code == 302
    assert CollectionItem.objects.get(work=work).approved


def test_someone_elses_work_is_not_a_choice(author: User, other_user: User) -> None:
    make_collection(other_user)
    work = _work_by(author, "Not theirs")
    response = _client(other_user).post("/collections/spring_fest/add", {"work": work.pk})
    assert response.status_code == 400
    assert not CollectionItem.objects.exists()


def test_adding_to_a_closed_collection_answers_400_with_a_message(
    author: User, other_user: User
) -> None:
    make_collection(other_user, closed=True)
    work = _work_by(author, "Too late")
    response = _client(author).post("/collections/spring_fest/add", {"work": work.pk})
    assert response.status_code == 400
    assert "is closed" in response.content.decode()


def test_adding_from_the_work_twice_answers_400_with_a_message(author: User) -> None:
    make_collection(author)
    work = _work_by(author, "Twice")
    client = _client(author)
    url = f"/works/{work.pk}/collections/add"
    assert client.post(url, {"collection": "spring_fest"}).status_code == 302
    again = client.post(url, {"collection": "spring_fest"})
    assert again.status_code == 400 and "already" in again.content.decode()
    unknown = client.post(url, {"collection": "no_such"})
    assert unknown.status_code == 400 and "no_such" in unknown.content.decode()


def test_adding_someone_elses_work_from_its_page_is_404(author: User, other_user: User) -> None:
    make_collection(other_user)
    work = _work_by(author, "Not yours")
    response = _client(other_user).post(
        f"/works/{work.pk}/collections/add", {"collection": "spring_fest"}
    )
    assert response.status_code == 404


def test_maintainers_approve_from_their_queue_and_others_get_404(
    author: User, other_user: User, wrangler: User
) -> None:
    collection = make_collection(other_user, moderated=True)
    item = collection_item_add(collection, _work_by(author, "Waiting"), author)
    assert _client(wrangler).get("/collections/spring_fest/manage").status_code == 404
    assert (
        _client(wrangler)
        .post("/collections/spring_fest/review", {"item": item.pk, "action": "approve"})
        .status_code
        == 404
    )
    response = _client(other_user).post(
        "/collections/spring_fest/review", {"item": item.pk, "action": "approve"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.approved


def test_a_maintainer_invites_and_the_creator_accepts(author: User, other_user: User) -> None:
    make_collection(other_user)
    work = _work_by(author, "Invited work")
    response = _client(other_user).post("/collections/spring_fest/invite", {"work_id": work.pk})
    assert response.status_code == 302
    item = CollectionItem.objects.get(work=work)
    assert item.user_approval == Approval.UNREVIEWED
    html = _client(author).get("/collections/mine").content.decode()
    assert f'id="invitation_{item.pk}"' in html
    assert (
        _client(other_user).post(f"/collections/mine/{item.pk}", {"action": "accept"}).status_code
        == 404
    )
    _client(author).post(f"/collections/mine/{item.pk}", {"action": "accept"})
    item.refresh_from_db()
    assert item.approved


def test_inviting_a_work_twice_says_so(author: User, other_user: User) -> None:
    collection = make_collection(other_user)
    work = _work_by(author, "Invited twice")
    collection_item_invite(collection, work, other_user)
    response = _client(other_user).post(
        "/collections/spring_fest/invite", {"work_id": work.pk}, follow=True
    )
    assert "already" in response.content.decode()
    assert CollectionItem.objects.count() == 1


def test_an_unknown_collection_is_404() -> None:
    assert _client().get("/collections/no_such_thing").status_code == 404


def test_an_owner_reveals_now_and_adds_a_moderator(
    author: User, other_user: User, wrangler: User
) -> None:
    collection = make_collection(other_user, unrevealed=True)
    work = _work_by(author, "Revealed by hand")
    collection_item_add(collection, work, author)
    owner = _client(other_user)
    owner.post(
        "/collections/spring_fest/maintainers", {"login": wrangler.username, "role": "moderator"}
    )
    moderator = _client(wrangler)
    assert moderator.get("/collections/spring_fest/manage").status_code == 200
    assert moderator.post("/collections/spring_fest/reveal").status_code == 404
    assert owner.post("/collections/spring_fest/reveal").status_code == 302
    work.refresh_from_db()
    assert work.is_listable()
    assert work.title in _client().get("/collections/spring_fest").content.decode()


def test_a_restricted_unrevealed_work_is_no_mystery_to_guests(
    author: User, other_user: User
) -> None:
    collection = make_collection(other_user, unrevealed=True)
    work = _work_by(author, "Members only")
    Work.objects.filter(pk=work.pk).update(restricted=True)
    collection_item_add(collection, work, author)
    guest = _client().get(f"/works/{work.pk}")
    assert guest.status_code == 404 and "Mystery work" not in guest.content.decode()
    member = _client(other_user).get(f"/works/{work.pk}")
    assert member.status_code == 404 and "Mystery work" in member.content.decode()
