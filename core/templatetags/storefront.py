"""Header and footer helpers shared by Oscar's and Wagtail's pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language, override

from core.page_cache import current_version

register = template.Library()


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict[str, str]]:
    """Links to this same page in every other language.

    A Wagtail page links to its translation; any other page keeps its path and swaps
    the language prefix.
    """
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    page = context.get("page")
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = None
        if page is not None and hasattr(page, "get_translation_or_none"):
            from wagtail.models import Locale

            locale = Locale.objects.filter(language_code=code).first()
            translation = page.get_translation_or_none(locale) if locale else None
            if translation is not None and translation.live:
                with override(code):
                    url = translation.get_url(request)
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url})
    return links


@register.simple_tag
def menu_categories() -> list[dict[str, str]]:
    """Top-level public categories for the header menu, cached with the page cache."""
    from oscar.core.loading import get_model

    language = get_language()
    key = f"menu-categories:{current_version()}:{language}"
    entries = cache.get(key)
    if entries is None:
        Category = get_model("catalogue", "Category")
        entries = [
            {"name": category.get_name(), "url": category.get_absolute_url()}
            for category in Category.get_root_nodes().filter(is_public=True)
        ]
        cache.set(key, entries, 600)
    return entries


@register.simple_tag(takes_context=True)
def account_roles(context) -> dict[str, bool]:
    """Which work areas the signed-in user has beside their customer account: a vendor's
    seller dashboard, a provider's job dashboard, the staff dashboard. Computed once per
    request (two small queries, signed-in pages only, which are never page-cached)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = getattr(request, "_chaarsoo_account_roles", None)
    if roles is None:
        from services_catalog.models import Provider

        roles = {
            "vendor": user.partners.exists(),
            "provider": Provider.objects.filter(user=user).exists(),
            "staff": user.is_staff,
        }
        request._chaarsoo_account_roles = roles
    return roles
