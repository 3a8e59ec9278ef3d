"""Response post-processing for Persian pages."""

from __future__ import annotations

import re
from bisect import bisect_left
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
# tag, a character reference (&#x27;, keeps its ASCII digits) or a run of text. The scan
# below finds the same tokens; this is used as it is inside an identifier element.
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

# The scan (issue 16): from a token boundary, one match skips, inside the regex engine,
# every tag, character reference and run of text that cannot change, and stops on a run
# of text that holds a digit or an isolate mark (`text`), on a tag whose name may start a
# raw block (`<script`, `<pre`...: _TOKEN tells a raw block from a tag) or at the end.
# It cuts the page exactly where _TOKEN does: a tag is `<` to the first `>`, a `&` that
# starts no character reference is text, and so is a `<` that no `>` follows (_SCAN_LT,
# for the rare page with one after its last `>`; elsewhere every `<` starts a token).
# Tags that may open an identifier element are found apart, see _dir_candidates.
_ENTITY_BODY = r"(?i:#?[0-9A-Za-z]+;)"
_MAY_CHANGE_CHARS = "0-9\u06f0-\u06f9\u2066\u2069"


def _scan_pattern(lt_is_text: bool) -> re.Pattern[str]:
    lt = r"|<(?![^>]*+>)" if lt_is_text else ""
    text = rf"(?:[^<&]++|&(?!{_ENTITY_BODY}){lt})"
    unchanged_text = rf"(?>(?:[^<&{_MAY_CHANGE_CHARS}]++|&(?!{_ENTITY_BODY}){lt})+)(?![{_MAY_CHANGE_CHARS}])"
    return re.compile(
        r"(?>(?:"
        r"<(?!(?i:[stpc]))[^>]*+>"  # a tag whose name cannot start a raw block's
        rf"|{unchanged_text}"  # a whole run of text without a digit or an isolate mark
        r"|<(?!(?i:script|style|textarea|pre|code)\b)[^>]*+>"  # any other tag
        rf"|&{_ENTITY_BODY}"  # a character reference
        r")*)"
        rf"(?P<text>(?>{text}+))?"
    )


_SCAN = _scan_pattern(lt_is_text=False)
_SCAN_LT = _scan_pattern(lt_is_text=True)
# "dir" in any case, as _DIR_LTR's case-insensitive "dir" matches it ("ı" and "İ" too):
# searched in the page encoded one byte a character, ASCII letters lowered, others "?".
_DIR_WORD = re.compile(rb"d[i?]r")


def _dir_candidates(html: str) -> list[int]:
    """Where "dir" may be written, in any case: every tag that opens an identifier element
    holds one of these positions (and most pages have a handful)."""
    return [found.start() for found in _DIR_WORD.finditer(html.encode("ascii", "replace").lower())]


def persian_digits_in_html(html: str) -> str:
    """Turn ASCII digits into Persian ones in the visible text of an HTML page.

    Tag attributes (URLs, input values, ids) and script/style bodies are untouched, so
    links, forms and JavaScript keep working. Text inside an element marked `dir="ltr"`
    is an identifier and keeps its characters (see docs/architecture.md, "Persian digits").

    It runs over every Persian page (a 50-row dashboard table is thousands of tags), so
    Python only sees what may change (issue 16): each _SCAN match jumps over the tags and
    text that cannot and stops on a run of text with a digit or an isolate mark; the tags
    it jumped over are looked at only where "dir" is written. The answer is the one of
    reading the page token by token with _TOKEN (tests/unit/test_persian_digits_scan.py
    compares the two).
    """
    out: list[str] = []
    copied = 0  # html[:copied] is in `out`
    pos = 0  # a token boundary: where a token or a run of text starts
    end_of_page = len(html)
    convert = _TextConverter()
    scan = (_SCAN_LT if html.rfind("<") > html.rfind(">") else _SCAN).match
    dirs = _dir_candidates(html)
    next_dir = 0  # dirs[next_dir:] are the candidates not looked at yet
    while True:
        found = scan(html, pos)
        stop = found.start("text")
        if stop < 0:
            stop = found.end()
        # An identifier element opened by a tag skipped on the way starts where it opens.
        next_dir = bisect_left(dirs, pos, next_dir)
        if next_dir < len(dirs) and dirs[next_dir] < stop:
            opened = _identifier_element_opened(html, pos, stop, dirs, next_dir)
            if opened:
                pos = _kept_element_end(html, *opened)
                if pos < 0:  # never closed: the rest of the page keeps its characters
                    break
                continue
        if stop < found.end():  # a run of text that may change
            pos = found.end()
            out.append(html[copied:stop])
            out.append(convert(html[stop:pos]))
            copied = pos
        elif stop == end_of_page:
            break
        else:  # `<script`, `<pre`...: a raw block, left as it is, or a tag
            token = _TOKEN.match(html, stop)
            pos = token.end()
            if token.lastgroup == "tag":
                opened = _opened_identifier_element(html, token)
                if opened:
                    pos = _kept_element_end(html, *opened)
                    if pos < 0:
                        break
    out.append(html[copied:])
    return "".join(out)


def _identifier_element_opened(
    html: str, pos: int, stop: int, dirs: list[int], next_dir: int
) -> tuple[int, str] | None:
    """The first tag between the token boundary `pos` and `stop` (where the scan stopped:
    no raw block in between) that opens an identifier element, as (its end, its name)."""
    for candidate in dirs[next_dir:]:
        if candidate >= stop:
            return None
        if candidate < pos:  # inside the tag just looked at
            continue
        # `candidate` is inside a tag if a `<` follows the last `>` before it and a `>`
        # follows it; the tag then starts at the first such `<` (everything from `pos` on
        # being tags and text, every `<` at a token boundary starts a tag).
        start = html.find("<", html.rfind(">", pos, candidate) + 1 or pos, candidate)
        end = html.find(">", candidate) + 1
        if start < 0 or not end:
            continue
        opened = _opened_identifier_element(html, _TOKEN.match(html, start))
        if opened:
            return opened
        pos = end
    return None


def _opened_identifier_element(html: str, tag: re.Match[str]) -> tuple[int, str] | None:
    """(The tag's end, its lowered name) if `tag` (a _TOKEN tag) opens an identifier
    element: an opening tag written with dir="ltr", not a void element, not `/>`."""
    start, end = tag.span()
    if html[start + 1] != "/" and _DIR_LTR.search(html, start, end):
        name = (tag.group("name") or "").lower()
        if name and name not in _VOID_ELEMENTS and not html.startswith("/>", end - 2):
            return end, name
    return None


def _kept_element_end(html: str, pos: int, name: str) -> int:
    """Where the identifier element `name`, opened just before `pos`, ends (after its
    closing tag, same-named elements nested inside it counted), or -1 if it never does."""
    depth = 1
    for token in _TOKEN.finditer(html, pos):
        if token.lastgroup == "tag":
            end = token.end()
            if (token.group("name") or "").lower() == name and not html.startswith("/>", end - 2):
                depth += -1 if token.group("closing") else 1
                if not depth:
                    return end
    return -1


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
