"""The dashboard menu as plain values, the key its rendering is kept under (issue 16).

Oscar's top bar prints each visible menu entry (label, icon, link, its children) from
menu nodes, resolving every link with `reverse()`: about a millisecond of each seller,
provider and staff page. Which entries a user sees is decided on every page
(shop.dashboard.menu.get_nodes); `menu_values` turns that decision into values, and the
layout prints the bar inside `{% cached_rows %}` (templates/oscar/dashboard/layout.html),
so the same entries in the same language are rendered once. A link is named by its URL
name and arguments: with the language (in the key) and the URLconf, they are the link.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import get_urlconf

register = template.Library()


def _node_values(node: Any) -> dict[str, Any]:
    return {
        "label": str(node.label), "icon": node.icon, "url_name": node.url_name,
        "url_args": node.url_args, "url_kwargs": node.url_kwargs,
        "children": [_node_values(child) for child in node.children],
    }


@register.filter
def menu_values(nodes: list[Any]) -> list[dict[str, Any]]:
    """What the menu bar prints of `nodes` (Oscar's dashboard Nodes), with the URLconf
    their links are resolved in."""
    if not nodes:
        return []
    return [{"urlconf": str(get_urlconf() or "")}, *(_node_values(node) for node in nodes)]
