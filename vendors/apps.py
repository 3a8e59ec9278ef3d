from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Vendors")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Warranty-claim photos are private files (core.private_files).
        from vendors import private_files

        private_files.register()

        # Oscar sends order_status_changed (we don't own the sender): a card order that
        # becomes paid tells its vendors, a cancelled order closes its open shipments.
        from oscar.apps.order.signals import order_status_changed

        from vendors.services import on_order_status_changed

        order_status_changed.connect(on_order_status_changed, dispatch_uid="vendors-order-status-changed")

        from core.work_areas import WorkArea, register

        register(WorkArea("seller", _("Seller dashboard"), "vendors-dashboard:home",
                          exists=lambda user: user.partners.all(), order=10))
