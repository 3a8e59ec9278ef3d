"""Search: work pages, mounted under /<lang>/dashboard/search/."""

from django.urls import path

from search import dashboard_views

app_name = "site_search-dashboard"
urlpatterns = [
    path("", dashboard_views.reports, name="reports"),
    path("synonyms/<int:pk>/delete/", dashboard_views.synonym_delete, name="synonym-delete"),
]
