from django.urls import path  # noqa: F401

app_name = "services_catalog-api"
urlpatterns: list = []
