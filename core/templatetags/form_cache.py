"""`{% cached_form form %}…{% endcached_form %}`: an unbound form's fields rendered once for
the same widgets and values (issue 16).

The checkout's address form went through Oscar's field partial (a label, the widget via
widget_tweaks, errors, help text) ten times on every visit, about a fifth of the page's
CPU, to print the same markup again and again. The block is kept in the cache under a key
made of everything the field partial and the widget templates read, computed fresh this
request: each field's name, id, label, help text, required flag and widget type, and the
widget's own context (its value, attributes and choices, as `Widget.get_context` builds it
for its template). So an address read from the session or the address book, a new choice
or a changed label gives a new key, and nothing stale is shown.

Only an unbound form without errors is kept: a form coming back from a failed POST is
rendered by the templates, errors and all. The block must print nothing but the form's
fields and fixed text: no CSRF token (keep `{% csrf_token %}` outside the block), no other
context variable (a block whose output holds a CSRF token or a nonce is never kept).
Used by the checkout's address form and the order history's filter form.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from django import forms, template
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.templatetags.row_cache import parse_kept_block

register = template.Library()
FORM_SECONDS = 300


def _field_key(field: forms.BoundField) -> list[Any]:
    widget = field.field.widget
    # What `BoundField.as_widget` hands the widget's template, without rendering it.
    context = widget.get_context(field.html_name, field.value(), field.build_widget_attrs({}))
    return [
        field.html_name, field.auto_id, str(field.label), str(field.help_text), field.field.required,
        field.is_hidden, field.widget_type, f"{type(widget).__module__}.{type(widget).__qualname__}",
        widget.template_name, context["widget"],
    ]


def form_key(form: forms.BaseForm) -> str | None:
    """The cache key for this form's rendering, or None when it must be rendered (bound, or
    with errors added by hand)."""
    if form.is_bound or form.errors:
        return None
    fields = [_field_key(field) for field in form]
    form_class = f"{type(form).__module__}.{type(form).__qualname__}"
    values = json.dumps([form_class, form.prefix, fields], default=str, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(f"{get_language()}|{values}".encode()).hexdigest()


class CachedFormNode(template.Node):
    def __init__(self, nodelist: template.NodeList, form: template.base.FilterExpression) -> None:
        self.nodelist, self.form = nodelist, form

    def render(self, context: template.Context) -> str:
        form = self.form.resolve(context)
        digest = form_key(form) if isinstance(form, forms.BaseForm) else None
        if digest is None:
            return self.nodelist.render(context)
        place = f"{self.origin.name}:{self.token.position}" if getattr(self, "token", None) else ""
        key = f"form:{hashlib.sha256(f'{place}|{digest}'.encode()).hexdigest()}"
        html = cache.get(key)
        if html is None:
            html = str(self.nodelist.render(context))
            if _PER_VISITOR.search(html) is None:
                cache.set(key, html, FORM_SECONDS)
        return mark_safe(html)


# What a kept block must never hold, should a template put it inside: it belongs to one
# visitor or one response.
_PER_VISITOR = re.compile(r"csrfmiddlewaretoken|\bnonce=")


@register.tag
def cached_form(parser: template.base.Parser, token: template.base.Token) -> CachedFormNode:
    return CachedFormNode(*parse_kept_block(parser, token, "the form the block prints"))
