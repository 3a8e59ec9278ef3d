"""core.release: the cache's key prefix changes with the code (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.release import ROOT, code_version


def _project(tmp_path: Path) -> Path:
    (tmp_path / "shop" / "templates").mkdir(parents=True)
    (tmp_path / "shop" / "views.py").write_text("def view(): ...\n")
    (tmp_path / "shop" / "templates" / "row.html").write_text("<td>{{ row.name }}</td>\n")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "db.sqlite3").write_text("data")
    return tmp_path


def test_the_same_code_gives_the_same_release_and_a_changed_template_a_new_one(tmp_path, monkeypatch):
    monkeypatch.delenv("CHAARSOO_RELEASE", raising=False)
    root = _project(tmp_path)
    first = code_version(root)
    assert code_version(root) == first
    (root / "var" / "db.sqlite3").write_text("other data")  # data is not code
    assert code_version(root) == first
    (root / "shop" / "templates" / "row.html").write_text("<td>{{ row.title }}</td>\n")
    assert code_version(root) != first


def test_a_deploy_may_name_its_release(monkeypatch, tmp_path):
    monkeypatch.setenv("CHAARSOO_RELEASE", "2026-12-02.1")
    assert code_version(_project(tmp_path)) == "2026-12-02.1"


def test_the_redis_cache_keys_carry_the_release():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "REDIS_URL": "redis://127.0.0.1:6379/15",
           "CHAARSOO_RELEASE": ""}
    probe = "from django.conf import settings; print(settings.CACHES['default']['KEY_PREFIX'])"
    result = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + probe],
                            cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == f"chaarsoo:{code_version()}"
