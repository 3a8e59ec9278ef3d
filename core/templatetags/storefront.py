"""Header and footer helpers shared by Oscar's and Wagtail's pages."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.core.cache import cache
from django.urls import translate_url
from django.utils.translation import get_language, override

from core.page_cache import current_version
from core.work_areas import areas_for

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
def work_areas(context) -> list[dict[str, str]]:
    """The work areas (core.work_areas) of the signed-in user, for the account menu:
    computed once per request (signed-in pages only, which are never page-cached)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    entries = getattr(request, "_chaarsoo_work_areas", None)
    if entries is None:
        entries = [{"key": area.key, "label": area.label, "url": area.url()} for area in areas_for(user)]
        request._chaarsoo_work_areas = entries
    return entries
