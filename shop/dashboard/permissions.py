"""Who may open Oscar's shop dashboard (catalogue, orders, offers, vouchers, pages, users,
reports...). Oscar asks only `is_staff`; we ask the named ability too, so a user with the
flag but no shop role (set by hand in the admin, or left over from before roles were
named) is refused, and so is every role whose work is elsewhere (finance, support, CMS)."""

from oscar.apps.dashboard.permissions import DashboardPermission as OscarDashboardPermission

from core.permissions import Ability, permission_name


class DashboardPermission(OscarDashboardPermission):
    # One list: every entry must hold (Oscar's check_permissions).
    staff = ["is_staff", permission_name(Ability.MANAGE_SHOP)]
