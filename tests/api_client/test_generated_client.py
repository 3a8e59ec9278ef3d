"""The generated client can be built from our schema and makes real calls with it."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token

from tests.api_client.conftest import operation
from tests.factories_services import make_customer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.no_demo]


def test_the_generated_client_reads_the_profile_with_a_token(generated_client, api_client):
    customer = make_customer()
    token = Token.objects.create(user=customer).key
    me_retrieve = operation(generated_client, "me", "me_retrieve")

    response = me_retrieve.sync_detailed(client=api_client(token=token, prefix="Token"))

    assert response.status_code == 200
    assert response.parsed.username == customer.username


def test_the_generated_client_is_refused_without_credentials(generated_client, api_client):
    me_retrieve = operation(generated_client, "me", "me_retrieve")

    response = me_retrieve.sync_detailed(client=api_client(strict=False))

    assert response.status_code in (401, 403)
