"""works.access: each need, asked by each of the standard cast, answers the work or a 404 as
the visibility rule says (docs/visibility.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from ficarchive.accounts.models import User
from ficarchive.works.access import Need, chapter_for, work_allows, work_for
from ficarchive.works.models import Creatorship, Work
from tests.factories import WorkFactory, add_chapter

pytestmark = pytest.mark.django_db

VIEWERS = ["guest", "author", "other_user", "wrangler", "admin"]
KINDS: dict[str, dict[str, Any]] = {
    "posted": {},
    "restricted": {"restricted": True},
    "draft": {"posted": False},
    "hidden": {"hidden_by_admin": True},
}
# Who may do what with each kind of work; everyone else gets a 404.
ALLOWED = {
    (Need.READ, "posted"): {"guest", "author", "other_user", "wrangler", "admin"},
    (Need.READ, "restricted"): {"author", "other_user", "wrangler", "admin"},
    (Need.READ, "draft"): {"author", "admin"},
    (Need.READ, "hidden"): {"author", "admin"},
    **{(Need.EDIT, kind): {"author"} for kind in KINDS},
    **{(Need.MODERATE, kind): {"admin"} for kind in KINDS},
}


def _viewer(request: pytest.FixtureRequest, name: str) -> Any:
    return request.getfixturevalue(name)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("need", list(Need))
def test_work_for_answers_the_work_or_404_as_the_rule_says(
    request: pytest.FixtureRequest, author: User, need: Need, kind: str, viewer: str
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], **KINDS[kind])
    user = _viewer(request, viewer)
    allowed = viewer in ALLOWED[(need, kind)]
    assert work_allows(work, user, need) is allowed
    if allowed:
        assert work_for(user, work.pk, need) == work
    else:
        with pytest.raises(Http404):
            work_for(user, work.pk, need)


def test_reading_agrees_with_the_queryset_rule_for_everyone(
    request: pytest.FixtureRequest, author: User
) -> None:
    works = [WorkFactory.create(creators=[author.default_pseud()], **f) for f in KINDS.values()]
    for viewer in VIEWERS:
        user = _viewer(request, viewer)
        visible = set(Work.objects.visible_to(user).values_list("pk", flat=True))
        readable = {work.pk for work in works if work_allows(work, user, Need.READ)}
        assert readable == visible & {work.pk for work in works}, viewer


def test_a_missing_work_is_404_even_for_an_admin(admin: User) -> None:
    with pytest.raises(Http404):
        work_for(admin, 999_999, Need.MODERATE)


def test_an_invited_co_creator_may_not_edit_until_they_accept(
    author: User, other_user: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    invitation = Creatorship.objects.create(
        work=work, pseud=other_user.default_pseud(), approved=False, position=1
    )
    with pytest.raises(Http404):
        work_for(other_user, work.pk, Need.EDIT)
    invitation.approved = True
    invitation.save()
    assert work_for(other_user, work.pk, Need.EDIT) == work


def test_work_for_looks_in_the_rows_it_is_given(author: User, other_user: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    with pytest.raises(Http404):
        work_for(other_user, work.pk, works=Work.objects.filter(restricted=True))
    found = work_for(other_user, work.pk, works=Work.objects.prefetch_related("collections"))
    assert found == work


def test_a_reader_gets_posted_chapters_only_and_an_author_edits_them_all(
    guest: Any, author: User
) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    posted = work.chapters.get()
    unposted = add_chapter(work, "Not yet for readers.", posted=False)
    chapter = chapter_for(guest, work.pk, posted.pk)
    assert chapter == posted
    assert chapter.work == work
    with pytest.raises(Http404):
        chapter_for(guest, work.pk, unposted.pk)
    with pytest.raises(Http404):
        chapter_for(author, work.pk, unposted.pk, Need.READ)
    assert chapter_for(author, work.pk, unposted.pk, Need.EDIT) == unposted


def test_a_chapter_of_another_work_is_404(author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()])
    other = WorkFactory.create(creators=[author.default_pseud()])
    with pytest.raises(Http404):
        chapter_for(author, work.pk, other.chapters.get().pk, Need.EDIT)


def test_a_chapter_of_a_work_the_user_may_not_open_is_404(other_user: User, author: User) -> None:
    work = WorkFactory.create(creators=[author.default_pseud()], posted=False)
    with pytest.raises(Http404):
        chapter_for(other_user, work.pk, work.chapters.get().pk)
