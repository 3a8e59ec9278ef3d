"""The seller dashboard (a vendor's users) and the staff's vendor pages.

Every seller page starts from the signed-in user's vendor (`vendor_for_user`) and looks
objects up *through* it, so another vendor's shipment, claim or stock record answers 404,
never its data. Views fetch, validate, call one service and render; the rules live in
vendors.services, whose typed errors are shown as form errors or messages.

Staff pages ask for the named ability of what they do (core.permissions): reviewing
applications, managing vendors, and on the vendor page each action its own (suspend_party,
fine_party, pay_out, judge_warranty). A signed-in user without it gets the 403 page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.errors import DomainError
from core.permissions import Ability, ability_required, has_ability
from core.templatetags.locale_format import date as local_date
from core.text import normalize_identifier
from vendors import selectors, services
from vendors.charts import Series, bar_chart_svg
from vendors.forms import (
    ApproveApplicationForm,
    ClaimRespondForm,
    FineForm,
    PayoutForm,
    ReasonForm,
    ShipForm,
    StockForm,
)
from vendors.models import Payout, Shipment, ShipmentLine, VendorApplication, WarrantyClaim
from vendors.shipment_rows import shipment_rows

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

SHIPMENTS_PER_PAGE = 50
ROWS_PER_PAGE = 30
OPEN_SHIPMENT_STATUSES = selectors.OPEN_SHIPMENT_STATUSES
SUSPENDED_MESSAGE = gettext_lazy("Your shop is suspended: the dashboard is read-only.")


# ------------------------------------------------------------------ access
def vendor_required(view: Callable) -> Callable:
    """Signed-in users who work for a vendor; the view receives that vendor.

    Anonymous visitors go to the sign-in page; signed-in users without a vendor (staff
    included: they use the staff pages) get 403.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        partner = services.vendor_for_user(request.user)
        if partner is None:
            raise PermissionDenied
        request.user._vendors_nav_partner = partner  # the menu's access check reuses it (navigation.py)
        return view(request, partner, *args, **kwargs)

    return wrapper


def _writable(request: HttpRequest, partner) -> bool:
    """A suspended vendor's dashboard is read-only (its users still see what they are owed)."""
    if partner.is_suspended:
        messages.error(request, SUSPENDED_MESSAGE)
        return False
    return True


def _page(request: HttpRequest, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _seller_context(partner, **extra) -> dict:
    return {"vendor": partner, "can_act": not partner.is_suspended, **extra}


# ------------------------------------------------------------------ seller pages
@vendor_required
def home(request: HttpRequest, partner) -> HttpResponse:
    return render(
        request,
        "vendors/dashboard/home.html",
        _seller_context(
            partner, balance=selectors.vendor_balance(partner=partner), **selectors.seller_home_counts(partner=partner)
        ),
    )


def shipment_list_rows(shipments: QuerySet) -> QuerySet:
    """The shipment list's rows: `shipments` (shipment_list_filtered: the vendor's visible
    shipments) newest first, with only what the list shows; shipment_rows reads them as
    values and loads their lines (a vendor with 10,000 order lines: 50 shipments, two
    queries).

    The order's number and destination come as columns of the shipment rows, not as
    Order and ShippingAddress objects (issue 16). Built here rather than by trimming
    selectors.vendor_shipments: undoing its select_related and prefetch cost more CPU
    than the page's queries."""
    return shipments.annotate(
        order_number=F("order__number"),
        ship_city=F("order__shipping_address__line4"),
        ship_state=F("order__shipping_address__state"),
    ).order_by("-created", "-pk")


def shipment_list_filtered(*, partner, status: str = "") -> QuerySet:
    """The vendor's visible shipments the status filter keeps, nothing joined but what the
    WHERE needs (the order, for its status): what the list counts."""
    shipments = selectors.visible_to_vendor(Shipment.objects.filter(partner=partner))
    if status == "open":
        return shipments.filter(status__in=OPEN_SHIPMENT_STATUSES)
    if status in Shipment.Status.values:
        return shipments.filter(status=status)
    return shipments


class _CountedPaginator(Paginator):
    """A Paginator counting `count_queryset` (the same rows without the page's joins and
    columns): Django's COUNT keeps the annotations' LEFT JOIN to the shipping address."""

    def __init__(self, object_list: QuerySet, per_page: int, count_queryset: QuerySet) -> None:
        super().__init__(object_list, per_page)
        self._count_queryset = count_queryset

    @cached_property
    def count(self) -> int:
        return self._count_queryset.count()


@vendor_required
def shipment_list(request: HttpRequest, partner) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Shipment.Status.values and status != "open":
        status = ""
    shipments = shipment_list_filtered(partner=partner, status=status)
    paginator = _CountedPaginator(shipment_list_rows(shipments), SHIPMENTS_PER_PAGE, count_queryset=shipments)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "vendors/dashboard/shipment_list.html",
        _seller_context(
            partner, page_obj=page, shipments=page.object_list, rows=shipment_rows(page.object_list), status=status,
            statuses=Shipment.Status.choices,
        ),
    )


def _own_shipment(partner, pk: int) -> Shipment:
    return get_object_or_404(
        selectors.visible_to_vendor(
            Shipment.objects.select_related("order", "order__shipping_address", "order__shipping_address__country")
        ),
        pk=pk, partner=partner,
    )


@vendor_required
def shipment_detail(request: HttpRequest, partner, pk: int) -> HttpResponse:
    return _shipment_page(request, partner, _own_shipment(partner, pk), "vendors-dashboard:shipment-detail")


@ability_required(Ability.ACT_FOR_VENDOR)
def staff_shipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff process any vendor's shipment (a vendor without a login, or unreachable):
    the same page and steps; the events name the staff member who acted."""
    shipment = get_object_or_404(
        selectors.visible_to_vendor(
            Shipment.objects.select_related(
                "partner", "order", "order__shipping_address", "order__shipping_address__country"
            )
        ),
        pk=pk,
    )
    return _shipment_page(request, shipment.partner, shipment, "vendors-dashboard:staff-shipment-detail")


def _shipment_page(request: HttpRequest, partner, shipment: Shipment, url_name: str) -> HttpResponse:
    ship_form = ShipForm()
    if request.method == "POST":
        if not _writable(request, partner):
            return redirect(url_name, pk=shipment.pk)
        action = request.POST.get("action", "")
        if action == "ship":
            ship_form = ShipForm(request.POST)
        try:
            done = _shipment_action(request, shipment, action, ship_form)
        except DomainError as exc:
            if action == "ship":
                ship_form.add_error(None, exc.message)
            else:
                messages.error(request, exc.message)
                return redirect(url_name, pk=shipment.pk)
        else:
            if done:
                messages.success(request, done)
                return redirect(url_name, pk=shipment.pk)
    lines = shipment.lines.select_related("line", "line__product").order_by("pk")
    for item in lines:
        item.shipment = shipment  # warranty_ends_on() reads the delivery date from here
    return render(
        request,
        "vendors/dashboard/shipment_detail.html",
        _seller_context(
            partner, shipment=shipment, lines=lines, ship_form=ship_form, events=_history(shipment, partner),
            acting_for_vendor=url_name.endswith("staff-shipment-detail"),
        ),
    )


def _history(shipment: Shipment, partner) -> list:
    """The shipment's events with their status names in the reader's language and, for a
    step taken by platform staff on the vendor's behalf, who took it."""
    names = dict(Shipment.Status.choices)
    vendor_user_ids = set(partner.users.values_list("pk", flat=True))
    events = list(shipment.events.select_related("actor").order_by("created", "pk"))
    for event in events:
        event.from_label = names.get(event.from_status, "")
        event.to_label = names.get(event.to_status, "")
        event.by_staff = event.actor if event.actor_id and event.actor_id not in vendor_user_ids else None
        event.note_html = _event_note(event)
    return events


def _event_note(event) -> str:
    """The note in the reader's language, rendered from what the code wrote: a tracking
    reference keeps its characters, the code's own English phrases are translated."""
    note = event.note or ""
    if event.action == "place":
        return _("Order placed")
    if event.action == "close":
        return _("Order cancelled")
    if event.action == "install" and note.startswith("installation done: "):
        return format_html(_("Installation done: {title}"), title=note.removeprefix("installation done: "))
    if event.action == "ship" and note:
        carrier, _space, reference = note.rpartition(" ")
        return format_html('{} <bdi dir="ltr">{}</bdi>', carrier, reference)
    return note


def _shipment_action(request: HttpRequest, shipment: Shipment, action: str, ship_form: ShipForm) -> str | None:
    """Run one transition; the success message, or None when the form needs correcting."""
    user = request.user
    if action == "confirm":
        services.shipment_confirm(shipment=shipment, user=user)
        return _("Order confirmed.")
    if action == "ship":
        if not ship_form.is_valid():
            return None
        services.shipment_ship(
            shipment=shipment, user=user, tracking_reference=ship_form.cleaned_data["tracking_reference"],
            carrier=ship_form.cleaned_data["carrier"],
        )
        return _("Marked as shipped; the customer has been told the tracking reference.")
    if action == "deliver":
        services.shipment_deliver(shipment=shipment, user=user)
        return _("Marked as delivered: the warranty starts today.")
    if action == "installation":
        line = get_object_or_404(ShipmentLine, pk=request.POST.get("line") or 0, shipment=shipment)
        services.installation_mark_done(shipment_line=line, user=user)
        return _("Installation recorded as done.")
    messages.error(request, _("Unknown action."))
    return None


@vendor_required
def claim_list(request: HttpRequest, partner) -> HttpResponse:
    claims = selectors.vendor_claims(partner=partner)
    status = request.GET.get("status", "")
    if status in WarrantyClaim.Status.values:
        claims = claims.filter(status=status)
    else:
        status = ""
    page = _page(request, claims, ROWS_PER_PAGE)
    return render(
        request,
        "vendors/dashboard/claim_list.html",
        _seller_context(
            partner, page_obj=page, claims=page.object_list, status=status, statuses=WarrantyClaim.Status.choices
        ),
    )


@vendor_required
def claim_detail(request: HttpRequest, partner, pk: int) -> HttpResponse:
    claim = get_object_or_404(selectors.vendor_claims(partner=partner).prefetch_related("photos"), pk=pk)
    form = ClaimRespondForm(request.POST or None)
    if request.method == "POST":
        if not _writable(request, partner):
            return redirect("vendors-dashboard:claim-detail", pk=claim.pk)
        if form.is_valid():
            try:
                services.warranty_claim_respond(
                    claim=claim, user=request.user, accept=form.accepted, response=form.cleaned_data["response"]
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Your answer was sent to the customer."))
                return redirect("vendors-dashboard:claim-detail", pk=claim.pk)
    return render(request, "vendors/dashboard/claim_detail.html", _seller_context(partner, claim=claim, form=form))


@vendor_required
def payout_list(request: HttpRequest, partner) -> HttpResponse:
    page = _page(request, Payout.objects.filter(partner=partner), ROWS_PER_PAGE)
    return render(
        request,
        "vendors/dashboard/payout_list.html",
        _seller_context(partner, balance=selectors.vendor_balance(partner=partner), page_obj=page,
                        payouts=page.object_list),
    )


@vendor_required
def stock_list(request: HttpRequest, partner) -> HttpResponse:
    records = selectors.vendor_stockrecords(partner=partner)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        records = records.filter(
            Q(product__title__icontains=query) | Q(product__title_en__icontains=query) | Q(partner_sku__icontains=query)
        )
    page = _page(request, records, ROWS_PER_PAGE)
    stockrecords = selectors.with_contracted_quantities(partner=partner, records=page.object_list)
    return render(
        request,
        "vendors/dashboard/stock_list.html",
        _seller_context(partner, page_obj=page, stockrecords=stockrecords, query=query),
    )


@vendor_required
def stock_update(request: HttpRequest, partner, pk: int) -> HttpResponse:
    record = get_object_or_404(selectors.vendor_stockrecords(partner=partner), pk=pk)
    form = StockForm(request.POST or None, initial={"num_in_stock": record.num_in_stock, "price": record.price})
    if request.method == "POST":
        if not _writable(request, partner):
            return redirect("vendors-dashboard:stock-list")
        if form.is_valid():
            try:
                services.stock_set(
                    stockrecord=record, num_in_stock=form.cleaned_data["num_in_stock"],
                    price=form.cleaned_data["price"], user=request.user,
                )
            except DomainError as exc:
                form.add_error("num_in_stock", exc.message)
            else:
                messages.success(request, _("Stock and price saved."))
                return redirect("vendors-dashboard:stock-list")
    record = selectors.with_contracted_quantities(partner=partner, records=[record])[0]
    return render(request, "vendors/dashboard/stock_form.html", _seller_context(partner, record=record, form=form))


CHART_SERIES = (
    (gettext_lazy("Delivered"), "#0d6efd", "delivered"),
    (gettext_lazy("On time"), "#198754", "on_time"),
    (gettext_lazy("Claims"), "#dc3545", "claims"),
)


def performance_chart(monthly: list[dict]) -> str:
    return bar_chart_svg(
        title=_("Deliveries, on-time deliveries and warranty claims per month"),
        groups=[(local_date(month["month"], "M"), [month[key] for _l, _c, key in CHART_SERIES]) for month in monthly],
        series=[Series(label=str(label), colour=colour) for label, colour, _k in CHART_SERIES],
        rtl=translation.get_language_bidi(),
    )


@vendor_required
def performance(request: HttpRequest, partner) -> HttpResponse:
    figures = selectors.vendor_performance(partner=partner)
    rate = figures.get("on_time_rate")
    return render(
        request,
        "vendors/dashboard/performance.html",
        _seller_context(
            partner, performance=figures, chart=performance_chart(figures["monthly"]),
            on_time_percent=None if rate is None else round(rate * 100),
            currency=settings.OSCAR_DEFAULT_CURRENCY,
        ),
    )


# ------------------------------------------------------------------ staff pages
@ability_required(Ability.REVIEW_VENDOR_APPLICATIONS)
def application_list(request: HttpRequest) -> HttpResponse:
    applications = VendorApplication.objects.all()
    status = request.GET.get("status", "")
    if status in VendorApplication.Status.values:
        applications = applications.filter(status=status)
    else:
        status = ""
    page = _page(request, applications, ROWS_PER_PAGE)
    return render(
        request,
        "vendors/dashboard/application_list.html",
        {"page_obj": page, "applications": page.object_list, "status": status,
         "statuses": VendorApplication.Status.choices},
    )


@ability_required(Ability.REVIEW_VENDOR_APPLICATIONS)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(
        VendorApplication.objects.select_related("partner", "decided_by").prefetch_related("categories"), pk=pk
    )
    action = request.POST.get("action") if request.method == "POST" else None
    approve_form = ApproveApplicationForm(request.POST if action == "approve" else None)
    reject_form = ReasonForm(request.POST if action == "reject" else None)
    try:
        if action == "approve" and approve_form.is_valid():
            partner = services.application_approve(
                application=application, staff_user=request.user,
                commission_rate=approve_form.cleaned_data["commission_rate"],
            )
            messages.success(
                request, _("Approved: %(vendor)s can now sell; the applicant was sent a link to set a password.")
                % {"vendor": partner.display_name},
            )
            return redirect("vendors-dashboard:vendor-detail", pk=partner.pk)
        if action == "reject" and reject_form.is_valid():
            services.application_reject(
                application=application, staff_user=request.user, reason=reject_form.cleaned_data["reason"]
            )
            messages.success(request, _("Rejected; the applicant has been told why."))
            return redirect("vendors-dashboard:application-detail", pk=application.pk)
    except DomainError as exc:
        (approve_form if action == "approve" else reject_form).add_error(None, exc.message)
    return render(
        request,
        "vendors/dashboard/application_detail.html",
        {"application": application, "approve_form": approve_form, "reject_form": reject_form},
    )


@ability_required(Ability.MANAGE_VENDORS)
def vendor_list(request: HttpRequest) -> HttpResponse:
    partners = Partner.objects.select_related("contract").order_by("name")
    status = request.GET.get("status", "")
    if status in Partner.Status.values:
        partners = partners.filter(status=status)
    else:
        status = ""
    query = normalize_identifier(request.GET.get("q", ""))[:100]
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(code__icontains=query))
    page = _page(request, partners, ROWS_PER_PAGE)
    return render(
        request,
        "vendors/dashboard/vendor_list.html",
        {"page_obj": page, "partners": page.object_list, "status": status, "statuses": Partner.Status.choices,
         "query": query,
         "pending_applications": VendorApplication.objects.filter(status=VendorApplication.Status.PENDING).count(),
         "can_review_applications": has_ability(request.user, Ability.REVIEW_VENDOR_APPLICATIONS)},
    )


# What each action on the vendor page needs, beyond seeing the page (manage_vendors).
VENDOR_ACTIONS: dict[str, Ability] = {
    "suspend": Ability.SUSPEND_PARTY,
    "reinstate": Ability.SUSPEND_PARTY,
    "fine": Ability.FINE_PARTY,
    "payout": Ability.PAY_OUT,
    "uphold": Ability.JUDGE_WARRANTY,
}


# A payout is sent to Stripe right after it is recorded: no request-wide transaction may
# be open then (the services commit each action in their own transaction).
@transaction.non_atomic_requests
@ability_required(Ability.MANAGE_VENDORS)
def vendor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    partner = get_object_or_404(Partner.objects.prefetch_related("users"), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in VENDOR_ACTIONS and not has_ability(request.user, VENDOR_ACTIONS[action]):
        raise PermissionDenied
    suspend_form = ReasonForm(request.POST if action == "suspend" else None, prefix="suspend")
    fine_form = FineForm(request.POST if action == "fine" else None, prefix="fine")
    payout_form = PayoutForm(request.POST if action == "payout" else None, prefix="payout")
    forms_by_action = {"suspend": suspend_form, "fine": fine_form, "payout": payout_form}
    try:
        if action == "uphold":
            done = _uphold_claim(request, partner)
        else:
            done = _vendor_action(request, partner, action, suspend_form, fine_form, payout_form)
    except DomainError as exc:
        form = forms_by_action.get(action)
        if form is None:
            messages.error(request, exc.message)
            return redirect("vendors-dashboard:vendor-detail", pk=partner.pk)
        form.add_error(None, exc.message)
    else:
        if done:
            messages.success(request, done)
            return redirect("vendors-dashboard:vendor-detail", pk=partner.pk)
    may = {f"can_{name}": has_ability(request.user, ability) for name, ability in VENDOR_ACTIONS.items()}
    return render(
        request,
        "vendors/dashboard/vendor_detail.html",
        {
            "partner": partner,
            **selectors.vendor_page(partner=partner),
            "suspend_form": suspend_form, "fine_form": fine_form, "payout_form": payout_form,
            "can_act_for_vendor": has_ability(request.user, Ability.ACT_FOR_VENDOR),
            **may,
        },
    )


def _uphold_claim(request: HttpRequest, partner: Partner) -> str:
    """Staff overrule a rejection: only a claim on this vendor's goods can be named."""
    claim = get_object_or_404(
        WarrantyClaim, pk=request.POST.get("claim"), shipment_line__shipment__partner=partner
    )
    services.warranty_claim_uphold(claim=claim, staff_user=request.user, response=request.POST.get("response", ""))
    return _("The claim is upheld: the vendor is fined under the quality policy and both sides are told.")


def _vendor_action(request, partner, action, suspend_form, fine_form, payout_form) -> str | None:
    staff = request.user
    if action == "suspend" and suspend_form.is_valid():
        services.vendor_suspend(partner=partner, staff_user=staff, reason=suspend_form.cleaned_data["reason"])
        return _("Suspended: the vendor's products are hidden from the storefront.")
    if action == "reinstate":
        services.vendor_reinstate(partner=partner, staff_user=staff)
        return _("Reinstated: the vendor's products are back on the storefront.")
    if action == "fine" and fine_form.is_valid():
        services.vendor_fine(
            partner=partner, amount=fine_form.cleaned_data["amount"], reason=fine_form.cleaned_data["reason"],
            staff_user=staff, idempotency_key=fine_form.cleaned_data["idempotency_key"],
        )
        return _("The fine was recorded and taken from the vendor's balance.")
    if action == "payout" and payout_form.is_valid():
        payout = services.payout_create(
            partner=partner, amount=payout_form.cleaned_data["amount"], user=staff,
            idempotency_key=payout_form.cleaned_data["idempotency_key"],
        )
        return _("Payout of %(amount)s %(currency)s recorded.") % {"amount": payout.amount, "currency": payout.currency}
    return None
