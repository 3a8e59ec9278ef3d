from __future__ import annotations

from django import template
from django.core.cache import cache

from support.selectors import HOURS_CACHE_KEY, office_hours

register = template.Library()


@register.inclusion_tag("support/partials/chat_widget.html", takes_context=True)
def support_chat_button(context) -> dict:
    """The chat button on every storefront page, with the staffed hours (A4)."""
    hours = cache.get(HOURS_CACHE_KEY)
    if hours is None:
        hours = office_hours()
        cache.set(HOURS_CACHE_KEY, hours, 60)
    request = context.get("request")
    return {"hours": hours, "request": request, "user": getattr(request, "user", None),
            "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("support/partials/hours_block.html")
def support_hours() -> dict:
    """A4: the staffed hours and phone line, for the help centre and contact pages (CMS)."""
    hours = cache.get(HOURS_CACHE_KEY)
    if hours is None:
        hours = office_hours()
        cache.set(HOURS_CACHE_KEY, hours, 60)
    return {"hours": hours}
