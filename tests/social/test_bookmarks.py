"""Bookmarks: of a work, a series and an external work, once each; the form's bad input (clear
messages, nothing lost, never a 500); private and muted bookmarks; the counts; and the pages of
a user's, a work's, a series' and a tag's bookmarks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from ficarchive.accounts.models import Mute, MutedTag, User
from ficarchive.accounts.muting import reader_filter_for
from ficarchive.social.bookmarks import (
    AlreadyBookmarked,
    BookmarkError,
    BookmarkFields,
    ExternalFields,
    bookmark_count,
    bookmark_create,
    bookmark_delete,
    bookmark_update,
    bookmarks_visible_to,
    external_work_find_or_create,
)
from ficarchive.social.models import BOOKMARK_NOTES_MAX, Bookmark, ExternalWork
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import SerialWork, Series, Work
from tests.conftest import make_user
from tests.factories import TagFactory, WorkFactory, add_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(author: User) -> Work:
    return WorkFactory.create(title="Lanternlight", creators=[author.default_pseud()])


def _fields(user: User, **values: object) -> BookmarkFields:
    return BookmarkFields(pseud=user.default_pseud(), **values)  # type: ignore[arg-type]


def _external(**values: object) -> ExternalFields:
    fields: dict[str, object] = {
        "url": "https://example.org/stories/1",
        "title": "The Far Shore",
        "creator": "someone elsewhere",
        "fandoms": ["Harbourtown"],
        "freeforms": ["Found Family"],
    }
    fields.update(values)
    return ExternalFields(**fields)  # type: ignore[arg-type]


# The service.


def test_a_bookmark_keeps_sanitised_notes_tags_and_flags_and_counts_when_public(
    work: Work, other_user: User
) -> None:
    bookmark = bookmark_create(
        other_user,
        work,
        _fields(
            other_user,
            notes="Lovely <script>alert(1)</script><em>pacing</em>",
            tags=["comfort read", "Reread Soon"],
            rec=True,
        ),
    )
    assert "<script>" not in bookmark.notes_html and "<em>pacing</em>" in bookmark.notes_html
    assert bookmark.notes.startswith("Lovely <script>")  # as typed, for editing
    assert [t.tag.name for t in bookmark.taggings.select_related("tag")] == [
        "comfort read",
        "Reread Soon",
    ]
    work.refresh_from_db()
    assert work.bookmarks_count == 1
    bookmark_update(bookmark, _fields(other_user, private=True))
    work.refresh_from_db()
    assert work.bookmarks_count == 0
    assert not bookmark.taggings.exists()
    bookmark_update(bookmark, _fields(other_user))
    bookmark_delete(bookmark)
    work.refresh_from_db()
    assert work.bookmarks_count == 0 and not Bookmark.objects.exists()


def test_bookmarking_twice_points_at_the_existing_bookmark(work: Work, other_user: User) -> None:
    first = bookmark_create(other_user, work, _fields(other_user))
    with pytest.raises(AlreadyBookmarked) as raised:
        bookmark_create(other_user, work, _fields(other_user, notes="again"))
    assert raised.value.bookmark == first
    assert Bookmark.objects.count() == 1


def test_bad_input_is_refused_with_a_message(work: Work, other_user: User, author: User) -> None:
    with pytest.raises(BookmarkError, match="at most 5,000"):
        bookmark_create(other_user, work, _fields(other_user, notes="x" * (BOOKMARK_NOTES_MAX + 1)))
    with pytest.raises(BookmarkError, match="at most 75"):
        bookmark_create(other_user, work, _fields(other_user, tags=[f"t{i}" for i in range(76)]))
    with pytest.raises(BookmarkError, match="own pseuds"):
        bookmark_create(other_user, work, BookmarkFields(pseud=author.default_pseud()))
    draft = WorkFactory.create(posted=False, creators=[author.default_pseud()])
    with pytest.raises(BookmarkError, match="posted works"):
        bookmark_create(author, draft, _fields(author))
    for url in ("javascript:alert(1)", "ftp://example.org/x", "example.org", ""):
        with pytest.raises(BookmarkError, match="http"):
            external_work_find_or_create(_external(url=url))
    with pytest.raises(BookmarkError, match="fandom"):
        external_work_find_or_create(_external(fandoms=[]))
    assert not Bookmark.objects.exists() and not ExternalWork.objects.exists()


def test_an_external_work_has_tags_like_any_other_and_is_one_per_address(
    other_user: User,
) -> None:
    external = external_work_find_or_create(_external(rating="General Audiences"))
    types = {t.tag.name: t.tag.type for t in external.taggings.select_related("tag")}
    assert types == {
        "General Audiences": TagType.RATING,
        "Harbourtown": TagType.FANDOM,
        "Found Family": TagType.FREEFORM,
    }
    assert external_work_find_or_create(_external(title="Another title")) == external
    bookmark = bookmark_create(other_user, external, _fields(other_user))
    assert bookmark.kind == "external"
    with pytest.raises(BookmarkError, match="no rating"):
        external_work_find_or_create(_external(url="https://example.org/2", rating="Made Up"))


def test_private_bookmarks_are_their_owners_and_bookmarks_follow_the_works_rule(
    work: Work, author: User, other_user: User
) -> None:
    reader = make_user("thirdreader")
    public = bookmark_create(other_user, work, _fields(other_user))
    private = bookmark_create(reader, work, _fields(reader, private=True))
    guest = AnonymousUser()
    assert set(bookmarks_visible_to(guest)) == {public}
    assert set(bookmarks_visible_to(reader)) == {public, private}
    assert bookmark_count(work, guest) == 1 and bookmark_count(work, reader) == 2
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert not bookmarks_visible_to(guest).exists()
    assert bookmark_count(work, other_user) == 1
    Work.objects.filter(pk=work.pk).update(restricted=False, hidden_by_admin=True)
    # Hidden: listed for nobody, so its bookmarks are shown to nobody, their owners included.
    assert not bookmarks_visible_to(other_user).exists()
    assert not bookmarks_visible_to(author).exists()


def test_a_series_bookmark_shows_where_one_of_its_works_is_listed(
    work: Work, author: User, other_user: User
) -> None:
    series = Series.objects.create(title="Lantern cycle")
    SerialWork.objects.create(series=series, work=work, position=1)
    bookmark = bookmark_create(other_user, series, _fields(other_user))
    assert list(bookmarks_visible_to(AnonymousUser())) == [bookmark]
    Work.objects.filter(pk=work.pk).update(restricted=True)
    assert not bookmarks_visible_to(AnonymousUser()).exists()
    assert list(bookmarks_visible_to(other_user)) == [bookmark]


def test_muted_users_and_tags_leave_the_readers_bookmarks(work: Work, other_user: User) -> None:
    reader = make_user("mutingreader")
    fandom = TagFactory.create(name="Mutedfandom", type=TagType.FANDOM, canonical=True)
    add_tags(work, fandom)
    by_other = bookmark_create(other_user, work, _fields(other_user))
    external = external_work_find_or_create(_external(fandoms=["Mutedfandom"]))
    of_external = bookmark_create(other_user, external, _fields(other_user))
    assert set(bookmarks_visible_to(reader, reader_filter_for(reader))) == {by_other, of_external}
    MutedTag.objects.create(user=reader, tag=fandom)
    assert not bookmarks_visible_to(reader, reader_filter_for(reader)).exists()
    MutedTag.objects.all().delete()
    Mute.objects.create(user=reader, muted=other_user)
    assert not bookmarks_visible_to(reader, reader_filter_for(reader)).exists()
    assert bookmark_count(work, reader, reader_filter_for(reader)) == 0


# The pages.


def test_bookmarking_a_work_from_its_page_and_seeing_it_listed(
    client: Client, work: Work, other_user: User
) -> None:
    client.force_login(other_user)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert "Bookmarks (0)" in page and f"/works/{work.pk}/bookmarks/new" in page
    form = client.get(f"/works/{work.pk}/bookmarks/new")
    assert form.status_code == 200 and "Bookmark as" in form.content.decode()
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {
            "pseud": other_user.default_pseud().pk,
            "notes": "A <b>favourite</b>.",
            "tags": "cosy, cosy, lamps",
            "rec": "on",
        },
    )
    bookmark = Bookmark.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bookmarks/{bookmark.pk}"
    assert [t.tag.name for t in bookmark.taggings.select_related("tag")] == ["cosy", "lamps"]
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'href="/works/{work.pk}/bookmarks">Bookmarks (1)</a>' in page
    assert "Edit bookmark" in page
    listing = client.get(f"/users/{other_user.username}/bookmarks").content.decode()
    assert "1 Bookmarks by" in listing and "Lanternlight" in listing
    assert "<b>favourite</b>" in listing and "(Rec)" in listing
    assert f'<li id="work_{work.pk}"' in listing
    work_page = Client().get(f"/works/{work.pk}/bookmarks").content.decode()
    assert f"bookmark_{bookmark.pk}" in work_page
    assert f"bookmark_{bookmark.pk}" in Client().get("/tags/lamps/bookmarks").content.decode()
    # A second visit to the form goes to the bookmark there is.
    again = client.get(f"/works/{work.pk}/bookmarks/new")
    assert again.status_code == 302 and again["Location"] == f"/bookmarks/{bookmark.pk}/edit"


def test_bad_input_comes_back_with_the_text_and_a_message(
    client: Client, work: Work, other_user: User
) -> None:
    client.force_login(other_user)
    notes = "kept words " * 600
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {"pseud": other_user.default_pseud().pk, "notes": notes, "tags": "a, b"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 5,000 characters" in page and "kept words kept words" in page
    tags = ", ".join(f"tag{i}" for i in range(80))
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {"pseud": other_user.default_pseud().pk, "notes": "short", "tags": tags},
    )
    assert response.status_code == 400 and "at most 75" in response.content.decode()
    assert "tag79" in response.content.decode()
    response = client.post(
        "/bookmarks/external/new",
        {
            "pseud": other_user.default_pseud().pk,
            "url": "javascript:alert(1)",
            "title": "Elsewhere",
            "creator": "someone",
            "fandoms": "Harbourtown",
            "notes": "my notes stay",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "http:// or https://" in page and "my notes stay" in page
    assert not Bookmark.objects.exists()


def test_missing_or_invisible_items_answer_404(
    client: Client, author: User, other_user: User
) -> None:
    client.force_login(other_user)
    draft = WorkFactory.create(posted=False, creators=[author.default_pseud()])
    for url in (
        f"/works/{draft.pk}/bookmarks/new",
        "/works/999999/bookmarks/new",
        "/works/99999999999999999999/bookmarks/new",
        "/series/999999/bookmarks/new",
        f"/works/{draft.pk}/bookmarks",
        "/bookmarks/999999",
        "/bookmarks/999999/edit",
        "/tags/nosuchtag/bookmarks",
        "/users/nosuchuser/bookmarks",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/works/{draft.pk}/bookmarks/new", {"notes": "x"}).status_code == 404


def test_bookmarking_twice_in_two_tabs_shows_the_existing_bookmark_with_the_new_text(
    client: Client, work: Work, other_user: User
) -> None:
    bookmark = bookmark_create(other_user, work, _fields(other_user, notes="first notes"))
    client.force_login(other_user)
    response = client.post(
        f"/works/{work.pk}/bookmarks/new",
        {"pseud": other_user.default_pseud().pk, "notes": "second notes"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "already bookmarked" in page and "second notes" in page
    assert f'action="/bookmarks/{bookmark.pk}/edit"' in page
    assert Bookmark.objects.get().notes == "first notes"


def test_someone_elses_bookmark_cannot_be_edited_or_deleted(
    client: Client, work: Work, other_user: User, author: User
) -> None:
    bookmark = bookmark_create(other_user, work, _fields(other_user))
    client.force_login(author)
    assert client.get(f"/bookmarks/{bookmark.pk}/edit").status_code == 404
    assert client.post(f"/bookmarks/{bookmark.pk}/delete").status_code == 404
    client.force_login(other_user)
    assert client.post(f"/bookmarks/{bookmark.pk}/delete").status_code == 302
    assert not Bookmark.objects.exists()


def test_a_private_bookmark_is_only_on_its_owners_pages(
    client: Client, work: Work, other_user: User
) -> None:
    bookmark = bookmark_create(other_user, work, _fields(other_user, private=True))
    guest_page = Client().get(f"/users/{other_user.username}/bookmarks").content.decode()
    assert f"bookmark_{bookmark.pk}" not in guest_page
    assert Client().get(f"/bookmarks/{bookmark.pk}").status_code == 404
    client.force_login(other_user)
    own = client.get(f"/users/{other_user.username}/bookmarks").content.decode()
    assert f"bookmark_{bookmark.pk}" in own and "(Private)" in own


def test_blurbs_show_the_bookmarks_count_once_there_are_some(
    client: Client, work: Work, other_user: User
) -> None:
    assert 'dd class="bookmarks"' not in client.get("/works").content.decode()
    bookmark_create(other_user, work, _fields(other_user))
    listing = client.get(f"/users/{other_user.username}/bookmarks").content.decode()
    assert f'<dd class="bookmarks"><a href="/works/{work.pk}/bookmarks">1</a></dd>' in listing


def test_the_edit_form_keeps_the_bookmarks_values(
    client: Client, work: Work, other_user: User
) -> None:
    bookmark = bookmark_create(
        other_user, work, _fields(other_user, notes="my notes", tags=["alpha", "beta"])
    )
    client.force_login(other_user)
    page = client.get(f"/bookmarks/{bookmark.pk}/edit").content.decode()
    assert "my notes" in page and "alpha, beta" in page
    response = client.post(
        f"/bookmarks/{bookmark.pk}/edit",
        {"pseud": other_user.default_pseud().pk, "notes": "new notes", "tags": "gamma"},
    )
    assert response.status_code == 302
    bookmark.refresh_from_db()
    assert bookmark.notes == "new notes"
    assert list(
        Tag.objects.filter(bookmark_taggings__bookmark=bookmark).values_list("name", flat=True)
    ) == ["gamma"]


def test_notes_sent_after_the_session_expired_come_back_after_logging_in(
    work: Work, other_user: User
) -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    client.force_login(other_user)
    client.get(f"/works/{work.pk}")  # the page that names the writer in a signed cookie
    Session.objects.all().delete()
    url = f"/works/{work.pk}/bookmarks/new"
    response = client.post(url, {"notes": "Notes typed while logged out", "tags": "kept tag"})
    assert response.status_code == 302 and response["Location"] == f"/login?next={url}"
    assert not Bookmark.objects.exists()
    client.force_login(other_user)
    page = client.get(url).content.decode()
    assert "Notes typed while logged out" in page and "kept tag" in page
    assert "Nothing is saved yet" in page


def test_deleting_a_pseud_keeps_its_bookmarks_under_the_login(
    client: Client, work: Work, other_user: User
) -> None:
    from ficarchive.accounts.models import Pseud
    from ficarchive.accounts.pseuds import pseud_delete

    pseud = Pseud.objects.create(user=other_user, name="Nightwatch")
    bookmark = bookmark_create(other_user, work, BookmarkFields(pseud=pseud))
    pseud_delete(pseud)
    bookmark.refresh_from_db()
    assert bookmark.pseud_id is None
    page = client.get(f"/users/{other_user.username}/bookmarks").content.decode()
    assert f"bookmark_{bookmark.pk}" in page and "Nightwatch" not in page
