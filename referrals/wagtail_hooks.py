"""Editors curate the gift catalogue in the CMS too (/cms/ > Gifts), Persian and English
side by side; staff with manage_referrals edit the same rows in the dashboard."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from referrals.models import Gift


class GiftViewSet(SnippetViewSet):
    model = Gift
    icon = "tag"
    menu_label = _("Gifts")
    add_to_admin_menu = True
    list_display = ["title_fa", "title_en", "points_price", "stock", "is_active"]
    panels = [
        FieldRowPanel([FieldPanel("title_fa"), FieldPanel("title_en")]),
        FieldRowPanel([FieldPanel("description_fa"), FieldPanel("description_en")]),
        FieldPanel("image"),
        FieldRowPanel([FieldPanel("points_price"), FieldPanel("stock"), FieldPanel("is_active")]),
    ]


register_snippet(GiftViewSet)
