from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    label = "referrals"
    verbose_name = _("Referrals and gift points")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every payable's payments and refunds earn and take back points (issue 10 point 2).
        from payments.payables import listen
        from referrals.services import on_paid, on_refunded

        listen(paid=on_paid, refunded=on_refunded)

        # The referral code at sign-up, and the link's code kept in the session.
        from referrals.signup import connect

        connect()
