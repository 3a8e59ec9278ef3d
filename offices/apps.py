from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficesConfig(AppConfig):
    name = "offices"
    label = "offices"
    verbose_name = _("Partner offices")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # An errand is a service job done by partner offices (services_catalog.job_hooks).
        from offices.delegate import ErrandDelegate, on_job_fired
        from services_catalog import job_hooks
        from services_catalog.machine import JOB

        job_hooks.register(ErrandDelegate())
        if on_job_fired not in JOB.on_fired:  # a cancelled job cancels its errand
            JOB.on_fired.append(on_job_fired)

        # A cancelled shipment of an order paid at a counter owes its price back there.
        from offices.services.order_refunds import on_shipment_fired
        from vendors.machines import SHIPMENT

        if on_shipment_fired not in SHIPMENT.on_fired:
            SHIPMENT.on_fired.append(on_shipment_fired)

        from core.work_areas import WorkArea, register
        from offices.selectors import active_clerks, sees_offices

        register(WorkArea("office", _("Office console"), "offices-dashboard:console", exists=active_clerks, order=25))
        register(WorkArea("offices-staff", _("Partner offices"), "offices-dashboard:staff-offices",
                          sees_offices, order=45))

        from core.private_files import register_private_file
        from offices.models import Errand, RefundRequest
        from offices.selectors import can_read_errand_files, can_read_refund_evidence

        register_private_file(Errand, "result_file", can_read_errand_files)
        register_private_file(RefundRequest, "evidence", can_read_refund_evidence)
