from django.urls import path

from ficarchive.collections import views

app_name = "collections"

urlpatterns = [
    path("collections", views.collection_index, name="collection_index"),
    path("collections/new", views.collection_new, name="collection_new"),
    path("collections/mine", views.my_collection_items, name="my_collection_items"),
    path(
        "collections/mine/<int:item_id>",
        views.my_collection_item_respond,
        name="my_collection_item_respond",
    ),
    path("collections/<str:name>", views.collection_detail, name="collection_detail"),
    path("collections/<str:name>/profile", views.collection_profile, name="collection_profile"),
    path("collections/<str:name>/edit", views.collection_edit, name="collection_edit"),
    path("collections/<str:name>/add", views.collection_add_work, name="collection_add_work"),
    path("collections/<str:name>/manage", views.collection_manage, name="collection_manage"),
    path("collections/<str:name>/review", views.collection_review, name="collection_review"),
    path("collections/<str:name>/invite", views.collection_invite, name="collection_invite"),
    path("collections/<str:name>/reveal", views.collection_reveal_now, name="collection_reveal"),
    path(
        "collections/<str:name>/maintainers",
        views.collection_maintainer,
        name="collection_maintainer",
    ),
    path(
        "works/<int:work_id>/collections/add",
        views.work_add_to_collection,
        name="work_add_to_collection",
    ),
]
