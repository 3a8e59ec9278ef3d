"""Pure rules of service jobs, no database: the cancellation fee schedule (S8) table by
table with an injected clock, the lead time (S1), volume tiers (S3) and tiers (A5)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from services_catalog.fees import (
    CUSTOMER,
    PROVIDER,
    STAFF,
    STAGE_ASSIGNED,
    STAGE_BEFORE_ASSIGNMENT,
    STAGE_DISPATCHED,
    SYSTEM,
    cancellation_quote,
    cancellation_stage,
)
from services_catalog.models import Job, Service, slot_bounds, unit_price_at
from services_catalog.services import earliest_date

D = Decimal
NOW = datetime.datetime(2025, 3, 10, 9, 30, tzinfo=datetime.UTC)


def job_in(status: str, *, price: str | None = "200.00", extras: str = "0", paid: str = "0", refunded: str = "0",
           handling: str = "15.00", callout: str = "30.00", work_done: str = "0") -> Job:
    """An unsaved job: the fee schedule reads only the job's own fields."""
    return Job(
        status=status, currency="EUR", price_total=None if price is None else D(price), extras_total=D(extras),
        amount_paid=D(paid), amount_refunded=D(refunded), handling_fee=D(handling), callout_fee=D(callout),
        work_done_amount=D(work_done), payment_rule=Service.PaymentRule.UPFRONT,
    )


# ------------------------------------------------------------------ S8: the schedule, stage by stage
# (status, cancelled_by, paid, work_done) -> (fee_total, refund_total, amount_due, line kinds)
SCHEDULE = [
    # Free before a provider is assigned, whoever cancels and whatever was paid.
    ("requested", CUSTOMER, "0", "0", "0", "0", "0", ()),
    ("quoted", CUSTOMER, "0", "0", "0", "0", "0", ()),
    ("accepted", CUSTOMER, "0", "0", "0", "0", "0", ()),
    ("matching", CUSTOMER, "200.00", "0", "0", "200.00", "0", ()),
    ("matching", STAFF, "60.00", "0", "0", "60.00", "0", ()),
    # Assigned, not dispatched: the handling fee.
    ("assigned", CUSTOMER, "200.00", "0", "15.00", "185.00", "0", ("cancellation_fee",)),
    ("assigned", CUSTOMER, "0", "0", "15.00", "0", "15.00", ("cancellation_fee",)),
    ("assigned", STAFF, "200.00", "0", "15.00", "185.00", "0", ("cancellation_fee",)),
    # After dispatch: call-out fee plus the work done so far; the rest is refunded.
    ("dispatched", CUSTOMER, "200.00", "0", "30.00", "170.00", "0", ("callout_fee",)),
    ("in_progress", CUSTOMER, "200.00", "50.00", "80.00", "120.00", "0", ("callout_fee", "work_done")),
    ("in_progress", CUSTOMER, "60.00", "50.00", "80.00", "0", "20.00", ("callout_fee", "work_done")),
    ("in_progress", STAFF, "0", "50.00", "80.00", "0", "80.00", ("callout_fee", "work_done")),
    # A provider who cancels, or the platform, costs the customer nothing.
    ("assigned", PROVIDER, "200.00", "0", "0", "200.00", "0", ()),
    ("dispatched", PROVIDER, "200.00", "0", "0", "200.00", "0", ()),
    ("in_progress", PROVIDER, "200.00", "90.00", "0", "200.00", "0", ()),
    ("matching", SYSTEM, "200.00", "0", "0", "200.00", "0", ()),
]


@pytest.mark.parametrize(
    "status,cancelled_by,paid,work_done,fee,refund,due,kinds", SCHEDULE,
    ids=[f"{row[0]}-{row[1]}-paid{row[2]}-work{row[3]}" for row in SCHEDULE],
)
def test_S8_cancellation_fee_schedule(status, cancelled_by, paid, work_done, fee, refund, due, kinds):
    job = job_in(status, paid=paid, work_done=work_done, price="200.00" if status != "requested" else None)
    quote = cancellation_quote(job=job, cancelled_by=cancelled_by, now=NOW)
    assert quote.fee_total == D(fee)
    assert quote.refund_total == D(refund)
    assert quote.amount_due == D(due)
    assert tuple(line.kind for line in quote.lines) == kinds
    assert sum((line.amount for line in quote.lines), D("0")) == quote.fee_total
    assert quote.as_of == NOW  # the injected clock, not the wall clock
    assert quote.currency == "EUR"


def test_S8_fees_never_exceed_the_jobs_value():
    job = job_in("in_progress", price="40.00", callout="30.00", work_done="40.00", paid="40.00")
    quote = cancellation_quote(job=job, cancelled_by=CUSTOMER, now=NOW)
    assert quote.fee_total == D("40.00")
    assert [(line.kind, line.amount) for line in quote.lines] == [
        ("callout_fee", D("30.00")), ("work_done", D("10.00"))
    ]
    assert quote.refund_total == D("0")


def test_S8_accepted_extra_work_counts_in_the_value_that_caps_fees():
    job = job_in("in_progress", price="40.00", extras="30.00", callout="30.00", work_done="40.00", paid="70.00")
    quote = cancellation_quote(job=job, cancelled_by=CUSTOMER, now=NOW)
    assert quote.fee_total == D("70.00")


@pytest.mark.parametrize("status", ["assigned", "dispatched", "in_progress"])
def test_S8_S11_a_warranty_redo_costs_nothing_to_cancel_at_any_stage(status):
    # Extra work the customer accepted on the redo gives it a value of 60, so the cap alone
    # would allow fees of up to 60: only the redo rule makes the cancellation free.
    redo = job_in(status, price="0.00", extras="60.00", work_done="20.00")
    redo.redo_of_id = 1
    assert cancellation_quote(job=redo, cancelled_by=CUSTOMER, now=NOW).is_free
    assert cancellation_quote(job=redo, cancelled_by=STAFF, now=NOW).is_free
    same_but_not_a_redo = job_in(status, price="0.00", extras="60.00", work_done="20.00")
    assert cancellation_quote(job=same_but_not_a_redo, cancelled_by=CUSTOMER, now=NOW).fee_total > D("0")


def test_S8_refunds_count_what_was_already_refunded():
    job = job_in("dispatched", paid="200.00", refunded="20.00")
    quote = cancellation_quote(job=job, cancelled_by=CUSTOMER, now=NOW)
    assert quote.refund_total == D("150.00")


@pytest.mark.parametrize(
    "status,stage",
    [("requested", STAGE_BEFORE_ASSIGNMENT), ("quoted", STAGE_BEFORE_ASSIGNMENT),
     ("accepted", STAGE_BEFORE_ASSIGNMENT), ("matching", STAGE_BEFORE_ASSIGNMENT), ("assigned", STAGE_ASSIGNED),
     ("dispatched", STAGE_DISPATCHED), ("in_progress", STAGE_DISPATCHED)],
)
def test_S8_every_open_status_has_a_stage(status, stage):
    assert cancellation_stage(status) == stage


@pytest.mark.parametrize("status", ["completed", "cancelled", "not_feasible"])
def test_S8_finished_jobs_have_no_cancellation_stage(status):
    with pytest.raises(ValueError):
        cancellation_stage(status)


# ------------------------------------------------------------------ S1 lead time
@pytest.mark.parametrize("lead_days,expected", [(1, datetime.date(2025, 3, 11)), (2, datetime.date(2025, 3, 12)),
                                                (3, datetime.date(2025, 3, 13))])
def test_S1_earliest_date_is_today_plus_the_services_lead_time(lead_days, expected):
    service = Service(min_lead_days=lead_days)
    assert earliest_date(service, today=datetime.date(2025, 3, 10)) == expected


# ------------------------------------------------------------------ S3 volume tiers
TIERS = [(10, D("8.00")), (50, D("6.50")), (100, D("5.00"))]


@pytest.mark.parametrize(
    "quantity,unit_price",
    [(1, D("10.00")), (9, D("10.00")), (10, D("8.00")), (49, D("8.00")), (50, D("6.50")), (100, D("5.00")),
     (1000, D("5.00"))],
)
def test_S3_bulk_jobs_are_priced_by_the_volume_tier_reached(quantity, unit_price):
    assert unit_price_at(quantity, base_price=D("10.00"), tiers=TIERS) == unit_price


def test_S3_tiers_apply_in_quantity_order_whatever_order_they_were_entered():
    assert unit_price_at(60, base_price=D("10.00"), tiers=list(reversed(TIERS))) == D("6.50")


# ------------------------------------------------------------------ A5 tiers, S5 deposit, S13 slots
@pytest.mark.parametrize(
    "flags,tier,allowed",
    [((True, True, True), "one_off", True), ((False, False, True), "one_off", False),
     ((False, False, True), "registered", False), ((False, False, True), "loyal", True),
     ((False, True, True), "registered", True), ((True, True, True), "unknown", False)],
)
def test_A5_services_are_offered_to_the_tiers_they_name(flags, tier, allowed):
    service = Service(for_one_off=flags[0], for_registered=flags[1], for_loyal=flags[2])
    assert service.allows_tier(tier) is allowed


@pytest.mark.parametrize(
    "rule,percent,upfront",
    [("upfront", None, D("200.00")), ("deposit", 30, D("60.00")), ("deposit", 33, D("66.00")),
     ("on_completion", None, D("0"))],
)
def test_S5_what_is_paid_before_the_work_follows_the_payment_rule(rule, percent, upfront):
    job = Job(price_total=D("200.00"), payment_rule=rule, deposit_percent=percent)
    assert job.upfront_amount() == upfront


def test_S13_slots_are_fixed_daily_windows_in_the_site_time_zone():
    start, end = slot_bounds(datetime.date(2025, 3, 10), "afternoon")
    assert (start.hour, end.hour) == (12, 16)
    assert str(start.tzinfo) == "Asia/Tehran"
