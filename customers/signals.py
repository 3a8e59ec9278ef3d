"""Every new account gets its profile and subscription code (A1, A6) the moment it exists.

A signal because we do not own the senders: Oscar's registration, Django's
createsuperuser, the admin and the demo seed all create users their own way.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from customers.services import profile_create


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="customers_profile_for_new_user")
def create_profile_for_new_user(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:  # raw: fixtures bring their own profile rows
        return
    profile_create(user=instance)
