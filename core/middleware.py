"""Response post-processing for Persian pages."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.translation import get_language

from core.text import to_persian_digits

# Text between tags; script, style and textarea bodies are kept apart and left as they are.
_RAW_BLOCK = re.compile(r"(<(script|style|textarea|pre|code)\b.*?</\2\s*>)", re.S | re.I)
# Tags and character references (&#x27;) keep their ASCII digits.
_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?[0-9A-Za-z]+;)")
_SKIPPED_PREFIXES = ("/cms/", "/django-admin/", "/api/", "/static/", "/media/")


def persian_digits_in_html(html: str) -> str:
    """Turn ASCII digits into Persian ones in the visible text of an HTML page.

    Tag attributes (URLs, input values, ids) and script/style bodies are untouched, so
    links, forms and JavaScript keep working.
    """
    out: list[str] = []
    position = 0
    for block in _RAW_BLOCK.finditer(html):
        out.append(_convert_text_nodes(html[position : block.start()]))
        out.append(block.group(0))
        position = block.end()
    out.append(_convert_text_nodes(html[position:]))
    return "".join(out)


# A dot between two digits is a decimal point: Persian writes it as "٫" (U+066B).
_DECIMAL_POINT = re.compile(r"(?<=[۰-۹])\.(?=[۰-۹])")


def _convert_text_nodes(fragment: str) -> str:
    # re.split puts the captured tags and entities at the odd positions.
    return "".join(
        piece if index % 2 else _DECIMAL_POINT.sub("٫", to_persian_digits(piece))
        for index, piece in enumerate(_TAG_OR_ENTITY.split(fragment))
    )


class PersianDigitsMiddleware:
    """Numbers on Persian storefront pages read in Persian digits (۱۲۳, not 123)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            (get_language() or "").startswith("fa")
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(_SKIPPED_PREFIXES)
        ):
            response.content = persian_digits_in_html(response.content.decode(response.charset))
            if response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, minus its 404 redirect for paths outside the page tree.

    Django answers a 404 by redirecting to the same path with a language prefix whenever
    that prefixed path resolves, and Wagtail's catch-all makes every prefixed path
    resolve. So a 404 from the API (another customer's job, a typo) or the webhook would
    become a 302 to a Persian HTML page. Those paths are language-neutral: keep their 404.
    """

    language_neutral_prefixes = ("/api/", "/payments/stripe/", "/healthz", "/static/", "/media/")

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 404 and request.path_info.startswith(self.language_neutral_prefixes):
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
