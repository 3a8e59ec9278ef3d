"""The permission matrix (issue 9): every URL of every dashboard and every API endpoint,
GET and POST, for every role, against ONE table of who may open what.

A route is "allowed" for a role when the answer is anything but a refusal (a 404 for the
missing object the path names is fine: the access check ran first and let the user
through); "refused" means 403 for a signed-in user (our 403 page, never a redirect) and
the login page (or 401/403 for the API) for a visitor. No answer may be a 5xx.

Adding a URL without adding it to TABLE fails `test_every_route_is_in_the_table`.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from core.permissions import assign_role
from tests.factories import PartnerFactory
from tests.factories_services import make_provider
from tests.helpers.roles import make_role_user
from tests.helpers.urls import iter_routes

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

ROLES = (
    "anonymous", "customer", "vendor", "provider", "operator", "finance",
    "agent", "senior_agent", "editor", "clerk", "admin",
)
STAFF_ROLES = ("operator", "finance", "agent", "senior_agent", "editor", "clerk")
EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ADMIN = frozenset({"admin"})


def allowed(*roles: str) -> frozenset[str]:
    return frozenset(roles) | ADMIN


def in_scope(path: str) -> bool:
    """Which URLs the matrix covers: every dashboard page and action, and our API."""
    if path.startswith("/fa/dashboard/"):
        return True
    return path.startswith("/api/v1/") and not path.startswith("/api/v1/cms/")


# name -> the roles that may open it (GET and POST alike).
TABLE: dict[str, frozenset[str]] = {}


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
        expected = "allowed" if role in TABLE.get(route.name, frozenset()) else "refused"
        api = route.path.startswith("/api/")
        for method in ("get", "post"):
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
