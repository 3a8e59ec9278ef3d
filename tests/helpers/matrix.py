"""The roles and role sets of the permission matrix (tests/integration/test_permission_matrix.py),
shared with the per-app rows in tests/integration/permission_rows/."""

from __future__ import annotations

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


def party(*roles: str) -> frozenset[str]:
    """Pages of a party's own work: open to that party only (a superuser is no vendor)."""
    return frozenset(roles)


OPERATOR, FINANCE = "operator", "finance"
PUBLIC_READ = {"get": EVERYONE, "post": SIGNED_IN}  # signed-in POSTs answer 405, visitors 401/403
SHOP = allowed(OPERATOR)  # Oscar's dashboard pages gated by is_staff + manage_shop
OSCAR_MODEL_PERMISSIONS = ADMIN  # Oscar's pages gated by Django model permissions no role holds
VENDOR, PROVIDER = party("vendor"), party("provider")
