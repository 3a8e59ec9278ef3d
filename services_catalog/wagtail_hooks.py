"""Editors manage the service catalogue in Wagtail (/cms/ > Services, issue 5 point 1).

One menu group holds services (with their volume prices and required documents inline),
categories, areas and providers. Persian and English fields sit side by side, so an
editor writes both languages on one screen.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from services_catalog.models import Area, Provider, Service, ServiceCategory


def _pair(persian: str, english: str) -> FieldRowPanel:
    return FieldRowPanel([FieldPanel(persian), FieldPanel(english)])


class ServiceAdminForm(WagtailAdminModelForm):
    """Rules an editor can break in one form, said next to the field (S1, S5)."""

    def clean(self):
        cleaned = super().clean()
        rule = cleaned.get("payment_rule")
        percent = cleaned.get("deposit_percent")
        if rule == Service.PaymentRule.DEPOSIT and not (percent and 1 <= percent <= 99):
            self.add_error("deposit_percent", forms.ValidationError(_("A deposit needs a percentage from 1 to 99.")))
        if rule and rule != Service.PaymentRule.DEPOSIT and percent is not None:
            self.add_error("deposit_percent", forms.ValidationError(
                _("Leave the deposit empty unless the service is paid with a deposit first.")
            ))
        lead = cleaned.get("min_lead_days")
        if lead is not None and not 1 <= lead <= 3:
            self.add_error("min_lead_days", forms.ValidationError(_("The lead time is one to three days.")))
        return cleaned


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "cogs"
    menu_label = _("Services")
    menu_order = 100
    list_display = ["name", "name_en", "category", "pricing_model", "payment_rule", "min_lead_days", "is_active"]
    list_filter = ["category", "pricing_model", "payment_rule", "is_active"]
    search_fields = ["name", "name_en", "slug"]
    ordering = ["category__ordering", "name"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    _pair("name", "name_en"),
                    FieldPanel("slug"),
                    _pair("summary", "summary_en"),
                    FieldPanel("category"),
                    FieldPanel("is_active"),
                ],
                heading=_("Service"),
            ),
            ObjectList(
                [
                    MultiFieldPanel(
                        [
                            FieldPanel("pricing_model"),
                            FieldPanel("base_price"),
                            _pair("unit_name", "unit_name_en"),
                        ],
                        heading=_("Pricing"),
                    ),
                    InlinePanel("price_tiers", heading=_("Volume prices"), label=_("Volume price")),
                    MultiFieldPanel(
                        [FieldPanel("payment_rule"), FieldPanel("deposit_percent")],
                        heading=_("When it is paid"),
                    ),
                    MultiFieldPanel(
                        [FieldPanel("handling_fee"), FieldPanel("callout_fee")],
                        heading=_("Cancellation fees"),
                    ),
                ],
                heading=_("Price and payment"),
            ),
            ObjectList(
                [
                    FieldPanel("min_lead_days"),
                    FieldPanel("areas"),
                    MultiFieldPanel(
                        [FieldPanel("for_one_off"), FieldPanel("for_registered"), FieldPanel("for_loyal")],
                        heading=_("Who may book it"),
                    ),
                    InlinePanel(
                        "required_documents", heading=_("Documents the customer provides"), label=_("Document")
                    ),
                ],
                heading=_("Booking rules"),
            ),
        ],
        base_form_class=ServiceAdminForm,
    )


class ServiceCategoryViewSet(SnippetViewSet):
    model = ServiceCategory
    icon = "folder-open-inverse"
    menu_label = _("Service categories")
    list_display = ["name", "name_en", "kind", "ordering"]
    search_fields = ["name", "name_en", "slug"]
    panels = [_pair("name", "name_en"), FieldPanel("slug"), FieldPanel("kind"), FieldPanel("ordering")]


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    menu_label = _("Areas")
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]
    panels = [_pair("name", "name_en"), FieldPanel("slug")]


class ProviderViewSet(SnippetViewSet):
    model = Provider
    icon = "user"
    menu_label = _("Providers")
    list_display = ["display_name", "status", "rating_average", "rating_count", "commission_rate"]
    list_filter = ["status", "areas"]
    search_fields = ["display_name", "phone"]
    panels = [
        FieldPanel("user"),
        FieldPanel("display_name"),
        FieldPanel("phone"),
        FieldPanel("areas"),
        FieldPanel("services"),
        FieldPanel("commission_rate"),
        # Suspension goes through the staff dashboard (it is a sanction with a reason);
        # the status here is for display and for lifting a suspension by hand.
        FieldPanel("status"),
    ]


class ServicesGroup(SnippetViewSetGroup):
    items = (ServiceViewSet, ServiceCategoryViewSet, AreaViewSet, ProviderViewSet)
    menu_icon = "cogs"
    menu_label = _("Services")
    menu_name = "services"
    menu_order = 250


register_snippet(ServicesGroup)
