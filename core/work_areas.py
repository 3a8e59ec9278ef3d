"""The work areas a signed-in user has beside their customer account (seller dashboard,
provider jobs, staff dashboard, CMS, and the consoles of apps to come), for the account
menu. Each app registers its own area from its AppConfig.ready(), so core never imports a
domain app to find out whether someone is a vendor or a provider."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkArea:
    key: str
    label: str | Promise
    url_name: str
    # visible(user) -> bool; may query, so it runs once per request per area.
    visible: Callable[[Any], bool]
    order: int = 100
    # A literal path instead of a reversible URL name (Wagtail's /cms/).
    path: str = ""

    def url(self) -> str:
        return self.path or reverse(self.url_name)


_AREAS: dict[str, WorkArea] = {}


def register(area: WorkArea) -> None:
    """Register (or replace, by key) a work area."""
    _AREAS[area.key] = area


def areas_for(user: Any) -> list[WorkArea]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    return [area for area in sorted(_AREAS.values(), key=lambda a: (a.order, a.key)) if area.visible(user)]
