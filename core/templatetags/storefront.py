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
    the language prefix. A Wagtail page's links (two queries and a URL built through its
    site) are kept under the page cache's version, which every publish, unpublish and
    site change retires (issue 16).
    """
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    page = context.get("page")
    if page is not None and hasattr(page, "get_translation_or_none") and page.pk:
        if getattr(request, "is_preview", False):
            return _language_links(request, page, current)[0]
        key = f"other-languages:{current_version()}:{current}:{page.pk}:{request.get_host()}"
        links = cache.get(key)
        if links is None:
            links, all_translated = _language_links(request, page, current)
            if all_translated:  # a link made from this request's own path is not kept
                cache.set(key, links, 600)
        return links
    return _language_links(request, None, current)[0]


def _language_links(request, page, current: str) -> tuple[list[dict[str, str]], bool]:
    """The links, and whether every one leads to a Wagtail translation."""
    links = []
    all_translated = True
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = None
        if page is not None:
            from wagtail.models import Locale

            locale = Locale.objects.filter(language_code=code).first()
            translation = page.get_translation_or_none(locale) if locale else None
            if translation is not None and translation.live:
                with override(code):
                    url = translation.get_url(request)
        if url is None:
            all_translated = False
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url})
    return links, all_translated


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
