"""The basket page's lines as plain values, read fresh on every request, for
`{% cached_rows %}` (issue 16).

Printing the basket's lines through Oscar's template (its loop, purchase info, thumbnail,
widget and currency tags) was about half of the basket page's CPU. Here each line's values
are read as Oscar's template reads them (the strategy's purchase info, the line's prices
after this request's offers, the formset's own inputs rendered as strings) and
templates/oscar/basket/partials/basket_content.html prints them from the cache under a key
made of these values: a changed price, stock level, quantity, offer or title gives a new
key, so nothing stale is shown. The CSRF token and the management form stay outside the
kept block. Only an unbound formset is shown this way: a formset coming back with errors
is printed by Oscar's template, errors and all.
"""

from __future__ import annotations

import logging
from typing import Any

from django.forms import BaseFormSet, BoundField
from django.http import HttpRequest
from oscar.core.thumbnails import get_thumbnailer
from widget_tweaks.templatetags.widget_tweaks import append_attr

logger = logging.getLogger("oscar.thumbnail")

# What the line's template reads from the line itself, by the same names.
LINE_FIELDS = (
    "description", "is_tax_known", "price_currency", "unit_price_incl_tax", "unit_price_excl_tax",
    "line_price_incl_tax", "line_price_excl_tax",
)


def _thumbnail_url(product) -> str:
    """`{% oscar_thumbnail image.original "100x100" upscale=False as thumb %}{{ thumb.url }}`:
    the tag logs a failure and prints nothing."""
    image = product.primary_image()
    source = image["original"] if isinstance(image, dict) else image.original
    try:
        return get_thumbnailer().generate_thumbnail(source, size="100x100", upscale=False).url
    except Exception as error:  # as the tag: a missing image file must not break the basket
        logger.exception(error)
        return ""


def _quantity_input(field: BoundField) -> str:
    """`{% render_field form.quantity class+="form-control" %}`."""
    return str(append_attr(field, "class:form-control"))


def line_rows(formset: BaseFormSet, request: HttpRequest) -> list[dict[str, Any]] | None:
    """One dict per form of an unbound basket formset (None for a bound one: its errors are
    Oscar's template's to print)."""
    if formset.is_bound:
        return None
    signed_in = bool(request.user.is_authenticated)
    rows = []
    for form in formset:
        line, product = form.instance, form.instance.product
        availability = request.strategy.fetch_for_line(line).availability
        message = availability.message
        row = {name: getattr(line, name) for name in LINE_FIELDS}
        row.update(
            id_input=str(form["id"]),
            quantity_input=_quantity_input(form["quantity"]),
            save_input=str(form["save_for_later"]),
            delete_input=str(form["DELETE"]),
            url=product.get_absolute_url(),
            title=product.get_title(),
            thumbnail=_thumbnail_url(product),
            availability_code=availability.code,
            availability_message=message if isinstance(message, str) else str(message),
            signed_in=signed_in,
        )
        rows.append(row)
    return rows
