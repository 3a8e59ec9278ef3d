"""Attachment checks: by content, not by the extension (core.private_files)."""

from __future__ import annotations

from core.private_files import validate_upload


def validate_attachment(upload) -> None:
    validate_upload(upload, kinds=("image", "pdf"))
