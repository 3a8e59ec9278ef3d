import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = 'shop.catalogue'

    def ready(self) -> None:
        super().ready()
        # The header's basket total is kept under the offers' version. Imported here: the
        # module loads Oscar's models, which are not ready when this file is imported.
        from shop import basket_summary

        basket_summary.connect_invalidation()
