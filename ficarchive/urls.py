from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ficarchive.search.urls")),
    path("", include("ficarchive.works.urls")),
    path("", include("ficarchive.tags.urls")),
    path("", include("ficarchive.accounts.urls")),
    path("", include("ficarchive.social.urls")),
    path("", include("ficarchive.core.urls")),
]

handler404 = "ficarchive.core.views.page_not_found"
handler500 = "ficarchive.core.views.server_error"
handler400 = "ficarchive.core.views.bad_request"
