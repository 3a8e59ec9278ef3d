"""`{% cached_rows rows %}…{% endcached_rows %}`: the rows of a list page rendered once for
the same values (issue 16).

The job lists, the staff queue and the seller's shipments build their rows as plain
values on every request (services_catalog.job_rows, vendors.shipment_rows); printing 30–50
of them through the template engine still cost a third of those pages. The block is kept
in the cache under a key made of the values themselves (as JSON), the page's language
and the block's place in its template, so a row that changed in any way gives a new key
and is rendered afresh: nothing stale can be shown. The block must print nothing but its
rows' values and fixed text (no form, no other context variable). A CSRF field in the
block (the basket page's voucher and totals forms) is kept as a marker that the page's own
token replaces on every request; a block holding a CSP nonce is never kept.

An unbound form is kept the same way by `{% cached_form %}` (core/templatetags/form_cache.py).
"""

from __future__ import annotations

import hashlib
import json
import re

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.page_cache import CSRF_FIELD, CSRF_SENTINEL

register = template.Library()
ROWS_SECONDS = 300
# A nonce belongs to one response: a block printing one is rendered every time.
_NONCE = re.compile(r"\bnonce=")


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
            html = str(self.nodelist.render(context))
            if _NONCE.search(html) is None:
                cache.set(key, CSRF_FIELD.sub(rf"\g<1>{CSRF_SENTINEL}\g<2>", html), ROWS_SECONDS)
            return mark_safe(html)
        if CSRF_SENTINEL in html:
            # The page's own masked token (one per render, from the context processor).
            request = context.get("request")
            token = context.get("csrf_token") or (get_token(request) if request is not None else "")
            html = html.replace(CSRF_SENTINEL, str(token))
        return mark_safe(html)


def parse_kept_block(
    parser: template.base.Parser, token: template.base.Token, what: str
) -> tuple[template.NodeList, template.base.FilterExpression]:
    """`{% tag value %}…{% endtag %}`: the block and its one argument (the kept blocks'
    tags, here and in core/templatetags/form_cache.py)."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes {what}")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return nodelist, parser.compile_filter(bits[1])


@register.tag
def cached_rows(parser: template.base.Parser, token: template.base.Token) -> CachedRowsNode:
    return CachedRowsNode(*parse_kept_block(parser, token, "the rows the block prints"))

