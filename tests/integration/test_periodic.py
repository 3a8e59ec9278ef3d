"""The periodic duties run together from one command (cron) or one Celery task (beat)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from core import periodic


@pytest.mark.django_db
def test_every_periodic_duty_is_a_real_command_and_runs_clean_on_the_demo_data():
    outcomes = periodic.run_periodic()
    assert set(outcomes) == {duty.command for duty in periodic.DUTIES}
    assert not [command for command, outcome in outcomes.items() if outcome.startswith("failed:")], outcomes


@pytest.mark.django_db
def test_one_broken_duty_is_reported_and_the_others_still_run(monkeypatch, capsys):
    monkeypatch.setattr(
        periodic,
        "DUTIES",
        (periodic.Duty("no_such_command", "broken on purpose"), periodic.Duty("match_waiting_jobs", "still runs")),
    )
    with pytest.raises(CommandError, match="no_such_command"):
        call_command("run_periodic")
    out = capsys.readouterr().out
    assert "match_waiting_jobs: " in out and "failed" not in out.split("match_waiting_jobs: ")[1]


def test_celery_beat_runs_the_periodic_task_every_five_minutes(settings):
    from config.celery import app

    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["chaarsoo-periodic-duties"]
    assert entry["task"] == "core.run_periodic" and entry["task"] in app.tasks
    assert entry["schedule"] == 300.0
