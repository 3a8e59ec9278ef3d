"""Demo catalogue and pages, in Persian and English, written for Chaarsoo.

Everything here is deterministic: product N always has the same title, price and stock,
so `seed_demo` can be run again and add nothing, and `--products N` grows the same list.
"""

from __future__ import annotations

from decimal import Decimal

# (slug, Persian name, English name, hue) — hue colours the generated product images.
CATEGORIES = [
    ("home-appliances", "لوازم خانگی", "Home appliances", 190),
    ("kitchen", "آشپزخانه", "Kitchen", 25),
    ("tools", "ابزار و تعمیرات", "Tools and repair", 45),
    ("electronics", "کالای دیجیتال", "Electronics", 220),
    ("handicrafts", "صنایع دستی", "Handicrafts", 340),
    ("clothing", "پوشاک", "Clothing", 280),
    ("books", "کتاب", "Books", 120),
    ("sports-travel", "ورزش و سفر", "Sports and travel", 160),
    ("car-accessories", "لوازم خودرو", "Car accessories", 0),
    ("health-beauty", "سلامت و زیبایی", "Health and beauty", 300),
]

# Per category: (Persian noun, English noun, base price in the shop currency).
ITEMS = {
    "home-appliances": [
        ("جاروبرقی", "vacuum cleaner", "89"), ("اتو بخار", "steam iron", "34"),
        ("پنکه ایستاده", "standing fan", "42"), ("بخاری برقی", "electric heater", "55"),
        ("تصفیه‌کننده هوا", "air purifier", "120"), ("ماشین لباسشویی", "washing machine", "420"),
    ],
    "kitchen": [
        ("سماور برقی", "electric samovar", "65"), ("زودپز", "pressure cooker", "48"),
        ("پلوپز", "rice cooker", "39"), ("مخلوط‌کن", "blender", "36"),
        ("سرویس قابلمه", "cookware set", "95"), ("چای‌ساز", "tea maker", "44"),
    ],
    "tools": [
        ("دریل شارژی", "cordless drill", "75"), ("جعبه‌ابزار", "toolbox", "28"),
        ("متر لیزری", "laser distance meter", "52"), ("نردبان تاشو", "folding ladder", "61"),
        ("هویه", "soldering iron", "19"), ("فازمتر", "voltage tester", "9"),
    ],
    "electronics": [
        ("هدفون بی‌سیم", "wireless headphones", "58"), ("پاوربانک", "power bank", "24"),
        ("اسپیکر بلوتوثی", "Bluetooth speaker", "33"), ("ساعت هوشمند", "smart watch", "110"),
        ("روتر وای‌فای", "Wi-Fi router", "46"), ("کیبورد", "keyboard", "27"),
    ],
    "handicrafts": [
        ("ظرف مینا", "enamel dish", "38"), ("قلمکار", "block-printed tablecloth", "31"),
        ("گلیم دستباف", "hand-woven kilim", "140"), ("جعبه خاتم", "khatam inlay box", "57"),
        ("کاشی نقاشی‌شده", "hand-painted tile", "22"), ("ترمه", "termeh runner", "64"),
    ],
    "clothing": [
        ("پیراهن نخی", "cotton shirt", "29"), ("کاپشن زمستانی", "winter jacket", "88"),
        ("شال پشمی", "wool scarf", "21"), ("کفش پیاده‌روی", "walking shoes", "54"),
        ("کلاه بافتنی", "knitted hat", "12"), ("شلوار جین", "jeans", "39"),
    ],
    "books": [
        ("رمان", "novel", "11"), ("دیوان شعر", "poetry collection", "15"),
        ("کتاب آشپزی", "cookbook", "18"), ("کتاب کودک", "children's book", "9"),
        ("راهنمای سفر", "travel guide", "14"), ("کتاب تاریخ", "history book", "17"),
    ],
    "sports-travel": [
        ("کوله‌پشتی", "backpack", "36"), ("چادر مسافرتی", "camping tent", "79"),
        ("قمقمه", "water bottle", "8"), ("تشک یوگا", "yoga mat", "16"),
        ("دوچرخه", "bicycle", "260"), ("کیسه‌خواب", "sleeping bag", "45"),
    ],
    "car-accessories": [
        ("جاروی شارژی خودرو", "car vacuum", "31"), ("پمپ باد", "tyre inflator", "35"),
        ("روکش صندلی", "seat covers", "49"), ("شارژر فندکی", "car charger", "10"),
        ("دوربین خودرو", "dash camera", "68"), ("کابل باتری به باتری", "jump leads", "17"),
    ],
    "health-beauty": [
        ("سشوار", "hair dryer", "26"), ("ماشین اصلاح", "hair clipper", "32"),
        ("ترازوی دیجیتال", "digital scale", "19"), ("فشارسنج", "blood pressure monitor", "41"),
        ("مسواک برقی", "electric toothbrush", "37"), ("کرم مرطوب‌کننده", "moisturising cream", "11"),
    ],
}

# (Persian qualifier, English qualifier, price factor)
EDITIONS = [
    ("مدل اقتصادی", "Everyday", Decimal("0.85")),
    ("مدل استاندارد", "Standard", Decimal("1.00")),
    ("مدل حرفه‌ای", "Pro", Decimal("1.45")),
    ("مدل فشرده", "Compact", Decimal("0.95")),
    ("مدل ویژه", "Signature", Decimal("1.70")),
]

# (code, Persian name, English name)
VENDORS = [
    ("roshan-home", "خانه روشن", "Roshan Home"),
    ("pars-tools", "ابزار پارس", "Pars Tools"),
    ("alborz-tech", "فن‌آوران البرز", "Alborz Tech"),
    ("naqsh-bazaar", "بازارچه نقش", "Naqsh Bazaar"),
    ("sarvin-apparel", "پوشاک سروین", "Sarvin Apparel"),
    ("niloufar-books", "کتاب‌سرای نیلوفر", "Niloufar Books"),
]

CATEGORY_VENDOR = {
    "home-appliances": "roshan-home", "kitchen": "roshan-home", "tools": "pars-tools",
    "car-accessories": "pars-tools", "electronics": "alborz-tech", "handicrafts": "naqsh-bazaar",
    "clothing": "sarvin-apparel", "sports-travel": "sarvin-apparel", "books": "niloufar-books",
    "health-beauty": "alborz-tech",
}


def product_spec(index: int) -> dict:
    """The demo product number `index` (0-based), derived from the index alone."""
    slug, cat_fa, cat_en, _hue = CATEGORIES[index % len(CATEGORIES)]
    items = ITEMS[slug]
    item_fa, item_en, base = items[(index // len(CATEGORIES)) % len(items)]
    round_no = index // (len(CATEGORIES) * len(items))
    ed_fa, ed_en, factor = EDITIONS[round_no % len(EDITIONS)]
    series = round_no // len(EDITIONS) + 1
    title_fa = f"{item_fa} {ed_fa} سری {series}"
    title_en = f"{ed_en} {item_en}, series {series}"
    price = (Decimal(base) * factor + Decimal(index % 7)).quantize(Decimal("0.01"))
    return {
        "upc": f"CHS{index + 1:07d}",
        "category": slug,
        "vendor": CATEGORY_VENDOR[slug],
        "title": title_fa,
        "title_en": title_en[:1].upper() + title_en[1:],
        "description": (
            f"{item_fa} از دسته {cat_fa}، با ضمانت تعویض فروشنده و ارسال تا در خانه. "
            f"این کالا پیش از ارسال بازبینی می‌شود و در بسته‌بندی ایمن به دستتان می‌رسد."
        ),
        "description_en": (
            f"A {item_en} from our {cat_en.lower()} range, with the vendor's replacement "
            f"warranty and delivery to your door. Every unit is checked before it ships "
            f"and arrives in protective packaging."
        ),
        "price": price,
        "stock": 5 + (index * 37) % 60,
        "image_key": f"{slug}-{(index // len(CATEGORIES)) % len(items)}",
    }


HELP_ARTICLES = [
    {
        "slug": "how-to-order",
        "fa": ("چطور سفارش بدهم؟", "از جست‌وجو تا ثبت سفارش در چند قدم.",
               "<p>کالای مورد نظرتان را از فهرست دسته‌ها یا جعبه جست‌وجو پیدا کنید و دکمه «افزودن به سبد» را بزنید.</p>"
               "<p>در سبد خرید تعداد را بررسی کنید، نشانی تحویل را وارد کنید و روش پرداخت را برگزینید. پس از ثبت، شماره سفارش در حساب کاربری‌تان نمایش داده می‌شود.</p>"),
        "en": ("How do I place an order?", "From search to checkout in a few steps.",
               "<p>Find the item through the category menu or the search box and press “Add to basket”.</p>"
               "<p>In the basket, check the quantities, enter your delivery address and choose how to pay. Once placed, the order and its number appear in your account.</p>"),
    },
    {
        "slug": "delivery-times",
        "fa": ("زمان و هزینه ارسال", "هر فروشنده زمان تحویل مشخصی را تعهد می‌کند.",
               "<p>زمان تحویل هر کالا در صفحه آن و در سبد خرید نوشته شده است. این زمان را فروشنده در قرارداد خود با چارسو پذیرفته است.</p>"
               "<p>اگر سفارش شما از چند فروشنده باشد، هر بسته جداگانه و با کد رهگیری خودش ارسال می‌شود.</p>"),
        "en": ("Delivery times and costs", "Every vendor commits to a delivery time.",
               "<p>Each product page and your basket show the promised delivery time, which the vendor agreed to in its contract with Chaarsoo.</p>"
               "<p>If your order comes from several vendors, each parcel ships separately with its own tracking reference.</p>"),
    },
    {
        "slug": "warranty-and-returns",
        "fa": ("ضمانت تعویض و بازگشت کالا", "کالای معیوب را در دوره ضمانت عوض کنید.",
               "<p>همه کالاها ضمانت تعویض فروشنده را دارند. دوره ضمانت از روز تحویل آغاز می‌شود و طول آن در صفحه کالا آمده است.</p>"
               "<p>برای درخواست تعویض یا تعمیر، از بخش سفارش‌ها در حساب کاربری، کالا را انتخاب کنید و توضیح و عکس بفرستید.</p>"),
        "en": ("Replacement warranty and returns", "Swap a faulty item within its warranty period.",
               "<p>Every product carries the vendor's replacement warranty. It starts on the day of delivery; its length is shown on the product page.</p>"
               "<p>To ask for a replacement or repair, open the order in your account, choose the item and send a description with photos.</p>"),
    },
    {
        "slug": "pay-on-delivery",
        "fa": ("پرداخت در محل", "هزینه را هنگام تحویل به پیک بپردازید.",
               "<p>با انتخاب «پرداخت در محل» هنگام ثبت سفارش چیزی پرداخت نمی‌کنید. مبلغ را هنگام تحویل، با کارت یا نقد، به پیک می‌پردازید.</p>"
               "<p>رسید پرداخت در بخش سفارش‌های حساب کاربری‌تان ثبت می‌شود.</p>"),
        "en": ("Paying on delivery", "Pay the courier when your parcel arrives.",
               "<p>With “Pay on delivery” nothing is charged when you order. You pay the courier by card or cash when the parcel arrives.</p>"
               "<p>The receipt is recorded under the orders in your account.</p>"),
    },
    {
        "slug": "account-and-privacy",
        "fa": ("حساب کاربری و حریم خصوصی", "اطلاعات شما فقط برای انجام سفارش به کار می‌رود.",
               "<p>با یک بار ثبت‌نام، همه سفارش‌ها، درخواست‌های خدمت و امتیازهای هدیه‌تان در یک جا در دسترس است.</p>"
               "<p>فروشندگان فقط نام و نشانی لازم برای ارسال را می‌بینند و اطلاعات پرداخت شما هرگز در اختیارشان قرار نمی‌گیرد.</p>"),
        "en": ("Your account and privacy", "We use your details only to fulfil your orders.",
               "<p>Sign up once and every order, service request and gift-point balance lives in one place.</p>"
               "<p>Vendors see only the name and address they need to ship to you, never your payment details.</p>"),
    },
]

TERMS = {
    "fa": ("شرایط استفاده",
           "<p>چارسو بازاری است که خریداران را به فروشندگان و متخصصان طرف قرارداد خود وصل می‌کند.</p>"
           "<h2>مسئولیت</h2><p>چارسو فقط در برابر خریدها و کارهایی پاسخ‌گوست که از طریق همین سایت ثبت و پرداخت شده باشند. "
           "برای کاری که بیرون از چارسو با یک فروشنده یا متخصص توافق شود، مسئولیتی نمی‌پذیریم.</p>"
           "<h2>ضمانت</h2><p>کالاها ضمانت تعویض فروشنده را دارند و خدمات تا ۹۰ روز ضمانت کیفیت کار.</p>"),
    "en": ("Terms of use",
           "<p>Chaarsoo is a marketplace that connects customers with the vendors and service providers it has contracts with.</p>"
           "<h2>Liability</h2><p>Chaarsoo answers only for purchases and jobs arranged and paid through this site. "
           "We take no responsibility for work agreed with a provider outside Chaarsoo.</p>"
           "<h2>Warranty</h2><p>Goods carry the vendor's replacement warranty; services carry a 90-day workmanship warranty.</p>"),
}

HOME = {
    "fa": {
        "title": "چارسو",
        "hero_title": "هر چه لازم دارید، سر یک چارسو",
        "hero_text": "کالا از فروشندگان طرف قرارداد با ضمانت تعویض، و خدمات از متخصصان نزدیک شما.",
        "hero_link_text": "دیدن همه کالاها",
        "shelf": "پیشنهادهای این هفته",
        "cta_title": "سؤالی دارید؟",
        "cta_text": "پاسخ بیشتر پرسش‌ها در مرکز راهنما آمده است.",
        "cta_link": "رفتن به مرکز راهنما",
        "help_title": "مرکز راهنما",
        "help_intro": "<p>پاسخ پرسش‌های رایج درباره سفارش، ارسال، پرداخت و ضمانت.</p>",
    },
    "en": {
        "title": "Chaarsoo",
        "hero_title": "Everything you need, at one crossroads",
        "hero_text": "Goods from contracted vendors with a replacement warranty, and services from experts near you.",
        "hero_link_text": "Browse all products",
        "shelf": "This week's picks",
        "cta_title": "Have a question?",
        "cta_text": "Most answers are already in the help centre.",
        "cta_link": "Go to the help centre",
        "help_title": "Help centre",
        "help_intro": "<p>Answers to common questions about ordering, delivery, payment and warranty.</p>",
    },
}

LANDING_PAGES = [
    {
        "slug": "handicrafts",
        "category": "handicrafts",
        "fa": ("صنایع دستی ایران", "مینا، خاتم، قلمکار و گلیم، مستقیم از کارگاه‌های هنرمندان.", "برگزیده‌های کارگاه"),
        "en": ("Iranian handicrafts", "Enamel, khatam, block prints and kilims, straight from the makers' workshops.", "Workshop favourites"),
    },
    {
        "slug": "kitchen",
        "category": "kitchen",
        "fa": ("آشپزخانه", "سماور، زودپز و هر آنچه برای یک آشپزخانه گرم لازم است.", "پرفروش‌های آشپزخانه"),
        "en": ("Kitchen", "Samovars, pressure cookers and everything a warm kitchen needs.", "Kitchen best sellers"),
    },
]
