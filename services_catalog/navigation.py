"""Entries this app adds to Oscar's dashboard menu (read by config.settings.base).

Kept free of model imports: settings load it before the app registry is ready. The
provider check imports lazily, when the menu is drawn.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def is_staff(user, *args) -> bool:
    return bool(user.is_staff)


def is_provider(user, *args) -> bool:
    if not user.is_authenticated:
        return False
    # The menu asks once per entry: remember the answer on this request's user object.
    cached = getattr(user, "_chaarsoo_is_provider", None)
    if cached is None:
        from services_catalog.models import Provider

        cached = Provider.objects.filter(user=user).exists()
        user._chaarsoo_is_provider = cached
    return cached


NAVIGATION: list[dict] = [
    {
        "label": _("Service jobs"),
        "icon": "fas fa-tools",
        "access_fn": is_staff,
        "children": [
            {"label": _("Job queue"), "url_name": "services_catalog-dashboard:job-list", "access_fn": is_staff},
            {"label": _("Phone intake"), "url_name": "services_catalog-dashboard:intake", "access_fn": is_staff},
            {"label": _("Warranty claims"), "url_name": "services_catalog-dashboard:warranty-list",
             "access_fn": is_staff},
            {"label": _("Complaints"), "url_name": "services_catalog-dashboard:complaint-list", "access_fn": is_staff},
            {"label": _("Providers"), "url_name": "services_catalog-dashboard:provider-list", "access_fn": is_staff},
        ],
    },
    {
        "label": _("My service jobs"),
        "icon": "fas fa-toolbox",
        "access_fn": is_provider,
        "children": [
            {"label": _("Jobs"), "url_name": "services_catalog-dashboard:provider-jobs", "access_fn": is_provider},
            {"label": _("Calendar"), "url_name": "services_catalog-dashboard:provider-calendar",
             "access_fn": is_provider},
            {"label": _("Availability and areas"), "url_name": "services_catalog-dashboard:provider-availability",
             "access_fn": is_provider},
            {"label": _("Earnings"), "url_name": "services_catalog-dashboard:provider-earnings",
             "access_fn": is_provider},
            {"label": _("Ratings"), "url_name": "services_catalog-dashboard:provider-ratings",
             "access_fn": is_provider},
        ],
    },
]
