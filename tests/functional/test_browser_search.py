"""One search on a phone (375 px, fa): suggestions from two letters, an Arabic-form letter,
a facet and a price range, and a service result opened (issue 11, "Proven by")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import PartnerFactory, ProductFactory, make_category
from tests.factories_services import make_service
from tests.functional.test_browser import browser_page, shot  # noqa: F401

pytestmark = pytest.mark.no_demo


def no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_phone_shopper_searches_filters_and_opens_a_service(live_server, browser_page, settings):  # noqa: F811
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    kitchen = make_category("آشپزخانه", "Kitchen")
    roshan = PartnerFactory(code="roshan-b", name="خانه روشن")
    pars = PartnerFactory(code="pars-b", name="ابزار پارس")
    ProductFactory(title="سماور ایرانی برقی", title_en="Iranian electric samovar", category=kitchen,
                   stock__partner=roshan, stock__price=Decimal("65.00"))
    ProductFactory(title="سماور ایرانی ذغالی", title_en="Iranian charcoal samovar", category=kitchen,
                   stock__partner=pars, stock__price=Decimal("30.00"))
    ProductFactory(title="کتری ایرانی", title_en="Iranian kettle", category=kitchen,
                   stock__partner=pars, stock__price=Decimal("120.00"))
    service = make_service(name="لوله‌کشی ساختمان", name_en="Building plumbing")
    page = browser_page
    base = live_server.url

    # Two letters give suggestions; a tap on one opens it.
    page.goto(f"{base}/fa/search/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.click("#site-search-q")
    page.keyboard.type("سم")
    page.wait_for_selector(".site-search__suggestion")
    assert page.get_attribute("#site-search-q", "aria-expanded") == "true"
    shot(page, "search-01-suggestions-fa-375")
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#site-search-suggestion-0", "aria-selected") == "true"
    page.click(".site-search__suggestion >> nth=0")
    page.wait_for_url("**/fa/shop/**")
    assert "سماور" in page.inner_text("h1")

    # An Arabic-form letter (ي) finds the Persian titles; goods, with facets.
    page.fill("#site-search-q", "ايراني")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/fa/search/?q=*")
    assert page.locator("[data-hits=product] [data-hit=product]").count() == 3
    no_sideways_scroll(page)
    shot(page, "search-02-results-fa-375")

    # A vendor facet, then a price range: the counts follow (filters unfold on a phone).
    page.click("[data-facets] summary")
    page.click("[data-facet=vendor] a:has-text('ابزار پارس')")
    page.wait_for_load_state()
    assert page.locator("[data-hits=product] [data-hit=product]").count() == 2
    page.click("[data-facet=price] a >> nth=0")
    page.wait_for_load_state()
    hits = page.locator("[data-hits=product] [data-hit=product]")
    assert hits.count() == 1 and "ذغالی" in hits.inner_text()
    shot(page, "search-03-filtered-fa-375")

    # Services: «لوله کشی» written apart finds «لوله‌کشی»; the result opens the service.
    page.fill("#site-search-q", "لوله کشی")
    page.press("#site-search-q", "Enter")
    page.wait_for_url("**/fa/search/?q=*")
    page.click("[data-tab=service]")
    page.wait_for_load_state()
    shot(page, "search-04-services-fa-375")
    page.click("[data-hits=service] [data-hit=service] a >> nth=0")
    page.wait_for_url(f"**/fa/services/{service.slug}/")
    no_sideways_scroll(page)
    shot(page, "search-05-service-fa-375")
