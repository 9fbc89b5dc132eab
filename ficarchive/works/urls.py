from django.urls import path

# Registers the `id` path converter (bounded database ids).
from ficarchive.core import converters as _converters  # noqa: F401
from ficarchive.works.views import history, moderation, orphaning, posting, reading, series

app_name = "works"
urlpatterns = [
    path("works/<id:work_id>", reading.work_detail, name="work_detail"),
    path("works/<id:work_id>/navigate", reading.work_navigate, name="work_navigate"),
    path("works/<id:work_id>/chapters", reading.chapter_select, name="chapter_select"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>",
        reading.chapter_detail,
        name="chapter_detail",
    ),
    # Posting and editing.
    path("works/new", posting.work_new, name="work_new"),
    path("works/<id:work_id>/edit", posting.work_edit, name="work_edit"),
    path("works/<id:work_id>/post", posting.work_post, name="work_post"),
    path("works/<id:work_id>/delete", posting.work_delete_view, name="work_delete"),
    path("works/<id:work_id>/chapters/new", posting.chapter_new, name="chapter_new"),
    path("works/<id:work_id>/chapters/manage", posting.chapters_manage, name="chapters_manage"),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/edit",
        posting.chapter_edit,
        name="chapter_edit",
    ),
    path(
        "works/<id:work_id>/chapters/<id:chapter_id>/delete",
        posting.chapter_delete_view,
        name="chapter_delete",
    ),
    path("works/<id:work_id>/cocreator", posting.cocreator_invitation, name="cocreator"),
    path("works/<id:work_id>/leave", posting.creatorship_leave_view, name="creatorship_leave"),
    path("works/<id:work_id>/orphan", orphaning.work_orphan_view, name="work_orphan"),
    # Series.
    path("series/<id:series_id>", series.series_detail, name="series_detail"),
    path("series/<id:series_id>/edit", series.series_edit, name="series_edit"),
    path("series/<id:series_id>/delete", series.series_delete_view, name="series_delete"),
    path("users/<str:login>/series", series.user_series_list, name="user_series"),
    # Reading history and Marked for Later.
    path("account/history", history.history_page, name="history"),
    path("account/history/clear", history.history_clear_view, name="history_clear"),
    path("account/later", history.later_page, name="later"),
    path("works/<id:work_id>/later", history.later_toggle_view, name="later_toggle"),
    # Moderation by admins.
    path("works/<id:work_id>/hide", moderation.work_hide_view, name="work_hide"),
    path("works/<id:work_id>/unhide", moderation.work_unhide_view, name="work_unhide"),
    path("works/<id:work_id>/spam", moderation.work_spam_view, name="work_spam"),
]
