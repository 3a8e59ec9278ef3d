"""Response post-processing for Persian pages."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header

from core.text import to_persian_digits

API_PREFIX = "/api/"


def header_language(request: HttpRequest) -> str | None:
    """The first of our languages the Accept-Language header asks for, or None."""
    for accepted, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if accepted == "*":
            continue
        try:
            return translation.get_supported_language_variant(accepted)
        except LookupError:
            continue
    return None


def request_language(request: HttpRequest) -> str:
    """The language of an answer: for the API the Accept-Language header first (an app
    says what it wants on every request; a site cookie must not override it), else what
    Django picks (cookie, header, LANGUAGE_CODE)."""
    if request.path.startswith(API_PREFIX):
        chosen = header_language(request)
        if chosen:
            return chosen
    return translation.get_language_from_request(request)


# One token at a time: a raw block (script, style, textarea, pre, code: left as it is), a
# tag, a character reference (&#x27;, keeps its ASCII digits) or a run of text.
_TOKEN = re.compile(
    r"(?P<raw><(?P<raw_name>script|style|textarea|pre|code)\b.*?</(?P=raw_name)\s*>)"
    r"|(?P<tag><(?P<closing>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)\b[^>]*>|<[^>]*>)"
    r"|(?P<entity>&#?[0-9A-Za-z]+;)",
    re.S | re.I,
)
# An element written with dir="ltr" holds an identifier (an order number, a code, a phone
# number, an IBAN): everything inside it keeps its own characters.
_DIR_LTR = re.compile(r"""\sdir\s*=\s*(["']?)ltr\1(?=[\s/>])""", re.I)
_VOID_ELEMENTS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_SKIPPED_PREFIXES = ("/cms/", "/django-admin/", "/api/", "/static/", "/media/")


# Text that may change: ASCII digits, Persian ones (a decimal point between them becomes
# "٫") and the isolate marks that switch the conversion off and on.
_MAY_CHANGE = re.compile("[0-9\u06f0-\u06f9\u2066\u2069]")


def persian_digits_in_html(html: str) -> str:
    """Turn ASCII digits into Persian ones in the visible text of an HTML page.

    Tag attributes (URLs, input values, ids) and script/style bodies are untouched, so
    links, forms and JavaScript keep working. Text inside an element marked `dir="ltr"`
    is an identifier and keeps its characters (see docs/architecture.md, "Persian digits").

    It runs over every Persian page (a 50-row dashboard table is thousands of tags), so the
    loop does as little as it can per tag (issue 16): a run of text is copied as it is
    unless it holds a digit or an isolate mark, and a tag's name is only read when it may
    open or close an identifier element.
    """
    out: list[str] = []
    copied = 0  # html[:copied] is in `out`
    text_start = 0  # where the run of text before the next token starts
    kept_element = ""  # name of the dir="ltr" element being copied as it is
    kept_depth = 0
    convert = _TextConverter()
    may_change = _MAY_CHANGE.search
    dir_ltr = _DIR_LTR.search
    for token in _TOKEN.finditer(html):
        start, end = token.span()
        if not kept_depth:
            if start > text_start and may_change(html, text_start, start):
                out.append(html[copied:text_start])
                out.append(convert(html[text_start:start]))
                copied = start
            # Only an opening tag written with dir="ltr" starts an identifier element.
            if token.lastgroup == "tag" and html[start + 1] != "/" and dir_ltr(html, start, end):
                name = (token.group("name") or "").lower()
                if name and name not in _VOID_ELEMENTS and not html.startswith("/>", end - 2):
                    kept_element, kept_depth = name, 1
        elif token.lastgroup == "tag":
            name = (token.group("name") or "").lower()
            if name == kept_element and name not in _VOID_ELEMENTS and not html.startswith("/>", end - 2):
                kept_depth += -1 if token.group("closing") else 1
        text_start = end
    if not kept_depth and may_change(html, text_start):
        out.append(html[copied:text_start])
        out.append(convert(html[text_start:]))
        copied = len(html)
    out.append(html[copied:])
    return "".join(out)


# A dot between two digits is a decimal point: Persian writes it as "٫" (U+066B).
_DECIMAL_POINT = re.compile(r"(?<=[۰-۹])\.(?=[۰-۹])")


# Text between the Unicode left-to-right isolate marks (U+2066 ... U+2069) is an identifier
# written where no markup may go, such as a <title>: it keeps its characters too.
_ISOLATE_MARK = re.compile("([\u2066\u2069])")


class _TextConverter:
    """Converts runs of text, remembering whether an isolate mark is still open."""

    def __init__(self) -> None:
        self.isolated = False

    def __call__(self, text: str) -> str:
        if "\u2066" not in text and "\u2069" not in text:  # the usual run: no isolate mark
            if self.isolated:
                return text
            text = to_persian_digits(text)
            return _DECIMAL_POINT.sub("٫", text) if "." in text else text
        out = []
        for piece in _ISOLATE_MARK.split(text):
            if piece in ("\u2066", "\u2069"):
                self.isolated = piece == "\u2066"
                out.append(piece)
            elif piece:
                out.append(piece if self.isolated else _DECIMAL_POINT.sub("٫", to_persian_digits(piece)))
        return "".join(out)


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

    # The CMS and Django's admin keep their 404s too (not a /fa/ storefront page).
    language_neutral_prefixes = (
        "/api/", "/payments/stripe/", "/healthz", "/static/", "/media/", "/cms/", "/django-admin/",
    )

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(API_PREFIX):
            # The API follows Accept-Language (fa/en), before any language cookie.
            translation.activate(request_language(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code == 404 and request.path_info.startswith(self.language_neutral_prefixes):
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)


class WagtailSiteMiddleware:
    """Wagtail's site for the request's host, from the cache instead of a query per page.

    Wagtail looks the site up (`Site.find_for_request`: one query with a CASE over every
    site) on every page it serves; it keeps the answer on the request as `_wagtail_site`,
    which this middleware fills from the cache before Wagtail's own view runs, keyed by
    host, port and `core.page_cache.current_version()` (a saved or deleted Site retires
    it, as it retires cached pages; issue 16). Other views, Wagtail's admin and the API
    look it up themselves as before, if they need it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        from wagtail.views import serve

        if view_func is serve and request.method in ("GET", "HEAD"):
            try:
                request._wagtail_site = cached_wagtail_site(request)
            except Exception:  # noqa: BLE001  the database or cache is down: Wagtail's view looks
                pass  # the site up itself, inside the view, where the guards answer for the failure


_NO_SITE = "none"


def cached_wagtail_site(request: HttpRequest):
    from django.core.cache import cache
    from django.http.request import split_domain_port
    from wagtail.models import Site

    from core.page_cache import current_version

    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    key = f"wagtail-site:{current_version()}:{hostname}:{port}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        cache.set(key, site if site is not None else _NO_SITE, 600)
    return None if isinstance(site, str) else site
