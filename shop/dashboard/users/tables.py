"""Oscar's customer table in the reader's language (issue 15 points 6, 7): the sign-up
date through our `date` filter (Jalali on Persian pages) and yes/no marks, not the
Gregorian date and Python's True/False."""

from django.utils.translation import gettext_lazy as _
from django_tables2 import BooleanColumn, Column
from oscar.apps.dashboard.users import tables

from core.templatetags.locale_format import date as local_date


class UserTable(tables.UserTable):
    name = Column(accessor="get_full_name", order_by=("last_name", "first_name"), verbose_name=_("Name"))
    active = BooleanColumn(accessor="is_active", verbose_name=_("Active"))
    staff = BooleanColumn(accessor="is_staff", verbose_name=_("Staff"))
    date_registered = Column(accessor="date_joined", verbose_name=_("Date registered"))

    def render_date_registered(self, value):
        return local_date(value, "SHORT_DATETIME_FORMAT")
