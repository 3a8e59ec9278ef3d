"""Load Chaarsoo's demo data: vendors, categories, products with images and stock, the
home page, landing pages, help articles and terms in Persian and English, and one login
per role. Idempotent: a second run finds everything in place and changes nothing."""

from __future__ import annotations

import colorsys
import math
import sys
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from core import demo_content as content
from core.page_cache import invalidate_all

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

BATCH = 2000
# Apps with a demo.py, seeded after the catalogue and pages, in this order.
DEMO_APPS = ("customers", "vendors", "services_catalog")

# role -> (username, is_staff, is_superuser, groups, description)
ROLES = {
    "customer": ("customer", False, False, ["Customers"], "shops and books services"),
    "vendor": ("vendor", False, False, ["Vendors"], "seller dashboard /fa/dashboard/seller/ (Roshan Home)"),
    "provider": ("provider", False, False, ["Service providers"], "jobs at /fa/dashboard/services/provider/"),
    "operator": ("operator", True, False, ["Operators"], "phone intake /fa/dashboard/services/intake/"),
    "agent": ("agent", True, False, ["Support agents"], "support desk"),
    "editor": ("editor", True, False, ["Editors"], "edits pages at /cms/"),
    "admin": ("admin", True, True, [], "everything"),
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
        count = options["products"]
        if count < 0:
            raise CommandError("--products must be zero or more.")
        self.quiet = options["quiet"]
        with transaction.atomic():
            vendors = self.seed_vendors()
            categories = self.seed_categories()
            self.seed_users(vendors)
        self.seed_products(count, vendors, categories)
        with transaction.atomic():
            self.seed_pages()
        self.seed_apps()
        invalidate_all()
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.print_logins()

    # ------------------------------------------------------------------ vendors
    def seed_vendors(self) -> dict[str, Partner]:
        vendors = {}
        for code, name_fa, name_en in content.VENDORS:
            partner, _created = Partner.objects.get_or_create(
                code=code, defaults={"name": f"{name_fa} | {name_en}"}
            )
            vendors[code] = partner
        return vendors

    # --------------------------------------------------------------- categories
    def seed_categories(self) -> dict[str, Category]:
        categories = {}
        for slug, name_fa, name_en, _hue in content.CATEGORIES:
            category = Category.objects.filter(slug=slug).first()
            if category is None:
                category = Category.add_root(name=name_fa, name_en=name_en, slug=slug, is_public=True)
            categories[slug] = category
        return categories

    # -------------------------------------------------------------------- users
    def seed_users(self, vendors: dict[str, Partner]) -> None:
        User = get_user_model()
        dashboard_access = Permission.objects.get(
            codename="dashboard_access", content_type__app_label="partner"
        )
        for role, (username, is_staff, is_superuser, groups, _desc) in ROLES.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@demo.chaarsoo.local",
                    password=demo_password(role),
                    first_name=role.capitalize(),
                    last_name="Demo",
                    is_staff=is_staff,
                    is_superuser=is_superuser,
                )
            for group_name in groups:
                group, _ = Group.objects.get_or_create(name=group_name)
                if not user.groups.filter(pk=group.pk).exists():
                    user.groups.add(group)
            if role == "vendor":
                partner = vendors["roshan-home"]
                if not partner.users.filter(pk=user.pk).exists():
                    partner.users.add(user)
                if not user.user_permissions.filter(pk=dashboard_access.pk).exists():
                    user.user_permissions.add(dashboard_access)
            if role == "editor":
                access_admin = Permission.objects.get(
                    codename="access_admin", content_type__app_label="wagtailadmin"
                )
                if not user.user_permissions.filter(pk=access_admin.pk).exists():
                    user.user_permissions.add(access_admin)

    # ----------------------------------------------------------------- products
    def seed_products(self, count: int, vendors, categories) -> None:
        product_class, _ = ProductClass.objects.get_or_create(
            slug="goods", defaults={"name": "Goods", "requires_shipping": True, "track_stock": True}
        )
        existing = set(Product.objects.filter(upc__startswith="CHS").values_list("upc", flat=True))
        missing = [i for i in range(count) if f"CHS{i + 1:07d}" not in existing]
        if not missing:
            return
        images = self.product_images()
        done = 0
        for start in range(0, len(missing), BATCH):
            with transaction.atomic():
                specs = [content.product_spec(i) for i in missing[start : start + BATCH]]
                products = Product.objects.bulk_create(
                    [
                        Product(
                            structure=Product.STANDALONE,
                            product_class=product_class,
                            upc=spec["upc"],
                            title=spec["title"],
                            title_en=spec["title_en"],
                            slug=slugify(spec["title_en"])[:128] or spec["upc"].lower(),
                            description=spec["description"],
                            description_en=spec["description_en"],
                            is_public=True,
                        )
                        for spec in specs
                    ]
                )
                if not all(p.pk for p in products):  # backends that return no ids
                    by_upc = dict(
                        Product.objects.filter(upc__in=[s["upc"] for s in specs]).values_list("upc", "pk")
                    )
                    for product in products:
                        product.pk = product.id = by_upc[product.upc]
                ProductCategory.objects.bulk_create(
                    [
                        ProductCategory(product=p, category=categories[s["category"]])
                        for p, s in zip(products, specs, strict=True)
                    ]
                )
                StockRecord.objects.bulk_create(
                    [
                        StockRecord(
                            product=p,
                            partner=vendors[s["vendor"]],
                            partner_sku=s["upc"],
                            price_currency=self.currency,
                            price=s["price"],
                            num_in_stock=s["stock"],
                        )
                        for p, s in zip(products, specs, strict=True)
                    ]
                )
                ProductImage.objects.bulk_create(
                    [
                        ProductImage(product=p, original=images[s["image_key"]], caption="", display_order=0)
                        for p, s in zip(products, specs, strict=True)
                    ]
                )
            done += len(specs)
            self.progress(done, len(missing))

    @property
    def currency(self) -> str:
        from django.conf import settings

        return settings.OSCAR_DEFAULT_CURRENCY

    def progress(self, done: int, total: int) -> None:
        if self.quiet:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\rProducts [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def product_images(self) -> dict[str, str]:
        """One generated picture per category and item kind; products of a kind share it."""
        names = {}
        for slug, _fa, _en, hue in content.CATEGORIES:
            for variant in range(len(content.ITEMS[slug])):
                key = f"{slug}-{variant}"
                name = f"images/products/demo/{key}.jpg"
                if not default_storage.exists(name):
                    default_storage.save(name, ContentFile(draw_product_image(hue, variant)))
                names[key] = name
        return names

    # -------------------------------------------------------------------- pages
    def seed_pages(self) -> None:
        from wagtail.models import Locale, Page, Site

        from cms.models import HelpArticlePage, HelpIndexPage, HomePage, LandingPage, TermsPage

        if HomePage.objects.exists():
            return
        fa, _ = Locale.objects.get_or_create(language_code="fa")
        en, _ = Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node()
        if root is None:
            # Wagtail's migrations create the tree's root; a flushed database (a test
            # that truncated every table) has none, so plant it again.
            root = Page.add_root(instance=Page(title="Root", slug="root", locale=fa, live=True))
        # Wagtail's placeholder "Welcome" page goes; our home page takes its place.
        for page in root.get_children().filter(locale=fa):
            if type(page.specific) is Page:
                page.delete()
        root = Page.get_first_root_node()

        products = list(Product.objects.filter(upc__startswith="CHS").order_by("upc")[:8])
        home_fa = root.add_child(instance=self.home_page(HomePage, "fa", fa, products))
        home_fa.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            site = Site(hostname="localhost", port=80, is_default_site=True)
        site.root_page = home_fa
        site.site_name = "Chaarsoo"
        site.save()
        home_en = self.translate(home_fa, en, self.home_page(HomePage, "en", en, products))

        del home_en  # children are translated one by one below, linked to their sources
        help_fa = home_fa.add_child(
            instance=HelpIndexPage(title=content.HOME["fa"]["help_title"], slug="help",
                                   intro=content.HOME["fa"]["help_intro"], locale=fa)
        )
        help_fa.save_revision().publish()
        self.translate(
            help_fa, en, HelpIndexPage(title=content.HOME["en"]["help_title"], slug="help",
                                       intro=content.HOME["en"]["help_intro"])
        )
        for article in content.HELP_ARTICLES:
            title, summary, body = article["fa"]
            page_fa = help_fa.add_child(
                instance=HelpArticlePage(title=title, slug=article["slug"], summary=summary, body=body, locale=fa)
            )
            page_fa.save_revision().publish()
            title, summary, body = article["en"]
            self.translate(page_fa, en, HelpArticlePage(title=title, slug=article["slug"], summary=summary, body=body))

        title, body = content.TERMS["fa"]
        terms_fa = home_fa.add_child(instance=TermsPage(title=title, slug="terms", body=body, locale=fa))
        terms_fa.save_revision().publish()
        title, body = content.TERMS["en"]
        self.translate(terms_fa, en, TermsPage(title=title, slug="terms", body=body))

        for landing in content.LANDING_PAGES:
            category = Category.objects.get(slug=landing["category"])
            shelf_products = list(
                Product.objects.filter(categories=category, upc__startswith="CHS").order_by("upc")[:6]
            )
            pages = {}
            for language in ("fa", "en"):
                title, intro, shelf = landing[language]
                pages[language] = LandingPage(
                    title=title,
                    slug=landing["slug"],
                    intro=intro,
                    category=category,
                    body=[("products", {"heading": shelf, "products": shelf_products})],
                )
            pages["fa"].locale = fa
            landing_fa = home_fa.add_child(instance=pages["fa"])
            landing_fa.save_revision().publish()
            self.translate(landing_fa, en, pages["en"])

    @staticmethod
    def home_page(HomePage, language: str, locale, products):
        text = content.HOME[language]
        return HomePage(
            title=text["title"],
            # Both home pages sit under Wagtail's root, so their slugs must differ.
            slug="home" if language == "fa" else f"home-{language}",
            locale=locale,
            hero_title=text["hero_title"],
            hero_text=text["hero_text"],
            hero_link_text=text["hero_link_text"],
            hero_link_url=f"/{language}/shop/",
            body=[
                ("products", {"heading": text["shelf"], "products": products}),
                (
                    "call_to_action",
                    {
                        "title": text["cta_title"],
                        "text": text["cta_text"],
                        "link_text": text["cta_link"],
                        "link_url": f"/{language}/help/",
                    },
                ),
            ],
        )

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

    # ------------------------------------------------------------- other apps
    def seed_apps(self) -> None:
        """Each domain app loads its own demo data from `<app>/demo.py` (`seed(command)`),
        idempotently and in dependency order."""
        import importlib
        import importlib.util

        for app in DEMO_APPS:
            if importlib.util.find_spec(f"{app}.demo") is None:
                continue
            importlib.import_module(f"{app}.demo").seed(self)

    # ------------------------------------------------------------------- logins
    def print_logins(self) -> None:
        self.stdout.write("\nDemo logins (sign in at /fa/shop/accounts/login/ with the email):")
        for role, (username, _s, _su, _g, description) in ROLES.items():
            self.stdout.write(
                f"  {role:<9} {username}@demo.chaarsoo.local / {demo_password(role):<22} {description}"
            )
        self.stdout.write(
            "  Staff dashboard: /fa/dashboard/   CMS: /cms/   Django admin: /django-admin/\n"
        )


def draw_product_image(hue: int, variant: int, size: int = 600) -> bytes:
    """A simple, recognisable product picture: a tinted field with a geometric motif."""
    def rgb(h: float, lightness: float, saturation: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hls_to_rgb((h % 360) / 360, lightness, saturation)
        return int(r * 255), int(g * 255), int(b * 255)

    image = Image.new("RGB", (size, size), rgb(hue, 0.93, 0.5))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    points = 4 + variant
    for ring in range(5, 0, -1):
        radius = size * 0.08 * ring
        polygon = [
            (
                centre + radius * math.cos(2 * math.pi * k / points + ring * 0.2),
                centre + radius * math.sin(2 * math.pi * k / points + ring * 0.2),
            )
            for k in range(points)
        ]
        draw.polygon(polygon, fill=rgb(hue + ring * 8, 0.35 + ring * 0.1, 0.55))
    draw.ellipse(
        (centre - size * 0.05, centre - size * 0.05, centre + size * 0.05, centre + size * 0.05),
        fill=rgb(hue + 180, 0.6, 0.7),
    )
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
