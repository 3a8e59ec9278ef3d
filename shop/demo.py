"""Demo catalogue for `manage.py seed_demo`: the six demo vendors (Oscar partners), the
category tree, and N products with generated pictures, prices and stock. Bulk-inserted in
batches so 50,000 products load in minutes; idempotent by UPC."""

from __future__ import annotations

import colorsys
import math
import sys
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext_noop
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from core import demo_content as content

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

BATCH = 2000
# The vendor the demo "vendor" login works for.
DEMO_VENDOR = "roshan-home"


def seed(command) -> None:
    with transaction.atomic():
        vendors = seed_vendors()
        categories = seed_categories()
        link_vendor_login(vendors[DEMO_VENDOR])
    seed_products(command, command.products, vendors, categories)


def link_vendor_login(partner) -> None:
    """The demo vendor login works for Roshan Home in the seller dashboard."""
    user = get_user_model().objects.filter(username="vendor").first()
    if user is not None and not partner.users.filter(pk=user.pk).exists():
        partner.users.add(user)


def seed_vendors() -> dict[str, Partner]:
    vendors = {}
    for code, name_fa, name_en in content.VENDORS:
        partner, _created = Partner.objects.get_or_create(code=code, defaults={"name": name_fa, "name_en": name_en})
        vendors[code] = partner
    return vendors

def seed_categories() -> dict[str, Category]:
    categories = {}
    for slug, name_fa, name_en, _hue in content.CATEGORIES:
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = Category.add_root(name=name_fa, name_en=name_en, slug=slug, is_public=True)
        categories[slug] = category
    return categories

def seed_products(command, count: int, vendors, categories) -> None:
    product_class, _ = ProductClass.objects.get_or_create(
        slug="goods", defaults={"name": gettext_noop("Goods"), "requires_shipping": True, "track_stock": True}
    )
    existing = set(Product.objects.filter(upc__startswith="CHS").values_list("upc", flat=True))
    missing = [i for i in range(count) if f"CHS{i + 1:07d}" not in existing]
    if not missing:
        return
    images = product_images()
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
                        price_currency=settings.OSCAR_DEFAULT_CURRENCY,
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
        progress(command, done, len(missing))

def progress(command, done: int, total: int) -> None:
    if command.quiet:
        return
    width = 30
    filled = int(width * done / total)
    sys.stderr.write(f"\rProducts [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()

def product_images() -> dict[str, str]:
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
