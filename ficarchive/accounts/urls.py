from django.urls import path

from ficarchive.accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/<str:login>/works", views.user_works, name="user_works"),
    # A byline links to the pseud's page; until profiles exist, that is the pseud's works.
    path("users/<str:login>/pseuds/<str:pseud_name>", views.pseud_works, name="pseud"),
    path("users/<str:login>/pseuds/<str:pseud_name>/works", views.pseud_works, name="pseud_works"),
]
