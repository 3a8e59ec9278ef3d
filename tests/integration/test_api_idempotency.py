"""Issue 17, conventions: `Idempotency-Key` on every POST under /api/v1/ (core.idempotency).

A retried POST with the same key returns the first answer instead of doing the work
twice; the same key with another body is a 422; two requests with the same key at the
same moment: the second is told 409 (a database unique constraint decides, shown on real
concurrent PostgreSQL connections); keys are forgotten after 24 hours."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.models import IdempotencyKey
from core.periodic import DUTIES
from customers.models import DeviceToken
from support.models import Ticket
from tests.factories_services import make_customer

pytestmark = [pytest.mark.no_demo]
TICKETS = "/api/v1/support/tickets/"


def token_client(user, key: str | None = None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return Client(**headers)


def file_ticket(client: Client, subject: str = "Late order"):
    return client.post(TICKETS, {"subject": subject, "body": "Where is it?"}, content_type="application/json")


@pytest.mark.django_db
def test_a_replay_returns_the_first_answer_and_does_the_work_once():
    customer = make_customer()
    first = file_ticket(token_client(customer, "key-1"))
    again = file_ticket(token_client(customer, "key-1"))

    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Ticket.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_without_a_key_or_with_a_new_key_the_work_is_done_again():
    customer = make_customer()
    file_ticket(token_client(customer))
    file_ticket(token_client(customer))
    file_ticket(token_client(customer, "a"))
    file_ticket(token_client(customer, "b"))
    assert Ticket.objects.filter(customer=customer).count() == 4


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_422():
    customer = make_customer()
    file_ticket(token_client(customer, "key-2"), subject="Late order")
    reused = file_ticket(token_client(customer, "key-2"), subject="Broken item")

    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused" and reused.json()["fields"] == {}
    assert Ticket.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_keys_are_per_account():
    one, other = make_customer(), make_customer()
    file_ticket(token_client(one, "shared"))
    answer = file_ticket(token_client(other, "shared"))
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    assert Ticket.objects.filter(customer=other).count() == 1


@pytest.mark.django_db
def test_a_key_still_running_answers_409():
    customer = make_customer()
    IdempotencyKey.objects.create(client=f"user:{customer.pk}", key="busy", method="POST", path=TICKETS,
                                  fingerprint="x")
    answer = file_ticket(token_client(customer, "busy"))
    assert answer.status_code == 409 and answer.json()["code"] == "idempotency_key_in_progress"
    assert not Ticket.objects.filter(customer=customer).exists()


@pytest.mark.django_db
def test_refusals_that_say_try_again_are_not_kept():
    customer = make_customer()
    refused = Client(HTTP_IDEMPOTENCY_KEY="k", HTTP_AUTHORIZATION="Token wrong").post(
        TICKETS, {"subject": "s", "body": "b"}, content_type="application/json")
    assert refused.status_code in (401, 403)
    assert not IdempotencyKey.objects.exists()
    assert file_ticket(token_client(customer, "k")).status_code == 201


@pytest.mark.django_db
def test_a_malformed_key_is_a_400():
    answer = file_ticket(token_client(make_customer(), "x" * 256))
    assert answer.status_code == 400 and answer.json()["code"] == "invalid_idempotency_key"


@pytest.mark.django_db
def test_keys_expire_after_24_hours_by_a_periodic_duty():
    customer = make_customer()
    file_ticket(token_client(customer, "old"))
    IdempotencyKey.objects.update(created=timezone.now() - timedelta(hours=25))
    file_ticket(token_client(customer, "new"))

    assert "expire_idempotency_keys" in {duty.command for duty in DUTIES}
    call_command("expire_idempotency_keys", stdout=open("/dev/null", "w"))
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.django_db
def test_an_expired_key_is_not_replayed():
    customer = make_customer()
    file_ticket(token_client(customer, "late"))
    IdempotencyKey.objects.update(created=timezone.now() - timedelta(hours=25))
    answer = file_ticket(token_client(customer, "late"))
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    assert Ticket.objects.filter(customer=customer).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_run_once(monkeypatch):
    """The first request is held inside its view; the second, on its own connection, is
    refused 409 at once; when the first finishes, a third gets its answer replayed."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent requests need PostgreSQL (run with DATABASE_URL=postgres://...)")
    import support.api

    customer = make_customer()
    token_client(customer)  # the token exists before the threads start
    inside, release = threading.Event(), threading.Event()
    real_ticket_file = support.api.ticket_file

    def held_ticket_file(**kwargs):
        inside.set()
        assert release.wait(60), "the test never released the first request"
        return real_ticket_file(**kwargs)

    monkeypatch.setattr(support.api, "ticket_file", held_ticket_file)
    answers: dict[str, object] = {}

    def post(name: str) -> None:
        try:
            answers[name] = file_ticket(token_client(customer, "race"))
        finally:
            connections.close_all()

    first = threading.Thread(target=post, args=("first",))
    first.start()
    assert inside.wait(60), "the first request never reached its view"
    second = threading.Thread(target=post, args=("second",))
    second.start()
    second.join(60)
    release.set()
    first.join(60)

    assert answers["second"].status_code == 409
    assert answers["second"].json()["code"] == "idempotency_key_in_progress"
    assert answers["first"].status_code == 201
    third = file_ticket(token_client(customer, "race"))
    assert third.status_code == 201 and third.headers["Idempotent-Replayed"] == "true"
    assert Ticket.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
def test_a_multipart_upload_with_a_key_is_replayed_and_a_changed_file_is_refused():
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    customer = make_customer()

    def png(color: str) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (4, 4), color).save(out, "PNG")
        return out.getvalue()

    def upload(content: bytes):
        return token_client(customer, "upload-1").post(TICKETS, {
            "subject": "Photo", "body": "See the file",
            "attachment": SimpleUploadedFile("photo.png", content, content_type="image/png"),
        })

    first, again, changed = upload(png("red")), upload(png("red")), upload(png("blue"))
    assert first.status_code == 201, first.content
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert changed.status_code == 422
    assert Ticket.objects.filter(customer=customer).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("scheme", ["Token", "Bearer"])
def test_a_token_client_with_a_key_is_not_taken_for_a_session_without_csrf(scheme):
    """Reading who sends the key once left the token's user on the request, so the view's
    session authentication asked a token client for a CSRF token (403). Test clients skip
    CSRF unless told to enforce it, as a real client cannot."""
    customer = make_customer()
    if scheme == "Token":
        credential = Token.objects.create(user=customer).key
    else:
        _device, credential = DeviceToken.objects.create(user=customer, name="phone")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"{scheme} {credential}",
                    HTTP_IDEMPOTENCY_KEY=f"{scheme}-key")

    answer = file_ticket(client)

    assert answer.status_code == 201, answer.content
    assert Ticket.objects.filter(customer=customer).count() == 1
