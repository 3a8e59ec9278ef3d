"""The payments entry of Oscar's dashboard menu, shown to holders of `view_payments` only
(config.settings adds it to OSCAR_DASHBOARD_NAVIGATION)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, can

NAVIGATION: list[dict] = [
    {
        "label": _("Payments"),
        "icon": "fas fa-credit-card",
        "url_name": "payments-dashboard:list",
        "access_fn": can(Ability.VIEW_PAYMENTS),
    },
]
