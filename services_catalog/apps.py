from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesCatalogConfig(AppConfig):
    name = "services_catalog"
    verbose_name = _("Services")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Service jobs can be paid by card through payments/ (deposit, full, balance: S5).
        from services_catalog.payables import register_payable

        register_payable()

        # Job photos and documents are private files (core.private_files).
        from services_catalog import private_files

        private_files.register()

        from core.work_areas import WorkArea, register
        from services_catalog.models import Provider

        register(WorkArea("provider", _("Provider dashboard"), "services_catalog-dashboard:provider-jobs",
                          exists=lambda user: Provider.objects.filter(user=user), order=20))
