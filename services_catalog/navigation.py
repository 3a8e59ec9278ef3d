"""Entries this app adds to Oscar's dashboard menu (read by config.settings.base).

Each staff entry shows only to holders of the named ability its page needs
(core.permissions). Kept free of model imports: settings load it before the app registry
is ready, so the provider check imports its model when the menu is drawn.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, can

A = Ability
MANAGE_JOBS, QUOTE_JOB, RECORD_CASH, REFUND_PAYMENT, FILE_FOR_CALLER = (
    A.MANAGE_JOBS, A.QUOTE_JOB, A.RECORD_CASH, A.REFUND_PAYMENT, A.FILE_FOR_CALLER)
JUDGE_WARRANTY, RESOLVE_COMPLAINTS, MANAGE_PROVIDERS = A.JUDGE_WARRANTY, A.RESOLVE_COMPLAINTS, A.MANAGE_PROVIDERS
# Whoever works on jobs reaches the queue (quote, manage, cash, refund, phone intake).
job_desk = can(MANAGE_JOBS, QUOTE_JOB, RECORD_CASH, REFUND_PAYMENT, FILE_FOR_CALLER)
STAFF_ENTRIES = can(MANAGE_JOBS, QUOTE_JOB, RECORD_CASH, REFUND_PAYMENT, FILE_FOR_CALLER, JUDGE_WARRANTY,
                    RESOLVE_COMPLAINTS, MANAGE_PROVIDERS)


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
        "access_fn": STAFF_ENTRIES,
        "children": [
            {"label": _("Job queue"), "url_name": "services_catalog-dashboard:job-list", "access_fn": job_desk},
            {"label": _("Phone intake"), "url_name": "services_catalog-dashboard:intake",
             "access_fn": can(FILE_FOR_CALLER)},
            {"label": _("Warranty claims"), "url_name": "services_catalog-dashboard:warranty-list",
             "access_fn": can(JUDGE_WARRANTY)},
            {"label": _("Complaints"), "url_name": "services_catalog-dashboard:complaint-list",
             "access_fn": can(RESOLVE_COMPLAINTS)},
            {"label": _("Providers"), "url_name": "services_catalog-dashboard:provider-list",
             "access_fn": can(MANAGE_PROVIDERS)},
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
