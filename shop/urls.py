"""The shop's URLs: Oscar's own, with the catalogue at the shop's root (/fa/shop/).

The staff dashboard is mounted on its own (config/urls.py) at /<lang>/dashboard/.
"""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.urls import path

from customers.auth_forms import PasswordResetForm
from customers.registration import NamedAccountAuthView, NamedAccountRegistrationView
from shop.account_views import OrderHistoryView
from shop.basket_loading import BasketView
from shop.customer_views import OrderDetailView


def shop_urlpatterns() -> list:
    oscar = apps.get_app_config("oscar")
    # Any active account can reset its password, one without a usable password included.
    oscar.password_reset_form = PasswordResetForm
    # Sign-up asks the customer's name.
    customer = apps.get_app_config("customer")
    customer.login_view, customer.register_view = NamedAccountAuthView, NamedAccountRegistrationView
    customer.order_detail_view = OrderDetailView  # the order number keeps its digits
    # The basket page reuses the offers the basket middleware applied (issue 16).
    apps.get_app_config("basket").summary_view = BasketView
    # Before Oscar's own route at the same address (issue 16: one query for all lines).
    patterns = [path("accounts/orders/", login_required(OrderHistoryView.as_view()), name="account-orders")]
    for pattern in oscar.get_urls():
        route = str(pattern.pattern)
        if route == "":  # Oscar's redirect to OSCAR_HOMEPAGE: the catalogue is the home
            continue
        if route == "catalogue/":
            patterns.append(path("", oscar.catalogue_app.urls))
        elif route != "dashboard/":
            patterns.append(pattern)
    return patterns


urlpatterns = shop_urlpatterns()
