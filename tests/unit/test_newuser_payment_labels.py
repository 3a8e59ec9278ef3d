"""Issue 15 point 7: a payment's history shows event names and statuses in words."""

from django.utils import translation

from payments.templatetags.payment_labels import payment_action, payment_status


def test_payment_events_and_statuses_read_in_persian():
    with translation.override("fa"):
        assert payment_action("succeed") == "پرداخت شد"
        assert payment_status("requires_action") != "requires_action"
        assert payment_action("something-new") == "something-new"
