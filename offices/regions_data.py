"""Iran's 31 provinces and their counties, written by us for the region table.

Each province: (code, Persian name, English name, latitude, longitude of its capital,
counties). Each county: (code, Persian name, English name, latitude, longitude of its
seat). The first county is the one around the provincial capital. This list holds the
capital's county and the larger counties of each province (the first seed); the rest of
the country's counties are in offices.regions_counties (added by a later migration).
"""

from __future__ import annotations

PROVINCES = [
    ("tehran", "تهران", "Tehran", 35.6892, 51.3890, [
        ("tehran-county", "تهران", "Tehran", 35.6892, 51.3890),
        ("shemiranat", "شمیرانات", "Shemiranat", 35.8020, 51.4560),
        ("rey", "ری", "Rey", 35.5940, 51.4350),
        ("eslamshahr", "اسلام‌شهر", "Eslamshahr", 35.5450, 51.2350),
        ("shahriar", "شهریار", "Shahriar", 35.6590, 51.0590),
        ("varamin", "ورامین", "Varamin", 35.3240, 51.6460),
        ("damavand", "دماوند", "Damavand", 35.7180, 52.0650),
    ]),
    ("alborz", "البرز", "Alborz", 35.8400, 50.9390, [
        ("karaj-county", "کرج", "Karaj", 35.8400, 50.9390),
        ("fardis", "فردیس", "Fardis", 35.7230, 50.9880),
        ("savojbolagh", "ساوجبلاغ", "Savojbolagh", 36.0640, 50.6670),
        ("nazarabad", "نظرآباد", "Nazarabad", 35.9540, 50.6070),
    ]),
    ("isfahan", "اصفهان", "Isfahan", 32.6546, 51.6680, [
        ("isfahan-county", "اصفهان", "Isfahan", 32.6546, 51.6680),
        ("kashan", "کاشان", "Kashan", 33.9850, 51.4100),
        ("najafabad", "نجف‌آباد", "Najafabad", 32.6340, 51.3660),
        ("khomeinishahr", "خمینی‌شهر", "Khomeyni Shahr", 32.7000, 51.5210),
        ("shahreza", "شهرضا", "Shahreza", 32.0100, 51.8660),
        ("golpayegan", "گلپایگان", "Golpayegan", 33.4540, 50.2880),
    ]),
    ("fars", "فارس", "Fars", 29.5918, 52.5837, [
        ("shiraz-county", "شیراز", "Shiraz", 29.5918, 52.5837),
        ("marvdasht", "مرودشت", "Marvdasht", 29.8740, 52.8020),
        ("kazerun", "کازرون", "Kazerun", 29.6190, 51.6540),
        ("jahrom", "جهرم", "Jahrom", 28.5000, 53.5600),
        ("fasa", "فسا", "Fasa", 28.9380, 53.6480),
        ("lar", "لارستان", "Larestan", 27.6810, 54.3400),
    ]),
    ("khorasan-razavi", "خراسان رضوی", "Razavi Khorasan", 36.2605, 59.6168, [
        ("mashhad-county", "مشهد", "Mashhad", 36.2605, 59.6168),
        ("neyshabur", "نیشابور", "Nishapur", 36.2130, 58.7960),
        ("sabzevar", "سبزوار", "Sabzevar", 36.2150, 57.6680),
        ("torbat-heydarieh", "تربت حیدریه", "Torbat-e Heydarieh", 35.2740, 59.2190),
        ("quchan", "قوچان", "Quchan", 37.1060, 58.5100),
        ("kashmar", "کاشمر", "Kashmar", 35.2380, 58.4650),
    ]),
    ("khorasan-north", "خراسان شمالی", "North Khorasan", 37.4747, 57.3290, [
        ("bojnurd-county", "بجنورد", "Bojnurd", 37.4747, 57.3290),
        ("shirvan", "شیروان", "Shirvan", 37.3970, 57.9290),
        ("esfarayen", "اسفراین", "Esfarayen", 37.0760, 57.5100),
    ]),
    ("khorasan-south", "خراسان جنوبی", "South Khorasan", 32.8663, 59.2211, [
        ("birjand-county", "بیرجند", "Birjand", 32.8663, 59.2211),
        ("qaen", "قائنات", "Qaenat", 33.7260, 59.1840),
        ("ferdows", "فردوس", "Ferdows", 34.0190, 58.1720),
    ]),
    ("azarbaijan-east", "آذربایجان شرقی", "East Azerbaijan", 38.0962, 46.2738, [
        ("tabriz-county", "تبریز", "Tabriz", 38.0962, 46.2738),
        ("maragheh", "مراغه", "Maragheh", 37.3890, 46.2370),
        ("marand", "مرند", "Marand", 38.4320, 45.7740),
        ("mianeh", "میانه", "Mianeh", 37.4210, 47.7150),
        ("ahar", "اهر", "Ahar", 38.4780, 47.0700),
    ]),
    ("azarbaijan-west", "آذربایجان غربی", "West Azerbaijan", 37.5527, 45.0761, [
        ("urmia-county", "ارومیه", "Urmia", 37.5527, 45.0761),
        ("khoy", "خوی", "Khoy", 38.5500, 44.9520),
        ("miandoab", "میاندوآب", "Miandoab", 36.9690, 46.1030),
        ("mahabad", "مهاباد", "Mahabad", 36.7630, 45.7220),
        ("salmas", "سلماس", "Salmas", 38.1970, 44.7650),
    ]),
    ("ardabil", "اردبیل", "Ardabil", 38.2498, 48.2933, [
        ("ardabil-county", "اردبیل", "Ardabil", 38.2498, 48.2933),
        ("parsabad", "پارس‌آباد", "Parsabad", 39.6480, 47.9170),
        ("meshginshahr", "مشگین‌شهر", "Meshgin Shahr", 38.3990, 47.6820),
        ("khalkhal", "خلخال", "Khalkhal", 37.6190, 48.5260),
    ]),
    ("gilan", "گیلان", "Gilan", 37.2808, 49.5832, [
        ("rasht-county", "رشت", "Rasht", 37.2808, 49.5832),
        ("bandar-anzali", "بندر انزلی", "Bandar-e Anzali", 37.4720, 49.4620),
        ("lahijan", "لاهیجان", "Lahijan", 37.2070, 50.0040),
        ("langarud", "لنگرود", "Langarud", 37.1970, 50.1540),
        ("talesh", "تالش", "Talesh", 37.8010, 48.9060),
    ]),
    ("mazandaran", "مازندران", "Mazandaran", 36.5659, 53.0586, [
        ("sari-county", "ساری", "Sari", 36.5659, 53.0586),
        ("babol", "بابل", "Babol", 36.5380, 52.6760),
        ("amol", "آمل", "Amol", 36.4700, 52.3460),
        ("qaemshahr", "قائم‌شهر", "Qaem Shahr", 36.4630, 52.8600),
        ("chalus", "چالوس", "Chalus", 36.6550, 51.4200),
        ("behshahr", "بهشهر", "Behshahr", 36.6920, 53.5520),
    ]),
    ("golestan", "گلستان", "Golestan", 36.8456, 54.4393, [
        ("gorgan-county", "گرگان", "Gorgan", 36.8456, 54.4393),
        ("gonbad-kavus", "گنبد کاووس", "Gonbad-e Kavus", 37.2500, 55.1670),
        ("aliabad-katul", "علی‌آباد کتول", "Aliabad-e Katul", 36.9080, 54.8680),
        ("bandar-torkaman", "بندر ترکمن", "Bandar-e Torkaman", 36.9010, 54.0710),
    ]),
    ("semnan", "سمنان", "Semnan", 35.5729, 53.3971, [
        ("semnan-county", "سمنان", "Semnan", 35.5729, 53.3971),
        ("shahrud", "شاهرود", "Shahrud", 36.4180, 54.9760),
        ("damghan", "دامغان", "Damghan", 36.1680, 54.3480),
        ("garmsar", "گرمسار", "Garmsar", 35.2180, 52.3410),
    ]),
    ("qom", "قم", "Qom", 34.6416, 50.8746, [
        ("qom-county", "قم", "Qom", 34.6416, 50.8746),
    ]),
    ("markazi", "مرکزی", "Markazi", 34.0917, 49.6892, [
        ("arak-county", "اراک", "Arak", 34.0917, 49.6892),
        ("saveh", "ساوه", "Saveh", 35.0210, 50.3570),
        ("khomein", "خمین", "Khomein", 33.6390, 50.0800),
        ("mahallat", "محلات", "Mahallat", 33.9110, 50.4530),
    ]),
    ("qazvin", "قزوین", "Qazvin", 36.2688, 50.0041, [
        ("qazvin-county", "قزوین", "Qazvin", 36.2688, 50.0041),
        ("takestan", "تاکستان", "Takestan", 36.0700, 49.6960),
        ("buin-zahra", "بوئین‌زهرا", "Buin Zahra", 35.7670, 50.0580),
    ]),
    ("zanjan", "زنجان", "Zanjan", 36.6736, 48.4787, [
        ("zanjan-county", "زنجان", "Zanjan", 36.6736, 48.4787),
        ("abhar", "ابهر", "Abhar", 36.1460, 49.2180),
        ("khodabandeh", "خدابنده", "Khodabandeh", 36.1150, 48.5910),
    ]),
    ("hamadan", "همدان", "Hamadan", 34.7989, 48.5146, [
        ("hamadan-county", "همدان", "Hamadan", 34.7989, 48.5146),
        ("malayer", "ملایر", "Malayer", 34.2970, 48.8240),
        ("nahavand", "نهاوند", "Nahavand", 34.1880, 48.3770),
        ("tuyserkan", "تویسرکان", "Tuyserkan", 34.5480, 48.4470),
    ]),
    ("kurdistan", "کردستان", "Kurdistan", 35.3113, 46.9960, [
        ("sanandaj-county", "سنندج", "Sanandaj", 35.3113, 46.9960),
        ("saqqez", "سقز", "Saqqez", 36.2500, 46.2730),
        ("marivan", "مریوان", "Marivan", 35.5180, 46.1830),
        ("baneh", "بانه", "Baneh", 35.9980, 45.8850),
    ]),
    ("kermanshah", "کرمانشاه", "Kermanshah", 34.3142, 47.0650, [
        ("kermanshah-county", "کرمانشاه", "Kermanshah", 34.3142, 47.0650),
        ("eslamabad-gharb", "اسلام‌آباد غرب", "Eslamabad-e Gharb", 34.1080, 46.5280),
        ("kangavar", "کنگاور", "Kangavar", 34.5040, 47.9650),
        ("sarpol-zahab", "سرپل ذهاب", "Sarpol-e Zahab", 34.4610, 45.8630),
    ]),
    ("ilam", "ایلام", "Ilam", 33.6374, 46.4227, [
        ("ilam-county", "ایلام", "Ilam", 33.6374, 46.4227),
        ("dehloran", "دهلران", "Dehloran", 32.6940, 47.2680),
        ("mehran", "مهران", "Mehran", 33.1220, 46.1650),
    ]),
    ("lorestan", "لرستان", "Lorestan", 33.4878, 48.3558, [
        ("khorramabad-county", "خرم‌آباد", "Khorramabad", 33.4878, 48.3558),
        ("borujerd", "بروجرد", "Borujerd", 33.8970, 48.7520),
        ("dorud", "دورود", "Dorud", 33.4950, 49.0600),
        ("aligudarz", "الیگودرز", "Aligudarz", 33.4000, 49.6950),
    ]),
    ("khuzestan", "خوزستان", "Khuzestan", 31.3183, 48.6706, [
        ("ahvaz-county", "اهواز", "Ahvaz", 31.3183, 48.6706),
        ("dezful", "دزفول", "Dezful", 32.3810, 48.4050),
        ("abadan", "آبادان", "Abadan", 30.3390, 48.3040),
        ("khorramshahr", "خرمشهر", "Khorramshahr", 30.4400, 48.1660),
        ("behbahan", "بهبهان", "Behbahan", 30.5960, 50.2420),
        ("shushtar", "شوشتر", "Shushtar", 32.0460, 48.8560),
    ]),
    ("chaharmahal-bakhtiari", "چهارمحال و بختیاری", "Chaharmahal and Bakhtiari", 32.3256, 50.8644, [
        ("shahrekord-county", "شهرکرد", "Shahrekord", 32.3256, 50.8644),
        ("borujen", "بروجن", "Borujen", 31.9650, 51.2870),
        ("lordegan", "لردگان", "Lordegan", 31.5100, 50.8290),
    ]),
    ("kohgiluyeh-boyer-ahmad", "کهگیلویه و بویراحمد", "Kohgiluyeh and Boyer-Ahmad", 30.6682, 51.5880, [
        ("boyer-ahmad", "بویراحمد", "Boyer-Ahmad", 30.6682, 51.5880),
        ("kohgiluyeh", "کهگیلویه", "Kohgiluyeh", 30.7850, 50.5540),
        ("gachsaran", "گچساران", "Gachsaran", 30.3580, 50.7980),
    ]),
    ("bushehr", "بوشهر", "Bushehr", 28.9684, 50.8385, [
        ("bushehr-county", "بوشهر", "Bushehr", 28.9684, 50.8385),
        ("dashtestan", "دشتستان", "Dashtestan", 29.2660, 51.2190),
        ("kangan", "کنگان", "Kangan", 27.8370, 52.0640),
        ("genaveh", "گناوه", "Genaveh", 29.5790, 50.5170),
    ]),
    ("hormozgan", "هرمزگان", "Hormozgan", 27.1832, 56.2666, [
        ("bandar-abbas-county", "بندرعباس", "Bandar Abbas", 27.1832, 56.2666),
        ("minab", "میناب", "Minab", 27.1460, 57.0800),
        ("qeshm", "قشم", "Qeshm", 26.9580, 56.2710),
        ("bandar-lengeh", "بندر لنگه", "Bandar Lengeh", 26.5580, 54.8810),
    ]),
    ("kerman", "کرمان", "Kerman", 30.2839, 57.0834, [
        ("kerman-county", "کرمان", "Kerman", 30.2839, 57.0834),
        ("sirjan", "سیرجان", "Sirjan", 29.4520, 55.6810),
        ("rafsanjan", "رفسنجان", "Rafsanjan", 30.4070, 55.9940),
        ("jiroft", "جیرفت", "Jiroft", 28.6750, 57.7380),
        ("bam", "بم", "Bam", 29.1060, 58.3570),
        ("zarand", "زرند", "Zarand", 30.8130, 56.5640),
    ]),
    ("yazd", "یزد", "Yazd", 31.8974, 54.3569, [
        ("yazd-county", "یزد", "Yazd", 31.8974, 54.3569),
        ("meybod", "میبد", "Meybod", 32.2500, 54.0160),
        ("ardakan", "اردکان", "Ardakan", 32.3100, 54.0170),
        ("taft", "تفت", "Taft", 31.7470, 54.2080),
        ("tabas", "طبس", "Tabas", 33.5960, 56.9240),
    ]),
    ("sistan-baluchestan", "سیستان و بلوچستان", "Sistan and Baluchestan", 29.4963, 60.8629, [
        ("zahedan-county", "زاهدان", "Zahedan", 29.4963, 60.8629),
        ("zabol", "زابل", "Zabol", 31.0290, 61.5010),
        ("iranshahr", "ایرانشهر", "Iranshahr", 27.2020, 60.6850),
        ("chabahar", "چابهار", "Chabahar", 25.2920, 60.6430),
        ("saravan", "سراوان", "Saravan", 27.3710, 62.3340),
        ("khash", "خاش", "Khash", 28.2210, 61.2160),
    ]),
]


def seed(Region) -> int:
    """Write every province and county into `Region` (a historical model in the data
    migration, or the real one when tests emptied the table). Returns how many rows."""
    from decimal import Decimal

    count = 0
    for code, name, name_en, lat, lng, counties in PROVINCES:
        province, _created = Region.objects.update_or_create(
            code=code, defaults={"kind": "province", "name": name, "name_en": name_en, "parent": None,
                                 "latitude": Decimal(str(lat)), "longitude": Decimal(str(lng))},
        )
        count += 1
        for c_code, c_name, c_name_en, c_lat, c_lng in counties:
            Region.objects.update_or_create(
                code=c_code, defaults={"kind": "county", "name": c_name, "name_en": c_name_en, "parent": province,
                                       "latitude": Decimal(str(c_lat)), "longitude": Decimal(str(c_lng))},
            )
            count += 1
    from offices.regions_counties import add_missing

    return count + add_missing(Region)
