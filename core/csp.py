"""Content Security Policy and Permissions-Policy on every response (django-csp).

The policy is in settings.CONTENT_SECURITY_POLICY: our own origin for everything, inline
scripts only with the per-request nonce (`{{ request.csp_nonce }}`), no plugins, no
framing. Two things are decided per request here:

- Stripe.js and its frames are allowed only when Stripe is configured (both keys set),
  from the origins of STRIPE_JS_URL and STRIPE_API_BASE;
- Django's admin and Wagtail's admin (/django-admin/, /cms/) carry inline scripts of
  their own that we do not template: there scripts may be inline (no nonce is sent, as a
  nonce would make browsers ignore 'unsafe-inline'); every other directive holds.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

ADMIN_PREFIXES = ("/cms/", "/django-admin/")
# Stripe's documented sources for Stripe.js, its card frames and 3-D Secure.
STRIPE_SCRIPTS = ("https://js.stripe.com", "https://*.js.stripe.com")
STRIPE_FRAMES = ("https://js.stripe.com", "https://*.js.stripe.com", "https://hooks.stripe.com")


def stripe_configured() -> bool:
    return bool(getattr(settings, "STRIPE_SECRET_KEY", "") and getattr(settings, "STRIPE_PUBLISHABLE_KEY", ""))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def stripe_sources() -> dict[str, list[str]]:
    js = _origin(settings.STRIPE_JS_URL)
    api = _origin(settings.STRIPE_API_BASE)
    frames = sorted({js, *STRIPE_FRAMES} - {""})
    return {
        "script-src": sorted({js, *STRIPE_SCRIPTS} - {""}),
        "connect-src": sorted({js, api} - {""}),
        "frame-src": frames,
        "img-src": ["https://*.stripe.com"],
    }


def permissions_policy() -> str:
    payment = '(self "https://js.stripe.com")' if stripe_configured() else "()"
    features = {
        "accelerometer": "()", "camera": "()", "geolocation": "()", "gyroscope": "()", "magnetometer": "()",
        "microphone": "()", "usb": "()", "interest-cohort": "()", "payment": payment,
    }
    return ", ".join(f"{name}={allow}" for name, allow in features.items())


def _merge(update: dict | None, extra: dict[str, list[str]]) -> dict:
    merged = {key: list(value) for key, value in (update or {}).items()}
    for directive, sources in extra.items():
        merged.setdefault(directive, [])
        merged[directive] += [source for source in sources if source not in merged[directive]]
    return merged


class ContentPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only:
            return parts
        if request.path_info.startswith(ADMIN_PREFIXES):
            parts.nonce = None
            parts.update = _merge(parts.update, {"script-src": ["'unsafe-inline'"]})
        if stripe_configured():
            parts.update = _merge(parts.update, stripe_sources())
        return parts

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions_policy()
        return response
