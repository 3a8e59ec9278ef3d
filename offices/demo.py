"""Demo data of partner offices (seed_demo calls `seed(command)`; idempotent).

Eight offices of the three kinds in six provinces, a clerk login for each (password
`clerk-demo-1405`; the demo login `clerk` works at the rural ICT office of Kelardasht),
an errand service filed at offices, fee splits, walk-in customers, errands in every state
(see _errands): waiting for payment, waiting for an office, in an inbox, accepted, in
progress, result ready, handed over, declined and re-routed, late, cancelled; refunds
asked for, approved (and given back at the counter) and refused; fees paid in cash and on
an office's card terminal; and orders placed for customers in each way they can pay."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core import clock
from core.permissions import assign_role
from customers.services import customer_find_or_create_by_phone, profile_for
from offices import services
from offices.models import Clerk, Errand, ErrandShare, PartnerOffice, Region
from services_catalog.models import Area, RequiredDocument, Service, ServiceCategory

PASSWORD = "clerk-demo-1405"
K = PartnerOffice.Kind
ALL_DAY = (datetime.time(0), datetime.time(23, 59), "0123456")
WORKDAY = (datetime.time(7, 30), datetime.time(15, 30), "012356")

# code, kind, fa, en, county, address, (lat, lng), hours, clerk username, performs
OFFICES = [
    ("kelardasht-ict", K.ICT, "دفتر ارتباطات و فناوری اطلاعات روستایی کلاردشت", "Kelardasht rural ICT office", "chalus",
     "کلاردشت، روستای رودبارک، جنب دهیاری", (36.4980, 51.1510), WORKDAY, "clerk", ()),
    ("tehran-vanak-kiosk", K.KIOSK, "دفتر پیشخوان دولت ونک", "Vanak government-services kiosk", "tehran-county",
     "تهران، میدان ونک، خیابان ملاصدرا، پلاک ۲۰", (35.7570, 51.4100), ALL_DAY, "clerk-tehran",
     ("office-certificate-errand", "utility-office-errand", "car-transfer-errand")),
    ("rey-post", K.POST, "باجه پست شهرری", "Shahr-e Rey post counter", "rey",
     "شهرری، میدان نماز، اداره پست مرکزی", (35.5880, 51.4380), WORKDAY, "clerk-rey",
     ("office-certificate-errand",)),
    ("shiraz-zand-kiosk", K.KIOSK, "دفتر پیشخوان دولت زند شیراز", "Zand Street government-services kiosk, Shiraz",
     "shiraz-county", "شیراز، خیابان زند، نبش کوچه ۱۲", (29.6100, 52.5400), ALL_DAY, "clerk-shiraz",
     ("office-certificate-errand", "utility-office-errand")),
    ("marvdasht-post", K.POST, "باجه پست مرودشت", "Marvdasht post counter", "marvdasht",
     "مرودشت، بلوار امام، اداره پست", (29.8740, 52.8020), WORKDAY, "clerk-marvdasht", ("office-certificate-errand",)),
    ("isfahan-kiosk", K.KIOSK, "دفتر پیشخوان دولت چهارباغ اصفهان", "Chaharbagh government-services kiosk, Isfahan",
     "isfahan-county", "اصفهان، چهارباغ عباسی، پلاک ۳۱۰", (32.6500, 51.6680), ALL_DAY, "clerk-isfahan",
     ("office-certificate-errand", "utility-office-errand")),
    ("abyaneh-ict", K.ICT, "دفتر ارتباطات و فناوری اطلاعات روستایی برزک", "Barzok rural ICT office", "kashan",
     "کاشان، روستای برزک، میدان اصلی", (33.7800, 51.2260), WORKDAY, "clerk-barzok", ()),
    ("mashhad-post", K.POST, "باجه پست احمدآباد مشهد", "Ahmadabad post counter, Mashhad", "mashhad-county",
     "مشهد، خیابان احمدآباد، اداره پست", (36.3000, 59.5800), WORKDAY, "clerk-mashhad",
     ("office-certificate-errand",)),
]

# province -> the service area an errand to it is booked in (slug, fa, en)
AREAS = {
    "tehran": ("tehran-6", None, None), "alborz": ("karaj", None, None), "isfahan": ("isfahan", None, None),
    "fars": ("shiraz", None, None), "mazandaran": ("office-mazandaran", "مازندران", "Mazandaran"),
    "khorasan-razavi": ("office-khorasan-razavi", "خراسان رضوی", "Razavi Khorasan"),
}

CERTIFICATE = {
    "slug": "office-certificate-errand", "name": "دریافت و ارسال گواهی و مدارک اداری",
    "name_en": "Certificates and papers from a government office",
    "summary": "گواهی، استعلام یا اظهارنامه‌ای را در شهر دیگری بگیرید یا تحویل دهید، بی‌آنکه سفر کنید؛ در نزدیک‌ترین "
               "دفتر پیشخوان دولت، باجه پست یا دفتر ارتباطات و فناوری اطلاعات روستایی.",
    "summary_en": "Collect or hand in a certificate, an inquiry or a declaration in another city without the trip, "
                  "filed at your nearest government-services kiosk, post counter or rural ICT office.",
}


def _areas() -> None:
    for province, (slug, fa, en) in AREAS.items():
        area = Area.objects.filter(slug=slug).first()
        if area is None and fa:
            area = Area.objects.create(slug=slug, name=fa, name_en=en)
        if area is not None:
            Region.objects.filter(code=province, area__isnull=True).update(area=area)


def _certificate_service() -> Service | None:
    category = ServiceCategory.objects.filter(kind=ServiceCategory.Kind.ERRAND).first()
    if category is None:
        return None
    service, created = Service.objects.get_or_create(slug=CERTIFICATE["slug"], defaults={
        **{k: v for k, v in CERTIFICATE.items() if k != "slug"}, "category": category,
        "pricing_model": Service.PricingModel.FIXED, "base_price": Decimal("30"), "min_lead_days": 1,
        "payment_rule": Service.PaymentRule.UPFRONT, "handling_fee": Decimal("5"), "callout_fee": Decimal("10"),
        "for_one_off": False, "for_registered": False, "for_loyal": True,
    })
    if created:
        RequiredDocument.objects.create(service=service, name="وکالت‌نامه امضاشده", name_en="Signed power of attorney",
                                        original_needed=True)
        RequiredDocument.objects.create(service=service, name="تصویر کارت ملی", name_en="Copy of the national ID card")
    areas = Area.objects.filter(pk__in=Region.objects.filter(kind="province", area__isnull=False).values("area"))
    service.areas.add(*areas)
    service.save()
    return service


def _offices() -> dict[str, PartnerOffice]:
    User = get_user_model()
    result = {}
    for code, kind, fa, en, county, address, (lat, lng), (opens, closes, days), username, performs in OFFICES:
        place = Region.objects.get(code=county)
        office, _created = PartnerOffice.objects.get_or_create(code=code, defaults={
            "kind": kind, "name": fa, "name_en": en, "province": place.parent, "county": place, "address": address,
            "latitude": Decimal(str(lat)), "longitude": Decimal(str(lng)), "opens_at": opens, "closes_at": closes,
            "open_days": days, "phone": f"+9891230000{len(result):02d}",
            "email": f"{code}@offices.demo.chaarsoo.local",
        })
        if _created:
            office.services.set(Service.objects.filter(slug__in=performs))
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, email=f"{username}@demo.chaarsoo.local",
                                            password=PASSWORD, first_name=en.split(",")[0][:30], last_name="Clerk")
        assign_role(user, "clerk")
        Clerk.objects.get_or_create(user=user, defaults={"office": office})
        services.office_provider(office)
        result[code] = office
    return result


def _shares() -> None:
    for slug, origin, performer in (("office-certificate-errand", "10", "60"), ("utility-office-errand", "10", "55"),
                                    ("car-transfer-errand", "8", "62")):
        service = Service.objects.filter(slug=slug).first()
        if service is not None:
            ErrandShare.objects.get_or_create(service=service, defaults={
                "origin_percent": Decimal(origin), "performer_percent": Decimal(performer)})


def _walk_in(clerk, phone: str, name: str):
    customer, _created = customer_find_or_create_by_phone(phone=phone, name=name, operator=clerk)
    profile = profile_for(customer)
    if profile.tier != "loyal":
        profile.tier = "loyal"  # A5: errands are sold to loyal customers
        profile.save(update_fields=["tier", "updated"])
    return customer


def _working_moment() -> datetime.datetime:
    """Ten in the morning of the latest working day (offices open), not in the future."""
    moment = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    if moment > timezone.localtime():
        moment -= datetime.timedelta(days=1)
    while moment.weekday() == 4:  # Friday
        moment -= datetime.timedelta(days=1)
    return moment


def _errands(offices: dict[str, PartnerOffice], service: Service) -> None:
    if Errand.objects.exists():
        return
    User = get_user_model()
    clerk = {office.code: office.clerks.first().user for office in offices.values()}
    finance = User.objects.filter(username="finance").first()
    origin = clerk["kelardasht-ict"]
    people = [_walk_in(origin, f"+98911{5550000 + n}", name) for n, name in enumerate(
        ["زهرا کاظمی", "علی مرادی", "فاطمه نوری", "حسن رحیمی", "مریم جعفری", "رضا بهرامی", "سارا کریمی", "مهدی صالحی"])]
    poa = service.required_documents.get(original_needed=True)
    idcard = service.required_documents.exclude(pk=poa.pk).first()

    def scan(title):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4\n%demo scan\n%%EOF\n", content_type="application/pdf")

    def file(customer, county, what, originals="post", tracking="PT-4410020031"):
        return services.errand_file(
            clerk_user=origin, customer=customer, service=service, county=Region.objects.get(code=county),
            address=what[0], description=what[1], originals=originals, tracking_number=tracking,
            documents=[{"requirement": poa, "file": scan("poa")}, {"requirement": idcard, "file": scan("id")}])

    shiraz = ("شیراز، اداره ثبت اسناد، خیابان قصردشت", "گرفتن گواهی عدم سوء پیشینه و ارسال آن")
    isfahan = ("اصفهان، اداره دارایی، خیابان هشت بهشت", "تحویل اظهارنامه مالیاتی مغازه")
    tehran = ("تهران، دفتر اسناد رسمی ۱۲، خیابان ولیعصر", "گرفتن رونوشت سند و ارسال آن")
    mashhad = ("مشهد، بیمارستان امام رضا، واحد نوبت‌دهی", "گرفتن نوبت درمانگاه قلب برای مادر")
    with clock.frozen(_working_moment()):
        # waiting for payment (filed, not paid yet) and waiting for an office (no office
        # performs the errand in Mazandaran): see _waiting below, filed "now".
        # in the performing office's inbox (Shiraz kiosk)
        errand = file(people[1], "shiraz-county", shiraz)
        services.errand_take_cash(clerk_user=origin, errand=errand)
        # accepted (Isfahan)
        errand = file(people[2], "isfahan-county", isfahan, originals="courier", tracking="TPX-77120")
        services.errand_take_cash(clerk_user=origin, errand=errand)
        services.errand_accept(user=clerk["isfahan-kiosk"], errand=errand)
        # declined by Shahr-e Rey's post counter... routed to the Vanak kiosk, in progress
        errand = file(people[3], "rey", tehran)
        services.errand_take_cash(clerk_user=origin, errand=errand)
        errand.refresh_from_db()
        services.errand_decline(user=errand.performer.clerks.first().user, errand=errand,
                                reason="دفتر اسناد رسمی در منطقه ما نیست؛ دفتر ونک نزدیک‌تر است.")
        errand.refresh_from_db()
        services.errand_accept(user=errand.performer.clerks.first().user, errand=errand)
        services.errand_progress(user=errand.performer.clerks.first().user, errand=errand,
                                 note="درخواست رونوشت ثبت شد؛ پاسخ تا دو روز دیگر.")
        services.errand_originals(user=errand.performer.clerks.first().user, errand=errand)
        # result ready at the origin (Mashhad, a clinic appointment)
        errand = file(people[4], "mashhad-county", mashhad, originals="collected", tracking="")
        services.errand_take_cash(clerk_user=origin, errand=errand)
        performer = clerk["mashhad-post"]
        services.errand_accept(user=performer, errand=errand)
        services.errand_result(user=performer, errand=errand, reference="NOBAT-1405-3312",
                               note="نوبت درمانگاه قلب: شنبه آینده ساعت ۹ صبح، دکتر احمدی.", file=scan("nobat"))
        # handed over, with a negative answer and an approved partial refund
        errand = file(people[5], "shiraz-county", shiraz)
        services.errand_take_cash(clerk_user=origin, errand=errand)
        performer = clerk["shiraz-zand-kiosk"]
        services.errand_accept(user=performer, errand=errand)
        services.errand_originals(user=performer, errand=errand)
        services.errand_result(user=performer, errand=errand, reference="SABT-99812", negative=True,
                               note="اداره ثبت درخواست را نپذیرفت: سامانه استعلام قطع بود.", file=scan("answer"))
        services.errand_originals(user=performer, errand=errand, returned=True)
        services.errand_hand_over(user=origin, errand=errand)
        request = services.refund_request_open(user=origin, errand=errand, evidence=scan("evidence"),
                                               reason="سامانه اداره قطع بود؛ تقصیر مشتری نبود.")
        if finance is not None:
            services.refund_request_decide(staff_user=finance, request=request, approve=True,
                                           amount=Decimal("15"), note="نیمی از مبلغ برگشت داده شد.")
            # ...and the Kelardasht counter gave it back from its till
            services.errand_refund_hand_back(clerk_user=origin, errand=errand)
        # paid on the office's card terminal, handed over; the refund asked for waits for staff
        errand = file(people[0], "shiraz-county", shiraz)
        services.errand_take_payment(clerk_user=origin, errand=errand, method="terminal", reference="POS-204417")
        performer = clerk["shiraz-zand-kiosk"]
        services.errand_accept(user=performer, errand=errand)
        services.errand_result(user=performer, errand=errand, reference="SABT-99840", negative=True,
                               note="گواهی صادر نشد: پرونده در شهرستان دیگری است.", file=scan("answer"))
        services.errand_hand_over(user=origin, errand=errand)
        services.refund_request_open(user=errand.job.customer, errand=errand,
                                     reason="اداره گفت پرونده جای دیگری است؛ این را کسی از پیش نگفته بود.")
        # a refund asked for and refused (the customer's own document was out of date)
        errand = file(people[2], "mashhad-county", mashhad, originals="collected", tracking="")
        services.errand_take_payment(clerk_user=origin, errand=errand, method="terminal", reference="POS-204502")
        performer = clerk["mashhad-post"]
        services.errand_accept(user=performer, errand=errand)
        services.errand_result(user=performer, errand=errand, reference="NOBAT-1405-3390", negative=True,
                               note="نوبت داده نشد: کارت ملی مشتری منقضی بود.")
        services.errand_hand_over(user=origin, errand=errand)
        request = services.refund_request_open(user=origin, errand=errand, reason="نوبت داده نشد.")
        if finance is not None:
            services.refund_request_decide(staff_user=finance, request=request, approve=False,
                                           note="کارت ملی منقضی بود؛ تقصیر دفتر یا اداره نبود.")
        # cancelled before payment
        errand = file(people[6], "isfahan-county", isfahan, originals="collected", tracking="")
        from services_catalog.services import job_cancel

        job_cancel(job=errand.job, user=errand.job.customer, reason="مشتری خودش به اصفهان می‌رود.")
    # late: routed a few days ago and never accepted
    with clock.frozen(_working_moment() - datetime.timedelta(days=3)):
        errand = file(people[7], "shiraz-county", shiraz)
        services.errand_take_cash(clerk_user=origin, errand=errand)
    # waiting for payment; and paid but waiting for an office: every office that performs
    # the errand declined it in turn (staff see it in their list, to re-route by hand)
    file(people[4], "tehran-county", tehran)
    errand = file(people[6], "shiraz-county", shiraz)
    services.errand_take_cash(clerk_user=origin, errand=errand)
    errand.refresh_from_db()
    while errand.status == Errand.Status.ROUTED:
        services.errand_decline(user=errand.performer.clerks.first().user, errand=errand,
                                reason="این هفته کارمند اداره ثبت در مرخصی است؛ نمی‌توانیم بپذیریم.")
        errand.refresh_from_db()


def _counter_orders(offices: dict[str, PartnerOffice]) -> None:
    """P4: orders placed for customers in each way they can pay: cash at the Kelardasht
    counter (picked up there), on the Vanak kiosk's card terminal, and by an operator on
    the phone, paid on delivery, or by a pay link when card payments are configured."""
    from oscar.core.loading import get_model

    from core.errors import DomainError
    from offices.models import CounterOrder

    if CounterOrder.objects.exists():
        return
    Product = get_model("catalogue", "Product")
    products = list(Product.objects.browsable().filter(stockrecords__num_in_stock__gte=5)
                    .exclude(stockrecords__partner__isnull=True).order_by("pk")[:3])
    if not products:
        return
    kelardasht = offices["kelardasht-ict"].clerks.first().user
    vanak = offices["tehran-vanak-kiosk"].clerks.first().user
    operator = get_user_model().objects.filter(username="operator").first()
    orders = [
        (kelardasht, _walk_in(kelardasht, "+989115550000", "زهرا کاظمی"), "pickup", "cash", "", None),
        (vanak, _walk_in(vanak, "+989125550101", "نرگس امینی"), "pickup", "terminal", "POS-310077", None),
    ]
    if operator is not None:
        for phone, name, way in (("+989135550202", "کاوه شریفی", "cod"), ("+989135550203", "لیلا حسینی", "pay_link")):
            if way not in services.payment_ways(operator):
                continue
            customer = _walk_in(operator, phone, name)
            address = services.counter_address_add(
                user=operator, customer=customer, line1="اصفهان، خیابان چهارباغ بالا، کوچه ۱۴، پلاک ۶",
                city="اصفهان", province="اصفهان", postcode="8174673111")
            orders.append((operator, customer, "address", way, "", address.pk))
    for n, (user, customer, delivery, way, reference, address_id) in enumerate(orders):
        items = [(products[n % len(products)], 1)] + ([(products[-1], 2)] if n == 0 and len(products) > 1 else [])
        try:
            with transaction.atomic():
                services.counter_order_place(user=user, customer=customer, items=items, delivery=delivery,
                                             payment=way, reference=reference, address_id=address_id)
        except DomainError:
            continue


def _counter_refunds(offices: dict[str, PartnerOffice]) -> None:
    """Refunds of counter-paid orders: the Vanak kiosk's order, its shipment cancelled by
    the vendor, refunded on the kiosk's terminal; one of the two items of the Kelardasht
    cash order refunded by staff, still owed at that counter."""
    from core.errors import DomainError
    from offices.models import CounterOrder, CounterRefundOwed
    from vendors.services import shipment_cancel

    if CounterRefundOwed.objects.exists():
        return
    placed = {o.office.code: o.order for o in CounterOrder.objects.filter(paid_at_counter=True)
              .select_related("office", "order").order_by("pk")}
    vanak, kelardasht = placed.get("tehran-vanak-kiosk"), placed.get("kelardasht-ict")
    finance = get_user_model().objects.filter(username="finance").first()
    try:
        if vanak is not None:
            shipment = vanak.shipments.order_by("pk").first()
            seller = shipment.partner.users.order_by("pk").first() if shipment is not None else None
            if seller is not None:
                with transaction.atomic():
                    shipment_cancel(shipment=shipment, user=seller, reason="کالا در انبار فروشنده تمام شد")
                owed = CounterRefundOwed.objects.filter(order=vanak).first()
                if owed is not None:
                    services.counter_refund_hand_back(clerk_user=offices["tehran-vanak-kiosk"].clerks.first().user,
                                                      owed=owed, reference="POS-R-310112")
        if kelardasht is not None and finance is not None:
            line = kelardasht.lines.order_by("-quantity", "pk").first()
            with transaction.atomic():
                services.counter_order_refund_line(staff_user=finance, line=line,
                                                   amount=line.unit_price_incl_tax or line.line_price_incl_tax,
                                                   reason="یکی از اقلام هنگام تحویل شکسته بود")
    except DomainError:
        return


def seed(command) -> None:
    if not Region.objects.exists():
        return
    with transaction.atomic():
        _areas()
        service = _certificate_service()
        _shares()
        offices = _offices()
    if service is not None:
        with transaction.atomic():
            _errands(offices, service)
    _counter_orders(offices)
    _counter_refunds(offices)
    if not getattr(command, "quiet", False):
        command.stdout.write(f"Offices: {len(offices)} partner offices, {Errand.objects.count()} errands.")


def logins() -> list[tuple[str, str, str]]:
    """Each demo office's clerks, printed by `seed_demo` (also by `make run` later on)."""
    return [
        (member.user.email or f"{member.user.username}@demo.chaarsoo.local", PASSWORD,
         f"office console /fa/dashboard/offices/ ({office.name_en})")
        for office in PartnerOffice.objects.order_by("pk").prefetch_related("clerks__user")
        for member in office.clerks.all()
        if member.user.username != "clerk"
    ]
