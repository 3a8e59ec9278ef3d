"""Issue 14, point 1: job photos and documents and warranty-claim photos are private:
stored outside MEDIA_ROOT under random names, served only to the owner, the assigned
provider/vendor and staff; uploads are judged by their content; files uploaded before
move out of the public folder."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.private_files import private_file_url, private_storage
from core.private_moves import move_to_private
from services_catalog.forms import MultiplePhotoField, check_document_file
from services_catalog.models import Job, JobDocument, JobPhoto
from tests.factories import UserFactory
from tests.factories_services import make_customer, make_job, make_provider_for, make_service
from tests.factories_vendors import deliver, make_vendor, make_vendor_product, place_order, vendor_user
from tests.helpers.jobs import request as request_job
from tests.helpers.roles import make_role_user
from vendors import services as vendor_services
from vendors.forms import WarrantyClaimForm
from vendors.models import ShipmentLine

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def png(width: int = 8, height: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def folders(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storage = private_storage()
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)
    yield tmp_path
    for name in ("base_location", "location"):
        storage.__dict__.pop(name, None)


@pytest.fixture
def job_with_files(folders):
    service = make_service()
    make_provider_for(service)
    customer = make_customer()
    job = request_job(customer, service, photos=[SimpleUploadedFile("my-kitchen.png", png(), "image/png")])
    JobDocument.objects.create(job=job, file=SimpleUploadedFile("passport-scan.pdf", b"%PDF-1.4 id"))
    return Job.objects.get(pk=job.pk)


def test_job_files_live_outside_media_under_random_names(job_with_files, folders):
    photo, document = job_with_files.photos.get(), job_with_files.documents.get()
    for field_file, original in ((photo.image, "my-kitchen"), (document.file, "passport-scan")):
        assert original not in field_file.name and f"/{job_with_files.pk}/" not in field_file.name
        assert Path(field_file.path).is_relative_to(folders / "private")
    assert not (folders / "media").exists() or not any((folders / "media").rglob("*.*"))


def test_job_files_are_served_to_the_customer_provider_and_staff_only(client, job_with_files):
    job = job_with_files
    url = private_file_url(job.photos.get(), "image")
    assert client.get(url).status_code == 302  # to the sign-in page
    client.force_login(make_customer())
    assert client.get(url).status_code == 403
    client.force_login(make_role_user("vendor", username="some-vendor"))
    assert client.get(url).status_code == 403
    client.force_login(job.customer)
    answer = client.get(url)
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"\x89PNG")
    client.force_login(make_role_user("operator", username="ops-1"))
    assert client.get(private_file_url(job.documents.get(), "file")).status_code == 200
    client.force_login(make_role_user("agent", username="agent-1"))
    assert client.get(url).status_code == 200  # view_customer_history


def test_the_assigned_provider_reads_them_and_pages_link_the_checked_view(client, job_with_files):
    job = job_with_files
    client.force_login(job.customer)
    page = client.get(reverse("services_catalog:job-detail", args=[job.number])).content.decode()
    assert private_file_url(job.photos.get(), "image") in page and "/media/" not in page
    service = make_service(payment_rule="on_completion")
    provider = make_provider_for(service)
    assigned = make_job(make_customer(), service, status=Job.Status.ASSIGNED)
    photo = JobPhoto.objects.create(job=assigned, image=SimpleUploadedFile("x.png", png(), "image/png"))
    assert assigned.provider_id == provider.pk
    client.force_login(provider.user)
    assert client.get(private_file_url(photo, "image")).status_code == 200
    client.force_login(make_provider_for(make_service()).user)  # another provider
    assert client.get(private_file_url(photo, "image")).status_code == 403


def test_nothing_is_served_from_media_for_a_job_file(client, job_with_files):
    assert client.get(f"/media/{job_with_files.photos.get().image.name}").status_code == 404


def test_claim_photos_are_private_to_customer_vendor_and_staff(client, folders):
    buyer = UserFactory(email="claimer@example.com")
    vendor = make_vendor()
    order = place_order(buyer, [(make_vendor_product(vendor, stock=5), 1)])
    deliver(order.shipments.get())
    claim = vendor_services.warranty_claim_open(
        shipment_line=ShipmentLine.objects.get(line__order=order), customer=buyer, kind="repair",
        description="Broken", photos=[SimpleUploadedFile("broken-kettle.png", png(), "image/png")],
    )
    photo = claim.photos.get()
    assert "broken-kettle" not in photo.image.name
    assert Path(photo.image.path).is_relative_to(folders / "private")
    url = private_file_url(photo, "image")
    for user, status in ((buyer, 200), (vendor_user(vendor), 200), (vendor_user(make_vendor()), 403),
                         (make_customer(), 403), (make_role_user("operator", username="ops-2"), 200)):
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(vendor_user(vendor))
    api = client.get(f"/api/v1/vendor/claims/{claim.pk}/").json()
    assert all("/files/" in link for link in api["photos"]), api


# --------------------------------------------------------------------------- uploads
def test_a_pixel_bomb_is_refused_with_a_message(settings):
    bomb = SimpleUploadedFile("huge.png", png(13_000, 13_000), "image/png")
    with pytest.raises(ValidationError) as refused:
        MultiplePhotoField(required=False).clean([bomb])
    assert refused.value.error_list[0].code == "image_too_large"
    form = WarrantyClaimForm(data={"kind": "repair", "description": "x"},
                             files={"photos": SimpleUploadedFile("huge.png", png(13_000, 13_000), "image/png")})
    assert not form.is_valid() and "photos" in form.errors


def test_content_must_match_the_extension():
    with pytest.raises(ValidationError) as refused:
        check_document_file(SimpleUploadedFile("scan.pdf", png(), "application/pdf"))
    assert ".pdf" in str(refused.value)
    with pytest.raises(ValidationError):
        check_document_file(SimpleUploadedFile("scan.png", b"MZ\x90\x00 not an image", "image/png"))
    check_document_file(SimpleUploadedFile("scan.pdf", b"%PDF-1.4 fine", "application/pdf"))


# --------------------------------------------------------------------------- the move
def test_files_uploaded_before_move_out_of_the_public_folder(folders, job_with_files):
    from django.apps import apps

    old = f"services/jobs/{job_with_files.pk}/front-door.png"
    public = folders / "media" / old
    public.parent.mkdir(parents=True, exist_ok=True)
    public.write_bytes(png())
    photo = JobPhoto.objects.create(job=job_with_files, image="placeholder")
    JobPhoto.objects.filter(pk=photo.pk).update(image=old)
    move_to_private("services_catalog", "JobPhoto", "image", "services/jobs/photos")(apps, None)
    photo.refresh_from_db()
    assert photo.image.name.startswith("services/jobs/photos/") and "front-door" not in photo.image.name
    assert not public.exists()
    assert Path(photo.image.path).read_bytes().startswith(b"\x89PNG")
    moved = photo.image.name
    move_to_private("services_catalog", "JobPhoto", "image", "services/jobs/photos")(apps, None)  # again: no-op
    photo.refresh_from_db()
    assert photo.image.name == moved


def test_public_media_is_served_with_cache_headers_and_private_files_are_not(client, settings, folders,
                                                                             job_with_files):
    from django.urls import clear_url_caches

    settings.CHAARSOO_SERVE_MEDIA = True
    (folders / "media" / "images").mkdir(parents=True, exist_ok=True)
    (folders / "media" / "images" / "lamp.png").write_bytes(png())
    import importlib

    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()
    try:
        answer = client.get("/media/images/lamp.png")
        assert answer.status_code == 200 and answer["Cache-Control"] == "public, max-age=86400"
        private_name = job_with_files.photos.get().image.name
        assert client.get(f"/media/{private_name}").status_code == 404
        assert client.get("/media/../private/" + private_name).status_code in (400, 404)  # refused, never served
    finally:
        settings.CHAARSOO_SERVE_MEDIA = False
        importlib.reload(config.urls)
        clear_url_caches()
