from django.contrib import admin
from django.urls import include, path

from ficarchive.accounts import urls as accounts_urls
from ficarchive.accounts.views.auth import admin_login
from ficarchive.search import bookmark_listings, creators, fandoms, listings
from ficarchive.social import urls as social_urls
from ficarchive.works import urls as works_urls
from ficarchive.works.views import account_deletion, dashboard, reader_filters

urlpatterns = [
    # Before the admin's own URLs: its login form goes through the site's throttle.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("ficarchive.api.urls")),
    path("", include("ficarchive.search.urls")),
    # The works' namespace also names the listings the search app serves.
    path(
        "",
        include(
            (
                works_urls.urlpatterns + listings.works_urlpatterns + fandoms.works_urlpatterns,
                works_urls.app_name,
            )
        ),
    ),
    path("", include("ficarchive.tags.urls")),
    # The accounts' namespace also names the account pages that works and search own.
    path(
        "",
        include(
            (
                accounts_urls.urlpatterns
                + account_deletion.accounts_urlpatterns
                + dashboard.accounts_urlpatterns
                + reader_filters.accounts_urlpatterns
                + creators.accounts_urlpatterns,
                accounts_urls.app_name,
            )
        ),
    ),
    # The social namespace also names the bookmark lists the search app serves.
    path(
        "",
        include(
            (
                social_urls.urlpatterns + bookmark_listings.social_urlpatterns,
                social_urls.app_name,
            )
        ),
    ),
    path("", include("ficarchive.collections.urls")),
    path("", include("ficarchive.formats.urls")),
    path("", include("ficarchive.core.urls")),
]

handler404 = "ficarchive.core.views.page_not_found"
handler403 = "ficarchive.core.views.permission_denied"
handler500 = "ficarchive.core.views.server_error"
handler400 = "ficarchive.core.views.bad_request"
