"""Entries this app adds to Oscar's dashboard menu (read by config.settings.base).

Kept free of model imports: settings load it before the app registry is ready, so the
vendor check imports its selector lazily. Staff entries show to holders of the named
ability only (core.permissions.can).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, can

_UNSET = object()


def is_vendor_user(user, *args) -> bool:
    """Users who work for a vendor see the seller menu (looked up once per request's user)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_vendors_nav_partner", _UNSET)
    if cached is _UNSET:
        from vendors.selectors import vendor_for_user  # models: not importable while settings load

        cached = vendor_for_user(user)
        user._vendors_nav_partner = cached
    return cached is not None


may_review_applications = can(Ability.REVIEW_VENDOR_APPLICATIONS)
may_manage_vendors = can(Ability.MANAGE_VENDORS)


NAVIGATION: list[dict] = [
    {
        "label": _("Seller"),
        "icon": "fas fa-store",
        "access_fn": is_vendor_user,
        "children": [
            {"label": _("Overview"), "url_name": "vendors-dashboard:home", "access_fn": is_vendor_user},
            {"label": _("Shipments"), "url_name": "vendors-dashboard:shipment-list", "access_fn": is_vendor_user},
            {"label": _("Warranty claims"), "url_name": "vendors-dashboard:claim-list", "access_fn": is_vendor_user},
            {"label": _("Stock and prices"), "url_name": "vendors-dashboard:stock-list", "access_fn": is_vendor_user},
            {"label": _("Products and images"), "url_name": "dashboard:catalogue-product-list",
             "access_fn": is_vendor_user},
            {"label": _("Payouts"), "url_name": "vendors-dashboard:payout-list", "access_fn": is_vendor_user},
            {"label": _("Performance"), "url_name": "vendors-dashboard:performance", "access_fn": is_vendor_user},
        ],
    },
    {
        "label": _("Vendors"),
        "icon": "fas fa-handshake",
        "access_fn": can(Ability.REVIEW_VENDOR_APPLICATIONS, Ability.MANAGE_VENDORS),
        "children": [
            {"label": _("Applications"), "url_name": "vendors-dashboard:application-list",
             "access_fn": may_review_applications},
            {"label": _("Vendors"), "url_name": "vendors-dashboard:vendor-list", "access_fn": may_manage_vendors},
        ],
    },
]
