"""The share panel on the customer's profile page (customers/profile.html includes it)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def referral_share_context(context) -> dict:
    from customers.services import profile_for
    from referrals.views import share_link

    request = context["request"]
    code = profile_for(request.user).subscription_code
    return {"code": code, "link": share_link(request, code)}


@register.filter
def signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)
