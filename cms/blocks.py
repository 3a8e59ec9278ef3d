"""StreamField blocks shared by the home page and landing pages.

Each block also says what it answers in the page API (`get_api_representation`): shelves
resolve their products and services in the same call, images give a sized rendition's
absolute URL, links are absolute on SITE_URL (cms.api_representations)."""

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

    def get_api_representation(self, value, context=None):
        # Imported here, as in get_context: the representation reaches Oscar's catalogue,
        # whose models load after this module (cms.models imports it while models load).
        from cms.api_representations import product_summaries

        chosen_ids = [product.pk for product in value["products"] if product is not None]
        return {"heading": value["heading"],
                "products": product_summaries(chosen_ids, (context or {}).get("request"))}

    class Meta:
        icon = "list-ul"
        label = _("Product shelf")
        template = "cms/blocks/product_shelf.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    link_text = blocks.CharBlock(label=_("Link text"), max_length=60)
    link_url = blocks.CharBlock(label=_("Link address"), max_length=255, validators=[validate_safe_link])

    def get_api_representation(self, value, context=None):
        from cms.api_representations import absolute  # see ProductShelfBlock.get_api_representation

        representation = super().get_api_representation(value, context=context)
        link = value["link_url"]
        # A path on our site becomes absolute; another site's address or tel: stays as written.
        representation["link_url"] = absolute(link) if link.startswith("/") else link
        return representation

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

    def get_api_representation(self, value, context=None):
        from cms.api_representations import service_summaries  # see ProductShelfBlock.get_api_representation

        chosen_ids = [service.pk for service in value["services"] if service is not None]
        return {"heading": value["heading"],
                "services": service_summaries(chosen_ids, (context or {}).get("request"))}

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

    def get_api_representation(self, value, context=None):
        """Wagtail's, except an image is its rendition (URL, size) rather than a bare id."""
        from cms.api_representations import image_data  # see ProductShelfBlock.get_api_representation

        return [
            {
                "type": child.block.name,
                "value": image_data(child.value) if isinstance(child.block, ImageChooserBlock)
                else child.block.get_api_representation(child.value, context=context),
                "id": child.id,
            }
            for child in (value or [])
        ]
