from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs) -> None:
    from core.permissions import sync_roles

    sync_roles()


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Chaarsoo core")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from core import page_cache

        page_cache.connect_invalidation()
        # After core's own post_migrate, which comes after the apps whose permissions the
        # roles borrow (Wagtail admin, Oscar's partner) in INSTALLED_APPS.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="core.sync_roles")
