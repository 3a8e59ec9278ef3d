"""Applications to sell (issue 4 point 1): a business applies; staff holding
review_vendor_applications approve it (it becomes an active partner with a contract and a
vendor user) or reject it with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core import clock
from core.permissions import Ability
from notifications.services import notify
from vendors.errors import ApplicationAlreadyDecided, ReasonRequired, VendorError
from vendors.models import Contract, VendorApplication, iban_normalise
from vendors.services._common import Partner, actor, require

APPLICATION_FIELDS = (
    "company_name", "company_name_en", "registration_number", "contact_name", "email", "phone", "address",
    "bank_account_holder", "iban", "stripe_account_id", "message",
)


def application_submit(*, data: dict, categories: Iterable = (), applicant: Any = None) -> VendorApplication:
    """Store a business's application to sell (issue 4 point 1)."""
    fields = {name: (data.get(name) or "").strip() for name in APPLICATION_FIELDS}
    fields["iban"] = iban_normalise(fields["iban"])
    application = VendorApplication(**fields, applicant=actor(applicant))
    pending = VendorApplication.objects.filter(email__iexact=fields["email"], status=VendorApplication.Status.PENDING)
    if fields["email"] and (existing := pending.order_by("pk").first()) is not None:
        return existing  # the same application sent again: one record
    try:
        application.full_clean(exclude=["categories", "applicant", "partner", "decided_by"])
    except ValidationError as exc:
        messages = [str(message) for messages in exc.message_dict.values() for message in messages]
        raise VendorError(" ".join(messages), code="application_invalid") from exc
    try:
        with transaction.atomic():
            application.save()
            application.categories.set(list(categories))
    except IntegrityError:
        # Sent twice at the same moment: the other request's row won the unique index.
        if (existing := pending.order_by("pk").first()) is None:
            raise
        return existing
    return application


def _vendor_user_for(application: VendorApplication) -> Any:
    """The applicant, else the account with the application's email, else a new account
    (it has no password yet: the decision email carries a link to set one)."""
    if application.applicant_id:
        return application.applicant
    User = get_user_model()
    existing = User.objects.filter(email__iexact=application.email, is_active=True).order_by("pk").first()
    if existing is not None:
        return existing
    base = application.email.split("@")[0][:100] or "vendor"
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base}-{get_random_string(6).lower()}"
    user = User(username=username, email=application.email, first_name=application.contact_name[:150])
    user.set_unusable_password()
    user.save()
    return user


def application_approve(
    *, application: VendorApplication, staff_user: Any, commission_rate: Decimal | None = None
) -> Any:
    """Approve: the business becomes an active partner with a contract and a vendor user
    who can use the seller dashboard. Approving twice returns the same partner."""
    require(staff_user, Ability.REVIEW_VENDOR_APPLICATIONS)
    with transaction.atomic():
        application = VendorApplication.objects.select_for_update().get(pk=application.pk)
        if application.status == VendorApplication.Status.APPROVED:
            return application.partner
        if application.status != VendorApplication.Status.PENDING:
            raise ApplicationAlreadyDecided(_("This application was already rejected."))
        if commission_rate is not None and not (Decimal("0") <= Decimal(commission_rate) <= Decimal("1")):
            raise VendorError(_("The commission rate must be between 0 and 1."), code="invalid_commission_rate")
        partner = Partner.objects.create(
            name=application.company_name[:128], name_en=application.company_name_en[:128],
            stripe_account_id=application.stripe_account_id,
        )
        contract_fields: dict[str, Any] = {"partner": partner}
        if commission_rate is not None:
            contract_fields["commission_rate"] = Decimal(commission_rate)
        Contract.objects.create(**contract_fields)
        user = _vendor_user_for(application)
        partner.users.add(user)
        user.user_permissions.add(
            Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
        )
        application.status = VendorApplication.Status.APPROVED
        application.partner = partner
        application.decided_by = staff_user
        application.decided_at = clock.now()
        application.save(update_fields=["status", "partner", "decided_by", "decided_at"])
        _tell_approved(application, user)
        return partner


def _tell_approved(application: VendorApplication, user: Any) -> None:
    """The decision by email and SMS: a link to set a password (one use, it expires like a
    password reset) and the seller dashboard's address."""
    notify(
        event="vendor_application_approved",
        recipient=user,
        email=application.email,
        phone=application.phone or None,
        context={
            "application": application,
            "needs_password": not user.has_usable_password(),
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def application_reject(*, application: VendorApplication, staff_user: Any, reason: str) -> VendorApplication:
    """Reject with the reason the applicant is told. Rejecting twice changes nothing."""
    require(staff_user, Ability.REVIEW_VENDOR_APPLICATIONS)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(_("Say why the application is rejected; the applicant is told."))
    with transaction.atomic():
        application = VendorApplication.objects.select_for_update().get(pk=application.pk)
        if application.status == VendorApplication.Status.REJECTED:
            return application
        if application.status != VendorApplication.Status.PENDING:
            raise ApplicationAlreadyDecided(_("This application was already approved."))
        application.status = VendorApplication.Status.REJECTED
        application.decision_reason = reason
        application.decided_by = staff_user
        application.decided_at = clock.now()
        application.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        notify(
            event="vendor_application_rejected",
            recipient=application.applicant,
            email=application.email,
            phone=application.phone or None,
            context={"application": application},
        )
        return application
