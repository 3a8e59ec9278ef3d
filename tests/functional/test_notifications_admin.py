"""Staff read the message log in the Django admin: filter by event, channel and status; nobody edits it."""

from __future__ import annotations

import pytest

from notifications.models import Message
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged_in(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def log():
    notify(event="customers_welcome", phone="+989121230001", email="a@example.com",
           context={"code": "CH-AAAAAA", "name": "", "phone": "+989121230001"}, language="en")
    # The demo seed may have logged messages of its own: work with these two only.
    mine = Message.objects.filter(to__in=["+989121230001", "a@example.com"])
    mine.filter(channel="email").update(status="failed", error="SMTP down")
    return mine


def test_the_message_log_lists_and_filters_by_event_channel_and_status(admin_client_logged_in, log):
    url = "/django-admin/notifications/message/"
    html = admin_client_logged_in.get(url).content.decode()
    assert "+989121230001" in html and "a@example.com" in html
    for query in ("?event=customers_welcome", "?channel__exact=sms", "?status__exact=failed"):
        assert admin_client_logged_in.get(url + query).status_code == 200
    only_failed = admin_client_logged_in.get(url + "?status__exact=failed").content.decode()
    assert "a@example.com" in only_failed and "+989121230001" not in only_failed
    only_sms = admin_client_logged_in.get(url + "?channel__exact=sms").content.decode()
    assert "+989121230001" in only_sms and "a@example.com" not in only_sms


def test_the_message_log_is_read_only(admin_client_logged_in, log):
    message = log.get(channel="sms")
    assert admin_client_logged_in.get("/django-admin/notifications/message/add/").status_code == 403
    detail = admin_client_logged_in.get(f"/django-admin/notifications/message/{message.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    response = admin_client_logged_in.post(f"/django-admin/notifications/message/{message.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()


def test_customers_cannot_open_the_message_log(client, log):
    client.force_login(UserFactory())
    assert client.get("/django-admin/notifications/message/").status_code == 302
