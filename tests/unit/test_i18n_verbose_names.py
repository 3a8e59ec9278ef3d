"""Issue 15 point 7: every field of our own models has a translatable verbose name with a
Persian translation, so django-admin, Wagtail and Oscar's forms show no English on fa pages.

Fields that Oscar, Django or Wagtail declare (in the abstract models our forks extend, or
Page's tree fields) are theirs and carry their own translations; every field declared in
our apps, and every model's own names, must be wrapped in gettext_lazy."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

OUR_PACKAGES = (
    "core", "customers", "ledger", "notifications", "payments", "shop", "vendors", "services_catalog", "cms",
    "referrals", "search", "support", "offices",
)
THIRD_PARTY = ("oscar.", "django.", "wagtail.", "treebeard.", "modelcluster.", "taggit.")


def _our_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.split(".")[0] in OUR_PACKAGES
        for model in config.get_models()
        if not model._meta.proxy
    ]


def _declared_by_us(model: type[models.Model], field: models.Field) -> bool:
    """The most basic class that declares the field decides whose field it is."""
    declaring = model
    for base in model.__mro__:
        meta = getattr(base, "_meta", None)
        if meta is not None and field.name in {f.name for f in meta.local_fields + meta.local_many_to_many}:
            declaring = base
    return not declaring.__module__.startswith(THIRD_PARTY)


def _our_fields() -> list[tuple[type[models.Model], models.Field]]:
    return [
        (model, field)
        for model in _our_models()
        for field in model._meta.get_fields()
        if not field.auto_created and (field.concrete or field.many_to_many) and _declared_by_us(model, field)
    ]


def test_the_walk_sees_our_apps_and_our_forks_own_fields():
    labels = {model._meta.app_label for model, _ in _our_fields()}
    assert {"services_catalog", "support", "offices", "payments", "site_search", "catalogue", "partner"} <= labels


def test_every_field_of_our_models_has_a_lazy_verbose_name_translated_to_persian():
    untranslatable = [
        f"{model._meta.label}.{field.name}"
        for model, field in _our_fields()
        if not isinstance(field.verbose_name, Promise)
    ]
    assert untranslatable == []
    with translation.override("fa"):
        english_on_fa = [
            f"{model._meta.label}.{field.name}: {field.verbose_name}"
            for model, field in _our_fields()
            if str(field.verbose_name).isascii()
        ]
    assert english_on_fa == []


def test_every_model_of_ours_names_itself_in_both_languages():
    unnamed = [
        f"{model._meta.label}.{option}"
        for model in _our_models()
        for option in ("verbose_name", "verbose_name_plural")
        if not isinstance(model._meta.original_attrs.get(option), Promise)
        and not (model._meta.abstract or _inherited_from_third_party(model, option))
    ]
    assert unnamed == []
    with translation.override("fa"):
        english_on_fa = [
            f"{model._meta.label}: {name}"
            for model in _our_models()
            for name in (model._meta.verbose_name, model._meta.verbose_name_plural)
            if str(name).isascii()
        ]
    assert english_on_fa == []


def _inherited_from_third_party(model: type[models.Model], option: str) -> bool:
    """Oscar's forks keep the names of Oscar's abstract model (its Meta is inherited)."""
    return any(
        base.__module__.startswith("oscar.") and option in getattr(getattr(base, "Meta", None), "__dict__", {})
        for base in model.__mro__[1:]
    )
