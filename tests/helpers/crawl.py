"""A bounded crawl of the site as one signed-in role, and what a Persian page must not
show (issue 15: no 5xx, right lang/dir, no Latin UI words, no Gregorian dates, identifiers
with their own characters). Used by tests/functional/test_newuser_crawl.py."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Paths the crawl never follows: other areas, files, signing out, machine endpoints.
SKIPPED = (
    "/cms/", "/django-admin/", "/api/", "/static/", "/media/", "/documents/", "/i18n/", "logout", "log-out",
    "/healthz", "/payments/stripe/", "download", "export", ".csv", ".pdf", "/r/",
)
_ID = re.compile(r"/(?:\d+|[A-Z]+-[0-9A-Z-]+|DEMO-[A-Z0-9-]+|[0-9a-f]{8,}|[A-Za-z0-9_-]{20,})(?=/|$)")
_SLUG_WITH_ID = re.compile(r"/[^/]*_\d+(?=/|$)")


def pattern_of(path: str) -> str:
    """The URL pattern a path belongs to: ids, numbers and slugs with ids become a mark."""
    path = _SLUG_WITH_ID.sub("/<slug>", path)
    return _ID.sub("/<id>", path)


class _Page(HTMLParser):
    """Collects links, the <html> lang/dir, and the visible text outside identifiers."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
            "wbr"}
    HIDDEN = {"script", "style", "template", "noscript", "code", "pre", "textarea", "svg", "option", "select"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.lang = self.dir = None
        self.text: list[str] = []
        self.skip_link = self.main_target = False
        self._stack: list[tuple[str, bool]] = []  # (tag, hides its content)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang, self.dir = attributes.get("lang"), attributes.get("dir")
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
            self.skip_link = self.skip_link or attributes["href"] == "#main"
        if attributes.get("id") == "main":
            self.main_target = True
        if tag in self.VOID:
            return
        hides = (
            tag in self.HIDDEN
            or (attributes.get("dir") or "").lower() == "ltr"
            or "sr-only" in (attributes.get("class") or "")
            or attributes.get("aria-hidden") == "true"
            or attributes.get("hidden") is not None and "hidden" in attributes
        )
        self._stack.append((tag, hides))

    def handle_endtag(self, tag):
        for index in range(len(self._stack) - 1, -1, -1):
            if self._stack[index][0] == tag:
                del self._stack[index:]
                return

    def handle_data(self, data):
        if any(hides for _tag, hides in self._stack):
            return
        # Text between the Unicode isolate marks is an identifier (core.middleware).
        self.text.append(re.sub("\u2066[^\u2069]*\u2069", " ", data))


@dataclass
class PageReport:
    path: str
    status: int
    lang: str | None = None
    dir: str | None = None
    text: str = ""
    skip_link_broken: bool = False


@dataclass
class Crawl:
    pages: list[PageReport] = field(default_factory=list)


def crawl(
    client, starts: list[str], language: str, *, per_pattern: int = 1, limit: int = 40,
    inspect: Callable[[str, object], None] | None = None,
) -> Crawl:
    """Breadth-first from `starts`, GET only, inside /<language>/, `per_pattern` pages per
    URL pattern and `limit` pages at most. `inspect(path, response)` sees every HTML page."""
    result = Crawl()
    queue = deque(starts)
    seen_paths: set[str] = set()
    per: dict[str, int] = {}
    prefix = f"/{language}/"
    while queue and len(result.pages) < limit:
        path = queue.popleft().split("#")[0]
        if path in seen_paths or not path.startswith(prefix) or any(part in path for part in SKIPPED):
            continue
        key = pattern_of(path.split("?")[0]) + ("?" if "?" in path else "")
        if per.get(key, 0) >= per_pattern:
            continue
        seen_paths.add(path)
        per[key] = per.get(key, 0) + 1
        response = client.get(path)
        report = PageReport(path=path, status=response.status_code)
        result.pages.append(report)
        if response.status_code in (301, 302):
            queue.appendleft(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", "") or response.status_code >= 500:
            continue
        if inspect is not None:
            inspect(path, response)
        parser = _Page()
        parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
        report.lang, report.dir, report.text = parser.lang, parser.dir, " ".join(" ".join(parser.text).split())
        report.skip_link_broken = parser.skip_link and not parser.main_target
        queue.extend(link for link in parser.links if link.startswith(prefix))
    return result


# Latin words a Persian page may show: names, brands, units and codes.
LATIN_ALLOWED = {
    "chaarsoo", "oscar", "stripe", "visa", "mastercard", "iban", "sms", "email", "e-mail", "pdf", "id", "ok",
    "upc", "sku", "url", "api", "cms", "vat", "eur", "usd", "irr", "m²", "kg", "cm", "mm", "wagtail",
    "english", "csv", "html", "jpeg", "png", "webp", "isbn",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{2,}")
_GREGORIAN_YEAR = re.compile(r"(?<![۰-۹0-9])[۲2][۰0][۲-۳2-3][۰-۹0-9](?![۰-۹0-9])")
_MIXED_IDENTIFIER = re.compile(r"[A-Za-z][-_]?[۰-۹]|[۰-۹][-_]?[A-Za-z]")


def persian_page_problems(report: PageReport) -> dict[str, list[str]]:
    text = report.text
    latin = sorted({word for word in LATIN_WORD.findall(text) if word.lower() not in LATIN_ALLOWED})
    return {
        "latin": latin,
        "gregorian": sorted(set(_GREGORIAN_YEAR.findall(text))),
        "mixed": sorted(set(_MIXED_IDENTIFIER.findall(text))),
    }
