"""The support desk's entries in Oscar's dashboard menu (read by config.settings.base);
shown only to holders of handle_tickets. No model imports: settings load this module."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, can

desk = can(Ability.HANDLE_TICKETS)

NAVIGATION: list[dict] = [
    {
        "label": _("Support desk"),
        "icon": "fas fa-headset",
        "access_fn": desk,
        "children": [
            {"label": _("Agents' queue"), "url_name": "support-dashboard:queue", "access_fn": desk},
            {"label": _("Log a call"), "url_name": "support-dashboard:call", "access_fn": desk},
            {"label": _("Quality calls"), "url_name": "support-dashboard:quality", "access_fn": desk},
            {"label": _("Reports"), "url_name": "support-dashboard:reports", "access_fn": desk},
        ],
    },
]
