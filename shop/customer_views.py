"""Oscar's customer order page with its number kept as written (issue 15 point 5): the
page title is built in the view, so the number is wrapped in the Unicode left-to-right
isolate marks that the Persian digit conversion leaves alone (core.middleware). It also
says which parts the customer may still cancel (P5, vendors.services)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from oscar.apps.customer.views import OrderDetailView as OscarOrderDetailView

from core.templatetags.locale_format import ident_text
from shop import order_status
from vendors.services import cancellable_shipments


class OrderDetailView(OscarOrderDetailView):
    def get_page_title(self):
        return f"{_('Order')} {ident_text('#' + self.object.number)}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.object
        cancellable = cancellable_shipments(order)
        context["cancellable_ids"] = {shipment.pk for shipment in cancellable}
        # One part alone is cancelled with its own button; an unpaid order only as a whole.
        context["can_cancel_order"] = bool(cancellable) and (
            len(cancellable) > 1 or order.status == order_status.PENDING_PAYMENT)
        return context
