"""The shared search corpus (issue 11): queries and what they must find, run against every
backend (tests/integration/test_search_corpus.py). Built on the demo seed (30 products,
the demo services and help centre) and the synonyms of search/demo.py.

Each entry: (query, kind, expected title fragment or None for "nothing of any kind",
language of the page).
"""

CORPUS = [
    # letter forms, harakat, tatweel, plural suffix
    ("سماور", "product", "سماور برقی", "fa"),
    ("سماور برقي", "product", "سماور برقی", "fa"),
    ("سماورهای برقی", "product", "سماور برقی", "fa"),
    ("سَماوَر", "product", "سماور برقی", "fa"),
    ("سمـــاور", "product", "سماور برقی", "fa"),
    ("جاروبرقي", "product", "جاروبرقی", "fa"),
    ("كتاب آشپزي", "product", "کتاب آشپزی", "fa"),
    ("كوله‌پشتي", "product", "کوله‌پشتی", "fa"),
    # ZWNJ, space, nothing
    ("کوله‌پشتی", "product", "کوله‌پشتی", "fa"),
    ("کوله پشتی", "product", "کوله‌پشتی", "fa"),
    ("کولهپشتی", "product", "کوله‌پشتی", "fa"),
    ("هدفون بی سیم", "product", "هدفون بی‌سیم", "fa"),
    ("هدفون بیسیم", "product", "هدفون بی‌سیم", "fa"),
    # digits: Persian, Arabic, Latin
    ("دریل سری ۱", "product", "دریل شارژی", "fa"),
    ("دریل سری ١", "product", "دریل شارژی", "fa"),
    ("دریل سری 1", "product", "دریل شارژی", "fa"),
    # English words on fa pages
    ("samovar", "product", "سماور برقی", "fa"),
    ("Electric Samovar", "product", "سماور برقی", "fa"),
    ("vacuum cleaner", "product", "جاروبرقی", "fa"),
    ("headphones", "product", "هدفون بی‌سیم", "fa"),
    ("cookbook", "product", "کتاب آشپزی", "fa"),
    ("drill", "product", "دریل شارژی", "fa"),
    ("rice cooker", "product", "پلوپز", "fa"),
    # one typo in words of five letters or more
    ("سماوور", "product", "سماور برقی", "fa"),
    ("vacum cleaner", "product", "جاروبرقی", "fa"),
    ("گلیم دستبافت", "product", "گلیم دستباف", "fa"),
    ("headphnes", "product", "هدفون بی‌سیم", "fa"),
    ("قلکمار", "product", "قلمکار", "fa"),
    # services
    ("لوله‌کشی", "service", "لوله‌کشی", "fa"),
    ("لوله کشی", "service", "لوله‌کشی", "fa"),
    ("لولهکشی", "service", "لوله‌کشی", "fa"),
    ("plumbing", "service", "لوله‌کشی", "fa"),
    ("كولر آبي", "service", "سرویس کولر آبی", "fa"),
    ("نقاشی ساختمان", "service", "نقاشی داخلی ساختمان", "fa"),
    ("تعویض روغن", "service", "تعویض روغن در محل", "fa"),
    ("خوشنويسي نستعليق ۸", "service", "خوشنویسی", "fa"),
    ("نقش جهان", "service", "نقش جهان", "fa"),
    # synonyms (search/demo.py)
    ("plumber", "service", "لوله‌کشی", "fa"),
    # help articles, each language its own
    ("سفارش", "help", "چطور سفارش بدهم", "fa"),
    ("پرداخت در محل", "help", "پرداخت در محل", "fa"),
    ("حريم خصوصي", "help", "حریم خصوصی", "fa"),
    ("place an order", "help", "How do I place an order", "en"),
    ("privacy", "help", "Your account and privacy", "en"),
    # nothing at all
    ("زرافه", None, None, "fa"),
    ("xyzzy", None, None, "fa"),
]

# Typed on the wrong keyboard layout: (query, the "did you mean" offered)
WRONG_LAYOUT = [
    ("slh,v", "سماور"),  # سماور typed with the English layout
    ("زخخنذخخن", "cookbook"),  # cookbook typed with the Persian layout
    ("nvdg", "دریل"),
]
