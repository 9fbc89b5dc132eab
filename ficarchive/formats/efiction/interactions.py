"""What hangs off eFiction's stories: series with their order, reviews as comments on the
right chapter (author responses as replies), favourites as bookmarks and subscriptions.

Reviews are written as comment rows here rather than through social.comments.comment_post:
that service is for a reader posting now (spam check, duplicate window, inbox and mail to the
creators), none of which an import of years-old reviews wants; the work's comment count is
recomputed from the rows once the reviews are in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.core.changes import works_changed
from ficarchive.core.html import render_userstuff
from ficarchive.formats.efiction import values
from ficarchive.formats.efiction.links import Links, in_chunks
from ficarchive.formats.efiction.reader import Row
from ficarchive.formats.efiction.report import Report
from ficarchive.formats.models import LegacyKind
from ficarchive.social.bookmarks import BookmarkError, BookmarkFields, bookmark_create
from ficarchive.social.models import GUEST_NAME_MAX, Comment, CommentState
from ficarchive.social.subscriptions import SubscriptionError, subscribe
from ficarchive.works.models import Creatorship, SerialWork, Series, Work

# eFiction appends the author's response to the review's text after this label.
_RESPONSE = re.compile(r"(?:<[^>]*>|\s)*author(?:'|&#0?39;|’)?s\s+response\s*:?", re.IGNORECASE)
_LEADING_CLOSERS = re.compile(r"^(?:\s|</[^>]*>|:)+")


def series_import(
    series_rows: Iterable[Row], inseries_rows: Iterable[Row], links: Links, report: Report
) -> None:
    """The series not imported before, then every story's place in them, renumbered 1, 2, ...
    in eFiction's order."""
    with transaction.atomic():
        made: list[tuple[object, int]] = []
        for row in sorted(series_rows, key=lambda row: values.integer(row.get("seriesid"))):
            report.read["series"] += 1
            seriesid = values.integer(row.get("seriesid"))
            if links.has(LegacyKind.SERIES, seriesid):
                report.already["series"] += 1
                continue
            owner = links.get(LegacyKind.AUTHOR, values.integer(row.get("uid")))
            title = values.repaired(
                row.get("title"), report.repairer("series", seriesid, "title")
            ).strip()
            series = Series.objects.create(
                title=title or f"Untitled series {seriesid}",
                summary=values.repaired(row.get("summary")).strip(),
            )
            if owner is not None:
                series.owners.add(owner)
            else:
                report.note(f"series {seriesid}: its owner is not a member; no one may edit it")
            made.append((seriesid, series.pk))
        links.add(LegacyKind.SERIES, made)
        report.made["series"] += len(made)
        places: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        for row in inseries_rows:
            report.read["inseries"] += 1
            seriesid = values.integer(row.get("seriesid"))
            sid = values.integer(row.get("sid"))
            if values.integer(row.get("subseriesid")) and not sid:
                report.skip("inseries", seriesid, "a series inside a series is not kept")
                continue
            series_id = links.get(LegacyKind.SERIES, seriesid)
            work_id = links.get(LegacyKind.STORY, sid)
            if series_id is None or work_id is None:
                report.skip("inseries", f"{seriesid}/{sid}", "the series or the story is missing")
                continue
            places[series_id].append((values.integer(row.get("inorder")), sid, work_id))
        existing: set[tuple[int, int]] = set()
        for chunk in in_chunks(places):
            existing.update(
                SerialWork.objects.filter(series_id__in=chunk).values_list("series_id", "work_id")
            )
        new = []
        for series_id, parts in places.items():
            for position, (_order, _sid, work_id) in enumerate(sorted(parts), 1):
                if (series_id, work_id) in existing:
                    report.already["inseries"] += 1
                    continue
                new.append(SerialWork(series_id=series_id, work_id=work_id, position=position))
        SerialWork.objects.bulk_create(new)
        report.made["series parts"] += len(new)
        if new:
            works_changed({part.work_id for part in new}, "imported series")


def split_response(review: str) -> tuple[str, str]:
    """The review's own text and the author's response that eFiction appended to it."""
    found = _RESPONSE.search(review)
    if found is None:
        return review, ""
    own = review[: found.start()].rstrip()
    response = _LEADING_CLOSERS.sub("", review[found.end() :]).strip()
    return own, response


def reviews_import(
    rows: Iterable[Row],
    links: Links,
    report: Report,
    *,
    batch_size: int = 500,
    zone: tzinfo = UTC,
    on_row: Callable[[], None] | None = None,
) -> None:
    """Story reviews to comments (members under their default pseud, guests by name), and
    the author's responses to replies by the story's first creator."""
    pseuds: dict[int, int] = {}
    for chunk in in_chunks(links.all(LegacyKind.AUTHOR).values()):
        pseuds.update(
            Pseud.objects.filter(is_default=True, user_id__in=chunk).values_list("user_id", "pk")
        )
    first_creators = _first_creators(links.all(LegacyKind.STORY).values())
    users: dict[int, int] = {}
    for chunk in in_chunks(first_creators.values()):
        users.update(Pseud.objects.filter(pk__in=chunk).values_list("pk", "user_id"))
    touched: set[int] = set()
    batch: list[Row] = []
    for row in sorted(rows, key=lambda row: values.integer(row.get("reviewid"))):
        report.read["reviews"] += 1
        if on_row:
            on_row()
        batch.append(row)
        if len(batch) >= batch_size:
            _reviews_write(batch, links, report, pseuds, first_creators, users, touched, zone)
            batch = []
    if batch:
        _reviews_write(batch, links, report, pseuds, first_creators, users, touched, zone)
    if touched:
        with transaction.atomic():
            comments_recount(touched)


def _first_creators(work_ids: Iterable[int]) -> dict[int, int]:
    """Each of these works' first creator's pseud id."""
    found: dict[int, int] = {}
    for chunk in in_chunks(work_ids):
        rows = Creatorship.objects.filter(work_id__in=chunk).order_by("work_id", "-position")
        for work_id, pseud_id in rows.values_list("work_id", "pseud_id"):
            found[work_id] = pseud_id
    return found


def _reviews_write(
    batch: list[Row],
    links: Links,
    report: Report,
    pseuds: dict[int, int],
    first_creators: dict[int, int],
    users: dict[int, int],
    touched: set[int],
    zone: tzinfo,
) -> None:
    """A batch of reviews in one transaction: the comments in one insert, then their
    replies in another. `users` gives each first creator's pseud its user."""
    reviews: list[tuple[int, Comment, str]] = []
    for row in batch:
        reviewid = values.integer(row.get("reviewid"))
        if links.has(LegacyKind.REVIEW, reviewid):
            report.already["reviews"] += 1
            continue
        if values.text(row.get("type")).upper() not in {"ST", ""}:
            report.skip("reviews", reviewid, f"a review of a {row.get('type')!r}, not a story")
            continue
        work_id = links.get(LegacyKind.STORY, values.integer(row.get("item")))
        if work_id is None:
            report.skip("reviews", reviewid, f"story {row.get('item')} was not imported")
            continue
        chapter_id = links.get(LegacyKind.CHAPTER, values.integer(row.get("chapid")))
        text = values.repaired(row.get("review"), report.repairer("reviews", reviewid, "review"))
        own, response = split_response(text)
        html = render_userstuff(own, allow_class=False)
        if not own.strip() or not html.strip():
            report.skip("reviews", reviewid, "no text (a rating alone)")
            continue
        when = values.when(row.get("date"), zone) or timezone.now()
        user_id = links.get(LegacyKind.AUTHOR, values.integer(row.get("uid")))
        if values.integer(row.get("uid")) and user_id is None:
            report.note(f"review {reviewid}: member {row.get('uid')} unknown; kept as a guest's")
        pseud_id = pseuds.get(user_id or 0)
        name = values.repaired(row.get("reviewer")).strip()[:GUEST_NAME_MAX] or "Guest"
        comment = _comment(work_id, chapter_id, own, html, when, user_id, pseud_id, name)
        reviews.append((reviewid, comment, response))
    with transaction.atomic():
        Comment.objects.bulk_create([comment for _id, comment, _r in reviews])
        ids = [comment.pk for _id, comment, _r in reviews]
        # Each top-level comment is its own thread.
        Comment.objects.filter(pk__in=ids).update(thread_id=F("pk"))
        replies: list[tuple[int, Comment]] = []
        for reviewid, comment, response in reviews:
            touched.add(comment.work_id)
            if not response:
                continue
            creator = first_creators.get(comment.work_id)
            html = render_userstuff(response, allow_class=False)
            reply = _comment(
                comment.work_id,
                comment.chapter_id,
                response,
                html,
                comment.created_at,
                users.get(creator or 0),
                creator,
                "",
                parent=comment,
            )
            replies.append((reviewid, reply))
        Comment.objects.bulk_create([reply for _id, reply in replies])
        links.add(LegacyKind.REVIEW, [(reviewid, c.pk) for reviewid, c, _r in reviews])
        links.add(LegacyKind.RESPONSE, [(reviewid, reply.pk) for reviewid, reply in replies])
    report.made["comments"] += len(reviews)
    report.made["replies"] += len(replies)


def _comment(
    work_id: int,
    chapter_id: int | None,
    text: str,
    html: str,
    when: datetime,
    user_id: int | None,
    pseud_id: int | None,
    guest_name: str,
    parent: Comment | None = None,
) -> Comment:
    """A published comment row (unsaved); a member's needs both user and pseud, else it is
    a guest's."""
    member = user_id is not None and pseud_id is not None
    return Comment(
        work_id=work_id,
        chapter_id=chapter_id,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        thread_id=parent.pk if parent else None,
        user_id=user_id if member else None,
        pseud_id=pseud_id if member else None,
        guest_name="" if member else guest_name or "Guest",
        by_creator=parent is not None,
        text=text,
        html=html,
        state=CommentState.PUBLISHED,
        created_at=when,
    )


def comments_recount(work_ids: Iterable[int]) -> None:
    """Set these works' comment counts from their published comments, and tell search."""
    ids = sorted(work_ids)
    for chunk in in_chunks(ids):
        counts = dict(
            Comment.objects.filter(work_id__in=chunk, state=CommentState.PUBLISHED, deleted=False)
            .values("work_id")
            .annotate(n=Count("pk"))
            .values_list("work_id", "n")
        )
        for work_id in chunk:
            Work.objects.filter(pk=work_id).update(comments_count=counts.get(work_id, 0))
    works_changed(ids, "imported comments")


def favorites_import(
    rows: Iterable[Row], links: Links, report: Report, on_row: Callable[[], None] | None = None
) -> None:
    """Favourite stories and series to bookmarks, favourite authors to subscriptions, each
    through the social services (they keep the counts and refuse what a reader may not see)."""
    users: dict[int, User] = {}
    pseuds: dict[int, Pseud] = {}
    for chunk in in_chunks(links.all(LegacyKind.AUTHOR).values()):
        users.update((user.pk, user) for user in User.objects.filter(pk__in=chunk))
        pseuds.update(
            (p.user_id, p) for p in Pseud.objects.filter(is_default=True, user_id__in=chunk)
        )
    for row in rows:
        report.read["favorites"] += 1
        if on_row:
            on_row()
        kind = values.text(row.get("type")).upper()
        uid, item = values.integer(row.get("uid")), values.integer(row.get("item"))
        key = f"{uid}:{kind}:{item}"
        if links.has(LegacyKind.FAVORITE, key):
            report.already["favorites"] += 1
            continue
        user = users.get(links.get(LegacyKind.AUTHOR, uid) or 0)
        if user is None:
            report.skip("favorites", key, f"member {uid} was not imported")
            continue
        target: Work | Series | User | None = None
        if kind == "ST":
            target = Work.objects.filter(pk=links.get(LegacyKind.STORY, item) or 0).first()
        elif kind == "SE":
            target = Series.objects.filter(pk=links.get(LegacyKind.SERIES, item) or 0).first()
        elif kind == "AU":
            target = User.objects.filter(pk=links.get(LegacyKind.AUTHOR, item) or 0).first()
        else:
            report.skip("favorites", key, f"unknown favourite type {kind!r}")
            continue
        if target is None:
            report.skip("favorites", key, "the favourite's item was not imported")
            continue
        try:
            with transaction.atomic():
                made = _favorite(
                    user, pseuds[user.pk], target, values.repaired(row.get("comments"))
                )
                links.add(LegacyKind.FAVORITE, [(key, made)])
        except (BookmarkError, SubscriptionError) as error:
            links.forget(LegacyKind.FAVORITE, [key])
            report.skip("favorites", key, str(error))
            continue
        report.made["subscriptions" if kind == "AU" else "bookmarks"] += 1


def _favorite(user: User, pseud: Pseud, target: Work | Series | User, notes: str) -> int:
    if isinstance(target, User):
        return subscribe(user, target).pk
    return bookmark_create(user, target, BookmarkFields(pseud=pseud, notes=notes.strip())).pk
