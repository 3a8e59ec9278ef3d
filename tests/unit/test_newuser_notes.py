"""Issue 15 points 6 and 7: notes the code writes are read back in the reader's language,
with identifiers kept and dates in the reader's calendar."""

from types import SimpleNamespace

from django.utils import translation

from services_catalog.templatetags.services_catalog_tags import job_note, ledger_memo


def _event(action: str, note: str):
    return SimpleNamespace(action=action, note=note)


def test_quote_payment_rating_and_credit_notes_read_in_persian():
    with translation.override("fa"):
        assert job_note(_event("quote_sent", "v2: 240.00 EUR")) == "نسخهٔ 2: 240.00 EUR"
        assert job_note(_event("paid", "deposit: 30.00 EUR (card)")) == "پیش‌پرداخت: 30.00 EUR (کارت)"
        assert job_note(_event("rated", "customer: 5")) == "از سوی مشتری: 5 از ۵"
        assert "سهم متخصص" in job_note(_event("provider_credited", "share 51.00, commission 9.00 EUR"))
        # Free text typed by people stays as typed.
        assert job_note(_event("cancelled", "Changed my mind")) == "Changed my mind"


def test_dates_in_notes_follow_the_readers_calendar():
    with translation.override("fa"):
        visit = job_note(_event("dispatched", "2026-12-03 09:30"))
        refund = job_note(_event("cash_refunded", "12.00 EUR, 2026-03-21 10:00"))
    assert "۱۴۰۵" in visit and "2026" not in visit and "۲۰۲۶" not in visit
    assert "فروردین" in refund
    with translation.override("en"):
        assert "December 2026" in job_note(_event("dispatched", "2026-12-03 09:30"))


def test_a_statement_line_keeps_the_job_number_and_reads_in_persian():
    with translation.override("fa"):
        line = ledger_memo("Job J-68PMDP6: provider share 51.00, commission 9.00")
    assert '<bdi dir="ltr">J-68PMDP6</bdi>' in line and "سهم متخصص" in line
    assert ledger_memo("refund 3") == "refund 3"
