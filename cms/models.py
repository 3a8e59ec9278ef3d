"""Wagtail pages of the storefront: home, category landing pages, help centre, terms,
and the editorial pages of quotable services (one ServicePage per service, issue 5).

Every page type exists in Persian and English through Wagtail's localisation (one page
tree per locale, linked as translations), so editors manage both languages at /cms/.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.api_fields import CategorySummaryField, ServiceSummaryField
from cms.blocks import ContentStreamBlock
from core.links import validate_safe_link


class HomePage(Page):
    hero_title = models.CharField(_("Hero title"), max_length=120)
    hero_text = models.TextField(_("Hero text"), blank=True)
    hero_link_text = models.CharField(_("Hero button text"), max_length=60, blank=True)
    hero_link_url = models.CharField(_("Hero button address"), max_length=255, blank=True,
                                     validators=[validate_safe_link])
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("hero_link_text"),
        FieldPanel("hero_link_url"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text")]
    api_fields = [APIField("hero_title"), APIField("hero_text"), APIField("hero_link_text"),
                  APIField("hero_link_url"), APIField("body")]
    subpage_types = ["cms.LandingPage", "cms.HelpIndexPage", "cms.TermsPage", "cms.ServiceIndexPage",
                     "cms.ContactPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Home page")
        verbose_name_plural = _("Home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The body (product and service shelves) is rendered once per catalogue version
        # (shop listing_cache, issue 16); a preview shows unsaved content: never cached.
        preview = getattr(request, "is_preview", False)
        context["body_cache_key"] = "" if preview else f"home:{self.pk}:{self.live_revision_id}"
        return context


class LandingPage(Page):
    """A category landing page: editorial text with shelves of hand-picked products."""

    intro = models.TextField(_("Introduction"), blank=True)
    category = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("Catalogue category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Links the page to this category's full product list."),
    )
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("category"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("category", serializer=CategorySummaryField()), APIField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Landing page")
        verbose_name_plural = _("Landing pages")


class HelpIndexPage(Page):
    intro = RichTextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.HelpArticlePage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            HelpArticlePage.objects.child_of(self).live().public().order_by("path")
        )
        return context

    class Meta:
        verbose_name = _("Help centre")
        verbose_name_plural = _("Help centres")


class HelpArticlePage(Page):
    summary = models.CharField(_("Summary"), max_length=255)
    body = RichTextField(_("Body"))

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    api_fields = [APIField("summary"), APIField("body")]
    parent_page_types = ["cms.HelpIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Help article")
        verbose_name_plural = _("Help articles")


class TermsPage(Page):
    body = RichTextField(_("Body"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
    api_fields = [APIField("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Terms page")
        verbose_name_plural = _("Terms pages")


class ContactPage(Page):
    """How to reach us (A4): the template shows the staffed hours and phone line from
    the one support calendar (support's `support_hours` tag)."""

    intro = RichTextField(_("Introduction"), blank=True)
    phone = models.CharField(_("Phone number"), max_length=30, blank=True)
    email = models.EmailField(_("Email address"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("phone"), FieldPanel("email")]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("phone"), APIField("email")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("Contact page")
        verbose_name_plural = _("Contact pages")


class ServiceIndexPage(Page):
    """The editorial guides to our services. Booking itself lives at /<lang>/services/,
    so this page takes another slug ("service-guides") and links there."""

    intro = RichTextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    api_fields = [APIField("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ServicePage"]
    max_count_per_parent = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["service_pages"] = (
            ServicePage.objects.child_of(self).live().public().select_related("service").order_by("path")
        )
        return context

    class Meta:
        verbose_name = _("Service guides")
        verbose_name_plural = _("Service guide indexes")


class ServicePage(Page):
    """Rich content about one bookable service: what is included, how it works, photos.

    The price, lead time, payment rule and areas come from the linked Service (edited
    under Snippets > Services), so the page never contradicts what the booking form
    charges."""

    service = models.ForeignKey(
        "services_catalog.Service",
        verbose_name=_("Service"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pages",
        help_text=_("The bookable service this page describes; its price and rules are shown beside the text."),
    )
    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("Body"))

    content_panels = Page.content_panels + [
        FieldPanel("service"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("service", serializer=ServiceSummaryField()), APIField("intro"), APIField("body")]
    parent_page_types = ["cms.ServiceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Service page")
        verbose_name_plural = _("Service pages")
