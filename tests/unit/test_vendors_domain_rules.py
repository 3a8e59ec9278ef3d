"""Pure vendor rules (issue 4): commission and fine arithmetic, warranty end dates,
region matching, IBAN validation and which transitions a shipment allows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from core.quality import quality_policy
from vendors.models import Shipment, ShipmentLine, region_key, validate_iban
from vendors.services import commission_for

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.mark.parametrize(
    ("price", "rate", "commission"),
    [
        (Decimal("250.00"), Decimal("0.2000"), Decimal("50.00")),
        (Decimal("19.99"), Decimal("0.1000"), Decimal("2.00")),  # 1.999 rounds half up to 2.00
        (Decimal("10.05"), Decimal("0.1000"), Decimal("1.01")),  # 1.005 -> 1.01, not banker's 1.00
        (Decimal("99.99"), Decimal("0.0000"), Decimal("0.00")),
        (Decimal("80.00"), Decimal("1.0000"), Decimal("80.00")),
    ],
)
def test_commission_is_price_times_rate_rounded_half_up_to_the_cent(price, rate, commission):
    assert commission_for(price=price, rate=rate) == commission


def test_a_vendor_fine_is_seven_percent_of_the_failed_lines_value_by_default():
    policy = quality_policy("vendor")
    assert policy.fine_for(Decimal("200.00")) == Decimal("14.00")
    assert policy.fine_for(Decimal("199.99")) == Decimal("14.00")  # 13.9993
    assert policy.fine_for(Decimal("0.07")) == Decimal("0.00")


def test_the_vendor_policy_suspends_at_its_threshold(settings):
    settings.CHAARSOO_QUALITY_POLICY = {"vendor": {"suspend_after": 2}}
    policy = quality_policy("vendor")
    assert not policy.should_suspend(1)
    assert policy.should_suspend(2)


def _line(delivered_at: dt.datetime | None, warranty_days: int) -> ShipmentLine:
    shipment = Shipment(status="delivered" if delivered_at else "shipped", delivered_at=delivered_at,
                        promised_by=dt.date(2026, 3, 1))
    return ShipmentLine(shipment=shipment, warranty_days=warranty_days, commission_rate=Decimal("0.1"))


def test_the_warranty_starts_on_the_local_delivery_day_and_lasts_the_contract_period():
    # 22:00 UTC on 20 March is already 21 March in Tehran (the first day of 1405).
    delivered = dt.datetime(2026, 3, 20, 22, 0, tzinfo=dt.UTC)
    assert _line(delivered, 365).warranty_ends_on() == dt.date(2027, 3, 21)
    assert _line(delivered.astimezone(TEHRAN), 0).warranty_ends_on() == dt.date(2026, 3, 21)


def test_there_is_no_warranty_end_before_delivery():
    assert _line(None, 365).warranty_ends_on() is None


@pytest.mark.parametrize("spelling", ["Tehran", " tehran ", "TEHRAN", "te hran"])
def test_regions_match_ignoring_case_and_spacing(spelling):
    expected = "te hran" if " " in spelling.strip() else "tehran"
    assert region_key(spelling) == expected


def test_regions_match_across_arabic_and_persian_letter_forms():
    assert region_key("كرمان") == region_key("کرمان")
    assert region_key("بوشهر ") == region_key(" بوشهر")
    assert region_key("") == ""


@pytest.mark.parametrize("iban", ["IR820540102680020817909002", "ir82 0540 1026 8002 0817 9090 02",
                                  "GB82WEST12345698765432", "IR۰۶۲۹۶۰۰۰۰۰۰۰۱۰۰۳۲۴۲۰۰۰۰۱"])
def test_valid_ibans_pass(iban):
    validate_iban(iban)


@pytest.mark.parametrize("iban", ["IR820540102680020817909003", "IR82054010268002081790900", "12345",
                                  "GB82WEST1234569876543X"])
def test_invalid_ibans_are_refused(iban):
    with pytest.raises(ValidationError):
        validate_iban(iban)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("pending", {"confirm", "cancel"}),
        ("confirmed", {"ship", "cancel"}),
        ("shipped", {"deliver"}),
        ("delivered", set()),
        ("cancelled", set()),
    ],
)
def test_each_shipment_status_allows_only_its_named_transitions(status, allowed):
    shipment = Shipment(status=status, promised_by=dt.date(2026, 3, 1))
    can = {
        "confirm": shipment.can_confirm(),
        "ship": shipment.can_ship(),
        "deliver": shipment.can_deliver(),
        "cancel": shipment.can_cancel(),
    }
    assert {name for name, ok in can.items() if ok} == allowed


def test_a_shipment_is_late_when_delivered_after_the_promised_day():
    promised = dt.date(2026, 3, 10)
    on_time = Shipment(status="delivered", promised_by=promised,
                       delivered_at=dt.datetime(2026, 3, 10, 23, 0, tzinfo=TEHRAN))
    late = Shipment(status="delivered", promised_by=promised,
                    delivered_at=dt.datetime(2026, 3, 11, 0, 30, tzinfo=TEHRAN))
    assert not on_time.is_late and late.is_late
