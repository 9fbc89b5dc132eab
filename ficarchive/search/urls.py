from django.urls import path

from ficarchive.search import views

app_name = "search"
urlpatterns = [
    path("works/search", views.work_search, name="work_search"),
]
