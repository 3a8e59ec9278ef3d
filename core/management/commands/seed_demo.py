"""Load Chaarsoo's demo data: one login per role, then each app's own demo data (the
catalogue, the CMS pages, customers, vendors' orders, service jobs...) from its
`<app>/demo.py`. Idempotent: a second run finds everything in place and changes nothing.

The command only orchestrates: core imports no domain app; each app's `demo.seed(command)`
is found by name, in dependency order."""

from __future__ import annotations

import importlib
import importlib.util

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from core.page_cache import invalidate_all
from core.permissions import assign_role

# Apps with a demo.py, seeded in this order (the catalogue first: pages show products).
DEMO_APPS = ("shop", "cms", "customers", "vendors", "services_catalog", "referrals", "offices", "support", "search")

# role key (core.permissions) -> (username, superuser, where they work)
ROLES = {
    "customer": ("customer", False, "shops and books services"),
    "vendor": ("vendor", False, "seller dashboard /fa/dashboard/seller/ (Roshan Home)"),
    "provider": ("provider", False, "jobs at /fa/dashboard/services/provider/"),
    "operator": ("operator", False, "phone intake and job queue /fa/dashboard/services/"),
    "finance": ("finance", False, "payments, refunds, payouts, fines /fa/dashboard/payments/"),
    "agent": ("agent", False, "support desk /fa/dashboard/support/"),
    "senior_agent": ("senior", False, "support desk, senior queue (escalated tickets)"),
    "editor": ("editor", False, "edits and publishes pages at /cms/"),
    "clerk": ("clerk", False, "partner-office console /fa/dashboard/offices/ (Kelardasht)"),
    "admin": ("admin", True, "everything"),
}


def demo_password(role: str) -> str:
    return f"{role}-demo-1405"


class Command(BaseCommand):
    help = "Load the demo data (idempotent). --products N sets the catalogue size."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=200, help="catalogue size (default 200)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")
        parser.add_argument(
            "--logins-only", action="store_true", help="print the demo logins and load nothing"
        )

    def handle(self, *args, **options):
        if options["logins_only"]:
            self.print_logins()
            return
        self.products = options["products"]
        if self.products < 0:
            raise CommandError("--products must be zero or more.")
        self.quiet = options["quiet"]
        # The demo's own mail and SMS (order confirmations, ticket replies, ...) are stored
        # in notifications.Message as usual but not printed: the console would bury the logins.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                               CHAARSOO_SMS_BACKEND="notifications.sms.LocmemSMSBackend"):
            with transaction.atomic():
                self.seed_users()
            self.seed_apps()
        invalidate_all()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.print_logins()

    # -------------------------------------------------------------------- users
    def seed_users(self) -> None:
        """One login per role, in the role's group (core.permissions)."""
        User = get_user_model()
        for role, (username, is_superuser, _desc) in ROLES.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@demo.chaarsoo.local",
                    password=demo_password(role),
                    first_name=role.replace("_", " ").capitalize(),
                    last_name="Demo",
                    is_superuser=is_superuser,
                    is_staff=is_superuser,
                )
            if role != "admin":
                assign_role(user, role)

    # ------------------------------------------------------------- other apps
    def seed_apps(self) -> None:
        """Each app loads its own demo data from `<app>/demo.py` (`seed(command)`),
        idempotently and in dependency order."""
        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            importlib.import_module(f"{app}.demo").seed(self)

    @staticmethod
    def translate(source, locale, translated):
        """Create `translated` as the `locale` translation of `source` and publish it."""
        copy = source.copy_for_translation(locale)
        for field in translated._meta.concrete_fields:
            if field.name in ("id", "page_ptr", "path", "depth", "numchild", "locale",
                              "translation_key", "url_path", "live", "draft_title",
                              "content_type", "has_unpublished_changes", "latest_revision",
                              "live_revision", "first_published_at", "last_published_at",
                              "latest_revision_created_at", "owner", "locked", "locked_at",
                              "locked_by", "alias_of", "go_live_at", "expire_at", "expired"):
                continue
            value = getattr(translated, field.attname)
            if value not in (None, ""):
                setattr(copy, field.attname, value)
        copy.draft_title = copy.title
        copy.save()
        copy.save_revision().publish()
        return copy

    # ------------------------------------------------------------------- logins
    def print_logins(self) -> None:
        self.stdout.write("\nDemo logins (sign in at /fa/shop/accounts/login/ with the email):")
        for role, (username, _su, description) in ROLES.items():
            self.stdout.write(
                f"  {role:<12} {username}@demo.chaarsoo.local / {demo_password(role):<25} {description}"
            )
        # More logins an app's demo adds (each vendor's own, ...): `<app>/demo.py: logins()`.
        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            for email, password, description in getattr(importlib.import_module(f"{app}.demo"), "logins", list)():
                self.stdout.write(f"  {email} / {password:<25} {description}")
        self.stdout.write(
            "  Staff dashboard: /fa/dashboard/   CMS: /cms/   Django admin: /django-admin/\n"
        )
