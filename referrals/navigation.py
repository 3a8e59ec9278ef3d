"""The referral programme's entry in Oscar's dashboard menu (read by config.settings.base);
no model imports (settings load it before the app registry is ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, can

manage = can(Ability.MANAGE_REFERRALS)
NAVIGATION: list[dict] = [
    {
        "label": _("Referrals and gifts"),
        "icon": "fas fa-gift",
        "access_fn": manage,
        "children": [
            {"label": _("Report"), "url_name": "referrals-dashboard:report", "access_fn": manage},
            {"label": _("Review referrals"), "url_name": "referrals-dashboard:review", "access_fn": manage},
            {"label": _("Gift requests"), "url_name": "referrals-dashboard:redemption-list", "access_fn": manage},
            {"label": _("Gift catalogue"), "url_name": "referrals-dashboard:gift-list", "access_fn": manage},
            {"label": _("Programme settings"), "url_name": "referrals-dashboard:settings", "access_fn": manage},
        ],
    },
]
