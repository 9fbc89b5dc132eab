"""The small synthetic archive imported from its dump: every mapping rule, as the archive
shows it afterwards."""

from __future__ import annotations

from datetime import date

from ficarchive.accounts.models import User
from ficarchive.formats.efiction.report import Report
from ficarchive.social.models import Bookmark, Comment, Subscription
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Series
from tests.formats.efiction.helpers import tag_names, work_of


def test_members_become_accounts_with_pen_name_as_login_and_pseud(imported: Report) -> None:
    user = User.objects.get(username="Kestrel_Wing")
    assert user.email == "kestrel@example.org"
    assert user.default_pseud().name == "Kestrel Wing"
    assert user.password.startswith("argon2_md5$")
    assert User.objects.get(username="Nightjar").default_pseud().description == "Writes things."


def test_story_becomes_a_work_with_chapters_in_order_notes_and_dates(imported: Report) -> None:
    work = work_of(1)
    assert work.title == "The Long Watch"
    assert work.summary == "A watch that lasts."
    assert work.notes == "Thanks to my beta."
    assert work.published_on == date(2009, 4, 1)
    assert work.revised_at.date() == date(2009, 6, 1)
    assert work.complete and work.expected_chapters == 2
    chapters = list(work.chapters.order_by("position"))
    assert [c.title for c in chapters] == ["Beginning", "Middle"]
    assert chapters[0].notes == "Chapter notes." and chapters[0].endnotes == "More soon."
    assert work.collections.get().title == "Featured stories"
    assert work.hits == 345


def test_html_text_is_kept_and_plain_text_gets_paragraphs(imported: Report) -> None:
    first, second = work_of(1).chapters.order_by("position")
    assert first.html == "<p>The watch began at dusk.</p><p>It was cold.</p>"
    assert second.html.count("<p>") == 2
    assert "line one.<br>" in second.html.replace("<br />", "<br>")


def test_word_counts_are_recomputed_and_far_off_ones_reported(imported: Report) -> None:
    work = work_of(1)
    assert work.word_count == sum(c.word_count for c in work.chapters.all()) > 12
    assert any(line.startswith("story 1: eFiction counted 12 words") for line in imported.notes)
    assert not any(line.startswith("story 2:") for line in imported.notes)


def test_category_tree_gives_a_sub_category_story_its_ancestors_fandoms(imported: Report) -> None:
    assert tag_names(work_of(1), TagType.FANDOM) == ["Starfall Saga", "Starfall: The Early Years"]
    assert tag_names(work_of(2), TagType.FANDOM) == ["Harbour Lights"]


def test_new_tags_wait_for_wrangling(imported: Report) -> None:
    for name in ["Starfall Saga", "Captain Mira", "Adventure", "Mira/Tobin"]:
        assert not Tag.objects.get(name=name).canonical


def test_characters_shared_by_two_fandoms_are_told_apart(imported: Report) -> None:
    assert tag_names(work_of(1), TagType.CHARACTER) == ["Captain Mira", "Tobin (Starfall Saga)"]
    assert tag_names(work_of(2), TagType.CHARACTER) == ["Tobin (Harbour Lights)"]


def test_ratings_map_by_default(imported: Report) -> None:
    assert tag_names(work_of(1), TagType.RATING) == ["General Audiences"]  # PG
    assert tag_names(work_of(2), TagType.RATING) == ["Explicit"]  # NC-17
    assert tag_names(work_of(3), TagType.RATING) == ["General Audiences"]  # G


def test_warning_classes_map_to_archive_warnings_or_to_additional_tags(imported: Report) -> None:
    work = work_of(1)
    assert tag_names(work, TagType.WARNING) == ["Major Character Death"]
    assert tag_names(work, TagType.FREEFORM) == ["Adventure"]
    assert tag_names(work_of(2), TagType.FREEFORM) == ["Mild Language"]
    # A story with no warning class says its creator chose none.
    assert tag_names(work_of(2), TagType.WARNING) == ["Creator Chose Not To Use Archive Warnings"]


def test_pairings_become_relationships(imported: Report) -> None:
    assert tag_names(work_of(1), TagType.RELATIONSHIP) == ["Mira/Tobin"]


def test_co_authors_become_co_creators_in_order(imported: Report) -> None:
    work = work_of(2)
    assert [p.name for p in work.creator_pseuds()] == ["Kestrel Wing", "Nightjar"]


def test_unvalidated_story_is_a_draft(imported: Report) -> None:
    assert not work_of(3).posted
    assert work_of(1).posted


def test_summary_entities_of_plain_text_are_undone(imported: Report) -> None:
    assert work_of(2).summary == "Lights & songs."


def test_series_keep_their_order(imported: Report) -> None:
    series = Series.objects.get(title="Watches")
    parts = series.serial_works.order_by("position")
    assert [(p.position, p.work_id) for p in parts] == [(1, work_of(1).pk), (2, work_of(2).pk)]
    assert list(series.owners.values_list("username", flat=True)) == ["Nightjar"]


def test_reviews_become_comments_on_their_chapter(imported: Report) -> None:
    work = work_of(1)
    member = Comment.objects.get(text="Loved the second chapter!")
    assert member.chapter == work.chapters.get(position=2)
    assert member.user == User.objects.get(username="Reader_Three")
    assert member.created_at.date() == date(2009, 7, 1)
    guest = Comment.objects.get(guest_name="A Passer-by")
    assert guest.user is None and guest.chapter == work.chapters.get(position=1)
    assert guest.text == "Nice start."
    work.refresh_from_db()
    assert work.comments_count == 3


def test_author_responses_become_replies_by_the_creator(imported: Report) -> None:
    guest = Comment.objects.get(guest_name="A Passer-by")
    reply = Comment.objects.get(parent=guest)
    assert reply.text == "Thank you kindly!"
    assert reply.user == User.objects.get(username="Nightjar") and reply.by_creator
    assert reply.thread_id == guest.pk and reply.depth == 1


def test_series_reviews_are_reported_not_imported(imported: Report) -> None:
    assert "reviews 3: a review of a 'SE', not a story" in imported.skipped
    assert not Comment.objects.filter(text="Great series.").exists()


def test_favourites_become_bookmarks_and_subscriptions(imported: Report) -> None:
    reader = User.objects.get(username="Reader_Three")
    bookmark = Bookmark.objects.get(user=reader, work=work_of(1))
    assert bookmark.notes == "A favourite."
    assert Bookmark.objects.filter(user=reader, series__title="Watches").exists()
    author = User.objects.get(username="Kestrel_Wing")
    assert Subscription.objects.filter(user=reader, creator=author).exists()
    work = work_of(1)
    work.refresh_from_db()
    assert work.bookmarks_count == 1


def test_news_is_a_report_line(imported: Report) -> None:
    assert "1 news items not imported: the archive has no admin posts yet" in imported.notes
