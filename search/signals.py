"""Row changes that move the index: each queues a task with the primary key after commit.

Deletes carry the key too: the task finds nothing to build and removes the document.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model
from wagtail.signals import page_published, page_unpublished

from cms.models import HelpArticlePage
from search.tasks import index_many, index_object
from services_catalog.models import Service
from vendors.models import ProductTerm

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")


def queue(kind: str, pk: int | None) -> None:
    if pk:
        transaction.on_commit(lambda: index_object.delay(kind, pk))


def _product(sender, instance, **kwargs):
    queue("product", instance.parent_id or instance.pk)
    if instance.parent_id:
        queue("product", instance.pk)


def _product_of(sender, instance, **kwargs):
    product_id = instance.product_id
    parent_id = Product.objects.filter(pk=product_id).values_list("parent_id", flat=True).first()
    queue("product", parent_id or product_id)


def _category(sender, instance, **kwargs):
    queue("category", instance.pk)


def _service(sender, instance, **kwargs):
    queue("service", instance.pk)


def _help(sender, instance, **kwargs):
    if isinstance(instance.specific if hasattr(instance, "specific") else instance, HelpArticlePage):
        queue("help", instance.pk)


def _partner(sender, instance, **kwargs):
    pks = sorted(set(StockRecord.objects.filter(partner=instance).values_list("product_id", flat=True)))
    if pks:
        transaction.on_commit(lambda: index_many.delay("product", pks))


def connect() -> None:
    uid = "site_search"
    for signal in (post_save, post_delete):
        signal.connect(_product, sender=Product, dispatch_uid=f"{uid}-product-{id(signal)}")
        for model in (StockRecord, ProductCategory, ProductImage, ProductTerm):
            signal.connect(_product_of, sender=model, dispatch_uid=f"{uid}-{model.__name__}-{id(signal)}")
        signal.connect(_category, sender=Category, dispatch_uid=f"{uid}-category-{id(signal)}")
        signal.connect(_service, sender=Service, dispatch_uid=f"{uid}-service-{id(signal)}")
        signal.connect(_help, sender=HelpArticlePage, dispatch_uid=f"{uid}-help-{id(signal)}")
    post_save.connect(_partner, sender=Partner, dispatch_uid=f"{uid}-partner")
    page_published.connect(_help, sender=HelpArticlePage, dispatch_uid=f"{uid}-help-published")
    page_unpublished.connect(_help, sender=HelpArticlePage, dispatch_uid=f"{uid}-help-unpublished")
