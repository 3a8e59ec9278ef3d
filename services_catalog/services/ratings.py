"""Ratings (S15): each side rates the other once after completion."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from services_catalog.errors import NotAllowed, RatingNotAllowed
from services_catalog.models import Job, Rating
from services_catalog.services._common import (
    Action,
    Status,
    _is_customer,
    _is_job_provider,
    _lock_provider,
    _locked,
    _log,
)


def rating_submit(*, job: Job, user, score: int, comment: str = "") -> Rating:
    """S15: each side rates the other once, after completion, participants only. The
    customer's ratings feed the provider's average (matching ranks by it). Rating again
    returns the first rating unchanged."""
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise RatingNotAllowed(_("Choose a score from 1 to 5."))
    with transaction.atomic():
        job = _locked(job)
        if _is_customer(user, job):
            side = Rating.Side.CUSTOMER
        elif _is_job_provider(user, job):
            side = Rating.Side.PROVIDER
        else:
            raise NotAllowed(_("Only the customer and the provider of a job can rate it."))
        if job.status != Status.COMPLETED:
            raise RatingNotAllowed(_("A job can be rated once it is completed."))
        existing = job.ratings.filter(side=side).first()
        if existing is not None:
            return existing
        rating = Rating.objects.create(job=job, side=side, rater=user, score=score, comment=(comment or "").strip())
        if side == Rating.Side.CUSTOMER:
            provider = _lock_provider(job.provider_id)
            stats = Rating.objects.filter(side=Rating.Side.CUSTOMER, job__provider=provider).aggregate(
                total=Sum("score"), count=Count("pk")
            )
            provider.rating_count = stats["count"]
            provider.rating_average = (Decimal(stats["total"]) / Decimal(stats["count"])).quantize(Decimal("0.01"))
            provider.save(update_fields=["rating_count", "rating_average"])
        _log(job, Action.RATED, actor=user, note=f"{side}: {score}")
        return rating
