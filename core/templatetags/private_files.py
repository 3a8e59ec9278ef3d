"""`{% private_url obj "field" %}`: the checked link to a private file (core/private_files.py)."""

from django import template

from core.private_files import private_file_url

register = template.Library()


@register.simple_tag
def private_url(instance, field_name: str) -> str:
    return private_file_url(instance, field_name) if instance is not None else ""
