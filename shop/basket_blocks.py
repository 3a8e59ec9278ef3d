"""What the basket page's totals, voucher form and delivery promises display, as plain
values read fresh on every request, for `{% cached_rows %}` (issue 16).

After the lines were kept, the rest of the basket's content was most of the page's
template time: Oscar's totals table (discounts, vouchers, shipping, surcharges, order
total), the voucher form through Oscar's field partials and the vendors' delivery
promises, each a few dozen tags and translations to print the same markup again. Each
block is now kept under a key made of every value it prints, computed here from this
request's basket (offers applied, prices and stock read afresh): a changed discount,
shipping charge, total or promised date gives a new key, so nothing stale is shown. The
blocks' CSRF fields are spliced back per request by `{% cached_rows %}`.

Each function returns every value its block's template reads; a value the template reads
that is missing here would be shown stale, so they follow the templates line by line:
oscar/basket/partials/basket_totals.html, oscar/partials/form_fields.html and
checkout/partials/delivery_promises.html.
"""

from __future__ import annotations

from typing import Any

from django import forms

from core.templatetags.form_cache import form_key


def _price(price: Any) -> list[Any]:
    """A Price's printed parts: incl. tax only exists when the tax is known."""
    known = bool(price.is_tax_known)
    return [known, price.excl_tax, price.incl_tax if known else None, price.tax if known else None]


def totals_values(context: dict[str, Any], basket: Any) -> dict[str, Any]:
    """Everything oscar/basket/partials/basket_totals.html prints, for the view's context."""
    method, charge = context["shipping_method"], context["shipping_charge"]
    tax_known = bool(basket.is_tax_known)
    values: dict[str, Any] = {
        "currency": basket.currency,
        "tax_known": tax_known,
        "excl_discounts": [basket.total_excl_tax_excl_discounts,
                           basket.total_incl_tax_excl_discounts if tax_known else None],
        "total": [basket.total_excl_tax, basket.total_incl_tax if tax_known else None,
                  basket.total_tax if tax_known else None],
        "offer_discounts": [[d["name"], d["description"], d["discount"]] for d in basket.offer_discounts],
        "voucher_discounts": [
            [d["voucher"].id, d["voucher"].code, d["voucher"].name,
             d["voucher"].voucher_set.name if d["voucher"].voucher_set_id else None, d["discount"]]
            for d in basket.grouped_voucher_discounts
        ],
        "post_order_actions": [[d["name"], d["description"]] for d in basket.post_order_actions],
        "shipping_methods": len(context["shipping_methods"]),
        "shipping_method": [method.code, method.name, bool(method.is_discounted)],
        "shipping_charge": _price(charge),
        "surcharges": [[s.surcharge.name, *_price(s.price)] for s in context["surcharges"] or ()],
        "order_total": _price(context["order_total"]),
    }
    if method.is_discounted:
        # What the template's shipping_charge_discount / _excl_discount tags print.
        values["shipping_discount"] = [
            method.discount_name, method.discount(basket), *_price(method.calculate_excl_discount(basket)),
        ]
    return values


def voucher_values(form: forms.BaseForm | None) -> dict[str, Any] | None:
    """The voucher block prints fixed text and the form's fields: kept under the form's own
    key (None, so printed afresh, for no form or a bound one)."""
    if form is None:
        return None
    key = form_key(form)
    return {"voucher_form": key} if key else None


def promise_values(promises: list[dict[str, Any]], region: str) -> dict[str, Any] | None:
    """Everything checkout/partials/delivery_promises.html prints for these promises."""
    if not promises:
        return None
    return {
        "region": region,
        "promises": [
            [p["partner"].pk, p["partner"].display_name, p["promised_by"],
             [[line.product.get_title(), line.quantity] for line in p["lines"]]]
            for p in promises
        ],
    }
