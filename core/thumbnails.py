"""Oscar thumbnailer that keeps no database state.

sorl-thumbnail looks every thumbnail up in a key-value table, one query per image on a
cold cache, so a product list's query count grew with its length. This one derives the
thumbnail's file name from the source name and options, creates the file with Pillow the
first time, and afterwards only checks that the file exists.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from oscar.core.thumbnails import AbstractThumbnailer
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)
THUMBNAIL_DIR = "cache/thumbnails"


@dataclass(frozen=True)
class Thumbnail:
    name: str
    url: str


def _parse_size(size: str) -> tuple[int | None, int | None]:
    width, _x, height = size.partition("x")
    return (int(width) if width else None, int(height) if height else None)


class FileThumbnailer(AbstractThumbnailer):
    def thumbnail_name(self, source_name: str, size: str, crop: str | None, upscale: bool) -> str:
        digest = hashlib.sha1(f"{source_name}|{size}|{crop}|{upscale}".encode()).hexdigest()
        suffix = PurePosixPath(source_name).suffix.lower() or ".jpg"
        if suffix not in (".jpg", ".jpeg", ".png", ".webp", ".gif"):
            suffix = ".jpg"
        return f"{THUMBNAIL_DIR}/{digest[:2]}/{digest}{suffix}"

    def generate_thumbnail(self, source, **opts) -> Thumbnail:
        source_name = getattr(source, "name", None) or str(source)
        size = opts.get("size", "")
        crop = opts.get("crop")
        upscale = bool(opts.get("upscale", True))
        name = self.thumbnail_name(source_name, size, crop, upscale)
        if not default_storage.exists(name):
            self._render(source_name, name, size, crop, upscale)
        return Thumbnail(name=name, url=default_storage.url(name))

    def _render(self, source_name: str, name: str, size: str, crop, upscale: bool) -> None:
        width, height = _parse_size(size)
        with default_storage.open(source_name, "rb") as handle:
            image = Image.open(handle)
            image.load()
        image = ImageOps.exif_transpose(image)
        target_w = width or round(image.width * (height / image.height))
        target_h = height or round(image.height * (width / image.width))
        if crop:
            image = ImageOps.fit(image, (target_w, target_h))
        else:
            if not upscale and image.width <= target_w and image.height <= target_h:
                target_w, target_h = image.width, image.height
            image.thumbnail((target_w, target_h))
        buffer = BytesIO()
        fmt = "PNG" if name.endswith(".png") else "WEBP" if name.endswith(".webp") else "JPEG"
        if fmt == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(buffer, format=fmt, quality=85)
        default_storage.save(name, ContentFile(buffer.getvalue()))

    def delete_thumbnails(self, source) -> None:
        # Names are derived, not recorded; stale files are harmless and removed by
        # clearing media/cache/thumbnails.
        logger.debug("Thumbnails of %s are left to the cache directory", source)
