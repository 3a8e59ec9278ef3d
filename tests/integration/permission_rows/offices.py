"""Permission rows of partner offices (offices/): the office console (clerks of an office),
the staff pages (by ability), the console API. Which errands a clerk sees within these
pages (their office's only) is proven in tests/integration/test_offices_access.py."""

from tests.helpers.matrix import FINANCE, OPERATOR, SIGNED_IN, allowed

CLERK = allowed("clerk")  # file_office_errands (a superuser passes the check, then finds no office: 404)

ROWS = {
    **{f"offices-dashboard:{name}": CLERK for name in (
        "console", "customer", "file", "errand", "errand-act", "cash", "counter-refunds", "counter-refund-back",
    )},
    # P4: a clerk at the counter, or an operator on the phone (file_for_caller)
    "offices-dashboard:order-new": allowed("clerk", OPERATOR),
    "offices-dashboard:order": allowed("clerk", OPERATOR),
    # the customer (their job page), a clerk of either office, staff: checked per errand
    "offices-dashboard:refund-open": SIGNED_IN,
    "offices-dashboard:errand-file": SIGNED_IN,
    # staff: see offices and errands (manage_jobs, pay_out, refund_payment)
    "offices-dashboard:staff-offices": allowed(OPERATOR, FINANCE),
    "offices-dashboard:staff-office": allowed(OPERATOR, FINANCE),
    "offices-dashboard:staff-office-edit": allowed(OPERATOR, FINANCE),
    "offices-dashboard:staff-errands": allowed(OPERATOR, FINANCE),
    "offices-dashboard:staff-errand": allowed(OPERATOR, FINANCE),
    "offices-dashboard:staff-clerk-add": allowed(OPERATOR),  # manage_jobs
    "offices-dashboard:staff-clerk-toggle": allowed(OPERATOR),
    "offices-dashboard:staff-reroute": allowed(OPERATOR),
    "offices-dashboard:staff-payout": allowed(FINANCE),  # pay_out
    "offices-dashboard:staff-refund-decide": allowed(FINANCE),  # refund_payment
    "offices-dashboard:staff-order-refund": allowed(FINANCE),  # refund_payment
    **{f"offices-api:errand-{name}": CLERK for name in (
        "list", "detail", "accept", "decline", "progress", "originals-received", "originals-returned", "result",
        "hand-over", "cash", "refund-back",
    )},
}
