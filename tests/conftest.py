from __future__ import annotations

import pytest
from django.core.management import call_command

SEEDED_PRODUCTS = 30


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, loaded once per test session (each test runs in a rolled-back
    transaction on top of it)."""
    with django_db_blocker.unblock():
        call_command("seed_demo", products=SEEDED_PRODUCTS, quiet=True, stdout=open("/dev/null", "w"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def customer(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="customer")


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client
