"""Demo data for customers: every account has its profile, the demo customer a mobile number.

Called by `manage.py seed_demo` (idempotent: a second run changes nothing).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from customers.models import CustomerProfile
from customers.services import profile_create, profile_for

DEMO_CUSTOMER = "customer"
DEMO_CUSTOMER_PHONE = "+989121234567"


def seed(command) -> None:
    User = get_user_model()
    with transaction.atomic():
        # Accounts bulk-inserted without signals still get their profile and code.
        for user in User.objects.filter(profile__isnull=True).order_by("pk"):
            profile_create(user=user)
        customer = User.objects.filter(username=DEMO_CUSTOMER).first()
        if customer is None:
            return
        profile = profile_for(customer)
        if not profile.phone and not CustomerProfile.objects.filter(phone=DEMO_CUSTOMER_PHONE).exists():
            profile.phone = DEMO_CUSTOMER_PHONE
            profile.save(update_fields=["phone", "updated"])
    if not getattr(command, "quiet", False):
        command.stdout.write(
            f"Demo customer: mobile {profile.phone or '-'}, subscription code {profile.subscription_code} "
            "(operators find them by either)."
        )
