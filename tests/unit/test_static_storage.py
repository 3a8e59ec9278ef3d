"""core.static_storage: production's static storage answers each file's URL as WhiteNoise's
manifest storage does, works it out once per process, and still refuses a name missing
from the manifest."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from core.static_storage import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"app.css": "app.0123456789ab.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=str(tmp_path), base_url="/static/")


def test_a_url_is_the_manifest_storages_and_is_worked_out_once(storage):
    parent_url = CompressedManifestStaticFilesStorage.url
    with mock.patch.object(CompressedManifestStaticFilesStorage, "url", autospec=True, side_effect=parent_url) as url:
        assert storage.url("app.css") == "/static/app.0123456789ab.css"
        assert storage.url("app.css") == "/static/app.0123456789ab.css"
    assert url.call_count == 1


def test_forced_urls_and_debug_are_answered_as_django_does(storage, settings):
    assert storage.url("app.css", force=True) == "/static/app.0123456789ab.css"
    settings.DEBUG = True
    assert storage.url("app.css") == "/static/app.css"


def test_a_name_missing_from_the_manifest_still_raises_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("missing.js")
