"""Issue 15, the fa review at 375 px: the clerk console's errand table keeps its columns and
status badges readable, and the floating chat button covers neither the product title nor
staff pages (it is the storefront's: staff pages have none)."""

from __future__ import annotations

import pytest

from tests.factories_services import make_customer
from tests.factories_vendors import make_vendor, make_vendor_product
from tests.functional.test_browser import browser_page, shot  # noqa: F401
from tests.functional.test_browser_services import no_sideways_scroll, sign_in
from tests.helpers.offices import file_errand, make_clerk, make_errand_service, make_office

pytestmark = [pytest.mark.no_demo]

OVERLAP = """([a, b]) => {
  const r = document.querySelector(a), s = document.querySelector(b);
  if (!r || !s) return false;
  const x = r.getBoundingClientRect(), y = s.getBoundingClientRect();
  return x.left < y.right && y.left < x.right && x.top < y.bottom && y.top < x.bottom;
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_at_375_px_the_errand_table_reads_and_the_chat_button_hides_nothing(live_server, browser_page, settings):  # noqa: F811
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    service = make_errand_service("fars", "tehran", price="30.00")
    office = make_office("tehran-county", name="دفتر پیشخوان دولت ونک")
    make_office("shiraz-county", services=[service], name="دفتر پیشخوان دولت زند شیراز")
    clerk = make_clerk(office, username="clerk.narrow")
    for n in range(3):
        file_errand(clerk, make_customer(tier="loyal", phone=f"+98912123400{n}"), service)
    product = make_vendor_product(make_vendor("narrow-vendor"), warranty_days=30)
    product.title = "یخچال فریزر دوقلوی بزرگ با ضمانت تعویض"
    product.save()
    page = browser_page
    base = live_server.url

    # The product page: the title is not under the chat button, at the top or scrolled to.
    page.goto(base + product.get_absolute_url().replace("/en/", "/fa/", 1))
    shot(page, "fa-layout-01-product-375")
    assert page.evaluate(OVERLAP, ["[data-chat-toggle]", "h1"]) is False
    page.locator("h1").scroll_into_view_if_needed()
    assert page.evaluate(OVERLAP, ["[data-chat-toggle]", "h1"]) is False
    # The button is still there, at the end of the page, and opens its panel.
    page.locator("[data-chat-toggle]").scroll_into_view_if_needed()
    page.click("[data-chat-toggle]")
    assert page.is_visible("[data-chat-panel]")
    shot(page, "fa-layout-02-product-chat-open-375")
    no_sideways_scroll(page)

    # The clerk console: no chat button over the work, every status badge whole in its cell.
    sign_in(page, base, clerk.email)
    page.goto(f"{base}/fa/dashboard/offices/")
    page.locator("[data-filed]").scroll_into_view_if_needed()
    shot(page, "fa-layout-03-console-375")
    no_sideways_scroll(page)
    assert page.locator("[data-support-chat]").count() == 0
    clipped = page.evaluate("""() => [...document.querySelectorAll('[data-filed] [data-status]')].filter(b => {
        const r = b.getBoundingClientRect(), c = b.closest('td').getBoundingClientRect();
        return b.scrollWidth > b.clientWidth || r.left < c.left || r.right > c.right;
    }).length""")
    assert clipped == 0
    # Columns are not squeezed into a word per line: the job number and the status keep one line.
    lines = page.evaluate("""() => [...document.querySelectorAll('[data-filed] tbody tr')].map(row => {
        const number = row.querySelector('bdi'), badge = row.querySelector('[data-status]');
        const tall = e => e.getBoundingClientRect().height > parseFloat(getComputedStyle(e).lineHeight) * 1.5;
        return tall(number) || tall(badge);
    })""")
    assert lines and not any(lines)
