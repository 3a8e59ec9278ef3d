"""The work areas a signed-in user has beside their customer account (seller dashboard,
provider jobs, staff dashboard, CMS, and the consoles of apps to come), for the account
menu. Each app registers its own area from its AppConfig.ready(), so core never imports a
domain app to find out whether someone is a vendor or a provider.

The menu is on every signed-in page, so it is read in one query whatever the number of
areas (issue 16): the user's permissions (Django's backend takes two queries) and every
area registered with `exists` (a membership: a vendor's partner, a provider, a clerk) as
`EXISTS` subqueries, in one `UNION ALL`, asked when either is first needed in the request
(a view's permission check or the menu) and kept on the request's user object only, as
Django keeps `_perm_cache`: a role granted or taken away shows on the next page. Only the
query's SQL is kept, compiled once per process (core.compiled_queries): building it cost
more than running it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import BooleanField, CharField, Exists, F, QuerySet, Value
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


def _sorted_areas() -> list[WorkArea]:
    return sorted(_AREAS.values(), key=lambda a: (a.order, a.key))


def areas_for(user: Any) -> list[WorkArea]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    held = _load(user)  # also fills the permission cache that `visible` checks read
    return [area for area in _sorted_areas() if (held[area.key] if area.exists is not None else area.visible(user))]


def _user_rows_query(user_pk: int) -> QuerySet:
    """The user's membership flags and permissions, in one `UNION ALL`:

    - one row `(NULL, NULL, flag, ...)`, one boolean per area registered with `exists`, in
      `areas_for`'s order;
    - one row `(app_label, codename, NULL, ...)` per permission, the user's own and their
      groups' (a permission held both ways comes twice; the caller makes a set).

    The flags' row comes first: PostgreSQL types each column of a `UNION` pairwise from
    the left, and a column of nothing but `NULL`s so far would be typed text, which a
    boolean then does not match.
    """
    User = get_user_model()
    # By name: apps import this module while the app registry is still loading.
    Permission = apps.get_model("auth", "Permission")
    stand_in = User(pk=user_pk)
    memberships = [area for area in _sorted_areas() if area.exists is not None]
    no_text = Value(None, output_field=CharField())
    no_flags = [Value(None, output_field=BooleanField()) for _area in memberships]
    flags = User.objects.filter(pk=user_pk).order_by().values_list(
        no_text, no_text, *(Exists(area.exists(stand_in)) for area in memberships)
    )
    # order_by(): Permission is ordered by default, and a UNION's parts may not be.
    columns = (F("content_type__app_label"), F("codename"), *no_flags)
    own = Permission.objects.filter(user__pk=user_pk).order_by().values_list(*columns)
    from_groups = Permission.objects.filter(group__user__pk=user_pk).order_by().values_list(*columns)
    return flags.union(own, from_groups, all=True)


_USER_ROWS = CompiledQuery(_user_rows_query)


def _load(user: Any) -> dict[str, bool]:
    """Which `exists` areas `user` holds, by key, read with their permissions in one query
    on the first call for this user object (this request's `request.user`); the
    permissions go where Django's backend keeps them (`_perm_cache`) unless something put
    them there first. Superusers and inactive users keep Django's answer (all permissions,
    or none)."""
    memberships = tuple(area for area in _sorted_areas() if area.exists is not None)
    # The SQL and the flags depend on which areas are registered (tests register more).
    variant = tuple((area.key, id(area.exists)) for area in memberships)
    kept = getattr(user, "_work_area_cache", None)
    if kept is not None and kept[0] == variant:
        return kept[1]
    flags: tuple[Any, ...] = (False,) * len(memberships)
    permissions: set[str] = set()
    for app_label, codename, *row_flags in _USER_ROWS.rows(user.pk, variant=variant):
        if app_label is None:  # the flags' row: a permission's app label is never NULL
            flags = tuple(row_flags)
        else:
            permissions.add(f"{app_label}.{codename}")
    held = {area.key: bool(flag) for area, flag in zip(memberships, flags, strict=True)}
    user._work_area_cache = (variant, held)
    if not hasattr(user, "_perm_cache") and user.is_active and not user.is_superuser:
        user._perm_cache = permissions
    return held


def load_permissions(user: Any) -> None:
    """Fill Django's per-request permission cache of `user` (with the work areas' flags,
    in the same query).

    `ModelBackend.get_all_permissions` reads the user's own permissions and their groups'
    in two queries and keeps the union on the user as `_perm_cache`, which `has_perm` (and
    so `has_ability`) reads from then on; this puts the same union there.
    Superusers and inactive users are left to Django (all permissions, or none).
    """
    if hasattr(user, "_perm_cache") or user.is_superuser or not user.is_active:
        return
    _load(user)
