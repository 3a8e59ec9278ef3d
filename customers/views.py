"""The customer's profile page: subscription code, tier, phone and language (A1, A5, A6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from customers import phone_services, selectors, services
from customers.account_services import public_device_id
from customers.account_views import PhoneCodeForm
from customers.errors import CustomerError
from customers.forms import ProfileForm

# Always there: Oscar's orders and the payments app's receipts.
ACCOUNT_LINKS = [
    ("customer:order-list", _("Your orders")),
    ("payments:receipts", _("Payments and refunds")),
]
# Shown once the app that serves them has the page (the URL name resolves).
OPTIONAL_ACCOUNT_LINKS = [
    ("services_catalog:job-list", _("Your service requests")),
    ("vendors:claim-list", _("Your warranty claims")),
    ("referrals:points", _("Your gift points")),
]


def _account_links() -> list[tuple[str, str]]:
    links = [(reverse(name), label) for name, label in ACCOUNT_LINKS]
    for name, label in OPTIONAL_ACCOUNT_LINKS:
        try:
            links.append((reverse(name), label))
        except NoReverseMatch:
            continue
    return links


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    profile = services.profile_for(request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                profile, texted = phone_services.profile_change(
                    user=request.user,
                    phone=form.cleaned_data["phone"],
                    preferred_language=form.cleaned_data["preferred_language"],
                )
            except CustomerError as exc:
                form.add_error("phone", str(exc.message))
            else:
                # The page, and the note on it, come back in the language just chosen.
                with translation.override(profile.preferred_language):
                    messages.success(request, gettext("Your profile has been saved."))
                    if texted is not None:
                        # The same words whether or not another account holds the number.
                        messages.info(request, gettext(
                            "We have texted a code to %(phone)s. Enter it below to confirm the number."
                        ) % {"phone": texted.phone})
                    return redirect(reverse("customers:profile"))
    else:
        form = ProfileForm(initial={"phone": profile.phone or "", "preferred_language": profile.preferred_language})
    return render(
        request,
        "customers/profile.html",
        {
            "profile": profile, "form": form, "account_links": _account_links(),
            "pending_phone": phone_services.phone_pending(user=request.user),
            "code_form": PhoneCodeForm(),
            "devices": [(public_device_id(device), device) for device in selectors.devices_for(user=request.user)],
        },
    )
