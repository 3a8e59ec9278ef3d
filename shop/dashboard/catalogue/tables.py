"""Oscar's catalogue tables, with the selection checkbox column not sortable: sorting by
it (`?sort=checkbox`, a link Oscar itself renders) ordered the queryset by a field that
does not exist, a server error); UPCs marked as identifiers."""

from django.utils.translation import gettext_lazy as _
from django_tables2 import TemplateColumn
from oscar.apps.dashboard.catalogue import tables

from core.templatetags.locale_format import ident, status_name


class ProductTable(tables.ProductTable):
    checkbox = TemplateColumn(
        verbose_name="", template_name="oscar/dashboard/catalogue/product_row_checkbox.html", orderable=False
    )

    def render_upc(self, value):
        return ident(value)  # a code keeps its characters on Persian pages

    def render_product_class(self, value):
        return status_name(value.name)  # stored in English ("Goods"), shown through the catalogue


class CategoryTable(tables.CategoryTable):
    checkbox = TemplateColumn(
        verbose_name="", template_name="oscar/dashboard/catalogue/category_row_checkbox.html", orderable=False
    )
    actions = TemplateColumn(
        template_name="oscar/dashboard/catalogue/category_row_actions.html", orderable=False,
        verbose_name=_("Actions"),
    )
