"""Demo data for service jobs, called by `manage.py seed_demo` (after customers and vendors).

Areas, categories and ten services in Persian and English (home repair, car service,
errands for loyal customers, a course, tours), a guide page per service in both languages,
the demo provider ("provider") with areas and weekly hours, and a few jobs of the demo
customer ("customer") in different states, driven through the real services (so their
timelines, notifications, receipts and ledger entries are what production would write).

Idempotent: every row is found by its slug or name first, the pages only when the guide
index is missing, the jobs only when the demo customer has none.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from services_catalog.models import (
    Area,
    PriceTier,
    Provider,
    ProviderAvailability,
    RequiredDocument,
    Service,
    ServiceCategory,
    slot_bounds,
)

FIXED = Service.PricingModel.FIXED
PER_UNIT = Service.PricingModel.PER_UNIT
QUOTE = Service.PricingModel.QUOTE
UPFRONT = Service.PaymentRule.UPFRONT
ON_COMPLETION = Service.PaymentRule.ON_COMPLETION
DEPOSIT = Service.PaymentRule.DEPOSIT

AREAS = [
    ("tehran-1", "تهران، منطقه ۱ (شمیران)", "Tehran, District 1 (Shemiran)"),
    ("tehran-5", "تهران، منطقه ۵ (پونک و سعادت‌آباد)", "Tehran, District 5 (Punak, Saadat Abad)"),
    ("tehran-6", "تهران، منطقه ۶ (مرکز شهر)", "Tehran, District 6 (city centre)"),
    ("karaj", "کرج", "Karaj"),
    ("isfahan", "اصفهان", "Isfahan"),
    ("shiraz", "شیراز", "Shiraz"),
]
TEHRAN = ["tehran-1", "tehran-5", "tehran-6"]

CATEGORIES = [
    ("home-repair", "تعمیرات منزل", "Home repair", ServiceCategory.Kind.HOME_REPAIR, 1),
    ("car-service", "خدمات خودرو", "Car service", ServiceCategory.Kind.CAR, 2),
    ("errands", "کارهای اداری به نیابت", "Errands done for you", ServiceCategory.Kind.ERRAND, 3),
    ("courses", "دوره‌های آموزشی", "Courses", ServiceCategory.Kind.COURSE, 4),
    ("tours", "تورها", "Tours", ServiceCategory.Kind.TOUR, 5),
]

# Each service: its booking rules, and its guide page text in both languages
# (intro, then (heading, paragraph) pairs).
SERVICES: list[dict[str, Any]] = [
    {
        "slug": "plumbing-leak-repair", "category": "home-repair", "pricing": QUOTE, "price": "0", "lead": 1,
        "rule": DEPOSIT, "deposit": 30, "handling": "5", "callout": "15", "areas": [*TEHRAN, "karaj"],
        "fa": ("لوله‌کشی و رفع نشتی", "پیدا کردن و رفع نشتی آب، تعویض شیر و لوله‌های فرسوده، باز کردن گرفتگی.",
               "لوله‌کش ما محل را می‌بیند، نشتی را با دستگاه پیدا می‌کند و پیش از هر کاری قیمت را به شما می‌گوید.",
               [("چه کارهایی انجام می‌شود", "نشت‌یابی بدون تخریب، تعویض شیرآلات، تعمیر یا تعویض لوله‌های آب سرد و "
                                            "گرم و رفع گرفتگی فاضلاب."),
                ("روند کار", "درخواست و چند عکس بفرستید. قیمت را با جزئیات برایتان می‌فرستیم؛ با پذیرش آن، سی درصد "
                             "پیش‌پرداخت برای خرید لوازم گرفته می‌شود و باقی پس از پایان کار.")]),
        "en": ("Plumbing and leak repair", "Finding and fixing water leaks, replacing worn taps and pipes, clearing "
                                           "blockages.",
               "Our plumber looks at the site, finds the leak with a detector and tells you the price before "
               "touching anything.",
               [("What is included", "Non-destructive leak detection, tap replacement, repair or replacement of hot "
                                     "and cold water pipes, and drain unblocking."),
                ("How it works", "Send the request and a few photos. We send you an itemised quote; when you accept "
                                 "it, a 30% deposit buys the materials and the rest is paid when the work is done.")]),
    },
    {
        "slug": "cooler-service", "category": "home-repair", "pricing": PER_UNIT, "price": "35", "lead": 2,
        "rule": ON_COMPLETION, "handling": "5", "callout": "10", "areas": [*TEHRAN, "karaj", "isfahan", "shiraz"],
        "unit": ("دستگاه", "unit"), "tiers": [(3, "30"), (6, "26")],
        "fa": ("سرویس کولر آبی", "شست‌وشو، تعویض پوشال، تسمه و بررسی پمپ و موتور کولر آبی پیش از تابستان.",
               "هرچه دستگاه بیشتری سرویس شود، هزینه هر دستگاه کمتر است؛ مناسب ساختمان‌ها و ادارات.",
               [("چه کارهایی انجام می‌شود", "تخلیه و شست‌وشوی تشتک، تعویض پوشال و تسمه، آزمایش پمپ و موتور، و تنظیم "
                                            "شناور آب."),
                ("قیمت پلکانی", "از سه دستگاه به بالا و از شش دستگاه به بالا، قیمت هر دستگاه پایین‌تر می‌آید. هزینه "
                                "پس از پایان کار پرداخت می‌شود.")]),
        "en": ("Evaporative cooler service", "Cleaning, new pads and belt, pump and motor check for your evaporative "
                                             "cooler before summer.",
               "The more units we service in one visit, the less each one costs: ideal for buildings and offices.",
               [("What is included", "Draining and washing the pan, new pads and belt, pump and motor test, and "
                                     "float valve adjustment."),
                ("Volume prices", "From three units, and again from six, the price per unit drops. You pay after the "
                                  "work is done.")]),
    },
    {
        "slug": "interior-painting", "category": "home-repair", "pricing": PER_UNIT, "price": "6", "lead": 3,
        "rule": DEPOSIT, "deposit": 40, "handling": "10", "callout": "20", "areas": [*TEHRAN, "karaj", "isfahan"],
        "unit": ("متر مربع", "square metre"), "tiers": [(50, "5.20"), (120, "4.50")],
        "fa": ("نقاشی داخلی ساختمان", "نقاشی دیوار و سقف با رنگ پلاستیک یا اکریلیک، همراه با بتونه و سنباده.",
               "مساحت را وارد کنید؛ قیمت هر متر مربع با بزرگ‌تر شدن کار کمتر می‌شود.",
               [("چه کارهایی انجام می‌شود", "پوشاندن کف و وسایل، بتونه‌کاری ترک‌ها، دو دست رنگ، و تمیزکاری پس از کار."),
                ("پرداخت", "چهل درصد پیش‌پرداخت برای خرید رنگ و مصالح، و باقی پس از تحویل کار.")]),
        "en": ("Interior painting", "Walls and ceilings in emulsion or acrylic paint, with filling and sanding.",
               "Enter the area to paint; the price per square metre falls as the job grows.",
               [("What is included", "Covering floors and furniture, filling cracks, two coats of paint, and "
                                     "cleaning up afterwards."),
                ("Payment", "A 40% deposit buys paint and materials; the rest is paid when the work is handed over.")]),
    },
    {
        "slug": "oil-change-at-home", "category": "car-service", "pricing": FIXED, "price": "45", "lead": 1,
        "rule": ON_COMPLETION, "handling": "5", "callout": "10", "areas": [*TEHRAN, "karaj"],
        "fa": ("تعویض روغن در محل", "تعویض روغن موتور و فیلتر روغن در پارکینگ خانه یا محل کار شما.",
               "بدون صف تعمیرگاه: تعمیرکار با روغن و فیلتر استاندارد به محل شما می‌آید.",
               [("چه کارهایی انجام می‌شود", "تخلیه روغن کهنه، تعویض فیلتر، پر کردن روغن نو، بررسی سطح مایعات و باد "
                                            "لاستیک‌ها."),
                ("روغن کهنه", "روغن کهنه را با خود می‌بریم و به مرکز بازیافت تحویل می‌دهیم.")]),
        "en": ("Oil change at your door", "Engine oil and oil filter change in your home or office car park.",
               "No workshop queue: the mechanic brings standard oil and filter to you.",
               [("What is included", "Draining the old oil, new filter, fresh oil, and a check of fluid levels and "
                                     "tyre pressures."),
                ("Old oil", "We take the old oil away and hand it to a recycling centre.")]),
    },
    {
        "slug": "car-inspection", "category": "car-service", "pricing": FIXED, "price": "60", "lead": 2,
        "rule": UPFRONT, "handling": "10", "callout": "20", "areas": [*TEHRAN, "isfahan", "shiraz"],
        "fa": ("کارشناسی خودرو پیش از خرید", "بررسی فنی و بدنه خودروی دست‌دوم پیش از خرید، با گزارش کتبی.",
               "پیش از خرید خودروی کارکرده، کارشناس ما موتور، گیربکس، بدنه و سوابق آن را بررسی می‌کند.",
               [("گزارش", "گزارش کتبی با عکس از رنگ‌شدگی، تصادف، وضعیت موتور و جلوبندی و برآورد هزینه‌های پیش رو."),
                ("پرداخت", "هزینه کارشناسی پیش از وقت بازدید پرداخت می‌شود.")]),
        "en": ("Pre-purchase car inspection", "A mechanical and body check of a used car before you buy it, with a "
                                              "written report.",
               "Before you buy a used car, our inspector checks the engine, gearbox, body and its history.",
               [("The report", "A written report with photos of repainting, accident damage, engine and suspension "
                               "condition, and the repairs to expect."),
                ("Payment", "The inspection is paid before the visit.")]),
    },
    {
        "slug": "car-transfer-errand", "category": "errands", "pricing": FIXED, "price": "80", "lead": 3,
        "rule": UPFRONT, "handling": "10", "callout": "25", "areas": TEHRAN, "loyal_only": True,
        "documents": [("وکالت‌نامه محضری فروش خودرو", "Notarised power of attorney for the sale", True),
                      ("کارت خودرو", "Vehicle registration card", True),
                      ("تصویر کارت ملی", "Copy of the national ID card", False)],
        "fa": ("انجام امور نقل و انتقال خودرو", "پیگیری سند، تعویض پلاک و ثبت انتقال در مراکز شماره‌گذاری به وکالت "
                                                "از شما.",
               "مأمور ما با وکالت‌نامه شما کارهای اداری انتقال سند را انجام می‌دهد و مدارک را به شما برمی‌گرداند.",
               [("مدارک", "اصل وکالت‌نامه و کارت خودرو را با پست یا پیک بفرستید یا مأمور از شما تحویل بگیرد؛ تصویر "
                          "کارت ملی را بارگذاری کنید."),
                ("ویژه مشتریان وفادار", "این خدمت فقط به مشتریان وفادار چارسو ارائه می‌شود.")]),
        "en": ("Car ownership transfer errand", "Title paperwork, plate change and registration of the transfer at "
                                                "the traffic police centre, on your behalf.",
               "Our agent does the paperwork of the transfer with your power of attorney and returns your documents.",
               [("Documents", "Send the original power of attorney and registration card by post or courier, or have "
                              "the agent collect them; upload a copy of your ID card."),
                ("For loyal customers", "This service is offered to Chaarsoo's loyal customers only.")]),
    },
    {
        "slug": "utility-office-errand", "category": "errands", "pricing": FIXED, "price": "25", "lead": 2,
        "rule": UPFRONT, "handling": "5", "callout": "10", "areas": [*TEHRAN, "isfahan", "shiraz"], "loyal_only": True,
        "documents": [("آخرین قبض", "The latest bill", False),
                      ("تصویر کارت ملی", "Copy of the national ID card", False)],
        "fa": ("پیگیری پرونده در ادارات آب، برق و گاز", "اعتراض به قبض، تغییر نام مشترک یا درخواست انشعاب، بدون رفتن "
                                                        "به اداره.",
               "کار اداری‌تان را به ما بسپارید؛ نتیجه و رسیدها را در حساب کاربری‌تان می‌بینید.",
               [("چه کارهایی", "اعتراض به مبلغ قبض، تغییر نام مالک، درخواست نصب یا جابه‌جایی کنتور و پیگیری پرونده."),
                ("ویژه مشتریان وفادار", "این خدمت فقط به مشتریان وفادار چارسو ارائه می‌شود.")]),
        "en": ("Utility office errand (water, power, gas)", "Disputing a bill, changing the account holder or "
                                                            "applying for a connection, without a trip to the office.",
               "Hand us the paperwork; you see the outcome and receipts in your account.",
               [("What we handle", "Bill disputes, change of owner, meter installation or relocation requests, and "
                                   "following up a file."),
                ("For loyal customers", "This service is offered to Chaarsoo's loyal customers only.")]),
    },
    {
        "slug": "nastaliq-calligraphy-course", "category": "courses", "pricing": PER_UNIT, "price": "120", "lead": 2,
        "rule": UPFRONT, "handling": "10", "callout": "10", "areas": ["tehran-1", "tehran-6", "isfahan"],
        "unit": ("نفر", "participant"), "tiers": [(3, "105")],
        "fa": ("دوره خوشنویسی نستعلیق (۸ جلسه)", "هشت جلسه آموزش خط نستعلیق با قلم نی، از قلم‌گیری تا نوشتن یک بیت.",
               "استاد خوشنویس در منزل یا محل کار شما درس می‌دهد؛ با دوستانتان ثبت‌نام کنید تا هزینه هر نفر کمتر شود.",
               [("برنامه دوره", "آشنایی با قلم و مرکب، حروف مفرد، ترکیب حروف، و در پایان نوشتن یک بیت شعر."),
                ("وسایل", "قلم، مرکب و کاغذ جلسه نخست را استاد می‌آورد.")]),
        "en": ("Nastaliq calligraphy course (8 sessions)", "Eight lessons of Nastaliq script with a reed pen, from "
                                                           "holding the pen to writing a full verse.",
               "A master calligrapher teaches at your home or office; enrol with friends and each place costs less.",
               [("Programme", "Pen and ink, single letters, joining letters, and finally writing a line of poetry."),
                ("Materials", "The teacher brings pens, ink and paper for the first lesson.")]),
    },
    {
        "slug": "naqsh-e-jahan-walking-tour", "category": "tours", "pricing": PER_UNIT, "price": "18", "lead": 2,
        "rule": UPFRONT, "handling": "5", "callout": "5", "areas": ["isfahan"],
        "unit": ("نفر", "person"), "tiers": [(4, "15"), (10, "12")],
        "fa": ("تور پیاده میدان نقش جهان", "سه ساعت گشت با راهنمای محلی در میدان نقش جهان، مسجد شیخ لطف‌الله و بازار "
                                           "قیصریه.",
               "راهنمای ما داستان بناها را می‌گوید و در بازار شما را به کارگاه‌های قلمزنی و مینیاتور می‌برد.",
               [("مسیر", "سردر قیصریه، مسجد شیخ لطف‌الله، کاخ عالی‌قاپو و راسته‌های بازار."),
                ("گروه‌ها", "برای گروه‌های چهار نفر و ده نفر به بالا، هزینه هر نفر کمتر است.")]),
        "en": ("Naqsh-e Jahan walking tour", "Three hours on foot with a local guide around Naqsh-e Jahan Square, "
                                             "Sheikh Lotfollah Mosque and the Qeysarieh bazaar.",
               "Our guide tells the stories of the buildings and takes you to engraving and miniature workshops in "
               "the bazaar.",
               [("The route", "Qeysarieh gate, Sheikh Lotfollah Mosque, Ali Qapu palace and the lanes of the bazaar."),
                ("Groups", "Groups of four, and of ten or more, pay less per person.")]),
    },
    {
        "slug": "shiraz-gardens-tour", "category": "tours", "pricing": PER_UNIT, "price": "22", "lead": 2,
        "rule": UPFRONT, "handling": "5", "callout": "5", "areas": ["shiraz"],
        "unit": ("نفر", "person"), "tiers": [(4, "19")],
        "fa": ("تور باغ‌های شیراز", "باغ ارم، باغ نارنجستان قوام و آرامگاه حافظ در یک روز، با خودرو و راهنما.",
               "یک روز در شیراز با راهنمایی که شعر حافظ را از بر است و بهترین ساعت دیدن هر باغ را می‌شناسد.",
               [("برنامه روز", "صبح باغ ارم، ظهر نارنجستان قوام و ناهار در بافت قدیم، عصر آرامگاه حافظ."),
                ("رفت‌وآمد", "رفت‌وآمد میان باغ‌ها با خودروی تور است.")]),
        "en": ("Shiraz gardens tour", "Eram Garden, Narenjestan Qavam and the tomb of Hafez in one day, with car and "
                                      "guide.",
               "A day in Shiraz with a guide who knows Hafez by heart and the best hour to see each garden.",
               [("The day", "Eram Garden in the morning, Narenjestan Qavam at noon with lunch in the old town, "
                            "Hafez's tomb in the afternoon."),
                ("Transport", "A tour car takes you between the gardens.")]),
    },
]

PROVIDER_USERNAME = "provider"
CUSTOMER_USERNAME = "customer"
OPERATOR_USERNAME = "operator"
PROVIDER_SERVICES = ["plumbing-leak-repair", "cooler-service", "interior-painting", "oil-change-at-home",
                     "car-inspection"]
PROVIDER_AREAS = [*TEHRAN, "karaj"]
# Saturday to Thursday, mornings and afternoons; Saturday to Monday evenings too (Friday off).
PROVIDER_HOURS = [(day, slot) for day in (5, 6, 0, 1, 2, 3) for slot in ("morning", "afternoon")] + [
    (day, "evening") for day in (5, 6, 0)
]
EDITOR_MODELS = ("service", "pricetier", "requireddocument", "servicecategory", "area", "provider")


def seed(command) -> None:
    with transaction.atomic():
        areas = _areas()
        categories = _categories()
        services = _services(areas, categories)
        _editor_permissions()
        provider = _provider(areas, services)
    _pages(command, services)
    if provider is not None:
        _jobs(services)
    if not getattr(command, "quiet", False):
        command.stdout.write(f"Services: {len(services)} services in {len(areas)} areas; demo jobs for the customer.")


def _areas() -> dict[str, Area]:
    return {
        slug: Area.objects.get_or_create(slug=slug, defaults={"name": fa, "name_en": en})[0]
        for slug, fa, en in AREAS
    }


def _categories() -> dict[str, ServiceCategory]:
    return {
        slug: ServiceCategory.objects.get_or_create(
            slug=slug, defaults={"name": fa, "name_en": en, "kind": kind, "ordering": order}
        )[0]
        for slug, fa, en, kind, order in CATEGORIES
    }


def _services(areas: dict[str, Area], categories: dict[str, ServiceCategory]) -> dict[str, Service]:
    found = {service.slug: service for service in Service.objects.filter(slug__in=[s["slug"] for s in SERVICES])}
    for spec in SERVICES:
        if spec["slug"] in found:
            continue
        name, summary, *_rest = spec["fa"]
        name_en, summary_en, *_rest = spec["en"]
        unit, unit_en = spec.get("unit", ("", ""))
        loyal_only = spec.get("loyal_only", False)
        service = Service.objects.create(
            slug=spec["slug"], name=name, name_en=name_en, summary=summary, summary_en=summary_en,
            category=categories[spec["category"]], pricing_model=spec["pricing"], base_price=Decimal(spec["price"]),
            unit_name=unit, unit_name_en=unit_en, min_lead_days=spec["lead"], payment_rule=spec["rule"],
            deposit_percent=spec.get("deposit"), handling_fee=Decimal(spec["handling"]),
            callout_fee=Decimal(spec["callout"]), for_one_off=not loyal_only, for_registered=not loyal_only,
            for_loyal=True,
        )
        service.areas.set([areas[slug] for slug in spec["areas"]])
        service.save()  # ParentalManyToManyField writes its rows on save
        PriceTier.objects.bulk_create(
            PriceTier(service=service, min_quantity=quantity, unit_price=Decimal(price))
            for quantity, price in spec.get("tiers", [])
        )
        RequiredDocument.objects.bulk_create(
            RequiredDocument(service=service, name=fa, name_en=en, original_needed=original)
            for fa, en, original in spec.get("documents", [])
        )
        found[spec["slug"]] = service
    return found


def _editor_permissions() -> None:
    """Editors manage the catalogue in /cms/ (Snippets > Services)."""
    group = Group.objects.filter(name="Editors").first()
    if group is None:
        return
    wanted = Permission.objects.filter(
        content_type__app_label="services_catalog", content_type__model__in=EDITOR_MODELS
    )
    missing = wanted.exclude(pk__in=group.permissions.values("pk"))
    if missing.exists():
        group.permissions.add(*missing)


def _provider(areas: dict[str, Area], services: dict[str, Service]) -> Provider | None:
    user = get_user_model().objects.filter(username=PROVIDER_USERNAME).first()
    if user is None:
        return None
    provider = Provider.objects.filter(user=user).first()
    if provider is not None:
        return provider
    provider = Provider.objects.create(
        user=user, display_name="رضا کریمی · Reza Karimi", phone="+989351234567", commission_rate=Decimal("0.15"),
    )
    provider.areas.set([areas[slug] for slug in PROVIDER_AREAS])
    provider.services.set([services[slug] for slug in PROVIDER_SERVICES])
    ProviderAvailability.objects.bulk_create(
        ProviderAvailability(provider=provider, weekday=day, slot=slot) for day, slot in PROVIDER_HOURS
    )
    return provider


# ------------------------------------------------------------------ guide pages (cms)
def _pages(command, services: dict[str, Service]) -> None:
    from wagtail.models import Locale
    from wagtail.rich_text import RichText

    from cms.models import HomePage, ServiceIndexPage, ServicePage

    if ServiceIndexPage.objects.exists():
        return
    home = HomePage.objects.filter(locale__language_code="fa").first()
    if home is None:
        return
    en = Locale.objects.get(language_code="en")
    with transaction.atomic():
        index = home.add_child(instance=ServiceIndexPage(
            title="راهنمای خدمات", slug="service-guides", locale=home.locale,
            intro="<p>هر خدمت چارسو چطور انجام می‌شود، چه چیزهایی در آن هست و چه مدارکی لازم دارد.</p>",
        ))
        index.save_revision().publish()
        command.translate(index, en, ServiceIndexPage(
            title="Service guides", slug="service-guides",
            intro="<p>How each Chaarsoo service works, what it includes and which documents it needs.</p>",
        ))
        for spec in SERVICES:
            pages = {}
            for language in ("fa", "en"):
                name, _summary, intro, sections = spec[language]
                body: list[tuple[str, Any]] = []
                for heading, paragraph in sections:
                    body.append(("heading", heading))
                    body.append(("paragraph", RichText(f"<p>{paragraph}</p>")))
                pages[language] = ServicePage(
                    title=name, slug=spec["slug"], intro=intro, service=services[spec["slug"]], body=body,
                )
            pages["fa"].locale = home.locale
            page_fa = index.add_child(instance=pages["fa"])
            page_fa.save_revision().publish()
            command.translate(page_fa, en, pages["en"])


# ------------------------------------------------------------------ demo jobs (real services)
def _free_day(service: Service, *, extra_days: int, slot: str) -> datetime.date:
    """A date at least `extra_days` after the earliest allowed one, on a day the provider works."""
    from services_catalog.services import earliest_date

    day = earliest_date(service) + datetime.timedelta(days=extra_days)
    while (day.weekday(), slot) not in PROVIDER_HOURS:
        day += datetime.timedelta(days=1)
    return day


def _jobs(services: dict[str, Service]) -> None:
    from services_catalog import services as jobs
    from services_catalog.models import Job

    User = get_user_model()
    customer = User.objects.filter(username=CUSTOMER_USERNAME).first()
    operator = User.objects.filter(username=OPERATOR_USERNAME).first()
    if customer is None or operator is None or Job.objects.filter(customer=customer).exists():
        return
    tehran = Area.objects.get(slug="tehran-5")
    address = "تهران، سعادت‌آباد، خیابان سرو غربی، پلاک ۱۲، واحد ۴"

    # 1. Waiting for review: a quote-required plumbing job.
    plumbing = services["plumbing-leak-repair"]
    jobs.job_request(
        customer=customer, service=plumbing, area=tehran, address=address, slot="morning",
        preferred_date=_free_day(plumbing, extra_days=2, slot="morning"),
        description="زیر سینک آشپزخانه نم دارد و کابینت خیس شده است.",
    )

    # 2. Quoted (per unit, priced at once): three coolers, the customer can accept it.
    cooler = services["cooler-service"]
    jobs.job_request(
        customer=customer, service=cooler, area=tehran, address=address, slot="afternoon", quantity=3,
        preferred_date=_free_day(cooler, extra_days=4, slot="afternoon"),
        description="سه کولر روی پشت‌بام، برای آماده شدن پیش از تابستان.",
    )

    # 3. Visit scheduled: an oil change paid on completion, assigned and dispatched.
    oil = services["oil-change-at-home"]
    job = jobs.job_request(
        customer=customer, service=oil, area=tehran, address=address, slot="morning",
        preferred_date=_free_day(oil, extra_days=1, slot="morning"),
    )
    job = jobs.quote_accept(quote=job.quotes.get(status="sent"), user=customer)
    if job.status == Job.Status.ASSIGNED:
        start, _end = slot_bounds(job.preferred_date, job.slot)
        jobs.job_dispatch(job=job, user=job.provider.user, visit_at=start + datetime.timedelta(minutes=90))

    # 4. Completed, paid and rated: a car inspection ten days ago, paid upfront in cash.
    inspection = services["car-inspection"]
    past = timezone.localdate() - datetime.timedelta(days=10)
    while (past.weekday(), "afternoon") not in PROVIDER_HOURS:
        past -= datetime.timedelta(days=1)
    job = jobs.job_request(
        customer=customer, service=inspection, area=tehran, address=address, slot="afternoon",
        preferred_date=past, today=past - datetime.timedelta(days=inspection.min_lead_days),
        description="پژو ۲۰۶ مدل ۱۳۹۸ پیش از خرید.",
    )
    job = jobs.quote_accept(quote=job.quotes.get(status="sent"), user=customer)
    jobs.job_record_cash_payment(job=job, staff_user=operator)
    job.refresh_from_db()
    if job.status == Job.Status.ASSIGNED:
        start, _end = slot_bounds(job.preferred_date, job.slot)
        provider_user = job.provider.user
        jobs.job_dispatch(job=job, user=provider_user, visit_at=start + datetime.timedelta(hours=1))
        jobs.job_start(job=job, user=provider_user)
        jobs.job_complete(job=job, provider_user=provider_user)
        jobs.rating_submit(job=job, user=customer, score=5, comment="دقیق و خوش‌قول بود؛ گزارش کامل و با عکس.")
        jobs.rating_submit(job=job, user=provider_user, score=5)

    # 5. Cancelled before a provider was assigned: free.
    painting = services["interior-painting"]
    job = jobs.job_request(
        customer=customer, service=painting, area=tehran, address=address, slot="morning", quantity=40,
        preferred_date=_free_day(painting, extra_days=6, slot="morning"),
    )
    jobs.job_cancel(job=job, user=customer, reason="برنامه‌ام عوض شد.")

