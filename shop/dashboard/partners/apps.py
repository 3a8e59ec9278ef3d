"""Oscar's partners dashboard, forked so staff can give a vendor its English name
(`Partner.name_en`), which English pages show instead of the Persian one."""

from oscar.apps.dashboard.partners import apps


class PartnersDashboardConfig(apps.PartnersDashboardConfig):
    name = "shop.dashboard.partners"
