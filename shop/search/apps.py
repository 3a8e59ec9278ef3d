from django.urls import path
from oscar.apps.search import apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search app, label kept, served from the database (no haystack).

    The site-wide search app that arrives later takes another label so it never
    clashes with this one.
    """

    name = "shop.search"

    def ready(self) -> None:
        from shop.search.views import ProductSearchView

        self.search_view = ProductSearchView

    def get_urls(self):
        return self.post_process_urls([path("", self.search_view.as_view(), name="search")])
