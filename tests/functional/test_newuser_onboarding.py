"""Issue 15 point 1: an approved vendor is told by email and SMS, with a link to set a
password, and can then sign in; a rejected applicant is told why; password reset works
for any active account, one without a usable password included."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from notifications.models import Message
from tests.helpers.roles import make_staff
from vendors import services

pytestmark = [pytest.mark.django_db, pytest.mark.no_demo]

APPLICATION = {
    "company_name": "کارگاه سفال نیشابور",
    "company_name_en": "Neyshabur Pottery",
    "registration_number": "10320001234",
    "contact_name": "Maryam Karimi",
    "email": "pottery@example.com",
    "phone": "+989151234567",
    "address": "Neyshabur, Khayyam St.",
    "bank_account_holder": "Neyshabur Pottery",
    "iban": "IR82 0540 1026 8002 0817 9090 02",
    "stripe_account_id": "",
    "message": "",
}


def _link(text: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S*password-reset/confirm/\S+/)", text).group(1)


def test_an_approved_vendor_sets_a_password_from_the_decision_email_and_signs_in(client):
    application = services.application_submit(data=APPLICATION)
    services.application_approve(application=application, staff_user=make_staff())

    email = Message.objects.get(event="vendor_application_approved", channel="email")
    sms = Message.objects.get(event="vendor_application_approved", channel="sms")
    assert email.to == "pottery@example.com" and sms.to == "+989151234567"
    assert "/dashboard/seller/" in email.body and "پذیرفته شد" in email.body
    link = _link(email.body)
    assert _link(sms.body) == link

    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"new_password1": "Sefal-Neyshabur-77", "new_password2": "Sefal-Neyshabur-77"})
    assert done.status_code == 302
    assert client.login(username="pottery@example.com", password="Sefal-Neyshabur-77")
    assert client.get("/fa/dashboard/seller/").status_code == 200


def test_a_rejected_applicant_is_told_the_reason_by_email_and_sms():
    application = services.application_submit(data=APPLICATION)
    services.application_reject(application=application, staff_user=make_staff(), reason="IBAN holder differs")
    email = Message.objects.get(event="vendor_application_rejected", channel="email")
    assert "IBAN holder differs" in email.body and email.to == "pottery@example.com"
    assert Message.objects.filter(event="vendor_application_rejected", channel="sms", to="+989151234567").exists()


def test_password_reset_reaches_an_account_without_a_usable_password(client):
    user = get_user_model().objects.create(username="phoned-in", email="phoned@example.com")
    user.set_unusable_password()
    user.save()
    response = client.post("/fa/shop/password-reset/", {"email": "Phoned@example.com"})
    assert response.status_code == 302
    email = Message.objects.get(event="password_reset", channel="email")
    assert email.to == "phoned@example.com"
    assert "/fa/shop/password-reset/confirm/" in email.body
