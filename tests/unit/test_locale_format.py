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


def test_identifiers_in_ltr_elements_keep_their_characters():
    html = (
        '<p>Job <bdi dir="ltr">J-9DFG54S</bdi> of 3 items</p>'
        '<td dir=ltr><span>pi_kmnmpoV3VDdy0S</span> <span>x2</span></td><td>5</td>'
        '<a href="tel:+989121234567" dir="ltr">+98 912 123 4567</a> 7'
        '<div dir="ltr"><div>IR12 3456</div><br>8</div>9<input dir="ltr" value="1"> 10'
    )
    assert persian_digits_in_html(html) == (
        '<p>Job <bdi dir="ltr">J-9DFG54S</bdi> of ۳ items</p>'
        '<td dir=ltr><span>pi_kmnmpoV3VDdy0S</span> <span>x2</span></td><td>۵</td>'
        '<a href="tel:+989121234567" dir="ltr">+98 912 123 4567</a> ۷'
        '<div dir="ltr"><div>IR12 3456</div><br>8</div>۹<input dir="ltr" value="1"> ۱۰'
    )


def test_the_rtl_page_itself_is_converted():
    html = '<html lang="fa" dir="rtl"><body><main dir="rtl">12 <span data-dir="ltr">3</span></main></body></html>'
    assert "۱۲" in persian_digits_in_html(html) and "۳" in persian_digits_in_html(html)


def test_the_ident_filters_mark_identifiers_the_conversion_keeps():
    from core.templatetags.locale_format import ident, ident_text

    html = f"<title>{ident_text('J-9D<5')} 12</title><p>{ident('100023')} 3</p>"
    assert html == '<title>\u2066J-9D&lt;5\u2069 12</title><p><bdi dir="ltr">100023</bdi> 3</p>'
    assert persian_digits_in_html(html) == (
        '<title>\u2066J-9D&lt;5\u2069 ۱۲</title><p><bdi dir="ltr">100023</bdi> ۳</p>'
    )


def test_oscars_templates_mark_order_numbers_and_upcs():
    from core.template_loaders import mark_identifiers

    source = (
        '<a href="{% url \'customer:order\' order_number=order.number %}">{{ order.number }}</a>'
        '<td>{{ line.upc|default:"-" }}</td>'
        "{% blocktrans with number=order.number %}Order {{ number }}{% endblocktrans %}"
    )
    assert mark_identifiers(source) == (
        '<a href="{% url \'customer:order\' order_number=order.number %}">{{ order.number|ident_text }}</a>'
        '<td>{{ line.upc|default:"-"|ident_text }}</td>'
        "{% blocktrans with number=order.number|ident_text %}Order {{ number }}{% endblocktrans %}"
    )


def test_oscars_phone_numbers_read_left_to_right_with_their_digits():
    from core.template_loaders import mark_identifiers

    source = '<td>{{ order.shipping_address.phone_number|default:"-" }}</td>'
    assert mark_identifiers(source) == '<td>{{ order.shipping_address.phone_number|default:"-"|ident_text }}</td>'


def test_oscars_bare_dates_go_through_the_jalali_date_filter():
    from core.template_loaders import mark_identifiers

    assert mark_identifiers("<td>{{ order.date_placed }}</td><td>{{ user.date_joined }}</td>") == (
        '<td>{{ order.date_placed|date:"DATETIME_FORMAT" }}</td><td>{{ user.date_joined|date:"DATETIME_FORMAT" }}</td>'
    )


def test_oscars_order_statuses_show_translated_and_keep_their_stored_value():
    from core.template_loaders import mark_identifiers
    from core.templatetags.locale_format import status_name

    assert mark_identifiers('<td>{{ order.status|default:"-" }}</td><option>{{ status }}</option>') == (
        '<td>{{ order.status|default:"-"|status_name }}</td>'
        '<option value="{{ status }}">{{ status|status_name }}</option>'
    )
    with translation.override("fa"):
        assert status_name("Being processed") != "Being processed"


def test_names_our_code_stores_in_english_show_through_the_catalogue():
    from core.template_loaders import mark_identifiers
    from core.templatetags.locale_format import status_name

    source = (
        "{% blocktrans with amount=x type=source.source_type.name %}{{ type }}{% endblocktrans %}"
        "<td>{{ event.event_type.name }}</td><th>{{ charge.name }}</th>"
    )
    assert mark_identifiers(source) == (
        "{% blocktrans with amount=x type=source.source_type.name|status_name %}{{ type }}{% endblocktrans %}"
        "<td>{{ event.event_type.name|status_name }}</td><th>{{ charge.name|status_name }}</th>"
    )
    with translation.override("fa"):
        assert status_name("Payment due on delivery") == "پرداخت هنگام تحویل"
        assert status_name("Pay on delivery") != "Pay on delivery"


def test_oscars_customer_links_show_only_to_roles_that_may_open_them():
    from core.template_loaders import mark_identifiers

    source = "{% extends 'x.html' %}<a href=\"{% url 'dashboard:user-detail' pk=order.user.id %}\">{{ name }}</a>"
    assert mark_identifiers(source) == (
        "{% extends 'x.html' %}{% load work_access %}"
        '{% if request.user|can_open:"dashboard:user-detail" %}'
        "<a href=\"{% url 'dashboard:user-detail' pk=order.user.id %}\">{{ name }}</a>{% else %}{{ name }}{% endif %}"
    )
