"""Expected failures of service jobs: each has a stable code and a message a person can act on."""

from __future__ import annotations

from core import errors as core_errors
from core.errors import DomainError


class JobError(DomainError):
    code = "job_error"


class NotAllowed(JobError, core_errors.NotAllowed):
    """The user may not fire this transition on this job (not theirs, or without the
    named ability)."""

    code = "not_allowed"
    status_code = 403


class InvalidTransition(JobError, core_errors.InvalidTransition):
    """The job is not in a state where this step can happen."""

    code = "invalid_transition"
    status_code = 409


class LeadTimeTooShort(JobError):
    """S1: the requested date is earlier than the service's minimum lead time allows."""

    code = "lead_time_too_short"


class TierNotAllowed(JobError):
    """A5: the service is not offered to the customer's tier."""

    code = "tier_not_allowed"
    status_code = 403


class AreaNotServed(JobError):
    code = "area_not_served"


class ServiceUnavailable(JobError):
    code = "service_unavailable"


class MissingDocuments(JobError):
    """S6: a required document was not provided, or an original has no way to reach us."""

    code = "missing_documents"


class InvalidQuote(JobError):
    code = "invalid_quote"


class QuoteExpired(JobError):
    code = "quote_expired"
    status_code = 409


class QuoteNotCurrent(JobError):
    """The quote was replaced by a newer one (or the job moved on)."""

    code = "quote_not_current"
    status_code = 409


class InvalidVisitTime(JobError):
    code = "invalid_visit_time"


class InvalidAmount(JobError):
    code = "invalid_amount"


class ProviderUnavailable(JobError):
    """The chosen provider cannot take this job (suspended, area, service or slot)."""

    code = "provider_unavailable"
    status_code = 409


class RatingNotAllowed(JobError):
    code = "rating_not_allowed"


class WarrantyExpired(JobError):
    code = "warranty_expired"


class ClaimAlreadyDecided(JobError):
    code = "claim_already_decided"
    status_code = 409


class TooEarly(JobError):
    """The provider tries to start (or finish) a job before its visit time."""

    code = "too_early"
    status_code = 409
