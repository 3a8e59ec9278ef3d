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


# ---- Accounts through the API and phone verification (issue 17) ----

class InvalidCredentials(CustomerError):
    """Wrong identifier or password, or an account not yet activated: one answer for all."""

    code = "invalid_credentials"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("The sign-in name or password is not right. Check both and try again."),
                         **kwargs)


class InvalidLink(CustomerError):
    """A password-reset or activation link (uid + token) that is wrong, used or expired."""

    code = "invalid_link"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("This link is not valid any more: it was used, or it has expired. "
                                      "Ask for a new one."), **kwargs)


class DeviceNotFound(CustomerError):
    code = "not_found"
    status_code = 404

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("No signed-in device of yours has this id."), **kwargs)


class RefreshLimitReached(CustomerError):
    """A device token is extended by /refresh/ only up to its longest life from sign-in."""

    code = "refresh_limit_reached"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("This device has been signed in for as long as we allow. Sign in again."),
                         **kwargs)


class NoPhoneToVerify(CustomerError):
    code = "no_phone"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("Enter the mobile number you want to verify."), **kwargs)


class NoCodePending(CustomerError):
    code = "no_code"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("Ask for a code first: none is waiting for you."), **kwargs)


class WrongCode(CustomerError):
    code = "wrong_code"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("That code is not right. Check the text message and try again."), **kwargs)


class CodeExpired(CustomerError):
    code = "code_expired"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("That code has expired. Ask for a new one."), **kwargs)


class TooManyAttempts(CustomerError):
    code = "too_many_attempts"
    status_code = 429

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("Too many wrong codes. Ask for a new code."), **kwargs)


class ResendTooSoon(CustomerError):
    code = "resend_too_soon"
    status_code = 429

    def __init__(self, message=None, *, retry_after: int = 60, **kwargs) -> None:
        self.retry_after = retry_after
        super().__init__(message or _("A code was sent a moment ago. Wait a little before asking for another."),
                         **kwargs)


class NotADeviceToken(CustomerError):
    """Signing out or refreshing needs the app's device token, not a session or API key."""

    code = "not_a_device"
    status_code = 400

    def __init__(self, message=None, **kwargs) -> None:
        super().__init__(message or _("Sign in from the app first: this request is not signed with a device token."),
                         **kwargs)
