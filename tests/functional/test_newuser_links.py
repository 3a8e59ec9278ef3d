"""Issue 15 point 4: the vendor application page is linked from the footer and the help centre."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from cms.models import HelpIndexPage

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_the_footer_links_the_vendor_application(client):
    page = client.get("/fa/shop/").content.decode()
    assert 'href="/fa/vendors/apply/" data-sell-link' in page


def test_the_help_centre_links_the_vendor_application():
    request = RequestFactory().get("/en/help/")
    with translation.override("en"):
        html = render_to_string(
            "cms/help_index_page.html", {"page": HelpIndexPage(title="Help", intro=""), "articles": []}, request
        )
    assert 'href="/en/vendors/apply/"' in html and "Sell on Chaarsoo" in html
