"""Roles are named permissions, not `is_staff`.

Every staff ability is a Django permission of the `core` app (codename below, on the
table-less `core.StaffAbility` model); every role is a Django group holding its set,
created by a data migration and kept in step after every `migrate` (core.apps). Views,
form actions, API endpoints, services and menus ask `has_ability(user, Ability.X)` or use
the decorators here; nothing asks `is_staff` for a business decision.

`is_staff` keeps only its Django/Oscar meaning: the user may open Django's admin, and,
together with the `manage_shop` ability (shop.dashboard.permissions), Oscar's shop
dashboard. Only roles that run the shop get it; see `Role.shop_dashboard`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

APP_LABEL = "core"
ABILITY_MODEL = "staffability"


class Ability(enum.StrEnum):
    """Every staff ability. The value is the permission codename in the `core` app."""

    FILE_FOR_CALLER = "file_for_caller"
    QUOTE_JOB = "quote_job"
    MANAGE_JOBS = "manage_jobs"
    RECORD_CASH = "record_cash"
    REFUND_PAYMENT = "refund_payment"
    VIEW_PAYMENTS = "view_payments"
    PAY_OUT = "pay_out"
    FINE_PARTY = "fine_party"
    SUSPEND_PARTY = "suspend_party"
    REVIEW_VENDOR_APPLICATIONS = "review_vendor_applications"
    MANAGE_VENDORS = "manage_vendors"
    ACT_FOR_VENDOR = "act_for_vendor"
    MANAGE_PROVIDERS = "manage_providers"
    JUDGE_WARRANTY = "judge_warranty"
    RESOLVE_COMPLAINTS = "resolve_complaints"
    VIEW_CUSTOMER_HISTORY = "view_customer_history"
    HANDLE_TICKETS = "handle_tickets"
    ESCALATE_TICKETS = "escalate_tickets"
    EDIT_CMS = "edit_cms"
    FILE_OFFICE_ERRANDS = "file_office_errands"
    MANAGE_REFERRALS = "manage_referrals"
    MANAGE_SEARCH = "manage_search"
    MANAGE_SHOP = "manage_shop"


# codename -> what the ability lets its holder do (shown in Django admin's group editor).
ABILITY_LABELS: dict[Ability, Any] = {
    Ability.FILE_FOR_CALLER: _("File service requests for customers who phone in"),
    Ability.QUOTE_JOB: _("Review service requests and send quotes"),
    Ability.MANAGE_JOBS: _("Work the job queue: assign, reassign, dispatch, cancel"),
    Ability.RECORD_CASH: _("Record cash received for a job or an order"),
    Ability.REFUND_PAYMENT: _("Refund a payment (card or cash)"),
    Ability.VIEW_PAYMENTS: _("See payments and their history"),
    Ability.PAY_OUT: _("Record and send payouts to vendors and providers"),
    Ability.FINE_PARTY: _("Fine a vendor or a provider"),
    Ability.SUSPEND_PARTY: _("Suspend or reinstate a vendor or a provider"),
    Ability.REVIEW_VENDOR_APPLICATIONS: _("Approve or reject vendor applications"),
    Ability.MANAGE_VENDORS: _("See vendors, their contracts and balances"),
    Ability.ACT_FOR_VENDOR: _("Process a vendor's shipments and claims on its behalf"),
    Ability.MANAGE_PROVIDERS: _("See providers and their work"),
    Ability.JUDGE_WARRANTY: _("Decide warranty claims and overrule a vendor's rejection"),
    Ability.RESOLVE_COMPLAINTS: _("Resolve complaints about providers"),
    Ability.VIEW_CUSTOMER_HISTORY: _("See a customer's whole history"),
    Ability.HANDLE_TICKETS: _("Answer support tickets, calls and chats"),
    Ability.ESCALATE_TICKETS: _("Take escalated tickets (senior support)"),
    Ability.EDIT_CMS: _("Edit the site's pages in the CMS"),
    Ability.FILE_OFFICE_ERRANDS: _("File errands at a partner office"),
    Ability.MANAGE_REFERRALS: _("Manage the referral programme and gifts"),
    Ability.MANAGE_SEARCH: _("See search reports and manage synonyms"),
    Ability.MANAGE_SHOP: _("Run the shop in Oscar's dashboard: catalogue, orders, offers, pages"),
}


@dataclass(frozen=True)
class Role:
    """A role: the group that carries it, its abilities, and other apps' permissions."""

    key: str
    group: str
    label: Any
    abilities: frozenset[Ability] = frozenset()
    # Permissions owned by other apps ("app_label.codename"), e.g. Wagtail's admin access.
    extra_permissions: tuple[str, ...] = ()
    # Whether members may open Oscar's shop dashboard and Django admin (`is_staff`).
    shop_dashboard: bool = False
    notes: tuple[str, ...] = field(default=())


A = Ability
ROLES: tuple[Role, ...] = (
    Role("operator", "Operators", _("Operator"), frozenset({
        A.FILE_FOR_CALLER, A.QUOTE_JOB, A.MANAGE_JOBS, A.RECORD_CASH, A.VIEW_PAYMENTS,
        A.REVIEW_VENDOR_APPLICATIONS, A.MANAGE_VENDORS, A.ACT_FOR_VENDOR, A.MANAGE_PROVIDERS,
        A.JUDGE_WARRANTY, A.RESOLVE_COMPLAINTS, A.VIEW_CUSTOMER_HISTORY, A.MANAGE_SHOP,
    }), shop_dashboard=True),
    Role("finance", "Finance", _("Finance"), frozenset({
        A.RECORD_CASH, A.REFUND_PAYMENT, A.VIEW_PAYMENTS, A.PAY_OUT, A.FINE_PARTY,
        A.SUSPEND_PARTY, A.MANAGE_VENDORS, A.MANAGE_PROVIDERS, A.VIEW_CUSTOMER_HISTORY,
        A.MANAGE_REFERRALS,
    })),
    Role("agent", "Support agents", _("Support agent"), frozenset({
        A.HANDLE_TICKETS, A.VIEW_CUSTOMER_HISTORY,
    })),
    Role("senior_agent", "Senior support agents", _("Senior support agent"), frozenset({
        A.HANDLE_TICKETS, A.ESCALATE_TICKETS, A.VIEW_CUSTOMER_HISTORY,
    })),
    # Wagtail's own "Editors" group (its migrations give it page permissions on the tree).
    Role("editor", "Editors", _("Content editor"), frozenset({A.EDIT_CMS, A.MANAGE_SEARCH}),
         extra_permissions=("wagtailadmin.access_admin",)),
    Role("clerk", "Partner-office clerks", _("Partner-office clerk"), frozenset({
        A.FILE_OFFICE_ERRANDS,
    })),
    # Parties, not staff: what they may touch is decided per object (their own shipments,
    # their own jobs); the group marks the role and carries Oscar's partner-dashboard access.
    Role("vendor", "Vendors", _("Vendor"), extra_permissions=("partner.dashboard_access",)),
    Role("provider", "Service providers", _("Service provider")),
    Role("customer", "Customers", _("Customer")),
)
ROLES_BY_KEY: dict[str, Role] = {role.key: role for role in ROLES}


def role(key: str) -> Role:
    return ROLES_BY_KEY[key]


def permission_name(ability: Ability | str) -> str:
    """The `app_label.codename` string Django's `has_perm` takes."""
    return f"{APP_LABEL}.{Ability(ability).value}"


def has_ability(user: Any, ability: Ability | str) -> bool:
    """True when `user` is signed in, active and holds `ability` (superusers hold all)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_perm(permission_name(ability))


def has_any_ability(user: Any, abilities: Iterable[Ability | str]) -> bool:
    return any(has_ability(user, ability) for ability in abilities)


def is_staff_member(user: Any) -> bool:
    """Holds at least one staff ability (parties and customers hold none)."""
    return has_any_ability(user, Ability)


def require_ability(user: Any, ability: Ability | str, error: type[Exception] | None = None) -> None:
    """Raise the typed NotAllowed (or `error`) unless `user` holds `ability`."""
    if has_ability(user, ability):
        return
    from core.errors import NotAllowed

    raise (error or NotAllowed)(_("You do not have permission to do this."))


# ------------------------------------------------------------------------- views
def _to_login(request, login_url: str):
    # Imported here, not at the top: settings import this module (dashboard navigation's
    # access functions), and django.contrib.auth.views needs the app registry ready.
    from django.contrib.auth.views import redirect_to_login

    return redirect_to_login(request.get_full_path(), login_url)


def ability_required(*abilities: Ability | str, login_url: str = "customer:login") -> Callable:
    """View decorator: signed-out visitors go to the login page; a signed-in user
    holding none of `abilities` gets the site's 403 page (never a silent redirect)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return _to_login(request, login_url)
            if not has_any_ability(user, abilities):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_abilities = tuple(Ability(a) for a in abilities)  # type: ignore[attr-defined]
        return wrapped

    return decorator


class AbilityRequiredMixin:
    """Class-based-view form of `ability_required`: set `required_abilities`."""

    required_abilities: tuple[Ability, ...] = ()
    login_url = "customer:login"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return _to_login(request, self.login_url)
        if not has_any_ability(user, self.required_abilities):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def can(*abilities: Ability | str) -> Callable[..., bool]:
    """An `access_fn` for Oscar's dashboard navigation: show the entry to holders only."""

    def access_fn(user, *args: Any) -> bool:
        return has_any_ability(user, abilities)

    return access_fn


# --------------------------------------------------------------------------- API
def api_permission(*abilities: Ability | str) -> type:
    """A DRF permission class granting requests from holders of any of `abilities`."""
    from rest_framework.permissions import BasePermission

    wanted = tuple(Ability(a) for a in abilities)

    class HasAbility(BasePermission):
        message = _("You do not have permission to do this.")
        required_abilities = wanted

        def has_permission(self, request, view) -> bool:
            return has_any_ability(request.user, wanted)

    HasAbility.__name__ = "Has" + "Or".join(a.value.title().replace("_", "") for a in wanted)
    return HasAbility


# ------------------------------------------------------------------------- roles
def assign_role(user: Any, key: str) -> None:
    """Put `user` in the role's group and set `is_staff` to what the role allows."""
    from django.contrib.auth.models import Group

    spec = role(key)
    group, _created = Group.objects.get_or_create(name=spec.group)
    user.groups.add(group)
    staff_roles = {r.group for r in ROLES if r.shop_dashboard}
    wants_staff = user.is_superuser or spec.shop_dashboard or user.groups.filter(name__in=staff_roles).exists()
    if user.is_staff != wants_staff:
        user.is_staff = wants_staff
        user.save(update_fields=["is_staff"])


def sync_roles(apps=None) -> None:
    """Create every ability permission and every role group with exactly its set.

    Called by the data migration (with historical models) and after every `migrate`
    (core.apps), so a new ability or role in this module reaches every database.
    Permissions a group holds beyond its role's set are left alone: staff may have added
    them deliberately in the admin, and removing them is a decision, not a sync.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label=APP_LABEL, model=ABILITY_MODEL)
    by_codename = {}
    for ability in Ability:
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=ability.value,
            defaults={"name": str(ABILITY_LABELS[ability])[:255]},
        )
        by_codename[ability] = permission
    for spec in ROLES:
        group, _ = Group.objects.get_or_create(name=spec.group)
        wanted = [by_codename[a] for a in spec.abilities]
        for dotted in spec.extra_permissions:
            app_label, codename = dotted.split(".", 1)
            extra = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if extra is not None:  # created by that app's own post_migrate on a fresh database
                wanted.append(extra)
        group.permissions.add(*wanted)
