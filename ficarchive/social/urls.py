from django.urls import path

# Registers the `id` path converter (bounded database ids).
from ficarchive.core import converters as _converters  # noqa: F401
from ficarchive.social.views import bookmarks, comments, inbox, kudos, subscriptions

# The lists of bookmarks (a user's, a work's, a series', a tag's, one) are the search app's
# (search.bookmark_listings), in this namespace too (ficarchive.urls).
app_name = "social"
urlpatterns = [
    path("works/<id:work_id>/kudos", kudos.kudos_create, name="kudos"),
    path("users/<str:login>/block", kudos.block_confirm, name="block"),
    path("users/<str:login>/unblock", kudos.unblock, name="unblock"),
    path("account/blocked", kudos.blocked_list, name="blocked"),
    # Comments.
    path("works/<id:work_id>/comments", comments.work_comments, name="work_comments"),
    path("works/<id:work_id>/comments/new", comments.comment_new, name="comment_new"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/comments",
        comments.chapter_comments,
        name="chapter_comments",
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/comments/new",
        comments.chapter_comment_new,
        name="chapter_comment_new",
    ),
    path("comments/<id:comment_id>", comments.comment_thread, name="comment_thread"),
    path("comments/<id:comment_id>/reply", comments.comment_reply, name="comment_reply"),
    path("comments/<id:comment_id>/edit", comments.comment_edit_view, name="comment_edit"),
    path("comments/<id:comment_id>/delete", comments.comment_delete_view, name="comment_delete"),
    path("comments/<id:comment_id>/hide", comments.comment_hide_view, name="comment_hide"),
    path("comments/<id:comment_id>/freeze", comments.comment_freeze_view, name="comment_freeze"),
    path(
        "comments/<id:comment_id>/unfreeze",
        comments.comment_unfreeze_view,
        name="comment_unfreeze",
    ),
    path("comments/<id:comment_id>/approve", comments.comment_approve_view, name="comment_approve"),
    path("comments/<id:comment_id>/spam", comments.comment_spam_view, name="comment_spam"),
    # The inbox.
    path("inbox", inbox.inbox, name="inbox"),
    path("inbox/update", inbox.inbox_update, name="inbox_update"),
    path("inbox/updates", subscriptions.updates_page, name="updates"),
    # Bookmarks.
    path("works/<id:work_id>/bookmarks/new", bookmarks.work_bookmark_new, name="work_bookmark_new"),
    path(
        "series/<id:series_id>/bookmarks/new",
        bookmarks.series_bookmark_new,
        name="series_bookmark_new",
    ),
    path("bookmarks/external/new", bookmarks.external_bookmark_new, name="external_bookmark_new"),
    path("bookmarks/mine", bookmarks.bookmarks_mine, name="bookmarks_mine"),
    path("bookmarks/<id:bookmark_id>/edit", bookmarks.bookmark_edit, name="bookmark_edit"),
    path(
        "bookmarks/<id:bookmark_id>/delete", bookmarks.bookmark_delete_view, name="bookmark_delete"
    ),
    # Subscriptions.
    path("subscriptions", subscriptions.subscription_toggle, name="subscribe"),
    path("account/subscriptions", subscriptions.subscriptions_page, name="subscriptions"),
    path(
        "account/subscriptions/<id:subscription_id>/delete",
        subscriptions.subscription_delete,
        name="subscription_delete",
    ),
]
