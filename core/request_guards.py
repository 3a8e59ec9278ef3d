"""Refuse bad input at the door, and answer failures in the shape the client reads.

- A request body larger than `CHAARSOO_MAX_REQUEST_BYTES` is refused with 413 from its
  Content-Length, before any of it is read (the proxy in front has the same limit, see
  the README's serving recipe).
- A NUL character in the path, the query string or a form/JSON body is refused with 400:
  PostgreSQL cannot store one in a text column, and no honest client sends one.
- Under `/api/`, every refusal here is the API's error shape `{code, detail, fields}`, in
  the language of the request's Accept-Language; an unexpected error is a JSON 500 (DRF's own views are
  answered by `core.api.exception_handler`; this catches the rest, e.g. Wagtail's API).
- When the database cannot be reached, the answer is a short 503 (fa/en), not a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core.middleware import request_language

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Raw-body endpoints whose sender retries until it gets a 2xx: the Stripe webhook verifies
# its signature on the exact bytes and must not be refused for their content.
BODY_CHECK_EXEMPT = ("/payments/stripe/webhook/",)
_TEXT_BODY_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/")
_NUL_MARKERS = (b"\x00", b"%00", b"\\u0000")

UNAVAILABLE_HTML = """<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>در دسترس نیست / Unavailable</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 36rem; margin: 4rem auto; line-height: 1.8">
<h1>چارسو لحظه‌ای در دسترس نیست</h1>
<p>پایگاه داده پاسخ نمی‌دهد. چند دقیقه دیگر دوباره امتحان کنید؛ کاری که نیمه‌کاره ماند ثبت نشده است.</p>
<hr>
<div dir="ltr" lang="en"><h2>Chaarsoo is briefly unavailable</h2>
<p>Our database is not answering. Please try again in a few minutes; nothing you were
doing was half-saved.</p></div>
</body></html>
"""


def max_request_bytes() -> int:
    return int(getattr(settings, "CHAARSOO_MAX_REQUEST_BYTES", 20 * 1024 * 1024))


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, code: str, detail: str, **headers: str) -> JsonResponse:
    """The API's error shape (core.api.error_body) for answers given outside DRF."""
    return JsonResponse({"code": code, "detail": str(detail), "fields": {}}, status=status,
                        headers={name.replace("_", "-"): value for name, value in headers.items()})


def _refusal(request: HttpRequest, status: int, code: str, detail: Callable[[], str]) -> HttpResponse:
    # The guard runs before LocaleMiddleware: the message is written in the request's language.
    with translation.override(request_language(request)):
        text = str(detail())
    if _is_api(request):
        return api_error(status, code, text)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _has_nul_in_url(request: HttpRequest) -> bool:
    if "\x00" in request.path_info or "\x00" in request.path:
        return True
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in query or b"\x00" in unquote_to_bytes(query.replace("+", " "))


def _has_nul_in_body(request: HttpRequest) -> bool:
    if request.method in ("GET", "HEAD", "OPTIONS") or request.path.startswith(BODY_CHECK_EXEMPT):
        return False
    content_type = request.META.get("CONTENT_TYPE", "").lower()
    if not content_type.startswith(_TEXT_BODY_TYPES):
        return False  # multipart: text fields are checked by the forms, files may hold NULs
    body = request.body  # bounded by DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig -> 400)
    return any(marker in body for marker in _NUL_MARKERS)


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, 400, "invalid_length", lambda: _("Invalid Content-Length."))
        if length > max_request_bytes():
            return _refusal(
                request, 413, "too_large",
                lambda: _("The request is larger than %(mb)s MB; send a smaller file.") % {
                    "mb": max_request_bytes() // (1024 * 1024)},
            )
        if _has_nul_in_url(request):
            return _refusal(request, 400, "invalid_characters", lambda: _("The address contains a NUL character."))
        if _has_nul_in_body(request):
            return _refusal(request, 400, "invalid_characters",
                            lambda: _("The submitted data contains a NUL character."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return response_for_exception(request, exception)


def response_for_exception(request: HttpRequest, exception: Exception) -> HttpResponse | None:
    """The answer to an exception no view handled: 503 when the database is unreachable,
    JSON for the API; None lets Django's handler answer."""
    if isinstance(exception, (OperationalError, InterfaceError)):
        logger.exception("database unavailable while serving %s", request.path)
        if _is_api(request):
            return api_error(503, "unavailable", _("The service is briefly unavailable; try again shortly."),
                             Retry_After="30")
        return HttpResponse(UNAVAILABLE_HTML, status=503, headers={"Retry-After": "30"})
    if _is_api(request):
        logger.exception("unhandled error in API request %s", request.path)
        return api_error(500, "server_error", _("Something went wrong on our side; it has been logged."))
    return None
