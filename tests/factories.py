"""Shared factory_boy factories."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-pass-123")

    class Meta:
        model = get_user_model()


class PartnerFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Vendor {n}")
    code = factory.Sequence(lambda n: f"vendor-{n}")

    class Meta:
        model = Partner
        django_get_or_create = ("code",)


def make_category(name: str = "Test category", name_en: str = "Test category") -> Category:
    return Category.add_root(name=name, name_en=name_en, is_public=True)


class ProductFactory(factory.django.DjangoModelFactory):
    structure = "standalone"
    product_class = factory.LazyFunction(
        lambda: ProductClass.objects.get_or_create(slug="goods", defaults={"name": "Goods", "track_stock": True})[0]
    )
    title = factory.Sequence(lambda n: f"کالای آزمایشی {n}")
    title_en = factory.Sequence(lambda n: f"Test product {n}")
    upc = factory.Sequence(lambda n: f"TEST{n:06d}")
    is_public = True

    class Meta:
        model = Product

    @factory.post_generation
    def stock(product, create, extracted, **kwargs):
        if not create:
            return
        partner = kwargs.get("partner") or PartnerFactory(code="test-vendor", name="Test vendor")
        StockRecord.objects.create(
            product=product,
            partner=partner,
            partner_sku=product.upc,
            price=kwargs.get("price", Decimal("10.00")),
            num_in_stock=kwargs.get("num_in_stock", 10),
        )

    @factory.post_generation
    def category(product, create, extracted, **kwargs):
        if create and extracted is not None:
            ProductCategory.objects.create(product=product, category=extracted)

    @factory.post_generation
    def image(product, create, extracted, **kwargs):
        if create and extracted:
            ProductImage.objects.create(product=product, original=extracted, display_order=0)
