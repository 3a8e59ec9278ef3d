"""Who may read a job's private files (core.private_files): photos and documents."""

from __future__ import annotations

from typing import Any

from core.permissions import Ability, has_ability
from core.private_files import register_private_file

# Staff who open a job on the dashboard (its desk), judge its warranty or complaints, or
# look up a customer's history.
JOB_FILE_ABILITIES = (
    Ability.MANAGE_JOBS, Ability.QUOTE_JOB, Ability.RECORD_CASH, Ability.REFUND_PAYMENT, Ability.FILE_FOR_CALLER,
    Ability.JUDGE_WARRANTY, Ability.RESOLVE_COMPLAINTS, Ability.VIEW_CUSTOMER_HISTORY,
)


def can_read_job_file(user: Any, item: Any) -> bool:
    """The job's customer, the provider assigned to it, and job staff."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    job = item.job
    if job.customer_id == user.pk:
        return True
    if job.provider_id is not None and job.provider.user_id == user.pk:
        return True
    return any(has_ability(user, ability) for ability in JOB_FILE_ABILITIES)


def register() -> None:
    from services_catalog.models import JobDocument, JobPhoto

    register_private_file(JobPhoto, "image", can_read_job_file)
    register_private_file(JobDocument, "file", can_read_job_file)
