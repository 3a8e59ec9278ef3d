"""Staff pages of the referral programme (manage_referrals): report with chart, settings
with their audit trail, the review list (flag, block), the gift catalogue, and gift
requests to fulfil or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.permissions import Ability, ability_required
from referrals import selectors, services
from referrals.charts import bar_chart
from referrals.forms import GiftForm, ReasonForm, SettingsForm, ShipForm
from referrals.models import Gift, ProgrammeSettings, Redemption, Referral
from referrals.services.staff import SETTINGS_FIELDS

MANAGE = Ability.MANAGE_REFERRALS


@ability_required(MANAGE)
def report(request: HttpRequest) -> HttpResponse:
    data = selectors.report()
    data["chart"] = bar_chart(data["series"], labels=(_("Points earned"), _("Points redeemed")))
    return render(request, "referrals/dashboard/report.html", data)


@ability_required(MANAGE)
def settings_page(request: HttpRequest) -> HttpResponse:
    current = services.current_settings()
    initial = {name: getattr(current, name) for name in SETTINGS_FIELDS}
    form = SettingsForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in SETTINGS_FIELDS}
            services.settings_change(staff_user=request.user, note=form.cleaned_data["note"], **values)
            messages.success(request, _("The programme's new terms are in force."))
            return redirect("referrals-dashboard:settings")
        status = 400
    history = ProgrammeSettings.objects.select_related("changed_by")[:50]
    return render(request, "referrals/dashboard/settings.html", {"form": form, "history": history},
                  status=status)


@ability_required(MANAGE)
def review(request: HttpRequest) -> HttpResponse:
    rows = selectors.suspicious_referrals()
    only_flagged = request.GET.get("flagged") == "1"
    if only_flagged:
        rows = [(referral, reasons) for referral, reasons in rows if reasons]
    return render(request, "referrals/dashboard/review.html", {"rows": rows, "only_flagged": only_flagged,
                                                              "form": ReasonForm()})


@ability_required(MANAGE)
@require_POST
def referral_block(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the referral is blocked."))
        return redirect("referrals-dashboard:review")
    taken = services.referral_block(referral=referral, staff_user=request.user, reason=form.cleaned_data["reason"])
    messages.success(request, _("Referral blocked; %(points)s pending points taken back.") % {"points": taken})
    return redirect("referrals-dashboard:review")


@ability_required(MANAGE)
def gift_list(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/dashboard/gift_list.html", {"gifts": Gift.objects.all()})


@ability_required(MANAGE)
def gift_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    gift = get_object_or_404(Gift, pk=pk) if pk else None
    form = GiftForm(request.POST or None, request.FILES or None, instance=gift)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("The gift was saved."))
            return redirect("referrals-dashboard:gift-list")
    return render(request, "referrals/dashboard/gift_form.html", {"form": form, "gift": gift},
                  status=400 if form.errors else 200)


@ability_required(MANAGE)
def redemption_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    redemptions = Redemption.objects.select_related("gift", "customer")
    if status in Redemption.Status.values:
        redemptions = redemptions.filter(status=status)
    return render(request, "referrals/dashboard/redemption_list.html", {
        "redemptions": redemptions[:200], "status": status, "statuses": Redemption.Status.choices,
        "ship_form": ShipForm(), "reason_form": ReasonForm(),
    })


def _act(request: HttpRequest, pk: int, action) -> HttpResponse:
    redemption = get_object_or_404(Redemption, pk=pk)
    try:
        action(redemption)
    except DomainError as error:  # a refused step of the state machine, or ours
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Gift request %(number)s updated.") % {"number": redemption.number})
    return redirect("referrals-dashboard:redemption-list")


@ability_required(MANAGE)
@require_POST
def redemption_ship(request: HttpRequest, pk: int) -> HttpResponse:
    form = ShipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the tracking reference the customer can follow."))
        return redirect("referrals-dashboard:redemption-list")
    return _act(request, pk, lambda r: services.redemption_ship(
        redemption=r, staff_user=request.user, tracking_reference=form.cleaned_data["tracking_reference"],
        carrier=form.cleaned_data["carrier"]))


@ability_required(MANAGE)
@require_POST
def redemption_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda r: services.redemption_deliver(redemption=r, staff_user=request.user))


@ability_required(MANAGE)
@require_POST
def redemption_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the gift request is cancelled; the customer is told."))
        return redirect("referrals-dashboard:redemption-list")
    return _act(request, pk, lambda r: services.redemption_cancel(redemption=r, staff_user=request.user,
                                                                  reason=form.cleaned_data["reason"]))
