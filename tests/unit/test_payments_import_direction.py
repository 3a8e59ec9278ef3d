"""The shared apps import no domain app (issue 9, point 5): payments learns about orders
and jobs only through the payable registry. import-linter holds this in CI; this test
says the same thing for the apps owned here, without a database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from oscar.core.loading import get_model

from payments.payables import adapter_for, page_for_kind
from shop.payables import OrderPage, OrderPayable

ROOT = Path(__file__).resolve().parents[2]
SHARED_APPS = ("payments", "ledger", "notifications", "customers")
DOMAIN_APPS = frozenset({"vendors", "services_catalog", "shop", "cms", "referrals", "support", "search", "offices"})


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("app", SHARED_APPS)
def test_a_shared_app_imports_no_domain_app(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & DOMAIN_APPS)
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: apps for path, apps in offending.items() if apps} == {}


def test_orders_reach_payments_only_through_the_registry():
    """The order adapter lives with the shop and registers itself when the apps load."""
    assert isinstance(page_for_kind("order"), OrderPage)
    assert isinstance(adapter_for(get_model("order", "Order")()), OrderPayable)
