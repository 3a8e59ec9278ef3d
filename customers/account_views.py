"""The site's side of issue 17: "check your email" after sign-up, the activation link,
proving the mobile number by SMS code, and the signed-in devices of the mobile app, all
on the customer's profile (/<lang>/account/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from customers import account_services, phone_services
from customers.errors import CustomerError


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the text message"), max_length=12,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric", "autocomplete": "one-time-code",
                                      "dir": "ltr"}),
    )


def signup_sent(request: HttpRequest) -> HttpResponse:
    """The one answer to every sign-up, whether or not the address was in use."""
    return render(request, "customers/signup_sent.html")


def activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        account_services.account_activate(uidb64=uidb64, token=token)
    except CustomerError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Your account is active. Sign in with your email and password."))
    return redirect("customer:login")


@login_required
@require_POST
def phone_code_resend(request: HttpRequest) -> HttpResponse:
    try:
        phone_services.phone_code_request(user=request.user)
    except CustomerError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("We have texted you a new code."))
    return redirect("customers:profile")


@login_required
@require_POST
@transaction.non_atomic_requests  # a wrong code must be counted though the answer is an error
def phone_code_confirm(request: HttpRequest) -> HttpResponse:
    form = PhoneCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Enter the code from the text message."))
        return redirect("customers:profile")
    try:
        phone_services.phone_code_confirm(user=request.user, code=form.cleaned_data["code"])
    except CustomerError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("Your mobile number is verified."))
    return redirect("customers:profile")


@login_required
@require_POST
def device_revoke(request: HttpRequest, device_id: str) -> HttpResponse:
    try:
        account_services.device_revoke(user=request.user, device_id=device_id)
    except CustomerError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, gettext("That device is signed out."))
    return redirect("customers:profile")


@login_required
@require_POST
def device_revoke_all(request: HttpRequest) -> HttpResponse:
    # On the site no device token is "this one": every app sign-in ends.
    count = account_services.device_revoke_others(user=request.user)
    messages.success(request, gettext("Signed out of the app on every device (%(count)s).") % {"count": count})
    return redirect("customers:profile")
