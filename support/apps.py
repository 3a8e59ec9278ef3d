from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    label = "support"
    verbose_name = _("Support desk")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.permissions import Ability, has_ability
        from core.work_areas import WorkArea, register

        register(WorkArea(
            key="support", label=_("Support desk"), url_name="support-dashboard:queue",
            visible=lambda user: has_ability(user, Ability.HANDLE_TICKETS), order=40,
        ))
        from core.private_files import register_private_file
        from support.models import TicketAttachment
        from support.permissions import can_read_attachment

        register_private_file(TicketAttachment, "file", can_read_attachment)
        from support.selectors import connect_hours_invalidation

        connect_hours_invalidation()
