"""Editors publish (issue 15 point 3).

Wagtail's migrations give its "Editors" group add and change on the page tree but not
publish, so our content editor (core.permissions: the editor role is that group) could
only submit pages to moderators the demo does not have. Editors publish directly; the
grant is made after every migrate, like the roles themselves.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

EDITORS_GROUP = "Editors"
PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def grant_editors_publish(**kwargs) -> None:
    from wagtail.models import GroupPagePermission, Page

    group = Group.objects.filter(name=EDITORS_GROUP).first()
    root = Page.get_first_root_node()
    if group is None or root is None:
        return
    for permission in Permission.objects.filter(content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS):
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)
