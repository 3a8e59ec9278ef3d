"""P4: the counter order: a clerk (or an operator, on the phone) chooses products for the
customer present, how the order reaches them, and places it, paid at the counter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
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


@ability_required(*WHO)
def order_new(request: HttpRequest, user_id: int) -> HttpResponse:
    customer = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    office = services.clerk_office(request.user)
    query = (request.GET.get("q") or "").strip()
    status = 200
    if request.method == "POST":
        chosen = []
        for key, value in request.POST.items():
            if key.startswith("qty_") and key[4:].isdigit() and value.strip().isdigit() and int(value) > 0:
                chosen.append((get_object_or_404(Product, pk=int(key[4:])), int(value)))
        try:
            placed = services.counter_order_place(
                user=request.user, customer=customer, items=chosen, delivery=request.POST.get("delivery", ""),
                address=request.POST.get("address", ""), city=request.POST.get("city", ""))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = 400
        else:
            messages.success(request, _("Order %(number)s placed for the customer.") % {"number": placed.order.number})
            return redirect("offices-dashboard:order", number=placed.order.number)
    return render(request, "offices/order_new.html", {
        "office": office, "customer": customer, "profile": profile_for(customer), "query": query,
        "products": _products(query, customer), "deliveries": CounterOrder.Delivery.choices,
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
    return render(request, "offices/order.html", {"office": office, "placed": placed, "order": placed.order,
                                                  "lines": placed.order.lines.all()})
