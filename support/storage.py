"""Where ticket attachments live: the lead's private storage (core.private_files) outside
MEDIA_ROOT. These two callables stay in the migrations whatever the storage becomes."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage

try:  # core.private_files lands on main separately; until then a private folder of our own.
    from core import private_files
except ImportError:  # pragma: no cover - depends on the merge order
    private_files = None


def attachment_storage() -> Storage:
    if private_files is not None:
        return private_files.private_storage()
    root = getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.MEDIA_ROOT).parent / "private"
    return FileSystemStorage(location=root, base_url=None)


def attachment_upload_to(instance, filename: str) -> str:
    """A random name: the customer's file name never reaches the path."""
    suffix = Path(filename).suffix.lower()[:8]
    return f"support/attachments/{secrets.token_hex(16)}{suffix}"
