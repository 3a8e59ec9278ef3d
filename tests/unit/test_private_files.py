"""Uploads are judged by their content (core.private_files.validate_upload), and private
paths carry neither ids nor the uploader's file name."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from core.private_files import PRIVATE_STORAGE, private_upload_to, validate_upload


def png(width: int = 20, height: int = 10) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_photo_and_a_pdf_pass_and_say_what_they_are():
    assert validate_upload(SimpleUploadedFile("receipt.png", png())) == "PNG"
    assert validate_upload(SimpleUploadedFile("scan.PDF", PDF)) == "PDF"


def test_a_name_that_lies_about_the_content_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("scan.pdf", png()))
    assert error.value.code == "extension_mismatch"


@pytest.mark.parametrize("content", [b"<?php echo 1; ?>", b"MZ\x90\x00 not a picture", b""])
def test_content_that_is_neither_photo_nor_pdf_is_refused(content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("photo.jpg", content))
    assert error.value.code == "file_kind"


def test_a_pdf_is_refused_where_only_photos_are_accepted():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("a.pdf", PDF), kinds=("image",))
    assert error.value.code == "file_kind"


def test_pixel_and_size_limits_are_checked_before_decoding():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("big.png", png(400, 300)), max_pixels=100_000)
    assert error.value.code == "image_too_large"
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("a.pdf", PDF), max_bytes=10)
    assert error.value.code == "file_too_large"


def test_upload_names_are_random_and_keep_only_a_plain_extension():
    upload_to = private_upload_to("services/jobs/")
    first, second = upload_to(None, "مدرک شناسایی.JPG"), upload_to(None, "../../etc/passwd")
    assert re.fullmatch(r"services/jobs/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", first)
    assert re.fullmatch(r"services/jobs/\d{4}/\d{2}/[0-9a-f]{32}", second)
    assert upload_to == private_upload_to("services/jobs")  # migrations see no change


def test_private_storage_is_outside_media_and_has_no_url(tmp_path, settings):
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path / "private", MEDIA_ROOT=tmp_path / "media"):
        from core.private_files import PrivateStorage

        storage = PrivateStorage()
        name = storage.save("x/a.txt", io.BytesIO(b"secret"))
        assert Path(storage.path(name)).is_relative_to(tmp_path / "private")
        with pytest.raises(ValueError):
            storage.url(name)
    with pytest.raises(ValueError):
        PRIVATE_STORAGE.url("anything")

