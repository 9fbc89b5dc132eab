"""The visibility matrix's specification and corpus: the states a work can be in, the kinds of
viewer, what each viewer gets of a work in each state (`expected`), and the corpus the matrix
asks about, a work per state whose title word, fandom and creators are its own, so that any of
them found on a page can only come from that work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.collections.services import CollectionFields, collection_create, collection_item_add
from ficarchive.core.changes import works_changed
from ficarchive.search.engine import search_works
from ficarchive.search.query import WorkQuery
from ficarchive.tags.models import Tag, TagType
from ficarchive.works.models import Creatorship, SerialWork, Series, Work
from ficarchive.works.orphaning import works_orphan
from ficarchive.works.posting import work_delete, works_publish_due
from tests.conftest import make_user
from tests.factories import PseudFactory, TagFactory, WorkFactory, add_chapter, add_tags

STATES = (
    "posted",
    "draft",
    "scheduled",
    "restricted",
    "hidden",
    "anonymous",
    "orphaned",
    "deleted",
    # In an unrevealed collection (a mystery until the reveal), and in an anonymous one.
    "unrevealed",
    "anoncollection",
)
# The states whose pages say "Anonymous" for the creators.
ANONYMOUS_STATES = ("anonymous", "anoncollection")
# The collection every state's work is in (approved on both sides), whose page lists them.
MATRIX_COLLECTION = "matrixcollection"
# `creator` and `co-creator` are the state's own (accepted) creators; `invitee` was invited as a
# co-creator and has not accepted, so is nobody to the work yet.
VIEWERS = ("guest", "reader", "creator", "co-creator", "invitee", "wrangler", "admin")


# The field each state that is a flag on a posted work sets.
CHANGES = {"restricted": "restricted", "hidden": "hidden_by_admin", "anonymous": "anonymous"}


@dataclass(frozen=True)
class Outcome:
    opens: bool  # its pages answer (else 404)
    listed: bool  # home, tag pages, search, totals and facets show and count it
    on_creator_pages: bool  # its creator's user and pseud pages list it
    creator_shown: bool  # its own pages name its creators (Anonymous aside)


HIDDEN = Outcome(opens=False, listed=False, on_creator_pages=False, creator_shown=False)


def expected(state: str, viewer: str) -> Outcome:
    """The specification: what a viewer gets of a work in a state.

    Wranglers wrangle tags, not works: they are readers here. Admins open every work that
    exists (to moderate it), but listings follow the listing rule for them too, so that an
    admin's home page is the archive everyone else sees. Listings show one blurb to everyone,
    so an anonymous work's blurb says "Anonymous" even to its creators; its own pages tell
    its creators and admins who made it.
    """
    # An orphaned work's original creator is no longer one of its creators.
    own = viewer == "co-creator" or (viewer == "creator" and state != "orphaned")
    admin = viewer == "admin"
    member = viewer != "guest"
    if state == "deleted":
        return HIDDEN
    if state in ("draft", "scheduled", "hidden", "unrevealed"):
        # Reached only by address, by its creators and admins (with a notice); never listed.
        # An unrevealed work's page tells everyone else "Mystery work" and its collection.
        opens = own or admin
        return Outcome(opens=opens, listed=False, on_creator_pages=False, creator_shown=opens)
    if state == "restricted":
        return Outcome(opens=member, listed=member, on_creator_pages=member, creator_shown=member)
    if state in ANONYMOUS_STATES:
        # Listed, but never on the creator's public pages; only its creator's own page.
        return Outcome(
            opens=True,
            listed=True,
            on_creator_pages=viewer == "creator",
            creator_shown=own or admin,
        )
    if state == "orphaned":
        # The byline is the orphan account (and the co-creator, who kept their part); the
        # original creator's pages no longer list it.
        return Outcome(opens=True, listed=True, on_creator_pages=False, creator_shown=True)
    assert state == "posted"
    return Outcome(opens=True, listed=True, on_creator_pages=True, creator_shown=True)


@dataclass
class Entry:
    """One state's work and the strings that can only come from it."""

    state: str
    work_id: int
    chapter_id: int  # its second chapter
    title_word: str
    fandom: Tag
    creator: User
    cocreator: User
    invitee: User
    comment_id: int = 0  # a reader's comment on it, which its creator answered
    series_id: int = 0  # its series: the companion work is part 1, it is part 2
    bookmark_id: int = 0  # the bookmarker's public bookmark of it
    private_bookmark_id: int = 0  # another reader's private bookmark of it
    series_bookmark_id: int = 0  # the series bookmarker's bookmark of its series

    @property
    def series_title(self) -> str:
        return f"Series matrixseries{self.state}"

    @property
    def comment_text(self) -> str:
        return f"matrixcomment{self.state}"

    @property
    def reply_text(self) -> str:
        return f"matrixreply{self.state}"

    @property
    def title(self) -> str:
        # The whole title: a search page repeats the word searched for in its form.
        return f"The {self.title_word} story"

    @property
    def creator_pseud(self) -> str:
        return f"quill{self.state}pen"

    @property
    def cocreator_pseud(self) -> str:
        return f"quillco{self.state}pen"

    @property
    def invitee_pseud(self) -> str:
        return f"quillinv{self.state}pen"


@dataclass
class Corpus:
    entries: dict[str, Entry]
    reader: User
    wrangler: User
    admin: User
    extra_listed: int  # listed works outside the matrix (the draft-chapter and companion works)
    draft_chapter: tuple[int, int, str]  # (work id, unposted chapter id, its title)
    companion_id: int = 0  # a posted work, part 1 of every state's series
    bookmarker: User | None = None  # a public bookmark of every state's work
    series_bookmarker: User | None = None  # a bookmark of every state's series
    maintainer: User | None = None  # owns the collections

    def user(self, state: str, viewer: str) -> User | None:
        entry = self.entries[state]
        return {
            "guest": None,
            "reader": self.reader,
            "creator": entry.creator,
            "co-creator": entry.cocreator,
            "invitee": entry.invitee,
            "wrangler": self.wrangler,
            "admin": self.admin,
        }[viewer]


def _person(login: str, pseud_name: str) -> tuple[User, Pseud]:
    user = make_user(login)
    return user, PseudFactory.create(user=user, name=pseud_name)


def _comments(work: Work, entry: Entry, commenter: User) -> int:
    """A reader's comment on the work and its creator's reply, written as the comment service
    writes them (straight to the table: drafts take no new comments, and these must be there
    before each state's change)."""
    from ficarchive.core.html import render_userstuff
    from ficarchive.social.models import Comment

    top = Comment.objects.create(
        work=work,
        user=commenter,
        pseud=commenter.default_pseud(),
        text=entry.comment_text,
        html=render_userstuff(entry.comment_text),
    )
    Comment.objects.filter(pk=top.pk).update(thread_id=top.pk)
    Comment.objects.create(
        work=work,
        parent=top,
        thread_id=top.pk,
        depth=1,
        user=entry.creator,
        pseud=entry.creator.pseuds.get(name=entry.creator_pseud),
        by_creator=True,
        text=entry.reply_text,
        html=render_userstuff(entry.reply_text),
    )
    Work.objects.filter(pk=work.pk).update(comments_count=2)
    return top.pk


BOOKMARK_TAG = "matrixbookmarktag"


def _bookmarks(entries: dict[str, Entry]) -> tuple[User, User]:
    """A public bookmark of each state's work (tagged BOOKMARK_TAG by its bookmarker), another
    reader's private one, and a bookmark of each state's series, written straight to the table
    (drafts take no new bookmarks, and these must be there before each state's change)."""
    from ficarchive.social.models import Bookmark, BookmarkTagging

    bookmarker = make_user("matrixbookmarker")
    private = make_user("matrixprivatebookmarker")
    series_bookmarker = make_user("matrixseriesbookmarker")
    tag = TagFactory.create(name=BOOKMARK_TAG, type=TagType.FREEFORM)
    for entry in entries.values():
        public = Bookmark.objects.create(
            user=bookmarker, pseud=bookmarker.default_pseud(), work_id=entry.work_id
        )
        BookmarkTagging.objects.create(bookmark=public, tag=tag)
        entry.bookmark_id = public.pk
        entry.private_bookmark_id = Bookmark.objects.create(
            user=private, pseud=private.default_pseud(), work_id=entry.work_id, private=True
        ).pk
        entry.series_bookmark_id = Bookmark.objects.create(
            user=series_bookmarker,
            pseud=series_bookmarker.default_pseud(),
            series_id=entry.series_id,
        ).pk
        Work.objects.filter(pk=entry.work_id).update(bookmarks_count=1)
    return bookmarker, series_bookmarker


def _collection(entries: dict[str, Entry]) -> User:
    """MATRIX_COLLECTION, with every state's work in it, approved on both sides (straight
    to the table: drafts are there too, before each state's change); returns its owner, who
    also owns the unrevealed and anonymous states' collections."""
    from ficarchive.works.models import Collection, CollectionItem

    maintainer = make_user("matrixmaintainer")
    collection = collection_create(
        maintainer, CollectionFields(name=MATRIX_COLLECTION, title="Matrix collection")
    )
    assert isinstance(collection, Collection)
    for entry in entries.values():
        CollectionItem.objects.create(collection=collection, work_id=entry.work_id)
    return maintainer


def build_corpus() -> Corpus:
    """Creates a work per state, indexes them all as posted, then applies each state's change,
    so that every change must reach the index through the change log."""
    reader = make_user("matrixreader")
    wrangler = make_user("matrixwrangler")
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="wranglers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="tags", codename="wrangle_tag")
    )
    wrangler.groups.add(group)
    admin = make_user("matrixadmin", is_staff=True, is_superuser=True)
    commenter = make_user("matrixcommenter")

    entries: dict[str, Entry] = {}
    for state in STATES:
        creator, pseud = _person(f"login{state}who", f"quill{state}pen")
        cocreator, copseud = _person(f"loginco{state}who", f"quillco{state}pen")
        invitee, invpseud = _person(f"logininv{state}who", f"quillinv{state}pen")
        word = f"matrixtitle{state}"
        starts: dict[str, dict[str, Any]] = {
            "draft": {"posted": False},
            "scheduled": {"posted": False, "publish_at": timezone.now() + timedelta(days=3)},
        }
        fields = starts.get(state, {})
        work = WorkFactory.create(
            title=f"The {word} story",  # Entry.title
            summary="A story of the visibility matrix.",
            creators=[pseud, copseud],
            expected_chapters=2,
            complete=False,
            text="The first chapter, for every reader who may read it.",
            **fields,
        )
        Creatorship.objects.create(work=work, pseud=invpseud, position=2, approved=False)
        chapter = add_chapter(work, "The second chapter, as long as it needs to be.")
        fandom = TagFactory.create(name=f"fandomtag{state}", type=TagType.FANDOM, canonical=True)
        add_tags(work, fandom)
        works_changed([work.pk], "created in a test")
        entries[state] = Entry(
            state, work.pk, chapter.pk, word, fandom, creator, cocreator, invitee
        )
        entries[state].comment_id = _comments(work, entries[state], commenter)

    # A posted work that is part 1 of each state's series (part 2 is the state's work), so
    # that every series page exists for every viewer and shows the state's work or not.
    companion = WorkFactory.create(title="The matrixcompanion story")
    for entry in entries.values():
        series = Series.objects.create(title=entry.series_title)
        series.owners.add(entry.creator)
        SerialWork.objects.create(series=series, work=companion, position=1)
        SerialWork.objects.create(series=series, work_id=entry.work_id, position=2)
        entry.series_id = series.pk
    works_changed([companion.pk], "created in a test")
    bookmarker, series_bookmarker = _bookmarks(entries)
    maintainer = _collection(entries)

    # A posted work with a chapter that is not posted: the chapter rule's case.
    other = WorkFactory.create(title="The matrixchapterwork story", expected_chapters=None)
    add_chapter(other, "A posted second chapter.")
    unposted = add_chapter(other, "Not posted yet.", posted=False, title="matrixunpostedchapter")
    works_changed([other.pk], "created in a test")

    # Index everything as posted first, so that the changes below must reach the index.
    search_works(WorkQuery(), reader)
    for state in ("restricted", "hidden", "anonymous"):
        Work.objects.filter(pk=entries[state].work_id).update(**{CHANGES[state]: True})
        works_changed([entries[state].work_id], "edited")
    for state, unrevealed in (("unrevealed", True), ("anoncollection", False)):
        # Through the service, which sets the work's flag and tells the index.
        collection_fields = CollectionFields(
            name=f"matrix{state}",
            title=f"Matrix {state}",
            unrevealed=unrevealed,
            anonymous=not unrevealed,
        )
        collection = collection_create(maintainer, collection_fields)
        work = Work.objects.for_reading().get(pk=entries[state].work_id)
        collection_item_add(collection, work, entries[state].creator)
    works_orphan(entries["orphaned"].creator, [entries["orphaned"].work_id])
    work_delete(Work.objects.get(pk=entries["deleted"].work_id))
    # A scheduled work stays a draft until its time.
    assert works_publish_due() == 0
    search_works(WorkQuery(), reader)
    draft_chapter = (other.pk, unposted.pk, unposted.title)
    return Corpus(
        entries,
        reader,
        wrangler,
        admin,
        2,
        draft_chapter,
        companion.pk,
        bookmarker,
        series_bookmarker,
        maintainer,
    )
