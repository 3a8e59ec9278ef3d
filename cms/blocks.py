"""StreamField blocks shared by the home page and landing pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from cms.views import product_chooser_viewset
from core.links import validate_safe_link

# The block class comes from the chooser viewset, so the admin widget and the block agree.
ProductChooserBlock = product_chooser_viewset.get_block_class(
    name="ProductChooserBlock", module_path="cms.blocks"
)


class ProductShelfBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    products = blocks.ListBlock(ProductChooserBlock(label=_("Product")), label=_("Products"))

    def get_context(self, value, parent_context=None):
        from shop.catalogue.selectors import product_list

        context = super().get_context(value, parent_context=parent_context)
        chosen_ids = [product.pk for product in value["products"] if product is not None]
        # By primary key: the listing order would walk the catalogue index (issue 16).
        by_id = {p.pk: p for p in product_list().filter(pk__in=chosen_ids).order_by("pk")}
        context["shelf_products"] = [by_id[pk] for pk in chosen_ids if pk in by_id]
        return context

    class Meta:
        icon = "list-ul"
        label = _("Product shelf")
        template = "cms/blocks/product_shelf.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link_text = blocks.CharBlock(label=_("Link text"), max_length=60)
    link_url = blocks.CharBlock(label=_("Link address"), max_length=255, validators=[validate_safe_link])

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "cms/blocks/call_to_action.html"


class ServiceShelfBlock(blocks.StructBlock):
    """A row of bookable services an editor picks (each links to its booking page)."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    services = blocks.ListBlock(
        SnippetChooserBlock("services_catalog.Service", label=_("Service")), label=_("Services")
    )

    def get_context(self, value, parent_context=None):
        from services_catalog.models import Service

        context = super().get_context(value, parent_context=parent_context)
        chosen_ids = [service.pk for service in value["services"] if service is not None]
        # One query for the shelf (with the category and tiers the card shows), active services only.
        chosen = Service.objects.filter(pk__in=chosen_ids, is_active=True).select_related("category")
        by_id = {service.pk: service for service in chosen.prefetch_related("price_tiers")}
        context["shelf_services"] = [by_id[pk] for pk in chosen_ids if pk in by_id]
        return context

    class Meta:
        icon = "pick"
        label = _("Service shelf")
        template = "cms/blocks/service_shelf.html"


class ContentStreamBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Heading"), form_classname="title", template="cms/blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Paragraph"))
    image = ImageChooserBlock(label=_("Image"), template="cms/blocks/image.html")
    products = ProductShelfBlock()
    call_to_action = CallToActionBlock()
    services = ServiceShelfBlock()
