from __future__ import annotations

import os

import pytest
from django.core.management import call_command

SEEDED_PRODUCTS = 30


def pytest_collection_modifyitems(config, items):
    """Load the demo shop only when a collected database test needs it: a module marked
    `no_demo` builds its own data (factories, tests/helpers) and runs without the ~60 s
    seed, so running such modules alone starts at once."""
    if os.environ.get("CHAARSOO_TESTS_WITHOUT_DEMO"):
        # To check which modules can be marked no_demo: run them with no seed at all.
        config._chaarsoo_needs_demo = False
        return
    config._chaarsoo_needs_demo = any(
        item.get_closest_marker("django_db") is not None and item.get_closest_marker("no_demo") is None
        for item in items
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """The demo data, loaded once per test session when a test needs it (each test runs
    in a rolled-back transaction on top of it)."""
    if not getattr(request.config, "_chaarsoo_needs_demo", True):
        return
    with django_db_blocker.unblock():
        call_command("seed_demo", products=SEEDED_PRODUCTS, quiet=True, stdout=open("/dev/null", "w"))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language. A test-client request to an /en/
    page leaves English active in the worker's thread (LocaleMiddleware activates it and
    nothing resets it), so without this a later test's reverse() and gettext would depend
    on which test ran before it on the same worker."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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


# ------------------------------------------------------------------ Stripe (localstripe)
WEBHOOK_SECRET = "whsec_chaarsoo_test_secret"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url(tmp_path_factory):
    """A real localstripe server (stateful Stripe emulator) on a free local port."""
    import shutil
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    executable = shutil.which("localstripe") or str(Path(sys.executable).with_name("localstripe"))
    port = _free_port()
    workdir = tmp_path_factory.mktemp("localstripe")
    process = subprocess.Popen(
        [executable, "--port", str(port), "--from-scratch"],
        cwd=workdir, stdout=open(workdir / "log.txt", "w"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"localstripe exited: {(workdir / 'log.txt').read_text()}") from None
            time.sleep(0.1)
    else:
        process.kill()
        raise RuntimeError("localstripe did not start in 20 s")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, localstripe_url):
    settings.STRIPE_SECRET_KEY = "sk_test_chaarsoo"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_chaarsoo"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 5
    return settings


@pytest.fixture
def stripe_client(stripe_settings):
    import stripe

    return stripe.StripeClient(
        stripe_settings.STRIPE_SECRET_KEY,
        base_addresses={"api": stripe_settings.STRIPE_API_BASE},
        max_network_retries=0,
    )
