"""A3 in a real browser: a clerk at a desktop files an errand for a walk-in customer and
takes the cash; a clerk of the destination office, on a 375 px phone, accepts it, records
the originals and uploads the result; the first clerk hands it over (issue 13, "Proven by")."""

from __future__ import annotations

from pathlib import Path

import pytest

from offices.models import Errand
from services_catalog.models import Job
from tests.factories_services import make_customer
from tests.functional.test_browser import ARTIFACTS, browser_page, shot  # noqa: F401
from tests.functional.test_browser_services import no_sideways_scroll, sign_in
from tests.helpers.offices import PDF, make_clerk, make_errand_service, make_office, region
from tests.helpers.roles import make_role_user

pytestmark = [pytest.mark.no_demo]


def _pdf(name: str) -> str:
    ARTIFACTS.mkdir(exist_ok=True)
    path = Path(ARTIFACTS) / name
    path.write_bytes(PDF)
    return str(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_desktop_clerk_files_an_errand_and_a_phone_clerk_completes_it(live_server, browser_page, settings):  # noqa: F811
    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    service = make_errand_service("fars", "tehran", price="30.00")
    origin = make_office("tehran-county", name="دفتر پیشخوان ونک")
    performer = make_office("shiraz-county", services=[service], name="دفتر پیشخوان زند شیراز")
    clerk_a = make_clerk(origin, username="clerk.a")
    clerk_b = make_clerk(performer, username="clerk.b")
    customer = make_customer(tier="loyal", phone="+989121234000", first_name="زهرا", last_name="کاظمی")
    page = browser_page
    base = live_server.url

    # --- desktop: the clerk finds the walk-in customer and files the errand
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, clerk_a.email)
    page.goto(f"{base}/fa/dashboard/offices/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("#id_query", "09121234000")
    page.click("[data-find-customer]")
    page.wait_for_selector(f"[data-found='{customer.pk}']")
    shot(page, "offices-01-find-customer-desktop")
    page.click("[data-file-for]")
    page.select_option("[data-choose-service]", str(service.pk))
    page.click("text=انتخاب")
    page.wait_for_selector("[data-file-form]")
    page.select_option("#id_county", str(region("shiraz-county").pk))
    page.fill("#id_address", "شیراز، اداره ثبت اسناد، خیابان قصردشت")
    page.fill("#id_description", "گرفتن گواهی و ارسال آن")
    page.select_option("#id_originals", "post")
    page.fill("#id_tracking_number", "PT-4410020031")
    requirement = service.required_documents.get()
    page.set_input_files(f"#id_doc_{requirement.pk}", _pdf("vekalat.pdf"))
    shot(page, "offices-02-file-form-desktop")
    page.click("[data-submit-errand]")
    page.wait_for_selector("[data-take-cash]")
    errand = Errand.objects.get(job__customer=customer)
    assert errand.origin == origin and errand.job.status == Job.Status.ACCEPTED
    page.click("[data-take-cash]")
    page.wait_for_selector("[data-errand-status='routed']")
    shot(page, "offices-03-paid-routed-desktop")
    errand.refresh_from_db()
    assert errand.performer == performer

    # --- phone: the destination office accepts, works, uploads the result and completes
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in(page, base, clerk_b.email)
    page.goto(f"{base}/fa/dashboard/offices/")
    page.wait_for_selector(f"[data-inbox] [data-errand='{errand.job.number}']")
    no_sideways_scroll(page)
    shot(page, "offices-04-inbox-phone")
    page.click(f"[data-inbox] [data-errand='{errand.job.number}'] a")
    page.click("[data-accept]")
    page.wait_for_selector("[data-errand-status='accepted']")
    page.fill("#id_note", "پرونده در اداره ثبت شد")
    page.click("[data-progress]")
    page.wait_for_selector("[data-errand-status='in_progress']")
    page.click("[data-originals-received]")
    page.wait_for_selector("[data-result-form]")
    page.fill("[data-result-form] #id_reference", "SABT-1405-778")
    page.fill("[data-result-form] #id_note", "گواهی صادر شد")
    page.set_input_files("[data-result-form] #id_file", _pdf("certificate.pdf"))
    no_sideways_scroll(page)
    shot(page, "offices-05-result-form-phone")
    page.click("[data-complete]")
    page.wait_for_selector("[data-errand-status='result_ready']")
    no_sideways_scroll(page)
    shot(page, "offices-06-completed-phone")
    errand.refresh_from_db()
    assert errand.status == Errand.Status.RESULT_READY and errand.result_file
    assert errand.job.status == Job.Status.COMPLETED

    # --- the first office hands the result over
    sign_in(page, base, clerk_a.email)
    page.goto(f"{base}/fa/dashboard/offices/errands/{errand.job.number}/")
    assert page.locator("[data-result-file]").count() == 1
    page.click("[data-hand-over]")
    page.wait_for_selector("[data-errand-status='handed_over']")
    shot(page, "offices-07-handed-over-phone")
    errand.refresh_from_db()
    assert errand.status == Errand.Status.HANDED_OVER

    # --- the customer follows the errand on their own job page (phone)
    customer.set_password("secret-pass-123")
    customer.save()
    sign_in(page, base, customer.email)
    page.goto(f"{base}/fa/services/jobs/{errand.job.number}/")
    page.wait_for_selector("[data-errand-panel] [data-errand-result]")
    page.locator("[data-errand-panel]").scroll_into_view_if_needed()
    no_sideways_scroll(page)
    shot(page, "offices-08-customer-job-phone")

    # --- staff see the routing decision and the history
    operator = make_role_user("operator", username="operator.offices")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, operator.email)
    page.goto(f"{base}/fa/dashboard/offices/staff/errands/{errand.job.number}/")
    page.wait_for_selector("[data-routing]")
    assert page.locator("[data-routing] tr.table-success").count() == 1
    shot(page, "offices-09-staff-routing-desktop")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_fills_a_basket_for_a_walk_in_customer_and_takes_the_card_on_the_terminal(
        live_server, browser_page, settings):  # noqa: F811
    from django.utils import timezone
    from oscar.core.loading import get_model

    from offices.models import CounterOrder, CounterPayment
    from tests.factories_vendors import make_vendor, make_vendor_product

    settings.CHAARSOO_PAGE_CACHE_SECONDS = 0
    Range, Benefit, Condition = (get_model("offer", name) for name in ("Range", "Benefit", "Condition"))
    ConditionalOffer, Voucher = get_model("offer", "ConditionalOffer"), get_model("voucher", "Voucher")
    vendor = make_vendor()
    lamp = make_vendor_product(vendor, price="40.00", stock=5)
    lamp.title = "چراغ مطالعه"
    lamp.save()
    everything = Range.objects.create(name="all", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name="یلدا", offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=1),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=10))
    voucher = Voucher.objects.create(name="YALDA", code="YALDA", start_datetime=timezone.now() - timezone.timedelta(1),
                                     end_datetime=timezone.now() + timezone.timedelta(9))
    voucher.offers.add(offer)
    office = make_office("chalus", name="دفتر ارتباطات و فناوری اطلاعات روستایی کلاردشت")
    clerk = make_clerk(office, username="clerk.k")
    customer = make_customer(phone="+989121234111", first_name="زهرا", last_name="کاظمی")
    page = browser_page
    base = live_server.url

    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, clerk.email)
    page.goto(f"{base}/fa/dashboard/offices/customer/{customer.pk}/order/?q=چراغ")
    page.fill(f"[data-product='{lamp.pk}'] input[name=quantity]", "3")
    page.click(f"[data-add='{lamp.pk}']")
    page.wait_for_selector("[data-basket]")
    page.fill("[data-basket] input[name=quantity]", "2")
    page.click("[data-basket] [data-update]")
    page.fill("input[name=code]", "yalda")
    page.click("[data-voucher-add]")
    page.wait_for_selector("[data-voucher='YALDA']")
    page.check("#payment-terminal")
    page.fill("#id_reference", "POS-55120")
    shot(page, "offices-10-counter-basket-desktop")
    page.click("[data-place-order]")
    page.wait_for_selector("[data-counter-order]")
    shot(page, "offices-11-counter-order-desktop")
    placed = CounterOrder.objects.get(order__user=customer)
    assert placed.payment == "terminal" and placed.order.total_incl_tax == 72
    assert CounterPayment.objects.get(order=placed.order).reference == "POS-55120"

    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{base}/fa/dashboard/offices/cash/")
    page.wait_for_selector("[data-counter-payment='terminal']")
    no_sideways_scroll(page)
    shot(page, "offices-12-counter-reconciliation-phone")
