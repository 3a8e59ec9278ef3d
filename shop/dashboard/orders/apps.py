"""Oscar's order dashboard, for staff only.

Oscar lets partner users into its order pages, but its order detail shows every line of
an order (another vendor's lines too) and the customer's email. Vendors handle their
part of an order in the seller dashboard (vendors/), which shows only their shipment.
"""

from oscar.apps.dashboard.orders import apps
from oscar.core.loading import get_class


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    name = "shop.dashboard.orders"

    def configure_permissions(self):
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        super().configure_permissions()
        self.permissions_map = {
            url_name: (DashboardPermission.staff,) for url_name in self.permissions_map
        }
