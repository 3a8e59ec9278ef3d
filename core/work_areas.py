"""The work areas a signed-in user has beside their customer account (seller dashboard,
provider jobs, staff dashboard, CMS, and the consoles of apps to come), for the account
menu. Each app registers its own area from its AppConfig.ready(), so core never imports a
domain app to find out whether someone is a vendor or a provider.

The menu is on every signed-in page, so it is read in two queries whatever the number of
areas (issue 16): the user's permissions in one (Django's backend takes two), and every
area registered with `exists` (a membership: a vendor's partner, a provider, a clerk) in
one query of `EXISTS` subqueries. Nothing is kept beyond the request: a role granted or
taken away shows on the next page. Only the two queries' SQL is kept, compiled once per
process (core.compiled_queries): building them cost more than running them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Exists, QuerySet
from django.urls import reverse
from django.utils.functional import Promise

from core.compiled_queries import CompiledQuery


@dataclass(frozen=True)
class WorkArea:
    key: str
    label: str | Promise
    url_name: str
    # visible(user) -> bool; may query, so it runs once per request per area.
    visible: Callable[[Any], bool] | None = None
    order: int = 100
    # A literal path instead of a reversible URL name (Wagtail's /cms/).
    path: str = ""
    # exists(user) -> a queryset that has a row when the area is the user's (instead of
    # `visible`): all of them are asked in a single query.
    exists: Callable[[Any], QuerySet] | None = None

    def __post_init__(self) -> None:
        if (self.visible is None) == (self.exists is None):
            raise ValueError(f"work area {self.key!r}: give exactly one of visible and exists")

    def url(self) -> str:
        return self.path or reverse(self.url_name)


_AREAS: dict[str, WorkArea] = {}


def register(area: WorkArea) -> None:
    """Register (or replace, by key) a work area."""
    _AREAS[area.key] = area


def areas_for(user: Any) -> list[WorkArea]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    areas = sorted(_AREAS.values(), key=lambda a: (a.order, a.key))
    load_permissions(user)
    memberships = tuple(area for area in areas if area.exists is not None)
    held: dict[str, bool] = {}
    if memberships:
        rows = _MEMBERSHIPS.rows(user.pk, variant=tuple((area.key, id(area.exists)) for area in memberships))
        flags = rows[0] if rows else (False,) * len(memberships)
        held = {area.key: bool(flag) for area, flag in zip(memberships, flags, strict=True)}
    return [area for area in areas if (held[area.key] if area.exists is not None else area.visible(user))]


def _memberships_query(user_pk: int) -> QuerySet:
    """One row of booleans, one per area registered with `exists`, in `areas_for`'s order."""
    User = get_user_model()
    stand_in = User(pk=user_pk)
    memberships = [area for area in sorted(_AREAS.values(), key=lambda a: (a.order, a.key)) if area.exists]
    return User.objects.filter(pk=user_pk).order_by().values_list(
        *(Exists(area.exists(stand_in)) for area in memberships)
    )


def _permissions_query(user_pk: int) -> QuerySet:
    # By name: apps import this module while the app registry is still loading.
    Permission = apps.get_model("auth", "Permission")
    # order_by(): Permission is ordered by default, and a UNION's parts may not be.
    columns = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user__pk=user_pk).order_by().values_list(*columns)
    from_groups = Permission.objects.filter(group__user__pk=user_pk).order_by().values_list(*columns)
    return own.union(from_groups)


_MEMBERSHIPS = CompiledQuery(_memberships_query)
_PERMISSIONS = CompiledQuery(_permissions_query)


def load_permissions(user: Any) -> None:
    """Fill Django's per-request permission cache of `user` in one query.

    `ModelBackend.get_all_permissions` reads the user's own permissions and their groups'
    in two queries and keeps the union on the user as `_perm_cache`, which `has_perm` (and
    so `has_ability`) reads from then on; this puts the same union there with a `UNION`.
    Superusers and inactive users are left to Django (all permissions, or none).
    """
    if hasattr(user, "_perm_cache") or user.is_superuser or not user.is_active:
        return
    user._perm_cache = {f"{app_label}.{codename}" for app_label, codename in _PERMISSIONS.rows(user.pk)}
