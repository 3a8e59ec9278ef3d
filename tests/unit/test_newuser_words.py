"""Issue 15 point 9: words that read wrong on Persian pages."""

from django.utils import translation
from django.utils.translation import gettext


def test_the_register_button_the_phone_label_and_wish_lists_read_right():
    with translation.override("fa"):
        assert gettext("Register") == "ثبت‌نام"  # not «ثبات» (stability)
        assert gettext("Phone number") == "شماره تلفن"  # not «شماره تلقن»
        assert gettext("Fulfilment") == "سفارش‌ها و ارسال"  # the dashboard menu, not «تکمیل»
        assert gettext("Address book") == "دفترچهٔ نشانی"  # not «تاب آدرس»
        # Wish lists are not service "requests" (درخواست).
        for msgid in ("Wish Lists", "Wish List", "Wishlists", "Your wish list is empty.", "Create a new wish list"):
            assert "درخواست" not in gettext(msgid) and "علاقه‌مندی" in gettext(msgid), msgid


def test_oscars_pagination_reads_in_persian():
    msgid = "\n                        Page %(page_num)s of %(total_pages)s\n                    "
    with translation.override("fa"):
        assert gettext(msgid).strip() == "صفحهٔ %(page_num)s از %(total_pages)s"


def test_oscars_persian_catalogue_has_every_message_translated():
    """Every message Oscar ships has a Persian translation in effect (Oscar's own, or ours
    in locale_oscar/), so no English is left in Oscar's pages (issue 15 point 7)."""
    import re
    from pathlib import Path

    import oscar
    import polib
    from django.utils.translation import ngettext, pgettext

    shipped = polib.pofile(str(Path(oscar.__file__).parent / "locale/fa/LC_MESSAGES/django.po"))
    # Names of standards and formats, and format strings with no words, read the same in Persian.
    same_in_persian = {"ISO 3166-1 alpha-2", "ISO 3166-1 alpha-3", "HTML", "CSV"}
    untranslated = []
    with translation.override("fa"):
        for entry in shipped:
            words = re.sub(r"%\(\w+\)s|<[^>]*>", "", entry.msgid)
            if entry.obsolete or entry.msgid in same_in_persian or not re.search(r"[A-Za-z]{2}", words):
                continue
            if entry.msgid_plural:
                text = ngettext(entry.msgid, entry.msgid_plural, 1)
            elif entry.msgctxt:
                text = pgettext(entry.msgctxt, entry.msgid)
            else:
                text = gettext(entry.msgid)
            if text == entry.msgid:
                untranslated.append(entry.msgid)
    assert untranslated == []


def test_yes_no_pairs_split_on_a_latin_comma_as_django_yesno_needs():
    # Oscar's catalogue wrote «بله،خیر» (Persian comma): yesno could not split it and
    # printed Python's True/False.
    with translation.override("fa"):
        assert gettext("Yes,No").split(",") == ["بله", "خیر"]
        assert len(gettext("True,False").split(",")) == 2


def test_a_word_with_two_senses_reads_right_in_each():
    """Django merges the catalogues, so one msgid gets one Persian: a word that means two
    things on two pages carries a context for the second sense (fa review, issue 15)."""
    from django.utils.translation import pgettext

    with translation.override("fa"):
        pairs = [
            (gettext("paid"), pgettext("payment event", "paid"), "پرداخت‌شده", "پرداخت شد"),
            (gettext("refunded"), pgettext("payment event", "refunded"), "بازپرداخت‌شده", "بازپرداخت شد"),
            (gettext("declined"), pgettext("payment event", "declined"), "نپذیرفته بود", "رد شد"),
            (gettext("to"), pgettext("recipient", "to"), "به", "گیرنده"),
            (gettext("Statement"), pgettext("gift points", "Statement"), "صورت‌حساب", "گردش امتیاز"),
            (gettext("In stock"), pgettext("stock count", "In stock"), "موجود", "موجودی"),
            (gettext("What do you need?"), pgettext("warranty claim", "What do you need?"),
             "چه کاری لازم دارید؟", "چه می‌خواهید؟"),
        ]
    assert [(plain, sense) for plain, sense, _p, _s in pairs] == [(p, s) for _a, _b, p, s in pairs]


def test_a_product_class_stored_by_its_english_name_prints_in_the_readers_language():
    """Oscar prints a product class with str() (form choices, the dashboard's order line):
    the demo's "Goods" is «کالا» on Persian pages; a name typed in Persian stays as typed."""
    from oscar.core.loading import get_model

    product_class = get_model("catalogue", "ProductClass")
    with translation.override("fa"):
        assert [str(product_class(name="Goods")), str(product_class(name="لوازم خانگی"))] == ["کالا", "لوازم خانگی"]
    with translation.override("en"):
        assert str(product_class(name="Goods")) == "Goods"


def test_the_demo_offices_persian_names_use_the_glossary_and_no_latin():
    """The rural ICT offices are «دفتر ارتباطات و فناوری اطلاعات روستایی», not «دفتر ICT»."""
    import re

    from offices.demo import CERTIFICATE, OFFICES

    persian = [fa for _code, _kind, fa, *_rest in OFFICES] + [address for *_head, address, _at, _h, _u, _p in OFFICES]
    persian += [CERTIFICATE["name"], CERTIFICATE["summary"]]
    assert [text for text in persian if re.search(r"[A-Za-z]", text)] == []
    assert "دفتر ارتباطات و فناوری اطلاعات روستایی کلاردشت" in persian
