"""The platform's periodic duties, in one list: cron runs `manage.py run_periodic` (every
five minutes is right for all of them), or Celery beat runs the `core.run_periodic` task.

Each duty is an existing management command, so it can also be run, and tested, alone.
One failing duty is logged and reported; the others still run.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.core.management import call_command

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Duty:
    command: str
    why: str


DUTIES: tuple[Duty, ...] = (
    Duty("expire_unpaid_orders", "card orders left unpaid release their stock"),
    Duty("release_vendor_payables", "vendor earnings past the return window become payable"),
    Duty("match_waiting_jobs", "paid jobs waiting for a provider get another matching try"),
    Duty("expire_unmatched_jobs", "jobs no provider took in time are cancelled with a full refund"),
    Duty("expire_unpaid_jobs", "accepted jobs whose upfront payment never came are cancelled"),
    Duty("send_job_card_refunds", "card refunds of jobs that Stripe refused or never answered are retried"),
    Duty("send_shipment_refunds", "card refunds of goods cancelled by the customer that Stripe refused are retried"),
    Duty("send_pending_refunds", "card refunds left pending (Stripe's answer never recorded) are completed once"),
    Duty("send_queued_notifications", "messages queued while the broker was down are sent"),
    Duty("release_referral_points", "gift points past their refund window become available"),
    Duty("expire_referral_points", "gift points past their date expire, after a reminder"),
    Duty("search_replay_pending", "search changes Elasticsearch missed while it was down are sent again"),
    Duty("escalate_tickets", "support tickets past 80 % or 100 % of a time target are flagged and escalated"),
    Duty("fetch_support_mail", "mail to the support address becomes tickets or threads into them"),
    Duty("sample_quality_calls", "once a week, a random share of completed jobs goes on the quality-call list"),
    Duty("expire_idempotency_keys", "API Idempotency-Key answers older than 24 hours are forgotten"),
    Duty("flag_late_errands", "office errands past a step's time target are announced to both offices"),
)


def run_periodic() -> dict[str, str]:
    """Run every duty once; returns each command's last output line or its error."""
    outcomes: dict[str, str] = {}
    for duty in DUTIES:
        out = io.StringIO()
        try:
            call_command(duty.command, stdout=out, stderr=out)
        except Exception as error:  # one broken duty must not stop the others
            logger.exception("Periodic duty %s failed", duty.command)
            outcomes[duty.command] = f"failed: {error}"
            continue
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        outcomes[duty.command] = lines[-1] if lines else "done"
    return outcomes
