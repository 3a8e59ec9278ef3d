"""Job helpers shared by the service-job domain tests (requests, matching, visits)."""

from __future__ import annotations

from services_catalog import services
from services_catalog.models import Job
from tests.factories_services import future_date


def request(customer, service, **kwargs) -> Job:
    """A job requested through the real service, with sensible defaults for the form."""
    defaults = {
        "customer": customer, "service": service, "area": service.areas.first(), "address": "Tehran, Azadi St 1",
        "preferred_date": future_date(service), "slot": "morning",
    }
    return services.job_request(**{**defaults, **kwargs})


def actions(job: Job) -> list[str]:
    """The job's event actions, oldest first."""
    return list(job.events.order_by("pk").values_list("action", flat=True))
