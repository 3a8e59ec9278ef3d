"""P4: the counter basket and checkout: a clerk (or an operator, on the phone) fills a
basket for the customer (add, change, remove lines; vouchers; offers shown), chooses how
the order reaches them and how they pay, and places it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_class, get_model

from core.errors import DomainError
from core.permissions import Ability, ability_required
from customers.services import profile_for
from offices import services
from offices.models import CounterOrder

Product = get_model("catalogue", "Product")
Selector = get_class("partner.strategy", "Selector")
WHO = (Ability.FILE_OFFICE_ERRANDS, Ability.FILE_FOR_CALLER)
RESULTS = 15


def _products(query: str, customer) -> list:
    products = Product.objects.browsable().filter(is_public=True).select_related("product_class")
    if query:
        products = products.filter(Q(title__icontains=query) | Q(upc__iexact=query))
    strategy = Selector().strategy(user=customer)
    found = []
    for product in products.order_by("title")[: RESULTS * 2]:
        info = strategy.fetch_for_product(product)
        if info.availability.is_available_to_buy and info.price.exists:
            product.counter_price = info.price
            found.append(product)
        if len(found) >= RESULTS:
            break
    return found


def _int(value, default: int = 0) -> int:
    value = (value or "").strip()
    return int(value) if value.isdigit() else default


def _act(request: HttpRequest, customer) -> HttpResponse | None:
    """One basket or checkout action from the page's forms; the answer is a redirect,
    or None when the page is shown again with the error."""
    action = request.POST.get("action", "")
    user, post = request.user, request.POST
    if action == "add":
        product = get_object_or_404(Product, pk=_int(post.get("product")))
        services.counter_basket_add(user=user, customer=customer, product=product,
                                    quantity=_int(post.get("quantity"), 1))
        messages.success(request, _("“%(product)s” added to the basket.") % {"product": product.get_title()})
    elif action == "quantity":
        services.counter_basket_set_quantity(user=user, customer=customer, line_id=_int(post.get("line")),
                                             quantity=_int(post.get("quantity")))
    elif action == "remove":
        services.counter_basket_set_quantity(user=user, customer=customer, line_id=_int(post.get("line")),
                                             quantity=0)
    elif action == "voucher":
        services.counter_basket_voucher_add(user=user, customer=customer, code=post.get("code", ""))
        messages.success(request, _("Voucher applied."))
    elif action == "voucher-remove":
        services.counter_basket_voucher_remove(user=user, customer=customer, voucher_id=_int(post.get("voucher")))
    elif action == "address":
        address = services.counter_address_add(
            user=user, customer=customer, line1=post.get("line1", ""), city=post.get("city", ""),
            province=post.get("province", ""), postcode=post.get("postcode", ""), phone=post.get("phone", ""))
        messages.success(request, _("Address added to the customer's address book."))
        return redirect(f"{reverse('offices-dashboard:order-new', args=[customer.pk])}?address={address.pk}")
    elif action == "checkout":
        # One choice on the page: "pickup", or the id of one of the customer's addresses.
        target = post.get("target", "")
        delivery = (CounterOrder.Delivery.PICKUP if target == CounterOrder.Delivery.PICKUP
                    else CounterOrder.Delivery.ADDRESS if target.isdigit() else "")
        placed = services.counter_checkout(
            user=user, customer=customer, delivery=delivery, payment=post.get("payment", ""),
            address_id=_int(target) or None, reference=post.get("reference", ""))
        messages.success(request, _("Order %(number)s placed for the customer.") % {"number": placed.order.number})
        return redirect("offices-dashboard:order", number=placed.order.number)
    else:
        raise Http404
    url = reverse("offices-dashboard:order-new", args=[customer.pk])
    query = (post.get("q") or "").strip()
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)  # the search stays on screen


@ability_required(*WHO)
def order_new(request: HttpRequest, user_id: int) -> HttpResponse:
    customer = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    office = services.clerk_office(request.user)
    query = (request.GET.get("q") or "").strip()
    status = 200
    if request.method == "POST":
        try:
            answer = _act(request, customer)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = 400
        else:
            if answer is not None:
                return answer
    basket = services.counter_basket(user=request.user, customer=customer)
    ways = services.payment_ways(request.user)
    return render(request, "offices/order_new.html", {
        "office": office, "customer": customer, "profile": profile_for(customer), "query": query,
        "products": _products(query, customer) if query or basket.is_empty else [], "basket": basket,
        "lines": basket.all_lines(), "addresses": services.customer_addresses(customer),
        "chosen_address": _int(request.GET.get("address")) or None,
        "deliveries": [(value, label) for value, label in CounterOrder.Delivery.choices
                       if value == CounterOrder.Delivery.ADDRESS or office is not None],
        "payments": [(value, CounterOrder.Payment(value).label) for value in ways],
    }, status=status)


@ability_required(*WHO)
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    placed = get_object_or_404(CounterOrder.objects.select_related("order", "office", "placed_by"),
                               order__number=number)
    office = services.clerk_office(request.user)
    if office is not None and placed.office_id != office.pk:
        raise Http404
    if office is None and not request.user.has_perm(f"core.{Ability.FILE_FOR_CALLER.value}"):
        raise Http404
    order = placed.order
    return render(request, "offices/order.html", {
        "office": office, "placed": placed, "order": order, "lines": order.lines.all(),
        "discounts": order.discounts.all(), "counter_payments": order.counter_payments.all(),
        "refunds_owed": order.counter_refunds_owed.select_related("refund", "payment"),
    })
