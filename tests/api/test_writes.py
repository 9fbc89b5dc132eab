"""Writing through the API: the posting forms and services, kudos, comments, subscriptions and
Marked for Later, with a token of scope write; scopes and sign-in failures as problems."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ficarchive.accounts.apitokens import api_token_revoke
from ficarchive.accounts.models import ApiToken, TokenScope, User
from ficarchive.social.models import Comment, Subscription
from ficarchive.works.models import Reading, Work
from tests.api.conftest import ApiClient, token_for
from tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

WORK = {
    "title": "Tide Tables",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Original Work"],
    "freeforms": ["Boats"],
    "language": "en",
    "text": "<p>The tide came in at noon, as it always did.</p><script>x()</script>",
    "post": True,
}


def test_posting_a_work_goes_through_the_form_and_sanitises(author_api: ApiClient) -> None:
    response = author_api.send("POST", "/works", WORK)
    assert response.status_code == 201, response.content
    body = response.json()
    work = Work.objects.get(pk=body["id"])
    assert work.posted and work.title == "Tide Tables"
    assert "<script" not in body["chapters"][0]["html"]
    assert [tag["name"] for tag in body["fandoms"]] == ["Original Work"]


def test_a_draft_and_a_scheduled_work_stay_unlisted(author_api: ApiClient, api: ApiClient) -> None:
    draft = author_api.send("POST", "/works", {**WORK, "post": False}).json()
    assert Work.objects.get(pk=draft["id"]).posted is False
    assert api.get(f"/works/{draft['id']}").status_code == 404
    later = (timezone.now() + timedelta(days=2)).isoformat()
    scheduled = author_api.send("POST", "/works", {**WORK, "publish_at": later}).json()
    work = Work.objects.get(pk=scheduled["id"])
    assert work.posted is False and work.publish_at is not None


def test_a_form_error_is_a_422_with_the_fields(author_api: ApiClient) -> None:
    response = author_api.send("POST", "/works", {**WORK, "fandoms": [], "text": "x"})
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["errors"]}
    assert {"fandoms", "text"} <= fields


def test_adding_and_editing_a_chapter(author_api: ApiClient) -> None:
    work = author_api.send("POST", "/works", WORK).json()
    added = author_api.send(
        "POST", f"/works/{work['id']}/chapters", {"title": "Two", "text": "<p>The second day.</p>"}
    )
    assert added.status_code == 201, added.content
    chapter = added.json()
    assert chapter["position"] == 2
    edited = author_api.send(
        "PATCH", f"/works/{work['id']}/chapters/{chapter['id']}", {"title": "Day two"}
    )
    assert edited.json()["title"] == "Day two"
    assert "second day" in edited.json()["html"]


def test_editing_someone_elses_work_is_not_found(reader_api: ApiClient, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    response = reader_api.send("PATCH", f"/works/{work.pk}", {"title": "Mine now"})
    assert response.status_code == 404
    work.refresh_from_db()
    assert work.title != "Mine now"


def test_a_read_token_may_not_write(other_user: User, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    client = ApiClient(token_for(other_user, TokenScope.READ))
    response = client.send("POST", f"/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert client.get("/me").status_code == 200


def test_a_revoked_token_is_refused(other_user: User) -> None:
    token = token_for(other_user)
    client = ApiClient(token)
    assert client.get("/me").status_code == 200
    row = ApiToken.objects.get(user=other_user)
    api_token_revoke(other_user, row.pk)
    response = client.get("/me")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_guest_may_not_write(api: ApiClient, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    assert api.send("POST", f"/works/{work.pk}/kudos").status_code == 401


def test_kudos_once(reader_api: ApiClient, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    assert reader_api.send("POST", f"/works/{work.pk}/kudos").json() == {"kudos": 1}
    assert reader_api.send("POST", f"/works/{work.pk}/kudos").status_code == 409


def test_commenting_and_reading_the_thread(
    reader_api: ApiClient, api: ApiClient, author: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    posted = reader_api.send("POST", f"/works/{work.pk}/comments", {"text": "Lovely tides."})
    assert posted.status_code == 201, posted.content
    reply = reader_api.send(
        "POST",
        f"/works/{work.pk}/comments",
        {"text": "And boats.", "parent_id": posted.json()["id"]},
    )
    assert reply.status_code == 201
    listed = api.get(f"/works/{work.pk}/comments").json()
    assert [c["depth"] for c in listed["comments"]] == [0, 1]
    assert listed["total"] == 2
    assert Comment.objects.filter(work=work).count() == 2


def test_comment_throttle_answers_429_with_retry_after(
    reader_api: ApiClient, author: User, settings: object
) -> None:
    settings.COMMENT_USER_RATE = "2/m"  # type: ignore[attr-defined]
    work = WorkFactory.create(creators=[author.default_pseud()])
    for text in ("One.", "Two."):
        assert (
            reader_api.send("POST", f"/works/{work.pk}/comments", {"text": text}).status_code == 201
        )
    response = reader_api.send("POST", f"/works/{work.pk}/comments", {"text": "Three."})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_api_rate_limit_answers_429(api: ApiClient, settings: object) -> None:
    settings.API_RATE_LIMIT = "3/m"  # type: ignore[attr-defined]
    statuses = [api.get("/works").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_marked_for_later_and_subscriptions(
    reader_api: ApiClient, other_user: User, author: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    assert reader_api.send("PUT", f"/me/later/{work.pk}").json()["later"] is True
    later = reader_api.get("/me/later").json()
    assert [r["work"]["id"] for r in later["readings"]] == [work.pk]
    assert reader_api.send("DELETE", f"/me/later/{work.pk}").json()["later"] is False
    assert not Reading.objects.filter(user=other_user, later=True).exists()
    assert (
        reader_api.send("POST", "/me/subscriptions", {"kind": "work", "id": work.pk}).status_code
        == 201
    )
    assert (
        reader_api.send("POST", "/me/subscriptions", {"kind": "work", "id": work.pk}).status_code
        == 409
    )
    subscriptions = reader_api.get("/me/subscriptions").json()["subscriptions"]
    assert [(s["kind"], s["target_id"]) for s in subscriptions] == [("work", work.pk)]
    assert reader_api.send("DELETE", f"/me/subscriptions/work/{work.pk}").status_code == 200
    assert not Subscription.objects.filter(user=other_user).exists()


def test_bad_json_and_oversized_bodies_are_problems(author_api: ApiClient) -> None:
    bad = author_api.send("POST", "/works", "{not json")
    assert 400 <= bad.status_code < 500
    assert bad["Content-Type"] == "application/problem+json"
    huge = author_api.send("POST", "/works", '{"text": "' + "a" * (5 * 1024 * 1024) + '"}')
    assert huge.status_code == 413
    assert huge["Content-Type"] == "application/problem+json"


def test_session_writes_need_the_csrf_token(other_user: User, author: User) -> None:
    from django.test import Client

    work = WorkFactory.create(creators=[author.default_pseud()])
    client = Client(enforce_csrf_checks=True)
    client.force_login(other_user)
    response = client.post(f"/api/v1/works/{work.pk}/kudos")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_an_empty_comment_is_a_422_and_comments_off_a_403(
    reader_api: ApiClient, author: User
) -> None:
    from ficarchive.works.models import CommentPermission

    work = WorkFactory.create(creators=[author.default_pseud()])
    empty = reader_api.send("POST", f"/works/{work.pk}/comments", {"text": "   "})
    assert empty.status_code == 422
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.NOBODY)
    off = reader_api.send("POST", f"/works/{work.pk}/comments", {"text": "Hello."})
    assert off.status_code == 403
    assert "turned comments off" in off.json()["detail"]
