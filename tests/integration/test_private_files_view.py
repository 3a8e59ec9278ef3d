"""The private-file view serves a registered field only to whom the owning app says may
read it; a link cannot be forged or walked."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from wagtail.documents.models import Document

from core.private_files import private_file_url, register_private_file, unregister_private_file
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture
def private_document(tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path):
        document = Document.objects.create(title="scan", file=ContentFile(b"%PDF-1.4 secret", name="scan.pdf"))
        register_private_file(Document, "file", can_read=lambda user, doc: user.username == "owner-1")
        yield document
        unregister_private_file(Document, "file")


def test_only_the_reader_the_app_names_gets_the_bytes(client, private_document):
    url = private_file_url(private_document, "file")
    assert str(private_document.pk) not in url.split("/")

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]

    client.force_login(make_role_user("customer", username="someone-else"))
    assert client.get(url).status_code == 403

    client.force_login(make_role_user("customer", username="owner-1"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 secret"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_forged_or_unregistered_links_are_404(client, private_document):
    client.force_login(make_role_user("customer", username="owner-1"))
    url = private_file_url(private_document, "file")
    assert client.get(url[:-3] + "xx/").status_code == 404
    unregister_private_file(Document, "file")
    assert client.get(url).status_code == 404


@override_settings(PRIVATE_FILES_SERVER="nginx", PRIVATE_FILES_INTERNAL_URL="/internal-private/")
def test_nginx_sends_the_bytes_in_production(client, private_document):
    client.force_login(make_role_user("customer", username="owner-1"))
    response = client.get(private_file_url(private_document, "file"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/internal-private/" + private_document.file.name
    assert response.content == b""


def test_a_files_link_is_the_same_on_every_render(private_document, monkeypatch):
    """No timestamp in the link: a page rendered a few seconds before a check agrees with it."""
    import time

    first = private_file_url(private_document, "file")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 5)
    assert private_file_url(private_document, "file") == first
