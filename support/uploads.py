"""Attachment checks: the lead's core.private_files.validate_upload (content, not the
extension) when present; until it is merged, the same rule in small."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

try:
    from core.private_files import validate_upload as _lead_validate
except ImportError:  # pragma: no cover - depends on the merge order
    _lead_validate = None

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000


def validate_attachment(upload) -> None:
    if _lead_validate is not None:
        _lead_validate(upload, kinds=("image", "pdf"))
        return
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return
    from PIL import Image  # Pillow is heavy to import; only uploads need it

    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("The picture is too large."))
            image.verify()
    except ValidationError:
        raise
    except Exception:
        raise ValidationError(_("Attach a photo or a PDF.")) from None
    finally:
        upload.seek(0)
