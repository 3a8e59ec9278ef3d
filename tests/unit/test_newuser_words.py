"""Issue 15 point 9: words that read wrong on Persian pages."""

from django.utils import translation
from django.utils.translation import gettext


def test_the_register_button_the_phone_label_and_wish_lists_read_right():
    with translation.override("fa"):
        assert gettext("Register") == "ثبت‌نام"  # not «ثبات» (stability)
        assert gettext("Phone number") == "شماره تلفن"  # not «شماره تلقن»
        # Wish lists are not service "requests" (درخواست).
        for msgid in ("Wish Lists", "Wish List", "Wishlists", "Your wish list is empty.", "Create a new wish list"):
            assert "درخواست" not in gettext(msgid) and "علاقه‌مندی" in gettext(msgid), msgid


def test_oscars_pagination_reads_in_persian():
    msgid = "\n                        Page %(page_num)s of %(total_pages)s\n                    "
    with translation.override("fa"):
        assert gettext(msgid).strip() == "صفحهٔ %(page_num)s از %(total_pages)s"
