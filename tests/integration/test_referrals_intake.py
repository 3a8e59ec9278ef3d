"""A referral code given on the phone by a caller who is already a customer (issue 10
point 1, A2): the operator finds them by number or subscription code and records the code;
one referrer per customer, set once; the sign-up abuse rules apply."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from referrals import services
from referrals.models import Referral
from shop import order_status
from tests.factories import UserFactory
from tests.factories_customers import customer_with
from tests.factories_vendors import make_vendor, make_vendor_product, place_order
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]


@pytest.fixture(autouse=True)
def default_terms(db):
    from referrals.models import ProgrammeSettings

    return ProgrammeSettings.objects.create(note="test defaults")


@pytest.fixture
def operator_client(client):
    client.force_login(make_role_user("operator"))
    return client


def customer_page(user) -> str:
    # In English, so the messages can be read here (the fa catalogue is checked elsewhere).
    with translation.override("en"):
        return reverse("services_catalog-dashboard:intake-customer", args=[user.pk])


def intake_page() -> str:
    with translation.override("en"):
        return reverse("services_catalog-dashboard:intake")


def record(client, user, code: str):
    return client.post(customer_page(user), {"action": "referral", "referral_code": code}, follow=True)


def shown(response) -> str:
    return " ".join(str(message) for message in response.context["messages"])


def test_a_caller_found_by_subscription_code_is_attributed_on_their_page(operator_client):
    referrer = UserFactory(first_name="Kaveh", last_name="Tehrani")
    caller = customer_with(phone="+989121110001")
    found = operator_client.get(intake_page(),
                                {"query": caller.profile.subscription_code})
    assert f'data-found="{caller.pk}"' in found.content.decode()
    page = operator_client.get(customer_page(caller)).content.decode()
    assert "data-referral-form" in page and "data-referred-by" not in page
    response = record(operator_client, caller, referrer.profile.subscription_code.lower())
    assert response.status_code == 200
    referral = Referral.objects.get(referred=caller)
    assert (referral.referrer, referral.source, referral.referrer_earns) == (referrer, Referral.Source.INTAKE, True)
    assert "Kaveh Tehrani" in shown(response)
    assert "data-referred-by" in response.content.decode()
    # Visible to staff like every referral.
    finance = make_role_user("finance")
    operator_client.force_login(finance)
    review = operator_client.get(reverse("referrals-dashboard:review")).content.decode()
    assert f'data-referral="{referral.pk}"' in review


def test_a_caller_found_by_number_through_the_register_form_is_attributed(operator_client):
    referrer = UserFactory()
    caller = customer_with(phone="+989121110002")
    response = operator_client.post(intake_page(), {
        "phone": "09121110002", "referral_code": referrer.profile.subscription_code,
    })
    assert response.status_code == 302 and response["Location"] == customer_page(caller)
    referral = Referral.objects.get(referred=caller)
    assert (referral.referrer, referral.source) == (referrer, Referral.Source.INTAKE)


def test_a_caller_already_referred_keeps_the_first_referrer(operator_client):
    first = customer_with(phone="+989121119999", first_name="Maryam", last_name="Sadeghi")
    second = UserFactory()
    caller = customer_with(phone="+989121110003")
    services.referral_attribute(referred=caller, code=first.profile.subscription_code, source="link")
    response = record(operator_client, caller, second.profile.subscription_code)
    message = shown(response)
    assert "already referred by Maryam Sadeghi" in message and first.profile.subscription_code in message
    assert "912111" not in message  # the referrer's number is not the operator's business here
    referral = Referral.objects.get(referred=caller)
    assert (referral.referrer, referral.source) == (first, Referral.Source.LINK)
    assert not Referral.objects.filter(referrer=second).exists()
    # The same through the register form with the caller's number.
    operator_client.post(intake_page(), {
        "phone": "09121110003", "referral_code": second.profile.subscription_code,
    })
    assert Referral.objects.get(referred=caller).referrer == first


def test_self_referral_and_unknown_codes_are_refused_at_intake(operator_client):
    caller = customer_with(phone="+989121110004")
    same_email = customer_with(phone="+989121110044", email=caller.email.upper())
    response = record(operator_client, caller, caller.profile.subscription_code)
    assert "own referral code" in shown(response)
    response = record(operator_client, caller, same_email.profile.subscription_code)
    assert "the same email address" in shown(response)
    response = record(operator_client, caller, "CH-ZZZZZZ")
    assert "No customer has this referral code" in shown(response)
    assert not Referral.objects.filter(referred=caller).exists()


def test_a_caller_who_already_paid_is_recorded_but_earns_the_referrer_nothing(operator_client):
    referrer = UserFactory()
    caller = customer_with(phone="+989121110005")
    product = make_vendor_product(make_vendor(), price="50.00")
    place_order(caller, [(product, 1)], status=order_status.PENDING)
    response = record(operator_client, caller, referrer.profile.subscription_code)
    referral = Referral.objects.get(referred=caller)
    assert (referral.referrer, referral.source, referral.referrer_earns) == (referrer, Referral.Source.INTAKE, False)
    assert "earns no points" in shown(response)
