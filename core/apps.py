from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Chaarsoo core")

    def ready(self) -> None:
        from core import page_cache

        page_cache.connect_invalidation()
