from django.urls import path

# Registers the `id` path converter (bounded database ids).
from ficarchive.core import converters as _converters  # noqa: F401
from ficarchive.social import views

app_name = "social"
urlpatterns = [
    path("works/<id:work_id>/kudos", views.kudos_create, name="kudos"),
    path("users/<str:login>/block", views.block_confirm, name="block"),
    path("users/<str:login>/unblock", views.unblock, name="unblock"),
    path("account/blocked", views.blocked_list, name="blocked"),
]
