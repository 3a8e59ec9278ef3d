"""Static files in production: WhiteNoise's compressed manifest storage, with each file's
URL worked out once per process (issue 16).

`{% static %}` asks the storage for a URL on every use: some 25 times on every dashboard
page (Oscar's scripts and styles), each a manifest lookup, a URL parse and a join (about
a quarter of a millisecond a page). The manifest is read once, when the storage is
created, so a running process already answers the same URL for the same name until it
restarts; remembering the answer changes nothing it shows. A name missing from the
manifest still raises, every time.
"""

from __future__ import annotations

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

# Names come from templates; the bound only guards against a template building names.
MAX_REMEMBERED = 4096


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple[str, bool], str] = {}

    def url(self, name: str, force: bool = False) -> str:
        if force:
            return super().url(name, force)
        key = (name, settings.DEBUG)  # Django's storage answers unhashed URLs under DEBUG
        url = self._urls.get(key)
        if url is None:
            url = super().url(name)
            if len(self._urls) < MAX_REMEMBERED:
                self._urls[key] = url
        return url
