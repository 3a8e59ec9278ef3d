"""Issue 14, point 8: SMS goes through a real provider's backend (Kavenegar's HTTP API),
selected by a setting, tested against a local stand-in server that checks each request."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from notifications.kavenegar import KavenegarSMSBackend
from notifications.models import Message
from notifications.services import notify
from notifications.sms import SMSError, get_sms_backend
from tests.factories_services import make_customer

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]
API_KEY = "test-key-0123456789"


class StandIn(BaseHTTPRequestHandler):
    """Kavenegar's send endpoint, as documented: POST /v1/{key}/sms/send.json."""

    received: list[dict] = []
    answer: tuple[int, dict] = (200, {})

    def do_POST(self):  # noqa: N802 (http.server's name)
        length = int(self.headers.get("Content-Length", 0))
        fields = urllib.parse.parse_qs(self.rfile.read(length).decode())
        type(self).received.append({
            "path": self.path, "content_type": self.headers.get("Content-Type", ""),
            "fields": {name: values[0] for name, values in fields.items()},
        })
        expected = f"/v1/{API_KEY}/sms/send.json"
        status, payload = type(self).answer
        if self.path != expected:
            status, payload = 404, {"return": {"status": 404, "message": "wrong path"}}
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        """No request log on the test's stderr."""


@pytest.fixture
def kavenegar(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    StandIn.received = []
    StandIn.answer = (200, {"return": {"status": 200, "message": "تایید شد"},
                            "entries": [{"messageid": 8792343, "status": 1, "receptor": "09121234567"}]})
    settings.CHAARSOO_SMS_BACKEND = "notifications.kavenegar.KavenegarSMSBackend"
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.KAVENEGAR_SENDER = "10004346"
    settings.KAVENEGAR_API_BASE = f"http://127.0.0.1:{server.server_port}"
    yield StandIn
    server.shutdown()
    server.server_close()


def test_the_setting_selects_the_provider_and_the_request_is_the_documented_one(kavenegar):
    backend = get_sms_backend()
    assert isinstance(backend, KavenegarSMSBackend)
    assert backend.send(to="+989121234567", body="سفارش شما ارسال شد") == "8792343"
    [request] = kavenegar.received
    assert request["path"] == f"/v1/{API_KEY}/sms/send.json"
    assert request["content_type"].startswith("application/x-www-form-urlencoded")
    assert request["fields"] == {"receptor": "09121234567", "message": "سفارش شما ارسال شد", "sender": "10004346"}


def test_a_refusal_raises_and_the_message_stays_queued_for_a_retry(kavenegar, django_capture_on_commit_callbacks):
    kavenegar.answer = (418, {"return": {"status": 418, "message": "اعتبار حساب شما کافی نیست"}, "entries": None})
    with pytest.raises(SMSError) as refused:
        get_sms_backend().send(to="+989121234567", body="x")
    assert "418" in str(refused.value)
    customer = make_customer(phone="+989121234500", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="customers_welcome", recipient=customer, context={"code": "CH-ABCDEF", "name": "", "phone": ""})
    sms = Message.objects.get(channel="sms", to="+989121234500")
    assert sms.status == Message.Status.QUEUED and sms.attempts == 1 and "418" in sms.error
    kavenegar.answer = (200, {"return": {"status": 200, "message": "ok"}, "entries": [{"messageid": 42}]})
    from django.core.management import call_command

    call_command("send_queued_notifications", "--older-than", "0")
    sms.refresh_from_db()
    assert (sms.status, sms.provider_id) == (Message.Status.SENT, "42")


def test_an_unreachable_provider_is_an_sms_error(settings):
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.KAVENEGAR_API_BASE = "http://127.0.0.1:1"
    with pytest.raises(SMSError):
        KavenegarSMSBackend().send(to="+989121234567", body="x")
