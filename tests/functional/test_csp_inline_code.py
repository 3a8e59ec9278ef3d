"""Issue 14 point 5, its side effect: under the production Content Security Policy
(script-src 'self' plus the response's nonce, no 'unsafe-inline') a browser ignores inline
event handlers (`onclick=` …), `javascript:` links and any inline <script> without the
nonce. Oscar's templates carry a few (the thank-you page's print button, the forms'
cancel links, the dashboard's image inputs); our overrides bind them from static JS.

Every page of the crawl (each demo role, fa and en) and the thank-you page are rendered
with the policy in force and read for inline code that the policy would block."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

from tests.functional.test_newuser_crawl import LIMIT, ROLES
from tests.helpers.crawl import crawl

pytestmark = pytest.mark.django_db
_NONCE = re.compile(r"'nonce-([^']+)'")


class _InlineCode(HTMLParser):
    """Inline code in a page: event-handler attributes, javascript: URLs and inline
    <script> elements whose nonce is not the response's."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and "src" not in attributes and attributes.get("type") not in (
            "application/json", "application/ld+json", "text/template",
        ):
            if self.nonce is None or attributes.get("nonce") != self.nonce:
                self.found.append("<script> without the response's nonce")


def inline_code(response) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    script_src = next((part for part in policy.split(";") if part.strip().startswith("script-src")), "")
    assert "'unsafe-inline'" not in script_src
    nonce = _NONCE.search(script_src)
    parser = _InlineCode(nonce.group(1) if nonce else None)
    parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
    return parser.found


def test_the_finder_sees_what_the_policy_blocks():
    class Page:
        charset = "utf-8"

        def __init__(self, html: str) -> None:
            self.content = html.encode()

        def get(self, name, default=""):
            return "default-src 'self'; script-src 'self' 'nonce-abc'"

    found = inline_code(Page(
        '<a onclick="print()">x</a><a href="JavaScript:go()">y</a><script>1</script>'
        '<script nonce="abc">ok</script><script nonce="other">2</script><script src="/s.js"></script>'
        '<script type="application/json">{}</script>'
    ))
    assert found == [
        "<a onclick=…>", "<a href=javascript:…>", "<script> without the response's nonce",
        "<script> without the response's nonce",
    ]


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_no_page_a_role_reaches_carries_inline_code_the_policy_blocks(client, role, language):
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    blocked: dict[str, list[str]] = {}

    def inspect(path: str, response) -> None:
        found = inline_code(response)
        if found:
            blocked[path] = sorted(set(found))

    result = crawl(client, [start.format(lang=language) for start in ROLES[role]], language, limit=LIMIT,
                   inspect=inspect)
    assert len(result.pages) > 1
    assert blocked == {}


@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_thank_you_pages_print_button_works_under_the_policy(client, language):
    customer = get_user_model().objects.get(username="customer")
    order = get_model("order", "Order").objects.filter(user=customer).order_by("-pk").first()
    assert order is not None
    client.force_login(customer)
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    response = client.get(f"/{language}/shop/checkout/thank-you/")
    assert response.status_code == 200
    assert inline_code(response) == []
    html = response.content.decode()
    assert 'data-action="print"' in html and "chaarsoo/js/page-actions" in html
