"""REST API of service jobs (issue 5 point 13), in the OpenAPI schema.

- `/api/v1/jobs/…` for customers: their own jobs with the timeline (S7), requesting a
  service, accepting the quote (S12), paying (S5), the cancellation fee before cancelling
  (S8), deciding change orders (S12), rating (S15), warranty (S11) and complaints (S10).
- `/api/v1/provider/…` for providers: the jobs assigned to them and every step they take,
  booked slots and weekly availability (S13), earnings on the ledger (S17).

Each user sees only their own jobs: another's job number answers 404. A rule the service
refuses comes back as a 4xx `{"code", "detail"}` (core.api.exception_handler).

`/api/v1/services/…`, `/api/v1/service-categories/` and `/api/v1/service-areas/` are the
public catalogue (module `catalogue`).

The API is split into `serializers`, `catalogue`, `customer` (JobViewSet) and `provider`
(ProviderJobViewSet, ProviderSlotsView, ProviderEarningsView); the names are re-exported
here for the URL configuration.
"""

from services_catalog.api.catalogue import AreaViewSet, ServiceCategoryViewSet, ServiceViewSet
from services_catalog.api.customer import CardUnavailable, JobViewSet, NotPayableQuote
from services_catalog.api.provider import IsProvider, ProviderEarningsView, ProviderJobViewSet, ProviderSlotsView

__all__ = [
    "AreaViewSet", "ServiceCategoryViewSet", "ServiceViewSet",
    "CardUnavailable", "IsProvider", "JobViewSet", "NotPayableQuote", "ProviderEarningsView", "ProviderJobViewSet",
    "ProviderSlotsView",
]
