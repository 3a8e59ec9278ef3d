import datetime as dt

from django.utils import translation

from core.jalali import format_jalali
from core.middleware import persian_digits_in_html
from core.templatetags.locale_format import date as date_filter
from core.text import normalize_persian, search_variants, to_persian_digits


def test_nowruz_is_the_first_of_farvardin():
    assert format_jalali(dt.date(2026, 3, 21), "j F Y") == "۱ فروردین ۱۴۰۵"


def test_jalali_time_and_escapes():
    value = dt.datetime(2026, 11, 23, 9, 5)
    assert format_jalali(value, r"Y/m/d H:i \Y") == "۱۴۰۵/۰۹/۰۲ ۰۹:۰۵ Y"


def test_date_filter_follows_the_active_language():
    value = dt.date(2026, 11, 23)
    with translation.override("fa"):
        assert date_filter(value, "j F Y") == "۲ آذر ۱۴۰۵"
    with translation.override("en"):
        assert date_filter(value, "j F Y") == "23 November 2026"


def test_digits_change_in_text_but_not_in_markup_entities_or_scripts():
    html = '<a href="/p/12/" data-x="3">Item 12 &#x27;x&#39;</a><script>var a = 5;</script><input value="1"> 45'
    assert persian_digits_in_html(html) == (
        '<a href="/p/12/" data-x="3">Item ۱۲ &#x27;x&#39;</a><script>var a = 5;</script><input value="1"> ۴۵'
    )


def test_persian_text_normalisation():
    assert normalize_persian("كتاب\u200cهاي ۱۲") == "کتاب های 12"
    assert to_persian_digits("2026") == "۲۰۲۶"
    assert "كتاب" in search_variants("کتاب")


def test_prices_use_the_persian_decimal_separator():
    html = "<p>€ 12.50</p><a href='/v1.2/'>v 1.2</a>"
    assert persian_digits_in_html(html) == "<p>€ ۱۲٫۵۰</p><a href='/v1.2/'>v ۱٫۲</a>"


def test_oscar_strings_missing_from_oscars_persian_catalogue_are_translated():
    from django.utils.translation import gettext, pgettext

    with translation.override("fa"):
        assert pgettext("Buy again", "Re-order all items") == "سفارش دوباره همه اقلام"
        assert gettext("This wish list is empty.") == "این فهرست علاقه‌مندی‌ها خالی است."
        # Oscar's own translations are still used where they exist.
        assert gettext("Add to basket") == "افزودن به سبد"


def test_every_string_in_our_persian_catalogue_is_translated():
    from pathlib import Path

    import polib

    root = Path(__file__).resolve().parents[2]
    # The project's catalogues and each app's own (ledger/locale, vendors/locale, ...).
    catalogues = [root / "locale", root / "locale_oscar", *sorted(root.glob("*/locale"))]
    for catalogue in catalogues:
        po_path = catalogue / "fa/LC_MESSAGES/django.po"
        if catalogue.parent != root and not po_path.exists():
            continue
        po = polib.pofile(str(po_path))
        assert po.untranslated_entries() == [] and po.fuzzy_entries() == [], catalogue
        assert po_path.with_suffix(".mo").exists(), f"{po_path} is not compiled"


def test_the_date_filter_resolves_named_formats_on_persian_pages():
    moment = dt.datetime(2026, 3, 21, 9, 5)
    with translation.override("fa"):
        short = date_filter(moment, "SHORT_DATETIME_FORMAT")
        plain = date_filter(moment, "Y/m/d")
    # A named format is looked up, never spelled out letter by letter as a format string.
    assert "SHORT" not in short and "_" not in short
    assert "۱۴۰۵" in short and plain == "۱۴۰۵/۰۱/۰۱"
