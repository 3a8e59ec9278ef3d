"""Demo data for the referral programme (issue 10), called by `manage.py seed_demo` after
vendors and services_catalog. Idempotent: everything is found by a fixed key (username,
gift title, payment key, client key) and a second run changes nothing.

- three demo customers: Neda referred the demo customer ("customer") by her link; the demo
  customer referred Kaveh (code at sign-up) and Parisa (code on the phone), who share a
  delivery address, so the staff review list flags them;
- demo terms: 10% to each side, 200 points per EUR of share (so demo orders earn visibly);
- the demo customer's delivered demo orders and cash-paid jobs earn points for both sides
  through the same listener a payment calls; the release duty runs, so points are in every
  state: pending (inside the return window), available, taken back (a partial refund),
  expired (one earning dated past its expiry), and spent on gifts requested, shipped,
  delivered and cancelled;
- a catalogue of ten Iranian handicrafts, written by us in Persian and English.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from core import clock
from payments.payables import PaidEvent, RefundedEvent
from referrals import services
from referrals.models import Earning, Gift, ProgrammeSettings, Redemption, Referral

DEMO_PASSWORD = "referrals-demo-1405"
# username -> (first name, last name, email)
PEOPLE = {
    "neda": ("ندا", "کریمی", "neda@demo.chaarsoo.local"),
    "kaveh": ("کاوه", "رستمی", "kaveh@demo.chaarsoo.local"),
    "parisa": ("پریسا", "نوری", "parisa@demo.chaarsoo.local"),
}
SHARED_ADDRESS = ("خیابان انقلاب، کوچه بهار، پلاک ۸", "Tehran", "13145-55555")

GIFTS = [
    ("قلمدان خاتم‌کاری شیراز", "Shiraz khatam pen box",
     "جعبهٔ قلم با خاتم‌کاری ظریف استخوان، برنج و چوب؛ ساخت استادکاران شیراز.",
     "A pen box inlaid in the khatam style with bone, brass and wood, made by Shiraz masters.", 60, 6),
    ("بشقاب میناکاری اصفهان", "Isfahan enamel plate",
     "بشقاب مسی کوچک با نقش گل و مرغ به رنگ فیروزه‌ای، لعاب‌پخته در کورهٔ اصفهان.",
     "A small copper plate with turquoise bird-and-flower enamel, fired in an Isfahan kiln.", 45, 8),
    ("گلیم دستباف قشقایی", "Qashqai hand-woven kilim",
     "گلیم پشمی کوچک با نقش هندسی و رنگ‌های گیاهی، بافت عشایر قشقایی.",
     "A small wool kilim with geometric motifs and plant dyes, woven by Qashqai nomads.", 120, 3),
    ("رومیزی قلمکار", "Ghalamkar tablecloth",
     "پارچهٔ پنبه‌ای با نقش مهرزنی دستی و رنگ‌های طبیعی، هنر قلمکار اصفهان.",
     "A cotton tablecloth hand-printed with wooden blocks and natural dyes, Isfahan ghalamkar.", 35, 12),
    ("کاسهٔ سفالی لالجین", "Lalejin pottery bowl",
     "کاسهٔ سفالی لعاب‌دار آبی از کارگاه‌های لالجین همدان.",
     "A blue-glazed earthenware bowl from the workshops of Lalejin, Hamedan.", 25, 20),
    ("سینی مسی قلم‌زنی", "Engraved copper tray",
     "سینی مسی گرد با قلم‌زنی دستی نقش اسلیمی، ساخت زنجان.",
     "A round copper tray hand-engraved with arabesques, made in Zanjan.", 70, 5),
    ("چاقوی دست‌ساز زنجان", "Zanjan hand-made knife",
     "چاقوی تاشو با دستهٔ شاخ و تیغهٔ فولادی، ساخت چاقوسازان زنجان.",
     "A folding knife with a horn handle and steel blade, forged by Zanjan knife makers.", 40, 0),
    ("جعبهٔ معرق چوبی", "Marquetry wooden box",
     "جعبهٔ جواهر با معرق چوب‌های رنگی طبیعی، بدون رنگ افزوده.",
     "A jewellery box in marquetry of naturally coloured woods, with no added paint.", 30, 10),
    ("ترمهٔ یزد", "Yazd termeh runner",
     "رومیزی باریک ترمه با نقش بته‌جقه، بافت کارگاه‌های یزد.",
     "A narrow termeh runner with the paisley motif, woven in the workshops of Yazd.", 90, 4),
    ("گیوهٔ کرمانشاهی", "Kermanshah giveh shoes",
     "کفش سبک تابستانی با رویهٔ بافتنی پنبه‌ای و تخت لایه‌ای پارچه.",
     "Light summer shoes with a knitted cotton upper and a sole of pressed cloth layers.", 55, 0),
]


def seed(command) -> None:
    User = get_user_model()
    customer = User.objects.filter(username="customer").first()
    if customer is None:
        return
    with transaction.atomic():
        _gifts()
        if not ProgrammeSettings.objects.exists():
            ProgrammeSettings.objects.create(points_per_unit=Decimal("200"), note="شرایط نمایشی (دادهٔ نمونه)")
        people = {name: _person(name) for name in PEOPLE}
        _address(people["kaveh"])
        _address(people["parisa"])
        long_ago = clock.now() - dt.timedelta(days=120)
        # The demo customer's orders predate the referral; in the demo the referrer earns on them anyway.
        Referral.objects.get_or_create(referred=customer, defaults={
            "referrer": people["neda"], "source": Referral.Source.LINK, "created": long_ago})
        for name, source in (("kaveh", Referral.Source.SIGNUP), ("parisa", Referral.Source.INTAKE)):
            Referral.objects.get_or_create(referred=people[name], defaults={
                "referrer": customer, "source": source, "created": long_ago})
    _earn(customer)
    _states(customer, people["neda"])
    if not getattr(command, "quiet", False):
        command.stdout.write(f"Referral demo: {Earning.objects.count()} earnings, {Gift.objects.count()} gifts.")


def logins() -> list[tuple[str, str, str]]:
    """The referral demo's customers, printed by `seed_demo` with the role logins."""
    return [
        ("neda@demo.chaarsoo.local", DEMO_PASSWORD, "referred the demo customer; gift points in every state"),
        ("kaveh@demo.chaarsoo.local", DEMO_PASSWORD, "referred by the demo customer (sign-up code)"),
        ("parisa@demo.chaarsoo.local", DEMO_PASSWORD, "referred by the demo customer; flagged: same address as kaveh"),
    ]


def _person(username: str):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        first, last, email = PEOPLE[username]
        user = User.objects.create_user(username=username, email=email, password=DEMO_PASSWORD,
                                        first_name=first, last_name=last)
    return user


def _address(user) -> None:
    from oscar.core.loading import get_model

    UserAddress, Country = get_model("address", "UserAddress"), get_model("address", "Country")
    country = Country.objects.filter(iso_3166_1_a2="IR").first()
    if country is None or UserAddress.objects.filter(user=user).exists():
        return
    line1, city, postcode = SHARED_ADDRESS
    UserAddress.objects.create(user=user, first_name=user.first_name, last_name=user.last_name, line1=line1,
                               line4=city, postcode=postcode, country=country)


COLOURS = ("#1f6f78", "#c0392b", "#8e5a2b", "#2e86ab", "#b5651d", "#6a4c93", "#3d7d4a", "#a23e48", "#d4a017",
           "#4a6fa5")


def _gifts() -> None:
    for index, (title_fa, title_en, about_fa, about_en, price, stock) in enumerate(GIFTS):
        gift, _created = Gift.objects.get_or_create(title_en=title_en, defaults={
            "title_fa": title_fa, "description_fa": about_fa, "description_en": about_en,
            "points_price": price, "stock": stock, "is_active": True})
        if not gift.image:
            gift.image.save(f"demo-gift-{index + 1}.png", _picture(COLOURS[index % len(COLOURS)]), save=True)


def _picture(colour: str):
    """A placeholder picture drawn here (a tile of nested diamonds in the gift's colour)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "#f6efe3")
    draw = ImageDraw.Draw(image)
    for x in range(0, 481, 80):
        for y in range(0, 321, 80):
            for size, fill in ((36, colour), (24, "#f6efe3"), (12, colour)):
                draw.polygon([(x, y - size), (x + size, y), (x, y + size), (x - size, y)], fill=fill)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue())


def _earn(customer) -> None:
    """The demo customer's delivered orders (collected on delivery) and cash-paid jobs."""
    from services_catalog.models import JobReceipt
    from vendors.models import Shipment

    delivered = Shipment.objects.filter(order__user=customer, status=Shipment.Status.DELIVERED).select_related(
        "order")
    for shipment in delivered.order_by("pk"):
        gross = sum((item.gross_amount for item in shipment.lines.select_related("line")), Decimal("0"))
        if gross > 0:
            services.on_paid(PaidEvent(payable=shipment.order, key=f"cod-shipment:{shipment.pk}", amount=gross,
                                       currency=shipment.order.currency, method="cash",
                                       detail={"shipment": shipment.pk}))
    for receipt in JobReceipt.objects.filter(job__customer=customer).select_related("job").order_by("pk"):
        services.on_paid(PaidEvent(payable=receipt.job, key=f"job-receipt:{receipt.pk}", amount=receipt.amount,
                                   currency=receipt.currency, method=receipt.method))
    services.release_due_points()


def _states(customer, neda) -> None:
    """A partial refund, an expired earning, and gift requests in every state."""
    available = Earning.objects.filter(status=Earning.Status.AVAILABLE).order_by("pk")
    refunded = available.filter(beneficiary=customer).first()
    if refunded is not None and not refunded.reversals.exists():
        services.on_refunded(RefundedEvent(payable=refunded.payable_type.get_object_for_this_type(
            pk=refunded.payable_id), key="demo-refund:1", amount=(refunded.base_amount / 4).quantize(Decimal("0.01")),
            currency=refunded.currency, payment_key=refunded.payment_key))
    oldest = available.filter(beneficiary=neda, expired_at__isnull=True).first()
    if oldest is not None and not Earning.objects.filter(expired_at__isnull=False).exists():
        Earning.objects.filter(pk=oldest.pk).update(expires_at=clock.now() - dt.timedelta(days=1))
        services.expire_points()
    staff = get_user_model().objects.filter(username="finance").first()
    steps = [(customer, "demo-gift-1", None), (neda, "demo-gift-2", "ship"), (customer, "demo-gift-3", "deliver"),
             (neda, "demo-gift-4", "cancel")]
    for who, key, step in steps:
        if Redemption.objects.filter(client_key=key).exists():
            continue
        points = services.available_points(who.pk)
        affordable = Gift.objects.filter(is_active=True, stock__gt=0, points_price__lte=points)
        gift = affordable.order_by("points_price").first()
        if gift is None:
            continue
        redemption = services.redemption_create(customer=who, gift=gift, recipient_name=who.get_full_name() or
                                                who.username, phone="09121234567",
                                                address="تهران، خیابان ولیعصر، پلاک ۱۲", client_key=key)
        if step and staff is not None:
            services.redemption_ship(redemption=redemption, staff_user=staff, tracking_reference=f"POST-{key[-1]}0042",
                                     carrier="پست پیشتاز")
            if step == "deliver":
                services.redemption_deliver(redemption=redemption, staff_user=staff)
            elif step == "cancel":
                services.redemption_cancel(redemption=redemption, staff_user=staff, reason="بستهٔ برگشتی / returned")
