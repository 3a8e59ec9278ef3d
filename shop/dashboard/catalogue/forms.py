"""The product dashboard's image form (forked): Oscar's image input set its preview's
behaviour with inline onload/onerror handlers, which the Content Security Policy blocks
(no inline code without the response's nonce). Ours marks the preview with data
attributes that static/chaarsoo/js/page-actions.js binds.

Its template sits in this app's templates/ because widgets are rendered by Django's form
renderer, which reads apps' template folders and not the project's templates/."""

from __future__ import annotations

from django import forms
from oscar.apps.dashboard.catalogue.forms import ProductImageForm as OscarProductImageForm
from oscar.forms.widgets import ImageInput as OscarImageInput


class ImageInput(OscarImageInput):
    template_name = "shop/dashboard/image_input_widget.html"


class ProductImageForm(OscarProductImageForm):
    class Meta(OscarProductImageForm.Meta):
        widgets = {
            "original": ImageInput(),
            "display_order": forms.HiddenInput(),
        }
