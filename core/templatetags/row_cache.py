"""`{% cached_rows rows %}…{% endcached_rows %}`: the rows of a list page rendered once for
the same values (issue 16).

The job lists, the staff queue and the seller's shipments build their rows as plain
values on every request (services_catalog.job_rows, vendors.shipment_rows); printing 30–50
of them through the template engine still cost a third of those pages. The block is kept
in the cache under a key made of the values themselves (as JSON), the page's language
and the block's place in its template, so a row that changed in any way gives a new key
and is rendered afresh: nothing stale can be shown. The block must print nothing but its
rows' values and fixed text (no form, no CSRF token, no other context variable).

`{% cached_form form %}…{% endcached_form %}` does the same for a list page's filter form
when it is not bound (Oscar's order history: three fields with date widgets, about a
millisecond): the key is made of the form's fields as read on this request. A bound form
shows the visitor's input and errors and is never kept.
"""

from __future__ import annotations

import hashlib
import json
import re

from django import forms, template
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()
ROWS_SECONDS = 300


class CachedRowsNode(template.Node):
    def __init__(self, nodelist: template.NodeList, rows: template.base.FilterExpression) -> None:
        self.nodelist, self.rows = nodelist, rows

    def render(self, context: template.Context) -> str:
        rows = self.rows.resolve(context)
        if not rows:
            return self.nodelist.render(context)
        values = json.dumps(rows, default=str, sort_keys=True, ensure_ascii=False)
        place = f"{self.origin.name}:{self.token.position}" if getattr(self, "token", None) else ""
        digest = hashlib.sha256(f"{place}|{get_language()}|{values}".encode()).hexdigest()
        key = f"rows:{digest}"
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, str(html), ROWS_SECONDS)
        return mark_safe(html)


@register.tag
def cached_rows(parser: template.base.Parser, token: template.base.Token) -> CachedRowsNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_rows takes the rows the block prints")
    nodelist = parser.parse(("endcached_rows",))
    parser.delete_first_token()
    return CachedRowsNode(nodelist, parser.compile_filter(bits[1]))


class CachedFormNode(template.Node):
    """`{% cached_form form %}…{% endcached_form %}`: a block printing a form that is not
    bound, kept under a key of the form's class, its fields' labels, initial values,
    choices (read afresh: a renamed choice gives a new key) and widget attributes, the
    language and the block's place. A bound form (user input, errors) is always rendered
    afresh, and so is a block whose output holds a CSRF token or a CSP nonce."""

    def __init__(self, nodelist: template.NodeList, form: template.base.FilterExpression) -> None:
        self.nodelist, self.form = nodelist, form

    def render(self, context: template.Context) -> str:
        form = self.form.resolve(context)
        if form is None or form.is_bound:
            return self.nodelist.render(context)
        values = json.dumps(unbound_form_values(form), default=str, sort_keys=True, ensure_ascii=False)
        place = f"{self.origin.name}:{self.token.position}" if getattr(self, "token", None) else ""
        digest = hashlib.sha256(f"{place}|{get_language()}|{values}".encode()).hexdigest()
        key = f"form:{digest}"
        html = cache.get(key)
        if html is None:
            html = str(self.nodelist.render(context))
            if _PER_VISITOR.search(html) is None:
                cache.set(key, html, ROWS_SECONDS)
        return mark_safe(html)


# What a kept block must never hold: it belongs to one visitor or one response.
_PER_VISITOR = re.compile(r"csrfmiddlewaretoken|\bnonce=")


def unbound_form_values(form: forms.BaseForm) -> list[object]:
    """Everything an unbound form's rendering is made of that may change between
    requests: each field's label, help text, initial value, choices and widget."""
    fields = []
    for name, field in form.fields.items():
        widget = field.widget
        fields.append([
            name, str(field.label), str(field.help_text), field.required, field.disabled,
            form.get_initial_for_field(field, name), type(widget).__qualname__, widget.attrs,
            [[str(value), str(label)] for value, label in field.choices] if hasattr(field, "choices") else None,
        ])
    return [type(form).__module__, type(form).__qualname__, form.prefix, form.auto_id, fields]


@register.tag
def cached_form(parser: template.base.Parser, token: template.base.Token) -> CachedFormNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_form takes the form the block prints")
    nodelist = parser.parse(("endcached_form",))
    parser.delete_first_token()
    return CachedFormNode(nodelist, parser.compile_filter(bits[1]))
