"""Issue 15 point 15: `make run` runs the periodic duties in the background, so the demo
behaves like production; `run_periodic --every` is that loop."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from core.periodic import DUTIES

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
ROOT = Path(__file__).resolve().parents[2]


def test_run_periodic_every_keeps_running_rounds():
    out = io.StringIO()
    call_command("run_periodic", every=0.01, rounds=2, stdout=out)
    lines = out.getvalue().splitlines()
    for duty in DUTIES:
        assert sum(line.startswith(f"{duty.command}:") for line in lines) == 2


def test_make_run_starts_the_periodic_loop_beside_the_server():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "manage.py run_periodic --every 300" in dry_run
    assert "&" in dry_run.split("run_periodic", 1)[1].split("runserver")[0]  # in the background
    assert "runserver 127.0.0.1:8123" in dry_run
