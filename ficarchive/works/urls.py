from django.urls import path

from ficarchive.works import views

app_name = "works"
urlpatterns = [
    path("", views.home, name="home"),
    path("works/<int:work_id>", views.work_detail, name="work_detail"),
]
