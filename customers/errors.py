"""Expected customer failures: each has a stable code and a message a person can act on."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, NotAllowed


class CustomerError(DomainError):
    code = "customer_error"


class InvalidPhone(CustomerError):
    code = "invalid_phone"

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(
            message
            or _(
                "Enter a mobile number such as 0912 345 6789, or a number abroad starting with + and the "
                "country code."
            ),
            **kwargs,
        )


class PhoneInUse(CustomerError):
    code = "phone_in_use"
    status_code = 409

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(
            message
            or _(
                "Another account already uses this mobile number. Enter a different number, or call support "
                "if that account is yours."
            ),
            **kwargs,
        )


class EmailInUse(CustomerError):
    code = "email_in_use"
    status_code = 409

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(
            message
            or _(
                "Another customer already has this email address. Search for them by phone number or "
                "subscription code instead, or leave the email empty."
            ),
            **kwargs,
        )


class InvalidEmail(CustomerError):
    code = "invalid_email"

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("Enter a valid email address, or leave it empty."), **kwargs)


class InvalidChoice(CustomerError):
    code = "invalid_choice"


class OperatorRequired(CustomerError, NotAllowed):
    """Only staff holding `file_for_caller` may open or change customer accounts on a
    customer's behalf."""

    code = "permission_denied"
    status_code = 403

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(
            message or _("Only staff operators can register customers. Sign in with your staff account."),
            **kwargs,
        )
