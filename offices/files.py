"""Private files of errands (results, refund evidence) through core.private_files: the
upload check, turned into the office app's own error so views show it like any other."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.private_files import validate_upload
from offices.errors import OfficeError


def check_upload(upload) -> None:
    """A scan or a photo (PDF or image), judged by its content; OfficeError otherwise."""
    if upload is None:
        return
    try:
        validate_upload(upload, kinds=("image", "pdf"))
    except ValidationError as error:
        raise OfficeError(" ".join(error.messages), code="invalid_file") from None
