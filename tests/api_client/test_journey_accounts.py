"""The accounts journey through the generated client, and what it leaves behind."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.api_client.conftest import operation
from tests.api_client.journey_accounts import new_customer_signs_up

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.no_demo]


def test_a_new_customer_signs_up_verifies_the_phone_and_is_signed_in(generated_client, api_client):
    result = new_customer_signs_up(generated_client, api_client, email="j1@example.com", phone="0912 333 0001")

    user = get_user_model().objects.get(pk=result["user_id"])
    assert user.is_active and user.profile.phone == "+989123330001" and user.profile.phone_verified_at
    signed_in = api_client(token=result["token"], prefix=result["prefix"])
    me = operation(generated_client, "me", "me_retrieve").sync_detailed(client=signed_in)
    assert me.status_code == 200 and me.parsed.phone == "+989123330001"
    devices = operation(generated_client, "auth", "auth_devices_list").sync_detailed(client=signed_in)
    assert [(d.id, d.name, d.current) for d in devices.parsed] == [(result["device_id"], "Journey phone", True)]


def test_signing_out_through_the_generated_client_ends_the_token(generated_client, api_client):
    result = new_customer_signs_up(generated_client, api_client, email="j2@example.com", phone="09123330002")
    signed_in = api_client(token=result["token"], prefix=result["prefix"])
    out = operation(generated_client, "auth", "auth_sign_out_create").sync_detailed(client=signed_in)
    assert out.status_code == 204
    again = operation(generated_client, "me", "me_retrieve").sync_detailed(
        client=api_client(token=result["token"], prefix=result["prefix"], strict=False)
    )
    assert again.status_code in (401, 403)
