"""`{% if user|can_open:"namespace:name" %}`: show a link only to whoever may open it.

A staff page's view carries the abilities it requires (`ability_required` sets
`required_abilities`); Oscar's dashboard index opens to shop staff and vendor users. A
link that would answer 403 for this role is not shown (issue 15 point 13)."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, get_urlconf, resolve, reverse
from oscar.apps.dashboard.nav import default_access_fn as oscar_access

from core.permissions import Ability, has_ability, has_any_ability

register = template.Library()


def opens_shop_dashboard(user) -> bool:
    return bool(
        (user.is_staff and has_ability(user, Ability.MANAGE_SHOP)) or user.has_perm("partner.dashboard_access")
    )


def _view_of(url_name: str):
    """The view behind a URL name; a page of one object (a job, a ticket) is resolved with a
    stand-in argument: the abilities it requires do not depend on which object it shows."""
    return _view_in(url_name, get_urlconf() or settings.ROOT_URLCONF)


# A staff menu asks for the same half-dozen names on every page; a name's view is fixed
# for a URLconf (a reverse and a resolve each time cost ~0.4 ms a link; issue 16).
@lru_cache(maxsize=512)
def _view_in(url_name: str, urlconf: str | None):
    for args in ((), ("0",)):
        try:
            return resolve(reverse(url_name, args=args)).func
        except NoReverseMatch:
            continue
    return None


@register.filter
def can_open(user, url_name: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if url_name == "dashboard:index":
        return opens_shop_dashboard(user)
    if url_name.startswith("dashboard:"):
        # Oscar's own pages: the check its menu makes (the app's permissions map), which
        # depends on the page, not on which object it shows.
        try:
            return bool(oscar_access(user, url_name))
        except NoReverseMatch:
            return bool(oscar_access(user, url_name, url_kwargs={"pk": 1}))
    view = _view_of(url_name)
    if view is None:
        return True
    abilities = getattr(view, "required_abilities", None)
    return True if abilities is None else has_any_ability(user, abilities)


@register.filter
def can_open_path(user, path: str) -> bool:
    """The same check for a link built elsewhere (a path, not a URL name)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.view_name.startswith("dashboard:"):
        return can_open(user, match.view_name)
    abilities = getattr(match.func, "required_abilities", None)
    return True if abilities is None else has_any_ability(user, abilities)
