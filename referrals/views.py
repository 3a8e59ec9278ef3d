"""The customer's side of the referral programme: the share link, the points page (code,
link, QR, balances, statement, gifts, requests) and redeeming a gift."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from customers.services import profile_for
from referrals import selectors, services
from referrals.errors import ReferralError
from referrals.forms import RedeemForm
from referrals.models import Gift, Redemption, Referral
from referrals.qr import qr_svg

COOKIE_AGE = 60 * 60 * 24 * 30


def share_link(request: HttpRequest, code: str) -> str:
    return request.build_absolute_uri(reverse("referrals:landing", args=[code]))


def landing(request: HttpRequest, code: str) -> HttpResponse:
    """/<lang>/r/<code>/: remember who sent the visitor, then show them the sign-up page."""
    referrer = services.referrer_for_code(code)
    if referrer is None:
        messages.warning(request, _("This invitation link is not valid any more; you are welcome all the same."))
        return redirect("/")
    if request.user.is_authenticated:
        if request.user.pk != referrer.pk and not Referral.objects.filter(referred=request.user).exists():
            try:
                services.referral_attribute(referred=request.user, code=code, source=Referral.Source.LINK)
            except ReferralError as refused:
                messages.info(request, refused.message)
        return redirect("referrals:points")
    request.session[services.SESSION_KEY] = code
    messages.info(request, _("A Chaarsoo customer invited you: sign up and you both earn gift points on your "
                             "purchases."))
    response = redirect(reverse("customer:register"))
    response.set_cookie(services.SESSION_KEY, code, max_age=COOKIE_AGE, samesite="Lax")
    return response


def _page_context(request: HttpRequest) -> dict:
    profile = profile_for(request.user)
    return {
        "code": profile.subscription_code,
        "link": share_link(request, profile.subscription_code),
        "balances": selectors.customer_balances(request.user.pk),
        "lines": selectors.statement(request.user.pk),
        "gifts": Gift.objects.filter(is_active=True),
        "redemptions": Redemption.objects.filter(customer=request.user).select_related("gift")[:20],
        "referred_count": Referral.objects.filter(referrer=request.user, status=Referral.Status.ACTIVE).count(),
        "settings": services.current_settings(),
    }


@login_required
def points(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/points.html", _page_context(request))


@login_required
def qr_code(request: HttpRequest) -> HttpResponse:
    code = profile_for(request.user).subscription_code
    response = HttpResponse(qr_svg(share_link(request, code)), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def redeem(request: HttpRequest, pk: int) -> HttpResponse:
    gift = get_object_or_404(Gift, pk=pk, is_active=True)
    available = services.available_points(request.user.pk)
    profile = profile_for(request.user)
    form = RedeemForm(request.POST or None, initial={
        "recipient_name": request.user.get_full_name(), "phone": profile.phone or "",
    })
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                redemption = services.redemption_create(customer=request.user, gift=gift, **form.cleaned_data)
            except ReferralError as error:
                form.add_error(None, str(error.message))
                status = 409
            else:
                messages.success(request, _("Your gift request %(number)s was received.") % {
                    "number": redemption.number})
                return redirect(reverse("referrals:points") + f"#{redemption.number}")
        else:
            status = 400
    return render(request, "referrals/redeem.html", {"gift": gift, "form": form, "available": available},
                  status=status)
