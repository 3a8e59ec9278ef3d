"""Issue 15 point 8: our 403, 404 and 500 pages, in the site's layout and the URL's
language (fa/rtl or en/ltr), with a way back; /cms/ and /django-admin/ 404s stay there."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def _assert_ours(response, language: str, status: int) -> str:
    html = response.content.decode()
    assert response.status_code == status
    direction = "rtl" if language == "fa" else "ltr"
    assert f'<html lang="{language}" dir="{direction}"' in html
    assert 'class="site-footer"' in html  # the site's layout
    assert f'href="/{language}/"' in html  # the way back
    return html


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_missing_page_is_our_404_in_the_urls_language(client, language):
    html = _assert_ours(client.get(f"/{language}/shop/no-such-thing-zz/"), language, 404)
    assert "Not Found</h1><p>The requested resource" not in html


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_page_outside_the_role_is_our_403(client, language):
    client.force_login(make_role_user("customer"))
    _assert_ours(client.get(f"/{language}/dashboard/services/"), language, 403)


@pytest.mark.parametrize("path", ["/cms/no-such-thing-zz/", "/django-admin/no-such-thing-zz/"])
def test_cms_and_admin_404s_stay_in_their_area(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 404  # not a redirect to a /fa/ storefront page


@pytest.mark.parametrize("language", ["fa", "en"])
def test_a_server_error_is_our_500_in_the_urls_language(language, settings):
    settings.ROOT_URLCONF = "tests.functional.test_newuser_error_pages_urls"
    response = Client(raise_request_exception=False).get(f"/{language}/broken/")
    html = response.content.decode()
    assert response.status_code == 500
    direction = "rtl" if language == "fa" else "ltr"
    assert f'<html lang="{language}" dir="{direction}"' in html and f'href="/{language}/"' in html
