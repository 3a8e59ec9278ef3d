"""Journey parts of issue 17 (services and content) as plain functions over the client
generated from our schema: only generated operations, so a call the client cannot
express is a schema defect. The lead chains them with the accounts and shopping parts.

- `customer_books_a_job`: browse services, the earliest date and free slots of an area,
  request a job with a document scan and a photo (one multipart call), staff quote it
  (staff API), accept, pay by card (localstripe, then Stripe's webhook), let the provider
  do the job, follow it to completion, rate.
- `provider_does_the_job`: the offered (assigned) job, dispatch with a visit time, start,
  photos of the work, complete, rate the customer.
- `reader_opens_content`: the home page with its product shelf resolved and a help
  article by slug, in fa and en.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import io
import json
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
from PIL import Image

from services_catalog.models import slot_bounds
from tests.api_client.conftest import operation
from tests.conftest import WEBHOOK_SECRET

GOOD_CARD = "4242424242424242"


def _ok(response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.content[:500]!r}"
    return response.parsed


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(buffer, "PNG")
    return buffer.getvalue()


def _key(idempotency: str | None, name: str) -> dict:
    """The `idempotency_key` argument of a creating or paying POST, when keys are sent."""
    return {"idempotency_key": f"{idempotency}-{name}"} if idempotency else {}


def _file(pkg: ModuleType, name: str, content: bytes, mime: str) -> Any:
    return pkg.types.File(payload=io.BytesIO(content), file_name=name, mime_type=mime)


# ------------------------------------------------------------------ Stripe, as the app's SDK and Stripe do
def pay_with_card_and_webhook(stripe_client, *, client_secret: str, base_url: str, event_id: str) -> int:
    """What Stripe's mobile SDK does with the client secret (attach a card, confirm), then
    what Stripe does next (a signed payment_intent.succeeded webhook). Returns its status."""
    intent_id = client_secret.split("_secret_", 1)[0]
    method = stripe_client.v1.payment_methods.create(
        {"type": "card", "card": {"number": GOOD_CARD, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
    )
    stripe_client.v1.payment_intents.update(intent_id, {"payment_method": method.id})
    stripe_client.v1.payment_intents.confirm(intent_id)
    intent = stripe_client.v1.payment_intents.retrieve(intent_id).to_dict()
    payload = json.dumps({"id": event_id, "object": "event", "type": "payment_intent.succeeded",
                          "data": {"object": intent}, "created": int(time.time())})
    stamp = int(time.time())
    signature = hmac.new(WEBHOOK_SECRET.encode(), f"{stamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    response = httpx.post(f"{base_url}/payments/stripe/webhook/", content=payload, timeout=30,
                          headers={"Content-Type": "application/json", "Stripe-Signature": f"t={stamp},v1={signature}"})
    return response.status_code


# ------------------------------------------------------------------ the customer
def customer_books_a_job(
    pkg: ModuleType,
    api_client: Callable[..., Any],
    token: str,
    prefix: str,
    stripe_client,
    *,
    service_slug: str,
    staff_token: str,
    base_url: str,
    provider_works: Callable[[str], dict],
    language: str = "en",
    idempotency: str | None = None,
) -> dict:
    """A customer books a quoted service with a document and a photo, pays by card and
    follows the job to completion; returns what was seen along the way.

    With `idempotency` (a key prefix) the creating and paying POSTs send an Idempotency-Key."""
    client = api_client(token=token, prefix=prefix, language=language)
    seen: dict[str, Any] = {}

    # Browse: the service in the catalogue, its documents, an area and its free slots.
    listed = _ok(operation(pkg, "services", "services_list").sync_detailed(client=client))
    assert service_slug in [item.slug for item in listed.results]
    service = _ok(operation(pkg, "services", "services_retrieve").sync_detailed(service_slug, client=client))
    seen["service"] = service
    area = service.areas[0].slug
    availability = _ok(operation(pkg, "services", "services_availability_retrieve").sync_detailed(
        service_slug, client=client, area=area, days=7))
    assert availability.earliest_date == service.earliest_date
    slot = next(s for s in availability.slots if s.free)
    seen["slot"] = slot

    # Request with a document scan and a photo, in one multipart call.
    requirement = service.required_documents[0]
    body = pkg.models.JobRequestUpload(
        service=service_slug, area=area, address="Tehran, Vanak Sq., No. 7", preferred_date=slot.date,
        slot=pkg.models.SlotEnum(slot.slot), description="Two rooms to repaint",
        documents=[pkg.models.DocumentUploadInput(
            requirement=requirement.id, delivery=pkg.models.JobDocumentDeliveryEnum("upload"), file_index=0)],
        photos=[_file(pkg, "wall.png", _png(), "image/png")],
        document_files=[_file(pkg, "deed.pdf", b"%PDF-1.4 title deed", "application/pdf")],
    )
    job = _ok(operation(pkg, "jobs", "jobs_create").sync_detailed(
        client=client, body=body, **_key(idempotency, "job")), 201)
    number = job.number
    assert job.status == "requested" and len(job.photos) == 1 and job.documents[0].delivery == "upload"
    seen["requested"] = job

    # Staff review it and send the quote (S2), through the staff API.
    staff = api_client(token=staff_token, prefix=prefix, language=language)
    quote_in = pkg.models.QuoteInput(lines=[pkg.models.QuoteLineInput(
        description="Repainting, two rooms", quantity="2", unit_price="1500000")])
    _ok(operation(pkg, "staff", "staff_jobs_quote_create").sync_detailed(number, client=staff, body=quote_in))

    # Accept the quote (S12), then pay what is due now by card (S5).
    quoted = _ok(operation(pkg, "jobs", "jobs_retrieve").sync_detailed(number, client=client))
    assert quoted.status == "quoted" and quoted.quote.total == "3000000.00"
    accepted = _ok(operation(pkg, "jobs", "jobs_accept_quote_create").sync_detailed(
        number, client=client, body=pkg.models.AcceptQuote(quote=quoted.quote.id), **_key(idempotency, "accept")))
    assert accepted.payment_due is not None and accepted.payment_due.card_available
    pay = _ok(operation(pkg, "jobs", "jobs_pay_create").sync_detailed(
        number, client=client, **_key(idempotency, "pay")))
    assert pay.amount == "3000000.00"
    assert pay_with_card_and_webhook(stripe_client, client_secret=pay.client_secret, base_url=base_url,
                                     event_id=f"evt_journey_{number}") == 200
    paid = _ok(operation(pkg, "jobs", "jobs_retrieve").sync_detailed(number, client=client))
    assert paid.amount_paid == "3000000.00" and paid.status == "assigned" and paid.provider
    seen["paid"] = paid

    # The provider does the work; the customer follows it to completion (S7) and rates (S15).
    seen["provider"] = provider_works(number)
    done = _ok(operation(pkg, "jobs", "jobs_retrieve").sync_detailed(number, client=client))
    assert done.status == "completed"
    assert {"dispatched", "started", "photos_added", "completed"} <= {event.action for event in done.timeline}
    assert len(done.photos) == 1 + len(seen["provider"]["photos"])
    rating = _ok(operation(pkg, "jobs", "jobs_rate_create").sync_detailed(
        number, client=client, body=pkg.models.Rate(score=5, comment="Tidy work"), **_key(idempotency, "rate")), 201)
    seen["done"], seen["rating"] = done, rating
    return seen


# ------------------------------------------------------------------ the provider
def provider_does_the_job(
    pkg: ModuleType,
    api_client: Callable[..., Any],
    token: str,
    prefix: str,
    *,
    number: str,
    visit_arrives: Callable[[str], None],
    language: str = "en",
) -> dict:
    """The provider sees the job offered to them, sets the visit time, starts at the visit,
    photographs the work, completes it and rates the customer."""
    client = api_client(token=token, prefix=prefix, language=language)
    offered = _ok(operation(pkg, "provider", "provider_jobs_list").sync_detailed(client=client, status="assigned"))
    job = next(item for item in offered.results if item.number == number)
    start, _end = slot_bounds(job.preferred_date, getattr(job.slot, "value", job.slot))
    visit_at = start + datetime.timedelta(hours=1)
    dispatched = _ok(operation(pkg, "provider", "provider_jobs_dispatch_create").sync_detailed(
        number, client=client, body=pkg.models.Dispatch(visit_at=visit_at)))
    assert dispatched.status == "dispatched"
    visit_arrives(number)  # the visit's day comes (work cannot start before it)
    started = _ok(operation(pkg, "provider", "provider_jobs_start_create").sync_detailed(number, client=client))
    assert started.status == "in_progress"
    photos = _ok(operation(pkg, "provider", "provider_jobs_photos_create").sync_detailed(
        number, client=client, body=pkg.models.Photos(photos=[_file(pkg, "done.png", _png(), "image/png")])), 201)
    completed = _ok(operation(pkg, "provider", "provider_jobs_complete_create").sync_detailed(number, client=client))
    assert completed.status == "completed"
    rating = _ok(operation(pkg, "provider", "provider_jobs_rate_create").sync_detailed(
        number, client=client, body=pkg.models.Rate(score=5)), 201)
    return {"photos": photos, "completed": completed, "rating": rating}


# ------------------------------------------------------------------ a reader of the content
def reader_opens_content(pkg: ModuleType, api_client: Callable[..., Any], *, article_slug: str) -> dict:
    """In fa and en: the home page with its product shelf resolved in the same call, and a
    help article by its slug."""
    seen: dict[str, Any] = {}
    for language in ("fa", "en"):
        client = api_client(language=language)
        homes = _ok(operation(pkg, "cms", "cms_pages_list").sync_detailed(client=client, type_="cms.HomePage"))
        (home_item,) = homes.items
        assert home_item.meta.locale == language
        home = _ok(operation(pkg, "cms", "cms_pages_retrieve").sync_detailed(home_item.id, client=client))
        # The body's blocks come out of the generated client as typed objects (the schema's
        # ContentBlock, discriminated by `type`), a shelf's products with their price.
        shelves = [block.value for block in home.body if block.type_ == "products"]
        products = shelves[0].products
        assert products and all(p.price.incl_tax and p.availability.message for p in products)
        article = _ok(operation(pkg, "cms", "cms_pages_by_slug").sync_detailed(article_slug, client=client))
        assert article.meta.type_ == "cms.HelpArticlePage" and article.meta.locale == language
        seen[language] = {"home": home, "products": products, "article": article}
    return seen
