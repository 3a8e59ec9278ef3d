from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.permissions import Ability, has_ability
from core.work_areas import WorkArea, register


class SiteSearchConfig(AppConfig):
    name = "search"
    label = "site_search"
    verbose_name = _("Search")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from search import signals  # signal handlers need every app's models loaded

        signals.connect()
        register(WorkArea("search", _("Search reports"), "site_search-dashboard:reports",
                          lambda user: has_ability(user, Ability.MANAGE_SEARCH), order=80))
