"""`{% cached_listing key %}…{% endcached_listing %}`: the product cards of a catalogue page,
rendered once per catalogue version (issue 16).

Rendering 24 product cards (price and availability through the strategy, thumbnail, links,
a basket form each) was most of a catalogue page's time once its queries were cheap. The
cards are the same for every shopper: the strategy has no per-user prices, and the basket
form's CSRF token is cut out before storing and the current visitor's put back on every
use, as the page cache does. The key carries `core.page_cache.current_version()`, which
every save of a product, category, stock record (allocations included), image or vendor
bumps, so a changed price or stock level is never served from here; the entry also times
out after `LISTING_SECONDS`, which bounds how long another gunicorn worker's local-memory
copy can lag (with Redis the version is shared and the change is immediate). The
checkout reads prices and stock afresh whatever a listing showed.

An empty key renders the block as it is (search results pass none). A second argument
names a part of a page cached under one key (`{% cached_listing fragment_key "info" %}`,
the product page's blocks).

`basket_form_key` is the key of the product page's add-to-basket form: Oscar builds a form
per request (`basket_form`) whose markup, for a product without options, is made only of
the product's id, the language and the CSRF token; its availability test stays outside
the cached part and reads the stock record this request loaded.

`reviews_key` is the key of the reviews block for a visitor who is not signed in: for
them it shows the same reviews and links to all (a signed-in shopper sees their own review
marked, vote buttons and whether they may write one, so theirs is rendered afresh). A
review saved, approved, voted on or deleted re-rates its product (Oscar's
`update_rating` saves it), which moves the product's update time in the page's key; the
number of approved reviews and the rating, read with the product on every view, are in
the key as well.
"""

from __future__ import annotations

import hashlib

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.page_cache import CSRF_FIELD, CSRF_SENTINEL, current_version

register = template.Library()
LISTING_SECONDS = 60


class CachedListingNode(template.Node):
    def __init__(self, nodelist, key, part=None) -> None:
        self.nodelist, self.key, self.part = nodelist, key, part

    def render(self, context) -> str:
        key = self.key.resolve(context)
        request = context.get("request")
        if not key or request is None:
            return self.nodelist.render(context)
        if self.part is not None:
            key = f"{key}|{self.part.resolve(context)}"
        digest = hashlib.sha256(str(key).encode()).hexdigest()
        cache_key = f"listing:{current_version()}:{get_language()}:{digest}"
        stored = cache.get(cache_key)
        if stored is None:
            html = self.nodelist.render(context)
            cache.set(cache_key, CSRF_FIELD.sub(rf"\g<1>{CSRF_SENTINEL}\g<2>", html), LISTING_SECONDS)
            return html
        if CSRF_SENTINEL not in stored:
            return mark_safe(stored)
        # The page's own masked token (made once per render by Django's context processor)
        # rather than a freshly masked one per block: the product page has seven blocks.
        token = context.get("csrf_token") or get_token(request)
        return mark_safe(stored.replace(CSRF_SENTINEL, str(token)))


@register.simple_tag(takes_context=True)
def basket_form_key(context, product) -> str:
    """The product page's key for its add-to-basket form, or "" where the form must be built
    afresh: a product with options (the options are not in the page's key), a form coming
    back with the errors of a refused add (Oscar keeps the post in the session for it), or
    a product other than the page's own."""
    key, request = context.get("fragment_key"), context.get("request")
    if not key or request is None or context.get("object") is not product or product.has_options:
        return ""
    if f"add_to_basket_form_post_data_{product.pk}" in request.session:
        return ""
    return f"{key}|basket-form"


@register.simple_tag(takes_context=True)
def reviews_key(context, product) -> str:
    """The product page's key for its reviews block, or "" (render it afresh) for a signed-in
    visitor or a product other than the page's own."""
    key, user = context.get("fragment_key"), context.get("user")
    if not key or user is None or user.is_authenticated or context.get("object") is not product:
        return ""
    return f"{key}|reviews|{product.num_approved_reviews}|{product.rating}"


@register.tag
def cached_listing(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError("cached_listing takes the listing's key and, optionally, a part's name")
    nodelist = parser.parse(("endcached_listing",))
    parser.delete_first_token()
    part = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return CachedListingNode(nodelist, parser.compile_filter(bits[1]), part)
