"""config/wsgi.py freezes what start-up loaded, the URLconf included (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import config.wsgi
from django.urls import get_resolver
resolver = get_resolver()
tracked = {id(item) for item in gc.get_objects()}
print(gc.get_freeze_count(), id(resolver.url_patterns) in tracked, id(resolver) in tracked)
"""


def test_the_urlconf_is_loaded_before_the_freeze_and_out_of_the_collectors_reach():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    frozen, patterns_tracked, resolver_tracked = result.stdout.split()
    assert int(frozen) > 100_000
    # Loaded by start-up, so frozen: a full collection does not scan them.
    assert patterns_tracked == "False"
    assert resolver_tracked == "False"
