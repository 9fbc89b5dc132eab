from django.urls import path

from ficarchive.social import views

# Registers the `id` path converter (bounded database ids).
from ficarchive.works import urls as _works_urls  # noqa: F401

app_name = "social"
urlpatterns = [
    path("works/<id:work_id>/kudos", views.kudos_create, name="kudos"),
    path("users/<str:login>/block", views.block_confirm, name="block"),
    path("users/<str:login>/unblock", views.unblock, name="unblock"),
    path("account/blocked", views.blocked_list, name="blocked"),
]
