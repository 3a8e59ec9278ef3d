"""Issue 14 point 5, its side effect, in a real browser: with the production Content
Security Policy header in force, the thank-you page's print button prints (Oscar's inline
onclick was blocked) and the page raises no policy violation."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from tests.factories import UserFactory
from tests.factories_vendors import make_vendor, make_vendor_product, place_order
from tests.functional.test_browser import browser_page, shot  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.no_demo]

# Runs before the page's own scripts: counts print() calls (a headless print dialog
# would show nothing) and records every violation the browser reports.
WATCH = """
window.__printed = 0;
window.print = function () { window.__printed += 1; };
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (event) {
    window.__violations.push(event.violatedDirective + ' ' + (event.blockedURI || 'inline'));
});
"""

PRINT = {"fa": "چاپ این صفحه", "en": "Print this page"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fa", "en"])
def test_the_thank_you_pages_print_button_prints_under_the_policy(live_server, browser_page, client, settings,  # noqa: F811
                                                                  language):
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    customer = UserFactory()
    order = place_order(customer, [(make_vendor_product(make_vendor("Vendor One")), 1)])
    client.force_login(customer)
    session = client.session
    session["checkout_order_id"] = order.pk
    session.save()
    page = browser_page
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    page.add_init_script(WATCH)

    response = page.goto(f"{live_server.url}/{language}/shop/checkout/thank-you/")
    policy = response.headers["content-security-policy"]
    assert "'nonce-" in policy and "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
    button = page.get_by_role("link", name=PRINT[language])
    button.scroll_into_view_if_needed()
    shot(page, f"csp-thank-you-{language}-375")
    button.click()
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("window.__violations") == []
    assert [text for text in console if "Content Security Policy" in text or "Refused" in text] == []
