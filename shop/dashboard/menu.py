"""The dashboard menu, with each user's visible entries remembered for a minute (issue 16).

Oscar decides, on every dashboard page, which of the ~60 menu entries the user may see by
resolving each entry's URL and checking its view's permissions: a quarter of a provider's
calendar page, and as much on every seller, provider and staff page. Which entries a user
sees changes only when their roles do, so the decision (the positions of the visible
entries) is kept in the cache for `MENU_SECONDS` per user; the menu itself is built as
Oscar builds it. A role change shows in the menu within that time; the pages themselves
check permissions on every request whatever the menu shows.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from oscar.apps.dashboard.menu import create_menu

MENU_SECONDS = 60


def _visible_shape(nodes, user) -> list[tuple[int, list[int]]]:
    """Oscar's rule (menu.get_nodes and nav.Node.filter) as positions: a visible entry with
    its visible children; a heading only when one of its children is visible."""
    shape = []
    for index, node in enumerate(nodes):
        if not node.is_visible(user):
            continue
        children = [position for position, child in enumerate(node.children) if child.is_visible(user)]
        if children or not node.is_heading:
            shape.append((index, children))
    return shape


def get_nodes(user):
    nodes = create_menu(settings.OSCAR_DASHBOARD_NAVIGATION)
    key = f"dashboard-menu:{user.pk}:{len(nodes)}" if user.is_authenticated else None
    shape = cache.get(key) if key else None
    if shape is None:
        shape = _visible_shape(nodes, user)
        if key:
            cache.set(key, shape, MENU_SECONDS)
    visible = []
    for index, children in shape:
        node = nodes[index]
        node.children = [node.children[position] for position in children]
        visible.append(node)
    return visible
