from django.urls import path, re_path

from ficarchive.api.middleware import api_not_found
from ficarchive.api.v1 import api

urlpatterns = [
    path("api/v1/", api.urls),
    # Any other address under the API answers a problem document, not the site's 404 page.
    re_path(r"^api/", api_not_found),
]
