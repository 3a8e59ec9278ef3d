"""Contract resolution (issue 4 point 2, P1, P2): warranty = product term > category term >
contract default; commission = category term > contract default; delivery days = the
region's promise > the contract default."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import make_category
from tests.factories_vendors import make_vendor, make_vendor_product
from vendors import services
from vendors.models import CategoryTerm

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor():
    return make_vendor(commission_rate="0.1000", warranty_days=365, delivery_days=5,
                       promises={"Tehran": 2, "Sistan and Baluchestan": 9})


def test_warranty_days_come_from_the_product_then_the_category_then_the_contract(vendor):
    appliances = make_category(name="لوازم خانگی", name_en="Appliances")
    kitchen = appliances.add_child(name="آشپزخانه", name_en="Kitchen", is_public=True)
    CategoryTerm.objects.create(contract=vendor.contract, category=appliances, warranty_days=540)
    kettle = make_vendor_product(vendor, category=kitchen)
    heater = make_vendor_product(vendor, category=kitchen, warranty_days=730)
    vase = make_vendor_product(vendor)

    assert services.contract_warranty_days(partner=vendor, product=heater) == 730
    assert services.contract_warranty_days(partner=vendor, product=kettle) == 540  # parent category's term
    assert services.contract_warranty_days(partner=vendor, product=vase) == 365


def test_the_most_specific_category_term_wins(vendor):
    appliances = make_category(name="لوازم خانگی", name_en="Appliances")
    kitchen = appliances.add_child(name="آشپزخانه", name_en="Kitchen", is_public=True)
    CategoryTerm.objects.create(contract=vendor.contract, category=appliances, commission_rate=Decimal("0.1200"),
                                warranty_days=540)
    CategoryTerm.objects.create(contract=vendor.contract, category=kitchen, commission_rate=Decimal("0.0800"))
    kettle = make_vendor_product(vendor, category=kitchen)

    assert services.contract_commission_rate(partner=vendor, product=kettle) == Decimal("0.0800")
    # The kitchen term sets no warranty, so the appliances term still gives it.
    assert services.contract_warranty_days(partner=vendor, product=kettle) == 540


def test_commission_comes_from_the_category_else_the_contract(vendor):
    rugs = make_category(name="فرش", name_en="Rugs")
    CategoryTerm.objects.create(contract=vendor.contract, category=rugs, commission_rate=Decimal("0.1500"))
    rug = make_vendor_product(vendor, category=rugs)
    lamp = make_vendor_product(vendor, warranty_days=730)  # a product term never changes the commission

    assert services.contract_commission_rate(partner=vendor, product=rug) == Decimal("0.1500")
    assert services.contract_commission_rate(partner=vendor, product=lamp) == Decimal("0.1000")


def test_another_vendors_terms_never_apply(vendor):
    rugs = make_category(name="فرش", name_en="Rugs")
    other = make_vendor(commission_rate="0.3000")
    CategoryTerm.objects.create(contract=other.contract, category=rugs, commission_rate=Decimal("0.0100"))
    rug = make_vendor_product(vendor, category=rugs)
    assert services.contract_commission_rate(partner=vendor, product=rug) == Decimal("0.1000")


@pytest.mark.parametrize(("region", "days"), [("Tehran", 2), ("  tehran", 2), ("sistan and  baluchestan", 9),
                                              ("Fars", 5), ("", 5)])
def test_delivery_days_use_the_regions_promise_else_the_contract_default(vendor, region, days):
    assert services.delivery_days(partner=vendor, region=region) == days
    assert services.promised_delivery_date(partner=vendor, region=region, from_date=dt.date(2026, 3, 21)) == (
        dt.date(2026, 3, 21) + dt.timedelta(days=days)
    )


def test_a_partner_without_a_contract_is_held_to_the_default_terms():
    from tests.factories import PartnerFactory, ProductFactory

    partner = PartnerFactory(code="no-contract", name="No contract")
    product = ProductFactory(stock__partner=partner)
    assert services.contract_warranty_days(partner=partner, product=product) == 365
    assert services.contract_commission_rate(partner=partner, product=product) == Decimal("0.1000")
    assert services.delivery_days(partner=partner, region="Tehran") == 5
