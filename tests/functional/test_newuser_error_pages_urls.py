"""A URL configuration for the 500 test: the project's, plus a view that fails."""

from django.urls import path

from config.urls import handler404, handler500  # noqa: F401 (ours)
from config.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("fa/broken/", broken), path("en/broken/", broken), *project_urlpatterns]
