"""Journey part "accounts" (issue 17): a new customer signs up in the mobile app.

A plain function the lead chains with the shopping and services journeys. It uses only
operations of the client generated from /api/schema/ (tests/api_client/conftest.py) and
reads what a customer would read on their phone and in their mailbox from the stored
notifications (tests/helpers/accounts.py).

Token prefix: the device token it returns goes in "Authorization: Bearer <token>", so
make the signed-in client with `api_client(token=result["token"], prefix="Bearer")` (the
fixture's default prefix). "Token <key>" is DRF's API key for staff integrations, not this.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from tests.api_client.conftest import operation
from tests.helpers.accounts import activation_link, sms_code

TOKEN_PREFIX = "Bearer"
PASSWORD = "Journey-pass-4821"


def new_customer_signs_up(
    pkg: ModuleType, api_client: Callable[..., Any], *, email: str = "journey@example.com",
    phone: str = "09123330000", password: str = PASSWORD, first_name: str = "Sara", last_name: str = "Amini",
    device_name: str = "Journey phone", language: str = "fa",
) -> dict:
    """Register → activate from the mail's link → sign in → verify the phone by SMS code.

    Returns {"token", "prefix", "user_id", "username", "email", "phone", "device_id"}."""
    models = importlib.import_module(f"{pkg.__name__}.models")
    anonymous = api_client(language=language)

    registered = operation(pkg, "auth", "auth_register_create").sync_detailed(client=anonymous, body=models.Register(
        first_name=first_name, last_name=last_name, email=email, phone=phone, password=password,
    ))
    assert registered.status_code == 202, registered.content

    uid, token = activation_link(email)
    activated = operation(pkg, "auth", "auth_activate_create").sync_detailed(
        client=anonymous, body=models.Link(uid=uid, token=token)
    )
    assert activated.status_code == 200, activated.content

    signed_in = operation(pkg, "auth", "auth_sign_in_create").sync_detailed(
        client=anonymous, body=models.SignIn(username=email, password=password, device_name=device_name)
    )
    assert signed_in.status_code == 200, signed_in.content
    session = signed_in.parsed
    customer = api_client(token=session.token, prefix=TOKEN_PREFIX, language=language)

    requested = operation(pkg, "auth", "auth_phone_request_create").sync_detailed(
        client=customer, body=models.PhoneRequest()  # the number given at sign-up
    )
    assert requested.status_code == 202, requested.content
    number = requested.parsed.phone
    confirmed = operation(pkg, "auth", "auth_phone_confirm_create").sync_detailed(
        client=customer, body=models.PhoneConfirm(code=sms_code(number))
    )
    assert confirmed.status_code == 200, confirmed.content

    return {
        "token": session.token, "prefix": TOKEN_PREFIX, "user_id": session.user.id,
        "username": session.user.username, "email": email, "phone": confirmed.parsed.phone,
        "device_id": session.device.id,
    }
