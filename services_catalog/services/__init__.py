"""Every write a service job knows, from request to rating (S1–S8, S10–S13, S15, S17),
split by capability into the modules of this package; every public function (and the
names callers and tests use) is re-exported here, so `from services_catalog import
services; services.job_cancel(...)` keeps working.

- `requests`: a customer (or an operator for a caller, A2) asks for a service (S1, S3, S6);
- `quotes`: review, quote, not feasible, acceptance (S2, S12);
- `matching`: a waiting job goes to a provider; staff reassign; a provider declines (S4, S13);
- `visits`: dispatch, start, work done, change orders, completion (S4, S7, S12);
- `billing`: receipts, cash, settlement, the provider's share on the ledger (S5, S17);
- `refunds`: card refunds, booked in the job's transaction and sent to Stripe after it;
- `cancellation`: cancellation and expiry (S8);
- `ratings` (S15), `warranty` (S11), `complaints` (S10), `providers`, `documents` (S6);
- `_common`: the clock, locks, who-may checks, the machine, notifications (private).

Conventions (the same as payments/ and ledger/):
- keyword-only arguments, each function one `transaction.atomic` block;
- locks are taken in one global order, so no two transitions can wait on each other in a
  cycle: the job row first (`select_for_update`; payments/ locks a payable before its
  payment rows, the same order), then its quote / change order / claim / complaint, then
  the provider, then ledger accounts (ledger.services locks those in pk order). Provider
  rows are locked FOR NO KEY UPDATE (`_lock_provider`): that lock does not conflict with
  the key-share lock PostgreSQL takes on a provider when another transaction books them
  (a SlotBooking or a job pointing at them), so fining provider Q while a warranty redo is
  booked to Q cannot deadlock;
- money is never sent to Stripe inside an open transaction: a card refund is booked in
  the job's transaction (a `JobCardRefund` intent, keyed by the business event: the job's
  cancellation, a duplicate payment...), and sent after it has committed (`refunds`);
  a refused one stays pending and is retried with the same key, so Stripe never pays twice;
- who may act is checked here with named abilities (core.permissions) and party rules,
  with typed errors (`services_catalog.errors`);
- every status change is a named transition of `services_catalog.machine.JOB` (which
  writes the JobEvent: who, when, from, to, why) and notifies the customer by SMS and
  email through `notifications.services.notify`, whose messages are sent only once the
  transaction commits;
- a transition fired twice (double click, replayed webhook) is a no-op that returns the
  same result, never a second charge, refund or credit.

Money: the customer's statement for a job is its JobCharge lines (billed = every line
except refunds); JobReceipt rows record what was paid, one per purpose (full, deposit,
balance). The provider is credited on the ledger (S17) once the job is completed and fully
paid, whatever the method: a card payment (payments/, through the payable adapter in
`services_catalog.payables`) or cash recorded by staff (`job_record_cash_payment`).
Cash handed to a provider in person is not money the platform holds, so it is only
recorded when staff have received it. Likewise a refund of money paid in cash is owed
(`Job.cash_refund_due`) until staff confirm they handed it back (`job_record_cash_refund`);
only then does it count in `amount_refunded`.
"""

from services_catalog.conf import match_hours, payment_hours, quote_valid_days, warranty_days
from services_catalog.selectors import amount_owed, billed_total
from services_catalog.services._common import (
    NUMBER_ALPHABET,
    PLATFORM_COMMISSION_ACCOUNT,
    PLATFORM_FINES_ACCOUNT,
    PLATFORM_SERVICES_ACCOUNT,
    UNCHECKED,
    WORKING_STATUSES,
    Action,
    Status,
    _ledger_account,
    provider_account,
    provider_for,
)
from services_catalog.services.billing import (
    job_payment_received,
    job_record_cash_payment,
    job_record_cash_refund,
    job_refund,
)
from services_catalog.services.cancellation import (
    expire_unmatched_jobs,
    expire_unpaid_jobs,
    job_cancel,
    job_cancellation_preview,
)
from services_catalog.services.complaints import complaint_file, complaint_resolve
from services_catalog.services.documents import job_document_add, job_document_mark, job_photos_add
from services_catalog.services.matching import job_decline, job_match, job_reassign
from services_catalog.services.providers import provider_reinstate, provider_set_availability
from services_catalog.services.quotes import job_review_not_feasible, quote_accept, quote_send
from services_catalog.services.ratings import rating_submit
from services_catalog.services.refunds import send_card_refunds, send_pending_card_refunds
from services_catalog.services.requests import DUPLICATE_REQUEST_WINDOW, earliest_date, job_request
from services_catalog.services.support_visits import job_free_support_visit
from services_catalog.services.visits import (
    START_EARLY_GRACE,
    change_order_decide,
    change_order_propose,
    job_complete,
    job_dispatch,
    job_record_work_done,
    job_start,
)
from services_catalog.services.warranty import warranty_confirm, warranty_reject, warranty_report

__all__ = [
    "job_free_support_visit",
    "DUPLICATE_REQUEST_WINDOW", "NUMBER_ALPHABET", "PLATFORM_COMMISSION_ACCOUNT", "PLATFORM_FINES_ACCOUNT",
    "PLATFORM_SERVICES_ACCOUNT", "START_EARLY_GRACE", "UNCHECKED", "WORKING_STATUSES", "Action", "Status",
    "_ledger_account", "amount_owed", "billed_total", "change_order_decide", "change_order_propose",
    "complaint_file", "complaint_resolve", "earliest_date", "expire_unmatched_jobs", "expire_unpaid_jobs",
    "job_cancel", "job_cancellation_preview", "job_complete", "job_decline", "job_dispatch", "job_document_add",
    "job_document_mark", "job_photos_add", "job_match", "job_payment_received", "job_reassign",
    "job_record_cash_payment",
    "job_record_cash_refund", "job_record_work_done", "job_refund", "job_request", "job_review_not_feasible",
    "job_start",
    "match_hours", "payment_hours", "provider_account", "provider_for", "provider_reinstate",
    "provider_set_availability", "quote_accept", "quote_send", "quote_valid_days", "rating_submit",
    "send_card_refunds", "send_pending_card_refunds", "warranty_confirm", "warranty_days", "warranty_reject",
    "warranty_report",
]
