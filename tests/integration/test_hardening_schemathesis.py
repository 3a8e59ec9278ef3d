"""Issue 14 and issue 17, Proven by: schemathesis against our OpenAPI schema, as each role,
with bounded examples: no answer is a server error, and every answer's status code is one
the operation documents (core.openapi derives the error statuses for every endpoint)."""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error, status_code_conformance

from customers.models import DeviceToken
from tests.factories_services import make_customer, make_provider_for, make_service
from tests.factories_vendors import make_vendor, vendor_user
from tests.helpers.offices import make_clerk, make_office
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
# Per operation and role: bounded, so CI stays quick (CHAARSOO_SCHEMATHESIS_EXAMPLES for more).
EXAMPLES = int(os.environ.get("CHAARSOO_SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance]
# "app customer": a customer signed in from the mobile app (a device token, "Bearer").
ROLES = ["anonymous", "customer", "app customer", "provider", "vendor", "operator", "finance", "clerk", "agent"]


def _user(role: str):
    """The user a role's run signs in as (None: anonymous)."""
    makers = {
        "anonymous": lambda: None,
        "customer": make_customer,
        "app customer": make_customer,
        "provider": lambda: make_provider_for(make_service()).user,
        "vendor": lambda: vendor_user(make_vendor()),
        "operator": lambda: make_role_user("operator", username="st-operator"),
        "finance": lambda: make_role_user("finance", username="st-finance"),
        "clerk": lambda: make_clerk(make_office("tehran-county"), username="st-clerk"),
        "agent": lambda: make_role_user("agent", username="st-agent"),
    }
    return makers[role]()


def _credentials(role: str, user) -> str:
    if role == "app customer":
        _device, token = DeviceToken.objects.create(user=user, name="schemathesis")
        return f"Bearer {token}"
    return f"Token {Token.objects.create(user=user).key}"


@pytest.fixture
def app():
    """Django's WSGI app sharing the test's database connection (as Django's test client
    does: a finished request must not close the connection the test runs in)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error_or_an_undocumented_status(role, app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app)
    user = _user(role)
    headers = {"Authorization": _credentials(role, user)} if user else {}
    failures: list[str] = []
    statuses: Counter = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - collect them all, report at once
                failures.append(f"{case.method.upper()} {case.path}: {str(failure)[:300]}")

        run()
    assert failures == [], f"{len(failures)} failures:\n" + "\n".join(failures[:20])
    assert sum(count for status, count in statuses.items() if status >= 500) == 0
