"""SMS through Kavenegar's HTTP API (https://kavenegar.com/rest.html): the production SMS
provider, selected by

    CHAARSOO_SMS_BACKEND=notifications.kavenegar.KavenegarSMSBackend
    KAVENEGAR_API_KEY=...        (the account's API key)
    KAVENEGAR_SENDER=10004346    (the sending line; empty: the account's default line)

One POST per message to `{KAVENEGAR_API_BASE}/v1/{API_KEY}/sms/send.json` with the form
fields receptor, message and (optionally) sender. Kavenegar answers JSON
`{"return": {"status": 200, "message": ...}, "entries": [{"messageid": ..., ...}]}`;
any other status (no credit, a bad number, an outage, a timeout) raises SMSError, so the
message stays queued and is retried (notifications.services).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from notifications.sms import BaseSMSBackend, SMSError


def _receptor(number: str) -> str:
    """Our stored form (+989121234567) in the form Kavenegar documents (09121234567)."""
    number = number.strip()
    if number.startswith("+98"):
        return "0" + number[3:]
    return number.removeprefix("+")


class KavenegarSMSBackend(BaseSMSBackend):
    def __init__(self) -> None:
        self.api_key = getattr(settings, "KAVENEGAR_API_KEY", "")
        if not self.api_key:
            raise ImproperlyConfigured("Set KAVENEGAR_API_KEY to send SMS through Kavenegar.")
        self.sender = getattr(settings, "KAVENEGAR_SENDER", "")
        self.base = getattr(settings, "KAVENEGAR_API_BASE", "https://api.kavenegar.com").rstrip("/")
        self.timeout = float(getattr(settings, "KAVENEGAR_TIMEOUT_SECONDS", 10))

    def send(self, *, to: str, body: str) -> str:
        fields = {"receptor": _receptor(to), "message": body}
        if self.sender:
            fields["sender"] = self.sender
        url = f"{self.base}/v1/{urllib.parse.quote(self.api_key, safe='')}/sms/send.json"
        request = urllib.request.Request(
            url, data=urllib.parse.urlencode(fields).encode(), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (https base)
                payload = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            payload = self._error_payload(error)
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
            raise SMSError(f"Kavenegar unreachable: {error}") from error
        status = (payload.get("return") or {}).get("status")
        if status != 200:
            message = (payload.get("return") or {}).get("message", "")
            raise SMSError(f"Kavenegar refused the message ({status}): {message}")
        entries = payload.get("entries") or []
        if not entries or "messageid" not in entries[0]:
            raise SMSError("Kavenegar answered without a message id")
        return str(entries[0]["messageid"])

    @staticmethod
    def _error_payload(error: urllib.error.HTTPError) -> dict:
        try:
            return json.loads(error.read().decode("utf-8"))
        except ValueError:
            return {"return": {"status": error.code, "message": error.reason}}
