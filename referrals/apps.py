from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    label = "referrals"
    verbose_name = _("Referrals and gift points")
    default_auto_field = "django.db.models.BigAutoField"
