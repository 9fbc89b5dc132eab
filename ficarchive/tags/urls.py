from django.urls import path, re_path

from ficarchive.tags import views

# Ids of at most 18 digits, so that the database can compare them (a longer number would
# overflow SQLite's integers and answer 500 instead of 404).
_ID = r"(?P<tag_id>[0-9]{1,18})"

app_name = "tags"
urlpatterns = [
    path("tags/autocomplete", views.autocomplete, name="autocomplete"),
    path("tags/wrangle", views.wrangle_home, name="wrangle_home"),
    path("tags/wrangle/fandoms", views.fandom_bin_unsorted, name="unwrangled_fandoms"),
    re_path(rf"^tags/{_ID}/wrangle$", views.fandom_bin, name="fandom_bin"),
    re_path(rf"^tags/{_ID}/edit$", views.tag_edit, name="tag_edit"),
    # After the fixed paths above: a tag named "autocomplete" is found by its works listing.
    path("tags/<str:tag_name>", views.tag_show, name="tag"),
]
