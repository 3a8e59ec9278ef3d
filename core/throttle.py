"""Rate limits on the doors an attacker knocks on: sign-in, password reset, registration,
anonymous applications (django-ratelimit's counters, kept in the cache: Redis in
production, so every worker shares them).

- Sign-in forms (the shop's, the dashboard's, Django admin's, Wagtail's): per account and
  IP, and per IP, POSTs over the limit are answered 429 without checking the password.
- Password reset: per IP; and one mail per address per `CHAARSOO_RESET_MAIL_MINUTES`:
  a second request for the same address within that time is answered exactly like the
  first (the "mail sent" page) but sends nothing, so the answer tells nothing either.
- Vendor applications (anonymous): per IP.
- Logout is POST only (a GET would let any page sign a visitor out with an <img>).

The API has DRF's own throttles (settings.REST_FRAMEWORK); its sign-in and password-reset
endpoints (customers.auth_api) call `sign_in_refused` and `reset_refused` below, so the
same counters and rules hold there as on the site. Every 429, from either, carries
`Retry-After` (seconds); under /api/ it is the API's error shape, code `throttled`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

LOGIN_VIEWS = frozenset({"customer:login", "dashboard:login", "admin:login", "wagtailadmin_login"})
LOGOUT_VIEWS = frozenset({"customer:logout"})
PASSWORD_RESET_VIEW = "password-reset"
# Anonymous forms that create a record for staff to read: name -> POSTs per IP.
ANONYMOUS_FORMS: dict[str, str] = {"vendors:apply": "5/h"}
logger = logging.getLogger(__name__)
_USERNAME_FIELDS = ("login-username", "username", "email", "login-email")


def _limits() -> dict[str, str]:
    return {
        "login_account": "5/5m",
        "login_ip": "30/10m",
        "reset_ip": "10/h",
        **getattr(settings, "CHAARSOO_RATE_LIMITS", {}),
    }


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _account_and_ip(group: str, request: HttpRequest) -> str:
    username = next((request.POST.get(name) for name in _USERNAME_FIELDS if request.POST.get(name)), "")
    return _digest(f"{username.strip().lower()}|{client_ip(request)}")


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the header the proxy in front sets (RATELIMIT_IP_META_KEY)."""
    return request.META.get(getattr(settings, "RATELIMIT_IP_META_KEY", None) or "REMOTE_ADDR", "")


def _ip_key(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def _reset_address(group: str, request: HttpRequest) -> str:
    return _digest(request.POST.get("email", "").strip().lower())


def _limited(request: HttpRequest, group: str, key, rate: str) -> bool:
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method="POST", increment=True)
    except Exception:  # the cache (Redis) is down: let the request through, loudly
        logger.exception("rate limit counters unavailable (%s); not throttling", group)
        return False


_PERIOD_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_window_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate: "5/5m" -> 300, "10/h" -> 3600."""
    _count, _slash, period = rate.partition("/")
    digits = "".join(char for char in period if char.isdigit())
    return int(digits or 1) * _PERIOD_SECONDS.get(period[-1:].lower(), 1)


def sign_in_refused(request: HttpRequest, username: str) -> bool:
    """The API's sign-in: the site's two login counters (per account and IP, per IP), for
    a username read from a JSON body rather than a form. True: answer 429 unchecked."""
    limits = _limits()
    account_key = _digest(f"{username.strip().lower()}|{client_ip(request)}")
    by_ip = _limited(request, "login-ip", _ip_key, limits["login_ip"])
    by_account = _limited(request, "login-account", lambda group, req: account_key, limits["login_account"])
    return by_ip or by_account


def reset_refused(request: HttpRequest, email: str) -> str | None:
    """The API's password reset: "throttled" (too many from this IP: 429), "quiet" (a mail
    went to this address within the window: answer as sent, send nothing), or None."""
    if _limited(request, "reset-ip", _ip_key, _limits()["reset_ip"]):
        return "throttled"
    address_key = _digest(email.strip().lower())
    if email and _limited(request, "reset-address", lambda group, req: address_key, f"1/{reset_mail_seconds()}s"):
        return "quiet"
    return None


def too_many(request: HttpRequest, *rates: str) -> HttpResponse:
    """429 with Retry-After: the longest window of the limits that refused (a counter may
    be anywhere in its window, so that is when the client is sure to be let in)."""
    retry_after = str(max((rate_window_seconds(rate) for rate in rates), default=60))
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "throttled", "detail": _("Too many attempts; wait a few minutes and try again."), "fields": {}},
            status=429, headers={"Retry-After": retry_after},
        )
    response = render(request, "core/too_many_requests.html", status=429)
    response["Retry-After"] = retry_after
    return response


def reset_mail_seconds() -> int:
    return 60 * int(getattr(settings, "CHAARSOO_RESET_MAIL_MINUTES", 5))


class ThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "POST"):
            return self.get_response(request)
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return self.get_response(request)
        refused = self.check(request, name)
        return refused if refused is not None else self.get_response(request)

    def check(self, request: HttpRequest, name: str) -> HttpResponse | None:
        limits = _limits()
        if name in LOGOUT_VIEWS and request.method == "GET":
            return HttpResponseNotAllowed(["POST"])
        if request.method != "POST":
            return None
        if name in LOGIN_VIEWS:
            # Both counters move on every attempt (no short-circuit), so neither can be dodged.
            by_ip = _limited(request, "login-ip", _ip_key, limits["login_ip"])
            by_account = _limited(request, "login-account", _account_and_ip, limits["login_account"])
            checked = ((limits["login_ip"], by_ip), (limits["login_account"], by_account))
            refused = [rate for rate, hit in checked if hit]
            return too_many(request, *refused) if refused else None
        if name == PASSWORD_RESET_VIEW:
            if _limited(request, "reset-ip", _ip_key, limits["reset_ip"]):
                return too_many(request, limits["reset_ip"])
            if request.POST.get("email") and _limited(
                request, "reset-address", _reset_address, f"1/{reset_mail_seconds()}s"
            ):
                # The same answer as a sent mail: it says nothing about the address.
                return HttpResponseRedirect(reverse("password-reset-done"))
            return None
        if name in ANONYMOUS_FORMS and _limited(request, f"form-{name}", _ip_key, ANONYMOUS_FORMS[name]):
            return too_many(request, ANONYMOUS_FORMS[name])
        return None
