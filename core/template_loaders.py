"""Template loading: Oscar's own templates mark their identifiers for Persian pages.

Oscar prints order numbers, UPCs and phone numbers bare (`{{ order.number }}`); on a Persian page the
digit conversion would then turn `100023` into `۱۰۰۰۲۳`, and the customer would read a
number that the SMS, the email and the search box write differently (and `+98…` would
read `…98+` inside right-to-left text). Rather than copying
Oscar's long templates to add one filter, this loader adds it while reading them: the
identifier is wrapped in Unicode left-to-right isolate marks (`ident_text`), which the
conversion leaves alone and which are valid in any text position, a <title> included.
Our own templates mark identifiers themselves (`|ident`, `<bdi dir="ltr">`).
"""

from __future__ import annotations

import re

from django.template.loaders.app_directories import Loader as AppDirectoriesLoader

_OSCAR_TEMPLATES = "/oscar/templates/oscar/"
_IDENTIFIER = (
    r"(?:order\.number|order\.shipping_code|line\.upc|product\.upc|child\.upc|line\.partner_sku"
    r"|(?:[a-z_]+\.)*phone_number)"
)
# A date or time printed bare ({{ order.date_placed }}) is formatted by Django's own
# localisation, in the Gregorian calendar; through our `date` filter it is Jalali on fa pages.
_BARE_DATE = re.compile(
    r"\{\{ *((?:[a-z_]+\.)*(?:date_[a-z_]+|[a-z_]+_datetime|last_login|review_date)) *\}\}"
)
_MARKS = (
    # {{ order.number }}, {{ line.upc|default:"-" }}
    (re.compile(r"\{\{ *(" + _IDENTIFIER + r")((?:\|[^}|]+?)*) *\}\}"), r"{{ \1\2|ident_text }}"),
    # {% blocktrans with number=order.number %}
    (
        re.compile(r"(\{% *blocktrans(?:late)?\b[^%]*?\bwith\b[^%]*?=)(" + _IDENTIFIER + r")(?=[\s%])"),
        r"\1\2|ident_text",
    ),
)


# Order and line statuses are stored as their English names: shown translated, while a
# status <option> keeps the stored name as its value.
_STATUS = re.compile(
    r"\{\{ *((?:order|line|status_change|dict)\.(?:status|old_status|new_status))((?:\|[^}|]+?)*) *\}\}"
)
_STATUS_OPTION = re.compile(r"<option>\{\{ *status *\}\}</option>")
# Names stored in English by our code (a payment source "Pay on delivery", a payment event
# "Payment due on delivery", a surcharge "Installation"): shown through the catalogue.
_STORED = (
    r"(?:(?:[a-z_]+\.)*(?:source_type|event_type|surcharge|get_product_class|product_class)\.name|charge\.name)"
)
_STORED_NAME = re.compile(r"\{\{ *(" + _STORED + r")((?:\|[^}|]+?)*) *\}\}")
_STORED_PARAM = re.compile(r"(\{% *blocktrans(?:late)?\b[^%]*?\bwith\b[^%]*?=)(" + _STORED + r")(?=[\s%])")
# Names stored in one language, shown in the reader's: an order's shipping method, stored
# in the language the order was placed in, is named again from its code; a vendor (Oscar's
# partner) by its name in the reader's language, and an order line by its vendor's.
_BY_READER = (
    (re.compile(r"\border\.shipping_method(?![.\w])"), "order|shipping_method_name"),
    (re.compile(r"\bpartner\.name(?!\w)"), "partner.display_name"),
    (re.compile(r"\bline\.partner_name(?!\w)"), "line|line_vendor_name"),
)
_TEMPLATE_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)


def _names_by_reader(source: str) -> str:
    def rewrite(part: re.Match) -> str:
        text = part.group(0)
        for pattern, replacement in _BY_READER:
            text = pattern.sub(replacement, text)
        return text

    return _TEMPLATE_PART.sub(rewrite, source)


# Oscar links an order to its customer's page, which only roles holding Django's user
# permissions may open: for everyone else the name is shown without the link (point 13).
_USER_LINK = re.compile(r"<a href=\"(\{% url 'dashboard:user-detail'[^%]*%\})\">(.*?)</a>", re.S)
_EXTENDS = re.compile(r"(\{% *extends [^%]*%\})")


def _gate_user_links(source: str) -> str:
    if not _USER_LINK.search(source):
        return source
    source = _USER_LINK.sub(
        r'{% if request.user|can_open:"dashboard:user-detail" %}<a href="\1">\2</a>{% else %}\2{% endif %}', source
    )
    if _EXTENDS.search(source):
        return _EXTENDS.sub(r"\1{% load work_access %}", source, count=1)
    return "{% load work_access %}" + source


def mark_identifiers(source: str) -> str:
    for pattern, replacement in _MARKS:
        source = pattern.sub(replacement, source)
    source = _names_by_reader(source)
    source = _STATUS.sub(r"{{ \1\2|status_name }}", source)
    source = _STORED_NAME.sub(r"{{ \1\2|status_name }}", source)
    source = source.replace("{{ product_class }}", "{{ product_class.name|status_name }}")
    source = source.replace("{{ class.name }}", "{{ class.name|status_name }}")
    source = source.replace("<label>Filters:</label>", '<label>{% trans "Filters" %}:</label>')  # untranslated in Oscar
    source = _STORED_PARAM.sub(r"\1\2|status_name", source)
    source = _STATUS_OPTION.sub('<option value="{{ status }}">{{ status|status_name }}</option>', source)
    source = _gate_user_links(source)
    return _BARE_DATE.sub(r'{{ \1|date:"DATETIME_FORMAT" }}', source)


class Loader(AppDirectoriesLoader):
    def get_contents(self, origin) -> str:
        contents = super().get_contents(origin)
        if _OSCAR_TEMPLATES in origin.name.replace("\\", "/"):
            return mark_identifiers(contents)
        return contents
