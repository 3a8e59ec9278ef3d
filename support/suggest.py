"""T2: help-centre articles that may answer what the customer is typing."""

from __future__ import annotations

from django.db.models import Q
from wagtail.models import Locale

from cms.models import HelpArticlePage
from core.text import normalize_persian


def help_articles(query: str, *, request=None, limit: int = 5) -> list[dict]:
    query = normalize_persian((query or "").strip())[:100]
    words = [word for word in query.split() if len(word) >= 2][:6]
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word) | Q(summary__icontains=word)
    pages = HelpArticlePage.objects.live().filter(condition, locale=Locale.get_active())[: limit * 3]
    scored = []
    for page in pages:
        text = normalize_persian(f"{page.title} {page.summary}").lower()
        scored.append((sum(word.lower() in text for word in words), page))
    scored.sort(key=lambda pair: -pair[0])
    return [{"title": page.title, "summary": page.summary, "url": page.get_url(request=request)}
            for _score, page in scored[:limit]]
