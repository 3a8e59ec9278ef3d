"""Oscar's customer order page with its number kept as written (issue 15 point 5): the
page title is built in the view, so the number is wrapped in the Unicode left-to-right
isolate marks that the Persian digit conversion leaves alone (core.middleware)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from oscar.apps.customer.views import OrderDetailView as OscarOrderDetailView

from core.templatetags.locale_format import ident_text


class OrderDetailView(OscarOrderDetailView):
    def get_page_title(self):
        return f"{_('Order')} {ident_text('#' + self.object.number)}"
