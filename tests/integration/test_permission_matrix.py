"""The permission matrix (issue 9): every URL of every dashboard and every API endpoint,
GET and POST, for every role, against ONE table of who may open what.

A route is "allowed" for a role when the answer is anything but a refusal (a 404 for the
missing object the path names is fine: the access check ran first and let the user
through); "refused" means 403 for a signed-in user (our 403 page, never a redirect) and
the login page (or 401/403 for the API) for a visitor. No answer may be a 5xx.

Adding a URL without adding it to TABLE fails `test_every_route_is_in_the_table`.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from django.contrib.auth import get_user_model

from core.permissions import assign_role
from tests.factories import PartnerFactory
from tests.factories_services import make_provider
from tests.helpers.matrix import (
    EVERYONE,
    FINANCE,
    OPERATOR,
    OSCAR_MODEL_PERMISSIONS,
    PROVIDER,
    PUBLIC_READ,
    ROLES,
    SHOP,
    SIGNED_IN,
    VENDOR,
    allowed,
)
from tests.helpers.offices import make_clerk_office
from tests.helpers.roles import make_role_user
from tests.helpers.urls import iter_routes
from tests.integration import permission_rows

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def in_scope(path: str) -> bool:
    """Which URLs the matrix covers: every dashboard page and action, and our API."""
    if path.startswith("/fa/dashboard/"):
        return True
    # Of Wagtail's API only the page routes, which the schema describes (cms.api).
    if path.startswith("/api/v1/cms/"):
        return path.startswith("/api/v1/cms/pages/")
    return path.startswith("/api/v1/")


# name -> the roles that may open it: one set for GET and POST, or {"get": …, "post": …}.
TABLE: dict[str, frozenset[str] | dict[str, frozenset[str]]] = {
    # ---- Oscar's dashboard (shop.dashboard fork): shop staff, vendors where Oscar lets partners in
    "dashboard:login": EVERYONE,
    "dashboard:logout": EVERYONE,
    "dashboard:index": allowed(OPERATOR, "vendor"),
    **{f"dashboard:{name}": SHOP for name in (
        "order-list", "order-stats", "order-detail", "order-detail-note", "order-line-detail",
        "order-shipping-address", "catalogue-product-delete", "catalogue-product-bulk-action",
    )},
    **{f"dashboard:{name}": allowed("vendor") for name in (
        "catalogue-product", "catalogue-product-create", "catalogue-product-list", "catalogue-product-lookup",
    )},
    **{f"dashboard:{name}": OSCAR_MODEL_PERMISSIONS for name in (
        "catalogue-attribute-option-group-create", "catalogue-attribute-option-group-delete",
        "catalogue-attribute-option-group-list", "catalogue-attribute-option-group-update",
        "catalogue-category-create", "catalogue-category-create-child", "catalogue-category-delete",
        "catalogue-category-detail-list", "catalogue-category-list", "catalogue-category-update",
        "catalogue-class-create", "catalogue-class-delete", "catalogue-class-list", "catalogue-class-update",
        "catalogue-option-create", "catalogue-option-delete", "catalogue-option-list", "catalogue-option-update",
        "catalogue-product-create-child", "comms-list", "comms-update",
        "offer-benefit", "offer-condition", "offer-delete", "offer-detail", "offer-list", "offer-metadata",
        "offer-restrictions", "page-create", "page-delete", "page-list", "page-update",
        "partner-create", "partner-delete", "partner-list", "partner-manage", "partner-user-create",
        "partner-user-link", "partner-user-select", "partner-user-unlink", "partner-user-update",
        "range-create", "range-delete", "range-list", "range-products", "range-reorder", "range-update",
        "reports-index", "reviews-delete", "reviews-list", "reviews-update",
        "shipping-method-band-delete", "shipping-method-band-edit", "shipping-method-create",
        "shipping-method-delete", "shipping-method-detail", "shipping-method-edit", "shipping-method-list",
        "stock-alert-list", "user-alert-delete", "user-alert-list", "user-alert-update", "user-detail",
        "user-password-reset", "users-index", "voucher-create", "voucher-delete", "voucher-list",
        "voucher-set-create", "voucher-set-delete", "voucher-set-detail", "voucher-set-download",
        "voucher-set-list", "voucher-set-update", "voucher-stats", "voucher-update",
    )},
    # ---- payments dashboard
    "payments-dashboard:list": allowed(OPERATOR, FINANCE),  # view_payments
    "payments-dashboard:detail": {"get": allowed(OPERATOR, FINANCE), "post": allowed(FINANCE)},
    "payments-dashboard:refund": allowed(FINANCE),  # refund_payment
    # ---- service jobs: the staff desk
    "services_catalog-dashboard:job-list": allowed(OPERATOR, FINANCE),  # any job-desk ability
    "services_catalog-dashboard:job-detail": allowed(OPERATOR, FINANCE),
    "services_catalog-dashboard:job-quote": allowed(OPERATOR),  # quote_job
    "services_catalog-dashboard:job-not-feasible": allowed(OPERATOR),
    "services_catalog-dashboard:intake": allowed(OPERATOR),  # file_for_caller
    "services_catalog-dashboard:intake-customer": allowed(OPERATOR),
    "services_catalog-dashboard:job-accept-for-caller": allowed(OPERATOR),
    "services_catalog-dashboard:job-cash": allowed(OPERATOR, FINANCE),  # record_cash
    "services_catalog-dashboard:job-cash-refund": allowed(FINANCE),  # refund_payment
    "services_catalog-dashboard:job-reassign": allowed(OPERATOR),  # manage_jobs
    "services_catalog-dashboard:job-dispatch": allowed(OPERATOR),
    "services_catalog-dashboard:job-cancel": allowed(OPERATOR),
    "services_catalog-dashboard:warranty-list": allowed(OPERATOR),  # judge_warranty
    "services_catalog-dashboard:warranty-confirm": allowed(OPERATOR),
    "services_catalog-dashboard:warranty-reject": allowed(OPERATOR),
    "services_catalog-dashboard:complaint-list": allowed(OPERATOR),  # resolve_complaints
    "services_catalog-dashboard:complaint-detail": allowed(OPERATOR),
    "services_catalog-dashboard:provider-list": allowed(OPERATOR, FINANCE),  # manage_providers
    "services_catalog-dashboard:provider-reinstate": allowed(FINANCE),  # suspend_party
    # ---- service jobs: the provider's own pages
    **{f"services_catalog-dashboard:{name}": PROVIDER for name in (
        "provider-jobs", "provider-job-detail", "provider-job-quote", "provider-job-not-feasible",
        "provider-job-decline", "provider-job-dispatch", "provider-job-start", "provider-job-work-done",
        "provider-job-change-order", "provider-job-complete", "provider-job-rate", "provider-document-mark",
        "provider-calendar", "provider-availability", "provider-earnings", "provider-ratings",
    )},
    # ---- vendors: staff pages and the seller dashboard
    "vendors-dashboard:application-list": allowed(OPERATOR),  # review_vendor_applications
    "vendors-dashboard:application-detail": allowed(OPERATOR),
    "vendors-dashboard:vendor-list": allowed(OPERATOR, FINANCE),  # manage_vendors
    "vendors-dashboard:vendor-detail": allowed(OPERATOR, FINANCE),  # each action: its own ability
    **{f"vendors-dashboard:{name}": VENDOR for name in (
        "home", "shipment-list", "shipment-detail", "claim-list", "claim-detail", "stock-list", "stock-update",
        "payout-list", "performance",
    )},
    # ---- API: public reads, the signed-in customer's own, parties' own, staff actions
    "api-root": PUBLIC_READ,
    "category-list": PUBLIC_READ,
    "category-detail": PUBLIC_READ,
    "product-list": PUBLIC_READ,
    "product-detail": PUBLIC_READ,
    "api-profile": SIGNED_IN,
    **{f"services_catalog-api:job-{name}": SIGNED_IN for name in (
        "list", "detail", "accept-quote", "cancel", "cancellation-quote", "complaint", "decide-change-order",
        "pay", "rate", "warranty",
    )},
    **{f"services_catalog-api:provider-{name}": PROVIDER for name in (
        "slots", "earnings", "job-list", "job-detail", "job-change-orders", "job-complete", "job-decline",
        "job-dispatch-visit", "job-not-feasible", "job-quote", "job-rate", "job-start", "job-work-done",
    )},
    **{f"vendors-api:{name}": VENDOR for name in (
        "balance", "performance", "shipment-list", "shipment-detail", "shipment-confirm", "shipment-deliver",
        "shipment-installation-done", "shipment-ship", "shipment-cancel", "claim-list", "claim-detail", "claim-respond",
        "stockrecord-list", "stockrecord-detail", "payout-list",
    )},
    "staff-api:payment-refund": allowed(FINANCE),  # refund_payment
    "staff-api:job-cash": allowed(OPERATOR, FINANCE),  # record_cash
    "staff-api:application-list": {"get": allowed(OPERATOR), "post": allowed(OPERATOR)},
    "staff-api:application-approve": allowed(OPERATOR),  # review_vendor_applications
    "staff-api:application-reject": allowed(OPERATOR),
    "staff-api:vendor-fine": allowed(FINANCE),  # fine_party
    "staff-api:vendor-payout": allowed(FINANCE),  # pay_out
    "staff-api:vendor-suspend": allowed(FINANCE),  # suspend_party
    "staff-api:vendor-reinstate": allowed(FINANCE),
}


# Each app may keep its own rows in tests/integration/permission_rows/<app>.py (a dict ROWS
# of the same shape), so apps built side by side do not edit one long literal.
for _module in pkgutil.iter_modules(permission_rows.__path__):
    _rows = importlib.import_module(f"{permission_rows.__name__}.{_module.name}").ROWS
    assert not set(_rows) & set(TABLE), f"{_module.name} repeats rows: {set(_rows) & set(TABLE)}"
    TABLE.update(_rows)


def expected_roles(name: str, method: str) -> frozenset[str]:
    entry = TABLE.get(name, frozenset())
    return entry[method] if isinstance(entry, dict) else entry


def actual_routes():
    return [route for route in iter_routes("fa") if in_scope(route.path)]


def user_for(role: str):
    if role == "anonymous":
        return None
    if role == "admin":
        return get_user_model().objects.create_superuser("matrix-admin", "matrix-admin@example.com", "pw-12345678")
    if role == "customer":
        return make_role_user("customer")
    user = make_role_user(role)
    if role == "vendor":
        PartnerFactory(code="matrix-vendor").users.add(user)
    elif role == "provider":
        make_provider(user=user)
    elif role == "clerk":
        make_clerk_office(user)
    return user


def outcome(response, *, anonymous: bool, api: bool) -> str:
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if anonymous:
        if status in (401, 403):
            return "refused"
        if status == 302 and "login" in response.get("Location", ""):
            return "refused"
        return "allowed"
    if status == 403:
        return "refused"
    if status == 302 and "login" in response.get("Location", ""):
        return f"redirected to login ({response['Location']})"
    return "allowed"


def test_every_route_is_in_the_table():
    names = {route.name for route in actual_routes()}
    missing = sorted(names - set(TABLE))
    stale = sorted(set(TABLE) - names)
    assert not missing, f"add these URL names to TABLE with the roles that may open them: {missing}"
    assert not stale, f"TABLE names URLs that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_role_reaches_exactly_what_the_table_allows(role, client):
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    wrong = []
    for route in actual_routes():
        api = route.path.startswith("/api/")
        for method in ("get", "post"):
            expected = "allowed" if role in expected_roles(route.name, method) else "refused"
            response = getattr(client, method)(route.path, HTTP_ACCEPT_LANGUAGE="fa")
            got = outcome(response, anonymous=user is None, api=api)
            if got != expected and not (got == "allowed" and response.status_code == 405):
                wrong.append(f"{method.upper()} {route.path} [{route.name}]: expected {expected}, got {got}"
                             f" ({response.status_code})")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_roles_come_from_the_data_migration():
    """A fresh database (no seed) has every role's group with its abilities."""
    from django.contrib.auth.models import Group

    from core.permissions import ROLES as ROLE_SPECS

    for spec in ROLE_SPECS:
        group = Group.objects.get(name=spec.group)
        codenames = set(group.permissions.filter(content_type__app_label="core").values_list("codename", flat=True))
        assert {a.value for a in spec.abilities} <= codenames, spec.key


def test_assign_role_sets_is_staff_only_for_shop_roles():
    editor = make_role_user("editor")
    operator = make_role_user("operator")
    assert not editor.is_staff and operator.is_staff
    assign_role(editor, "operator")
    editor.refresh_from_db()
    assert editor.is_staff
