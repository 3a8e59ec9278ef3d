"""Issue 17 point 5: every paginated list of /api/v1/ that offers `?ordering=` in the schema
takes each field it names, both ways, and refuses any other with a 400 `invalid`; the lists
that offer none are the ones docs/api.md names.

The lists are read from the schema itself, so a list added tomorrow is walked too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from tests.factories import PartnerFactory
from tests.factories_services import make_provider
from tests.helpers.offices import make_clerk_office
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _paginated_lists() -> dict[str, list[dict]]:
    """Path -> the query parameters of each GET answering a `Paginated…` component."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        path: item["get"].get("parameters", [])
        for path, item in schema["paths"].items()
        if "get" in item and "#/components/schemas/Paginated" in str(item["get"]["responses"].get("200", {}))
    }


LISTS = _paginated_lists()
ORDERED = sorted(path for path, parameters in LISTS.items() if any(p["name"] == "ordering" for p in parameters))


def declared_fields(path: str) -> list[str]:
    """The fields the `ordering` parameter's description names (core.api.ordering_description)."""
    description = next(p["description"] for p in LISTS[path] if p["name"] == "ordering")
    return re.findall(r"`([a-z_]+)`", description.split(";")[0])


def _clients():
    """Who may read the list: the first of these whose GET answers 200."""
    yield Client()
    yield _signed_in(make_role_user("customer"))
    vendor = make_role_user("vendor")
    PartnerFactory(code="ordering-walk").users.add(vendor)
    yield _signed_in(vendor)
    yield _signed_in(make_provider(user=make_role_user("provider")).user)
    clerk = make_role_user("clerk")
    make_clerk_office(clerk)
    yield _signed_in(clerk)
    yield _signed_in(get_user_model().objects.create_superuser("ordering-admin", "oa@example.com", "pw-12345678"))


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_walk_finds_the_ordered_lists():
    assert len(ORDERED) >= 12, ORDERED
    assert {"/api/v1/search/", "/api/v1/shop/orders/", "/api/v1/jobs/", "/api/v1/vendor/claims/"} <= set(ORDERED)


@pytest.mark.parametrize("path", ORDERED)
def test_a_list_takes_each_declared_ordering_and_refuses_another(path):
    fields = declared_fields(path)
    assert fields, path
    client = next(c for c in _clients() if c.get(path).status_code == 200)
    for field in fields:
        for term in (field, f"-{field}"):
            answer = client.get(path, {"ordering": term})
            assert answer.status_code == 200, (path, term, answer.content[:300])
            assert set(answer.json()) >= {"count", "next", "previous", "results"}
    refused = client.get(path, {"ordering": "no_such_field"})
    assert refused.status_code == 400, (path, refused.content[:300])
    body = refused.json()
    assert body["code"] == "invalid" and body["fields"]["ordering"], path
    mixed = client.get(path, {"ordering": f"{fields[0]},-no_such_field"})
    assert mixed.status_code == 400 and mixed.json()["code"] == "invalid", path


def test_the_lists_without_ordering_are_the_ones_the_conventions_name():
    """docs/api.md says in one line which lists offer no ordering, and why."""
    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    line = next(line for line in text.splitlines() if line.startswith("- Lists without `ordering`"))
    named = set(re.findall(r"`(/api/v1/[^`]+)`", line))
    unordered = {path for path in LISTS if path not in ORDERED}
    assert unordered == {path for path in named if path in LISTS}, (unordered, named)
