from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from PIL import Image


def _sync_roles(sender, **kwargs) -> None:
    from core.permissions import sync_roles

    sync_roles()


def _register_work_areas() -> None:
    from core.permissions import Ability, has_ability
    from core.work_areas import WorkArea, register

    # `is_staff` keeps Oscar's meaning: the shop dashboard (core.permissions).
    register(WorkArea("dashboard", _("Shop dashboard"), "dashboard:index",
                      lambda user: user.is_staff and has_ability(user, Ability.MANAGE_SHOP), order=50))
    register(WorkArea("cms", _("Content editor"), "", lambda user: user.has_perm("wagtailadmin.access_admin"),
                      order=60, path="/cms/"))


def sync_site_domain(sender=None, **kwargs) -> None:
    """django.contrib.sites' row follows SITE_URL (password-reset mails link to it)."""
    from urllib.parse import urlsplit

    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc
    if domain:
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.OSCAR_SHOP_NAME}
        )


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Chaarsoo core")
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from core import page_cache

        page_cache.connect_invalidation()
        # Wherever an image is opened (forms, thumbnails, Wagtail), Pillow refuses one over
        # twice this many pixels as a decompression bomb; our validators refuse over once.
        Image.MAX_IMAGE_PIXELS = settings.CHAARSOO_MAX_IMAGE_PIXELS
        _register_work_areas()
        # After core's own post_migrate, which comes after the apps whose permissions the
        # roles borrow (Wagtail admin, Oscar's partner) in INSTALLED_APPS.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="core.sync_roles")
        post_migrate.connect(sync_site_domain, sender=self, dispatch_uid="core.sync_site_domain")
