from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _grant_editors_publish(sender, **kwargs) -> None:
    from cms.permissions import grant_editors_publish

    grant_editors_publish()


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Content")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(_grant_editors_publish, sender=self, dispatch_uid="cms.editors_publish")
