"""Quotable service jobs: the catalogue (categories, areas, services with volume tiers and
required documents), providers with their areas, weekly availability and booked slots, and
the job itself with its quotes, change orders, charges, events, ratings, warranty claims
and complaints.

Rules that fit in one row live here (as methods or database constraints); every write that
moves a job lives in `services_catalog.services`. The models are split by topic into the
modules of this package; every name is re-exported here, so `services_catalog.models.X`
(and the migrations' references) keep working.
"""

from services_catalog.models.billing import ChangeOrder, JobCardRefund, JobCharge, JobReceipt, Quote, QuoteLine
from services_catalog.models.catalogue import Area, PriceTier, RequiredDocument, Service, ServiceCategory
from services_catalog.models.common import (
    CENT,
    SLOTS,
    ZERO,
    Slot,
    Weekday,
    _wants_english,
    default_currency,
    money,
    slot_bounds,
    unit_price_at,
)
from services_catalog.models.history import JobEvent
from services_catalog.models.jobs import Job, JobDecline, JobDocument, JobPhoto, SlotBooking, job_upload_path
from services_catalog.models.providers import Provider, ProviderAvailability
from services_catalog.models.quality import Complaint, ProviderSanction, Rating, WarrantyClaim

__all__ = [
    "Area", "CENT", "ChangeOrder", "Complaint", "Job", "JobCardRefund", "JobCharge", "JobDecline",
    "JobDocument", "JobEvent", "JobPhoto", "JobReceipt", "PriceTier", "Provider", "ProviderAvailability",
    "ProviderSanction", "Quote", "QuoteLine", "Rating", "RequiredDocument", "SLOTS", "Service",
    "ServiceCategory", "Slot", "SlotBooking", "WarrantyClaim", "Weekday", "ZERO", "default_currency",
    "job_upload_path", "money", "slot_bounds", "unit_price_at", "_wants_english",
]
