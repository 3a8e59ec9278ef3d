"""Private files of errands (S6 scans, results, refund evidence) through the lead's
`core.private_files` (storage outside MEDIA_ROOT, served only to who `can_read`).

Until that module is on this branch, a stand-in with the same interface keeps the
models and forms working: a storage under VAR_DIR/private, random names, no check of
the content beyond the size. Remove the stand-in once core.private_files is merged.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

try:  # the lead's module (lands on main)
    from core.private_files import (  # type: ignore[import-not-found]
        private_file_url,
        private_storage,
        private_upload_to,
        register_private_file,
        validate_upload,
    )
except ImportError:  # pragma: no cover - the stand-in until the merge
    _ROOT = getattr(settings, "PRIVATE_MEDIA_ROOT", Path(settings.MEDIA_ROOT).parent / "private")
    _STORAGE = FileSystemStorage(location=Path(_ROOT))
    _READERS: dict = {}
    MAX_BYTES = 10 * 1024 * 1024

    def private_storage():
        return _STORAGE

    class private_upload_to:  # noqa: N801 - the interface's name
        def __init__(self, prefix: str) -> None:
            self.prefix = prefix

        def __call__(self, instance, filename: str) -> str:
            suffix = Path(filename).suffix.lower()[:8]
            return f"{self.prefix}/{uuid.uuid4().hex}{suffix}"

        def deconstruct(self):
            return ("offices.files.private_upload_to", (self.prefix,), {})

    def register_private_file(model, field_name: str, can_read) -> None:
        _READERS[(model._meta.label_lower, field_name)] = can_read

    def private_file_url(instance, field_name: str) -> str:
        from django.urls import reverse

        return reverse("offices:private-file", args=[instance._meta.label_lower, instance.pk, field_name])

    def validate_upload(file, kinds=("image", "pdf")) -> None:
        if file is not None and getattr(file, "size", 0) > MAX_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))

    def can_read(user, instance, field_name: str) -> bool:
        rule = _READERS.get((instance._meta.label_lower, field_name))
        return bool(rule and rule(user, instance))
