from django.contrib import admin
from django.urls import include, path

from ficarchive.search import listings
from ficarchive.works import urls as works_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ficarchive.search.urls")),
    # The works' namespace also names the listings the search app serves.
    path("", include((works_urls.urlpatterns + listings.works_urlpatterns, works_urls.app_name))),
    path("", include("ficarchive.tags.urls")),
    path("", include("ficarchive.accounts.urls")),
    path("", include("ficarchive.social.urls")),
    path("", include("ficarchive.core.urls")),
]

handler404 = "ficarchive.core.views.page_not_found"
handler500 = "ficarchive.core.views.server_error"
handler400 = "ficarchive.core.views.bad_request"
