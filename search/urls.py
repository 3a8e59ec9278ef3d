"""Search: site pages, mounted under /<lang>/search/."""

from django.urls import path

from search import views

app_name = "site_search"
urlpatterns = [
    path("", views.results, name="results"),
    path("suggest/", views.suggest, name="suggest"),
]
