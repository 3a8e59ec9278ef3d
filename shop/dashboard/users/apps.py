"""Oscar's customers dashboard, forked only for its table (tables.py)."""

from oscar.apps.dashboard.users import apps


class UsersDashboardConfig(apps.UsersDashboardConfig):
    name = "shop.dashboard.users"
