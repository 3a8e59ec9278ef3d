"""Private files: documents, ID scans, powers of attorney, job and claim photos, ticket
attachments. They live outside MEDIA_ROOT (nothing serves that folder), under random
names (no sequential id, no original name in the path), and are served only by
`serve_private_file`, which asks the app that owns the field whether this user may read
this object.

An app declares each private field once, from its AppConfig.ready():

    register_private_file(JobDocument, "file", can_read=lambda user, doc: ...)

and links to a file with `private_file_url(obj, "file")` (templates:
`{% load private_files %}{% private_url obj "file" %}`). The URL carries a signed
reference to (model, field, pk), so ids cannot be walked; the access check runs on every
request all the same.

In production the view only decides; the web server sends the bytes
(PRIVATE_FILES_SERVER = "nginx" → X-Accel-Redirect, "apache" → X-Sendfile). See README.
"""

from __future__ import annotations

import mimetypes
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

SIGNING_SALT = "chaarsoo.private-file"


class PrivateStorage(FileSystemStorage):
    """The private folder (settings.PRIVATE_MEDIA_ROOT): no base URL, so nothing can
    build a public link to a private file by mistake."""

    @cached_property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def base_url(self) -> None:  # type: ignore[override]
        return None

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public URL; use core.private_files.private_file_url().")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """For `FileField(storage=private_storage)`: a callable keeps migrations stable."""
    return _storage


PRIVATE_STORAGE = _storage


@deconstructible
class PrivateUploadTo:
    """`upload_to` for private fields: `<prefix>/<yyyy>/<mm>/<random hex><.ext>`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix.strip("/")

    def __call__(self, instance: models.Model, filename: str) -> str:
        extension = Path(filename).suffix.lower()
        if not (1 < len(extension) <= 6 and extension[1:].isascii() and extension[1:].isalnum()):
            extension = ""
        now = timezone.now()
        return f"{self.prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}{extension}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateUploadTo) and other.prefix == self.prefix


def private_upload_to(prefix: str) -> PrivateUploadTo:
    return PrivateUploadTo(prefix)


# --------------------------------------------------------------------------- registry
CanRead = Callable[[Any, models.Model], bool]


@dataclass(frozen=True)
class PrivateField:
    model: type[models.Model]
    field_name: str
    can_read: CanRead


_REGISTRY: dict[str, PrivateField] = {}


def _key(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label_lower}.{field_name}"


def register_private_file(model: type[models.Model], field_name: str, can_read: CanRead) -> None:
    """Declare `model.field_name` private; `can_read(user, instance)` decides each request
    (user may be anonymous)."""
    model._meta.get_field(field_name)  # fails loudly on a typo
    _REGISTRY[_key(model, field_name)] = PrivateField(model, field_name, can_read)


def unregister_private_file(model: type[models.Model], field_name: str) -> None:
    _REGISTRY.pop(_key(model, field_name), None)


def private_file_url(instance: models.Model, field_name: str) -> str:
    from django.urls import reverse

    key = _key(type(instance), field_name)
    if key not in _REGISTRY:
        raise LookupError(f"{key} is not registered as a private file")
    if not getattr(instance, field_name):
        return ""
    # No timestamp in the signature: the same file always has the same link (pages that
    # show it can be compared and cached); access is checked on every request anyway.
    token = signing.Signer(salt=SIGNING_SALT).sign_object([key, instance.pk], compress=True)
    return reverse("private-file", kwargs={"token": token})


def readable_by(user: Any, instance: models.Model, field_name: str) -> bool:
    entry = _REGISTRY.get(_key(type(instance), field_name))
    return bool(entry and entry.can_read(user, instance))


# --------------------------------------------------------------------------- serving
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"}


def serve_private_file(request: HttpRequest, token: str) -> HttpResponse:
    try:
        key, pk = signing.Signer(salt=SIGNING_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    entry = _REGISTRY.get(key)
    if entry is None:
        raise Http404
    instance = entry.model._default_manager.filter(pk=pk).first()
    if instance is None or not getattr(instance, entry.field_name):
        raise Http404
    if not entry.can_read(request.user, instance):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return _file_response(getattr(instance, entry.field_name))


def _file_response(field_file: Any) -> HttpResponse:
    name = field_file.name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    server = getattr(settings, "PRIVATE_FILES_SERVER", "django")
    if server == "django":
        try:
            handle = field_file.storage.open(name, "rb")
        except FileNotFoundError:
            raise Http404 from None
        response: HttpResponse = FileResponse(handle, content_type=content_type)
    else:
        response = HttpResponse(content_type=content_type)
        if server == "nginx":
            response["X-Accel-Redirect"] = settings.PRIVATE_FILES_INTERNAL_URL.rstrip("/") + "/" + name
        elif server == "apache":
            response["X-Sendfile"] = field_file.storage.path(name)
        else:
            raise ValueError(f"Unknown PRIVATE_FILES_SERVER {server!r} (django, nginx or apache)")
    response["Content-Disposition"] = f'{disposition}; filename="{os.path.basename(name)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- uploads
# What each kind of content may be called: a file's name must agree with what it is.
EXTENSIONS = {
    "JPEG": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
    "GIF": {".gif"},
    "PDF": {".pdf"},
}
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


def validate_upload(
    upload: Any,
    kinds: tuple[str, ...] = ("image", "pdf"),
    *,
    max_bytes: int | None = None,
    max_pixels: int | None = None,
) -> str:
    """Check an uploaded file by its content; return its format ("JPEG", "PDF", ...).

    Refuses files over the size limit, images over the pixel limit (checked from the
    header, before decoding), content that is none of `kinds`, and a name whose extension
    says something else than the content."""
    max_bytes = max_bytes or settings.PRIVATE_UPLOAD_MAX_BYTES
    max_pixels = max_pixels or settings.UPLOAD_MAX_PIXELS
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("The file is too large (%(size)s MB). Files up to %(limit)s MB are accepted.")
            % {"size": round(size / 1_048_576, 1), "limit": max_bytes // 1_048_576},
            code="file_too_large",
        )
    detected = _detect(upload, kinds, max_pixels)
    extension = Path(getattr(upload, "name", "") or "").suffix.lower()
    if extension and extension not in EXTENSIONS[detected]:
        raise ValidationError(
            _("This file is a %(kind)s but its name ends in %(extension)s. Rename it or choose another file.")
            % {"kind": detected, "extension": extension},
            code="extension_mismatch",
        )
    return detected


def _detect(upload: Any, kinds: tuple[str, ...], max_pixels: int) -> str:
    from PIL import Image

    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        if "pdf" in kinds:
            return "PDF"
        raise ValidationError(_("A PDF is not accepted here; please upload a photo."), code="file_kind")
    if "image" in kinds:
        try:
            with Image.open(upload) as image:  # reads the header only
                width, height = image.size
                fmt = image.format
            if fmt in IMAGE_FORMATS and width * height > max_pixels:
                raise ValidationError(
                    _("The picture is too large (%(width)s × %(height)s pixels). "
                      "Please send one of at most %(limit)s megapixels.")
                    % {"width": width, "height": height, "limit": max_pixels // 1_000_000},
                    code="image_too_large",
                )
            if fmt in IMAGE_FORMATS:
                upload.seek(0)
                with Image.open(upload) as image:
                    image.verify()
                return fmt
        except ValidationError:
            raise
        except Image.DecompressionBombError:
            raise ValidationError(_("The picture is too large to open."), code="image_too_large") from None
        except (OSError, SyntaxError, ValueError):
            # Pillow could not read it as a picture (UnidentifiedImageError is an OSError,
            # a truncated or corrupt file fails verify()): refused below as unreadable.
            upload.seek(0)
        finally:
            upload.seek(0)
    if kinds == ("pdf",):
        message = _("This file could not be read as a PDF.")
    elif "pdf" in kinds:
        message = _("This file could not be read as a photo (JPEG, PNG, WebP or GIF) or a PDF.")
    else:
        message = _("This file could not be read as a photo (JPEG, PNG, WebP or GIF).")
    raise ValidationError(message, code="file_kind")
