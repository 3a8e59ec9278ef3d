"""notify(): one place for email and SMS, stored, sent after commit, never breaking the caller (S7)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction

from notifications import services
from notifications.models import Message
from notifications.services import messages_for, notify
from notifications.sms import BaseSMSBackend, ConsoleSMSBackend, LocmemSMSBackend, SMSError, get_sms_backend
from notifications.tasks import deliver_message
from tests.factories import UserFactory
from tests.factories_customers import customer_with, event_templates, sms_outbox  # noqa: F401

pytestmark = pytest.mark.django_db

EVENT = "test_order_shipped"
TEMPLATES = {
    "subject": "Order {{ number }} &\n shipped",
    "body": "{% load i18n %}{% get_current_language as lang %}{{ lang }}: order {{ number }} "
            "for {{ recipient.first_name }} & co <b>",
    "sms": "{% load i18n %}{% get_current_language as lang %}{{ lang }} SMS {{ number }} & <tag>",
}


class ExplodingSMSBackend(BaseSMSBackend):
    def send(self, *, to: str, body: str) -> str:
        raise SMSError("provider said: no credit left")


class ExplodingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server refused the connection")


@pytest.fixture
def shipped(event_templates):  # noqa: F811
    event_templates(EVENT, **TEMPLATES)
    return EVENT


def test_notify_stores_an_email_and_an_sms_and_sends_them_only_after_commit(
    shipped, sms_outbox, mailoutbox, django_capture_on_commit_callbacks  # noqa: F811
):
    user = customer_with(phone="+989121112233", email="buyer@example.com", first_name="Ali")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(event=shipped, recipient=user, context={"number": "1001"})
        stored = list(messages_for(event=shipped))
        assert [(m.channel, m.to, m.status) for m in stored] == [
            ("email", "buyer@example.com", "queued"),
            ("sms", "+989121112233", "queued"),
        ]
        assert mailoutbox == [] and sms_outbox == []  # nothing leaves before the commit
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1 and len(sms_outbox) == 1
    email, sms = messages_for(event=shipped)
    assert email.status == sms.status == Message.Status.SENT
    assert email.sent_at and sms.sent_at and email.recipient == user
    assert sms.provider_id == sms_outbox[0].message_id
    assert mailoutbox[0].extra_headers["Message-ID"] == email.provider_id
    assert mailoutbox[0].subject == email.subject == "Order 1001 & shipped"  # one line for the mail header
    assert mailoutbox[0].to == ["buyer@example.com"]


def test_a_rolled_back_transaction_sends_nothing_and_stores_nothing(
    shipped, sms_outbox, mailoutbox, django_capture_on_commit_callbacks  # noqa: F811
):
    user = customer_with(phone="+989121112234", email="rolled@example.com")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(event=shipped, recipient=user, context={"number": "1002"})
            raise RuntimeError("the order could not be saved")
    assert callbacks == []
    assert not messages_for(event=shipped).exists()
    assert mailoutbox == [] and sms_outbox == []


@pytest.mark.django_db(transaction=True)
def test_with_real_commits_only_the_committed_event_is_sent(shipped, sms_outbox, mailoutbox):  # noqa: F811
    user = UserFactory(email="real@example.com")
    with transaction.atomic():
        notify(event=shipped, recipient=user, context={"number": "1003"})
        assert mailoutbox == []  # still inside the transaction
    assert len(mailoutbox) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(event=shipped, recipient=user, context={"number": "1004"})
        raise RuntimeError("rolled back")
    assert len(mailoutbox) == 1
    assert list(messages_for(event=shipped).values_list("status", flat=True)) == ["sent"]


def test_the_text_is_plain_not_html_escaped(shipped, sms_outbox, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=shipped, phone="09121112235", context={"number": "7"}, language="en")
    assert sms_outbox[0].body == "en SMS 7 & <tag>"


@pytest.mark.parametrize(
    ("profile_language", "explicit", "expected"),
    [("en", None, "en"), ("fa", None, "fa"), ("en", "fa", "fa"), ("fa", "en", "en"), ("en", "de", "en")],
)
def test_the_message_is_written_in_the_chosen_language(shipped, profile_language, explicit, expected):
    user = customer_with(phone="+989121112236", language=profile_language)
    notify(event=shipped, recipient=user, context={"number": "9"}, language=explicit)
    sms = messages_for(event=shipped, channel="sms").get()
    assert sms.language == expected and sms.body.startswith(f"{expected} SMS 9")


def test_without_a_recipient_the_site_language_is_used(shipped, settings):
    settings.LANGUAGE_CODE = "fa"
    notify(event=shipped, phone="+989121112237", context={"number": "10"})
    assert messages_for(event=shipped).get().language == "fa"


def test_the_event_subject_is_translated_by_the_apps_catalogue(django_capture_on_commit_callbacks, mailoutbox):
    user = customer_with(phone="+989121112238", email="fa@example.com", language="fa")
    notify(event="customers_welcome", recipient=user, context={"code": "CH-ABCDEF", "name": "", "phone": "+98"})
    email = messages_for(event="customers_welcome", to="fa@example.com").get()
    assert email.subject == "به چارسو خوش آمدید: کد اشتراک شما CH-ABCDEF"
    assert "سلام،" in email.body and "/fa/account/" in email.body


def test_a_failing_sms_provider_marks_the_message_failed_and_the_caller_goes_on(
    shipped, settings, mailoutbox, django_capture_on_commit_callbacks, caplog  # noqa: F811
):
    settings.CHAARSOO_SMS_BACKEND = f"{__name__}.ExplodingSMSBackend"
    user = customer_with(phone="+989121112239", email="ok@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=shipped, recipient=user, context={"number": "11"})  # must not raise
    sms = messages_for(event=shipped, channel="sms").get()
    # Queued again for the periodic resend (issue 14, point 7), the failure recorded.
    assert sms.status == Message.Status.QUEUED and sms.sent_at is None and sms.attempts == 1
    assert "no credit left" in sms.error and "SMSError" in sms.error
    assert messages_for(event=shipped, channel="email").get().status == Message.Status.SENT
    assert len(mailoutbox) == 1
    assert "failed" in caplog.text


def test_a_failing_mail_server_marks_the_email_failed(shipped, settings, sms_outbox,  # noqa: F811
                                                      django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = f"{__name__}.ExplodingEmailBackend"
    user = customer_with(phone="+989121112240", email="down@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=shipped, recipient=user, context={"number": "12"})
    email = messages_for(event=shipped, channel="email").get()
    assert email.status == Message.Status.QUEUED and "refused the connection" in email.error
    assert len(sms_outbox) == 1


def test_an_unreachable_broker_leaves_the_message_queued_for_the_resend_command(
    shipped, sms_outbox, monkeypatch, django_capture_on_commit_callbacks  # noqa: F811
):
    def broker_down(*args, **kwargs):
        raise OSError("connection refused: redis")

    monkeypatch.setattr(deliver_message, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify(event=shipped, phone="+989121112241", context={"number": "13"})
    assert messages_for(event=shipped).get().status == Message.Status.QUEUED
    monkeypatch.undo()
    out = io.StringIO()
    call_command("send_queued_notifications", "--older-than", "0", stdout=out)
    assert "1 queued message" in out.getvalue()
    assert messages_for(event=shipped).get().status == Message.Status.SENT
    assert [sms.to for sms in sms_outbox] == ["+989121112241"]


def test_a_message_is_sent_once_even_if_its_task_runs_twice(shipped, sms_outbox):  # noqa: F811
    notify(event=shipped, phone="+989121112242", context={"number": "14"})
    message = messages_for(event=shipped).get()
    assert deliver_message.delay(message.pk).get() == Message.Status.SENT
    assert deliver_message.delay(message.pk).get() == Message.Status.SENT
    assert len(sms_outbox) == 1


def test_an_event_without_an_sms_template_sends_no_sms(event_templates, sms_outbox):  # noqa: F811
    event_templates("test_email_only", subject="Hi", body="Body")
    user = customer_with(phone="+989121112243", email="mail-only@example.com")
    notify(event="test_email_only", recipient=user)
    assert list(messages_for(event="test_email_only").values_list("channel", flat=True)) == ["email"]


def test_an_event_without_a_body_sends_no_email(event_templates):  # noqa: F811
    event_templates("test_sms_only", sms="Short")
    user = customer_with(phone="+989121112244", email="sms-only@example.com")
    notify(event="test_sms_only", recipient=user)
    assert list(messages_for(event="test_sms_only").values_list("channel", "to")) == [("sms", "+989121112244")]


def test_a_recipient_without_email_or_phone_gets_nothing_and_nothing_fails(shipped):
    user = customer_with(phone=None, email="")
    notify(event=shipped, recipient=user, context={"number": "15"})
    assert not messages_for(event=shipped).exists()


def test_an_explicit_phone_is_normalised_and_an_impossible_one_is_kept_as_failed(shipped):
    notify(event=shipped, phone="۰۹۱۲ ۱۱۱ ۲۲۴۵", context={"number": "16"})
    notify(event=shipped, phone="021 555", context={"number": "17"})
    good, bad = messages_for(event=shipped)
    assert (good.to, good.status) == ("+989121112245", Message.Status.QUEUED)
    assert (bad.to, bad.status) == ("021 555", Message.Status.FAILED) and bad.error


def test_an_event_with_no_templates_is_a_programming_error():
    with pytest.raises(ImproperlyConfigured, match="no_such_event"):
        notify(event="no_such_event", phone="+989121112246")


def test_an_email_body_without_a_subject_is_a_programming_error(event_templates):  # noqa: F811
    event_templates("test_no_subject", body="Body")
    with pytest.raises(ImproperlyConfigured, match="subject"):
        notify(event="test_no_subject", email="x@example.com")


def test_messages_for_narrows_by_event_address_channel_and_recipient(shipped):
    user = customer_with(phone="+989121112247", email="both@example.com")
    notify(event=shipped, recipient=user, context={"number": "18"})
    notify(event=shipped, email="other@example.com", context={"number": "19"})
    assert messages_for(event=shipped).count() == 3
    assert messages_for(to="both@example.com").count() == 1
    assert messages_for(event=shipped, channel="sms").get().to == "+989121112247"
    assert messages_for(recipient=user).count() == 2
    assert messages_for(event="another_event").count() == 0


# ------------------------------------------------------------------ the SMS interface
def test_the_console_backend_prints_the_sms_and_returns_an_id():
    stream = io.StringIO()
    message_id = ConsoleSMSBackend(stream=stream).send(to="+989121112248", body="سلام")
    assert message_id.startswith("console-")
    assert "To: +989121112248" in stream.getvalue() and "سلام" in stream.getvalue()


def test_the_sms_backend_comes_from_settings(settings):
    settings.CHAARSOO_SMS_BACKEND = "notifications.sms.ConsoleSMSBackend"
    assert isinstance(get_sms_backend(), ConsoleSMSBackend)
    settings.CHAARSOO_SMS_BACKEND = "notifications.sms.LocmemSMSBackend"
    assert isinstance(get_sms_backend(), LocmemSMSBackend)


def test_the_default_console_backend_is_what_the_project_runs_with(settings, capsys,
                                                                   django_capture_on_commit_callbacks):
    settings.CHAARSOO_SMS_BACKEND = "notifications.sms.ConsoleSMSBackend"
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="customers_welcome", phone="+989121112249",
               context={"code": "CH-CNSLE2", "name": "", "phone": "+989121112249"}, language="en")
    assert "To: +989121112249" in capsys.readouterr().out
    assert messages_for(to="+989121112249").get().status == Message.Status.SENT


def test_message_deliver_of_an_unknown_id_changes_nothing():
    assert services.message_deliver(message_id=987654321) == "missing"
