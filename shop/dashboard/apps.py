from oscar.apps.dashboard import apps


class DashboardConfig(apps.DashboardConfig):
    name = "shop.dashboard"
