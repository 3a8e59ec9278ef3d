"""`{% load safe_links %}{{ url|safe_link }}`: a stored link is rendered only when its
scheme is http(s), mailto or tel, or it is relative (core.links)."""

from django import template

from core.links import safe_link as _safe_link

register = template.Library()
register.filter("safe_link", _safe_link)
