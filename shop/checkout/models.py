from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout.models import *  # noqa: F403


class BasketLineInstallation(models.Model):
    """The installation add-on (P1) a shopper chose for a basket line through the API.

    The site keeps the same choice in its checkout session (shop.checkout.applicator); an
    app signed in with a token has no session, so its choice is kept with the line and
    goes when the line goes. Only lines whose vendor contract offers installation are ever
    stored (vendors.services.basket_installation_options decides)."""

    line = models.OneToOneField(
        "basket.Line", on_delete=models.CASCADE, related_name="installation_choice", verbose_name=_("basket line")
    )
    created = models.DateTimeField(_("chosen at"), auto_now_add=True)

    class Meta:
        app_label = "checkout"
        verbose_name = _("installation chosen for a basket line")
        verbose_name_plural = _("installations chosen for basket lines")

    def __str__(self) -> str:
        return f"installation for basket line {self.line_id}"
