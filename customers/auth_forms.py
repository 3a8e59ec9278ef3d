"""Password reset for every active account.

Django's (and so Oscar's) reset form skips accounts whose password is unusable, saying
nothing: a vendor approved without a password, or a customer filed by phone, could then
never sign in. Here any active account with the address gets the link, sent through
`notify` like every other message.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from oscar.apps.customer.forms import PasswordResetForm as OscarPasswordResetForm

from notifications.services import notify


class PasswordResetForm(OscarPasswordResetForm):
    def get_users(self, email):
        User = get_user_model()
        email_field = User.get_email_field_name()
        return User._default_manager.filter(**{f"{email_field}__iexact": email.strip(), "is_active": True})

    def send_password_reset_email(self, site, user, request=None):
        notify(
            event="password_reset",
            recipient=user,
            email=getattr(user, user.get_email_field_name()),
            context={
                "user": user,
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
