"""A Python client generated from our own `/api/schema/` by openapi-python-client (from
PyPI, not written by us), and factories for it pointed at the live test server.

The client is generated once per test process, into a temporary directory, from the schema
the live server serves: if the generator cannot express an operation, or a call cannot be
made with the generated code, the schema is what must be fixed.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import httpx
import pytest

PACKAGE = "chaarsoo_client"
GENERATOR_CONFIG = f"""\
project_name_override: {PACKAGE}
package_name_override: {PACKAGE}
post_hooks: []
"""


def _generator() -> str:
    return str(Path(sys.executable).with_name("openapi-python-client"))


@pytest.fixture(scope="session")
def generated_client(live_server, tmp_path_factory, django_db_blocker) -> ModuleType:
    """The generated package `chaarsoo_client` (its `api` modules and `models`)."""
    workdir = tmp_path_factory.mktemp("api-client")
    # The schema needs no rows, but the live server's request signals touch the connection:
    # this session fixture may be set up before any test has opened the database.
    with django_db_blocker.unblock():
        schema = httpx.get(f"{live_server.url}/api/schema/?format=json", timeout=30)
    schema.raise_for_status()
    (workdir / "schema.json").write_bytes(schema.content)
    (workdir / "config.yaml").write_text(GENERATOR_CONFIG)
    result = subprocess.run(
        [_generator(), "generate", "--path", str(workdir / "schema.json"),
         "--output-path", str(workdir / "out"), "--config", str(workdir / "config.yaml"), "--fail-on-warning"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"the generator could not read our schema:\n{result.stdout}\n{result.stderr}"
    sys.path.insert(0, str(workdir / "out"))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(workdir / "out"))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def operation(package: ModuleType, tag: str, name: str) -> ModuleType:
    """One generated operation module, e.g. `operation(pkg, "me", "me_retrieve").sync_detailed(client=…)`."""
    return importlib.import_module(f"{package.__name__}.api.{tag}.{name}")


@pytest.fixture
def api_client(generated_client, live_server) -> Callable[..., object]:
    """`api_client()` → an anonymous client; `api_client(token=…, prefix=…)` → signed in.
    `language` sets Accept-Language (the API answers in fa or en)."""

    def make(*, token: str | None = None, prefix: str = "Bearer", language: str = "fa", strict: bool = True):
        # strict: a status code the schema does not document raises UnexpectedStatus.
        headers = {"Accept-Language": language}
        if token is None:
            return generated_client.Client(base_url=live_server.url, headers=headers, raise_on_unexpected_status=strict)
        return generated_client.AuthenticatedClient(
            base_url=live_server.url, token=token, prefix=prefix, headers=headers, raise_on_unexpected_status=strict
        )

    return make
