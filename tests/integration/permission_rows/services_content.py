"""Permission matrix rows of issue 17 points 3 and 4: the service catalogue and the page
API are public to read (signed-in POSTs answer 405, visitors 401/403); the provider's
photos of the work are the provider's own; the staff quote needs quote_job."""

from tests.helpers.matrix import OPERATOR, PROVIDER, PUBLIC_READ, allowed

ROWS = {
    **{f"services_catalog-api:{name}": PUBLIC_READ for name in (
        "service-category-list", "service-category-detail", "service-area-list", "service-area-detail",
        "service-list", "service-detail", "service-availability",
    )},
    "services_catalog-api:provider-job-photos": PROVIDER,
    "staff-api:job-quote": allowed(OPERATOR),  # quote_job
    **{f"wagtailapi:pages:{name}": PUBLIC_READ for name in ("listing", "detail", "find", "by-slug")},
}
