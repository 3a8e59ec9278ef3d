"""Oscar's catalogue dashboard, where vendors keep their own products and images, minus
deleting products.

A product can be stocked by more than one vendor, and deleting it takes every vendor's
stock record and order history links with it; so only staff delete (or bulk-change)
products. Vendors take an item off sale by setting its stock to zero.
"""

from oscar.apps.dashboard.catalogue import apps
from oscar.core.loading import get_class


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = "shop.dashboard.catalogue"

    staff_only = ("catalogue-product-delete", "catalogue-product-bulk-action")

    def configure_permissions(self):
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        super().configure_permissions()
        for url_name in self.staff_only:
            self.permissions_map[url_name] = (DashboardPermission.staff,)
