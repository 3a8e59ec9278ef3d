"""/<lang>/support/ itself leads somewhere: the customer's requests, or sign-in first."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


def test_the_support_address_leads_to_the_requests(client):
    response = client.get("/fa/support/")
    assert response.status_code == 302 and response["Location"] == "/fa/support/tickets/"
    assert "login" in client.get(response["Location"])["Location"]
