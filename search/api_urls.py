"""Search: API endpoints, mounted under /api/v1/search/."""

from django.urls import path

from search.api import SearchView, SuggestView

app_name = "site_search-api"
urlpatterns = [
    path("", SearchView.as_view(), name="search"),
    path("suggest/", SuggestView.as_view(), name="suggest"),
]
