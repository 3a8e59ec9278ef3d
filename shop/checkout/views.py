"""Checkout fork: the payment step offers the configured methods (pay-on-delivery now),
the installation add-on (P1) and each vendor's delivery promise (P2); placing the order
goes through vendors.services.order_place, which locks the basket's stock, places one
Oscar order for every vendor in the basket and splits it into per-vendor shipments.

Address and shipping steps are Oscar's own.
"""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.apps.payment.models import Source, SourceType

from shop import order_status
from shop.checkout.applicator import chosen_installation_line_ids, store_installation_line_ids
from shop.checkout.forms import InstallationForm, PaymentMethodForm
from shop.checkout.payment_methods import CARD, PAY_ON_DELIVERY, REGISTRY, is_offered
from vendors import services as vendor_services
from vendors.errors import VendorError

PAYMENT_NAMESPACE = "payment"


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def get_skip_conditions(self, request):
        # Payment is always chosen explicitly, even for a zero total.
        return []

    def chosen_method_code(self) -> str | None:
        return self.checkout_session._get(PAYMENT_NAMESPACE, "method")

    def chosen_installation_line_ids(self) -> set[int]:
        # The site keeps the choice in the checkout session; the API (shop.api) keeps it
        # with the basket lines and overrides this.
        return chosen_installation_line_ids(self.request)

    def check_payment_data_is_captured(self, request) -> None:
        code = self.chosen_method_code()
        if code not in REGISTRY or not is_offered(code):
            raise FailedPreCondition(
                url=reverse("checkout:payment-details"),
                message=_("Choose how you would like to pay."),
            )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.chosen_method_code()
        ctx.setdefault(
            "payment_method_form", PaymentMethodForm(initial={"method": code} if code else None)
        )
        ctx["chosen_payment_method"] = REGISTRY.get(code) if code else None
        options = vendor_services.basket_installation_options(basket=self.request.basket)
        chosen = chosen_installation_line_ids(self.request)
        ctx["installation_options"] = options
        ctx["chosen_installation"] = [o for o in options if o["line"].pk in chosen]
        ctx.setdefault(
            "installation_form",
            InstallationForm(options=options, initial={"installation": [str(pk) for pk in chosen]}),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        # The method is chosen on the payment-details page itself; the preview page only
        # places the order (Oscar's default posts card details to the preview instead).
        if not self.preview:
            return self.handle_payment_details_submission(request)
        return super().post(request, *args, **kwargs)

    def handle_payment_details_submission(self, request):
        form = PaymentMethodForm(request.POST)
        installation_form = InstallationForm(
            request.POST, options=vendor_services.basket_installation_options(basket=request.basket)
        )
        if not (form.is_valid() and installation_form.is_valid()):
            return self.render_payment_details(
                request, payment_method_form=form, installation_form=installation_form
            )
        self.checkout_session._set(PAYMENT_NAMESPACE, "method", form.cleaned_data["method"])
        store_installation_line_ids(request, installation_form.chosen_line_ids())
        return redirect("checkout:preview")

    def place_order(
        self,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        order_total,
        billing_address=None,
        surcharges=None,
        **kwargs,
    ):
        """Oscar's place_order, with the order itself placed by vendors.services.order_place
        (stock locked and checked, one order split per vendor) in the same transaction as
        the addresses and payment records, so a refusal leaves nothing behind."""
        with transaction.atomic():
            shipping_address = self.create_shipping_address(user, shipping_address)
            billing_address = self.create_billing_address(user, billing_address, shipping_address, **kwargs)
            status = kwargs.pop("status") if "status" in kwargs else self.get_initial_order_status(basket)
            request = kwargs.pop("request") if "request" in kwargs else self.request
            try:
                order = vendor_services.order_place(
                    basket=basket,
                    user=user,
                    shipping_address=shipping_address,
                    shipping_method=shipping_method,
                    shipping_charge=shipping_charge,
                    order_total=order_total,
                    billing_address=billing_address,
                    surcharges=surcharges,
                    order_number=order_number,
                    status=status,
                    request=request,
                    installation_basket_line_ids=self.chosen_installation_line_ids(),
                    **kwargs,
                )
            except VendorError as exc:
                # Oscar's submit() shows this message on the preview page and restores the basket.
                raise UnableToPlaceOrder(str(exc.message)) from exc
            self.save_payment_details(order)
        return order

    def send_order_placed_email(self, order) -> None:
        # The customer's confirmation (email and SMS) and each vendor's new-order message
        # are sent by vendors.services through the notifications app, once.
        return None

    def handle_payment(self, order_number, total, **kwargs) -> None:
        code = self.chosen_method_code()
        if code == PAY_ON_DELIVERY.code:
            # Nothing is charged now: the amount is owed on delivery and recorded as such.
            # Stored in English; pages show them through the catalogue (core/template_loaders.py).
            source_type, _created = SourceType.objects.get_or_create(
                code=PAY_ON_DELIVERY.code, defaults={"name": gettext_noop("Pay on delivery")}
            )
            self.add_payment_source(
                Source(
                    source_type=source_type,
                    currency=total.currency,
                    amount_allocated=total.incl_tax,
                    reference=order_number,
                )
            )
            self.add_payment_event(gettext_noop("Payment due on delivery"), total.incl_tax)
            return
        if code == CARD.code and is_offered(code):
            # The order is placed waiting for payment; the card is charged on the next
            # page, and only Stripe's confirmation marks the order paid (payments/).
            self._pays_by_card = True
            return
        raise UnableToTakePayment(_("That payment method is not offered. Choose another one."))

    def get_initial_order_status(self, basket):
        if getattr(self, "_pays_by_card", False):
            return order_status.PENDING_PAYMENT
        return super().get_initial_order_status(basket)

    def handle_successful_order(self, order):
        response = super().handle_successful_order(order)
        if getattr(self, "_pays_by_card", False):
            return redirect("payments:order-pay", number=order.number)
        return response
