"""Data migrations that move files already uploaded to the public MEDIA_ROOT into the
private storage (core.private_files), under new random names, and delete the public copy.

Idempotent: a row whose file already lives in the private folder is left alone; a row
whose public file is missing is left as it is (and reported), never failed on."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from core.private_files import private_storage, private_upload_to

logger = logging.getLogger(__name__)


def move_to_private(app_label: str, model_name: str, field_name: str, prefix: str) -> Callable:
    """A RunPython forward function moving `app_label.model_name.field_name`'s files."""

    def forward(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        public = FileSystemStorage(location=settings.MEDIA_ROOT)
        private = private_storage()
        upload_to = private_upload_to(prefix)
        for row in model._default_manager.exclude(**{field_name: ""}).iterator():
            name = getattr(row, field_name).name
            if private.exists(name) or name.startswith(prefix + "/"):
                continue
            if not public.exists(name):
                logger.warning("%s.%s #%s: %s is missing; left as it is", model_name, field_name, row.pk, name)
                continue
            with public.open(name, "rb") as handle:
                new_name = private.save(upload_to(row, name), handle)
            model._default_manager.filter(pk=row.pk).update(**{field_name: new_name})
            public.delete(name)

    return forward
