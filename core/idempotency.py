"""`Idempotency-Key` on every POST under /api/v1/ (issue 17, conventions).

A mobile client that lost the answer to "place my order" or "pay" sends the same request
again with the same key and gets the first answer back instead of a second order:

- The first request with a key inserts a row (client, key, method, path, fingerprint of
  the body) before its view runs. The database's unique constraint decides which of two
  concurrent requests runs: the other one finds the row still running and is answered
  409 `idempotency_key_in_progress` (no cache race, no lock held across the view).
- When the view has answered, its status and body are stored on the row. A later request
  with the same key and the same body gets that answer again, with `Idempotent-Replayed:
  true`; with a different body, 422 `idempotency_key_reused`.
- Answers that say "try again" are not kept (5xx, 401, 403, 408, 429): the row is deleted,
  so the retry runs for real.
- Keys are kept `IDEMPOTENCY_KEY_HOURS` (24); `manage.py expire_idempotency_keys` (a
  periodic duty, core.periodic) deletes older ones, and an older row is never replayed.

The client is the account the view's own authenticators recognise (a token or a session),
or for an anonymous request its session, else its IP address. A view opts out with
`idempotency_exempt = True` (e.g. sign-in, whose answer carries a secret).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import IdempotencyKey
from core.openapi import IDEMPOTENCY_HEADER, REPLAY_HEADER
from core.throttle import client_ip

logger = logging.getLogger(__name__)

API_PREFIX = "/api/v1/"
MAX_KEY_LENGTH = 255
NOT_KEPT_STATUSES = frozenset({401, 403, 408, 429})
# A row still "running" after this long belongs to a request that died: it may be retaken.
ABANDONED_AFTER = timedelta(minutes=10)
_NO_USER = object()


def key_lifetime() -> timedelta:
    return timedelta(hours=int(getattr(settings, "IDEMPOTENCY_KEY_HOURS", 24)))


def _error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse({"code": code, "detail": detail, "fields": {}}, status=status)


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(32 < ord(char) < 127 for char in key)


def _view_class(request: HttpRequest):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)


def client_identity(request: HttpRequest, view_class) -> str:
    """Whose key this is: the account the view's authenticators recognise, else the
    anonymous client (its session, else its IP address)."""
    from rest_framework.request import Request

    user = getattr(request, "user", None)
    if view_class is not None and hasattr(view_class, "get_authenticators"):
        # DRF's Request writes the user it authenticates onto the Django request; left
        # there, the view's SessionAuthentication would take a token client for a session
        # and refuse its POST for want of a CSRF token. Put the request's own user back.
        own_user = request.__dict__.get("user", _NO_USER)
        try:
            drf_request = Request(request, authenticators=view_class().get_authenticators())
            user = drf_request.user
        except Exception:  # refused credentials: the view answers 401/403, which is not kept
            user = None
        finally:
            if own_user is _NO_USER:
                request.__dict__.pop("user", None)
            else:
                request.user = own_user
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    anonymous = f"session:{session_key}" if session_key else f"ip:{client_ip(request)}"
    return "anon:" + hashlib.sha256(anonymous.encode()).hexdigest()[:40]


def body_fingerprint(request: HttpRequest) -> str:
    """sha256 of what was sent: the raw body, or for multipart the fields and each file's
    content (the raw body of an upload may be larger than what Django reads into memory)."""
    digest = hashlib.sha256(request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower().encode())
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        for name in sorted(request.POST):
            for value in request.POST.getlist(name):
                digest.update(f"\x00{name}={value}".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"\x00{name}:{upload.name}:{upload.size}:".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type or None)
    response[REPLAY_HEADER] = "true"
    if record.location:
        response["Location"] = record.location
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None or request.method != "POST" or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        view_class = _view_class(request)
        if view_class is None or getattr(view_class, "idempotency_exempt", False):
            return self.get_response(request)
        if not _valid_key(key):
            return _error(400, "invalid_idempotency_key", _(
                "The Idempotency-Key header must be 1 to 255 printable characters without spaces."))
        identity = {"client": client_identity(request, view_class), "key": key,
                    "method": request.method, "path": request.path[:500]}
        fingerprint = body_fingerprint(request)
        record, answer = self._claim(identity, fingerprint)
        if answer is not None:
            return answer
        response = self.get_response(request)
        self._finish(record, response)
        return response

    def _claim(self, identity: dict[str, str], fingerprint: str) -> tuple[IdempotencyKey | None, HttpResponse | None]:
        """The new row this request owns, or the answer to give instead of running it."""
        for _attempt in range(2):
            try:
                with transaction.atomic():
                    return IdempotencyKey.objects.create(fingerprint=fingerprint, **identity), None
            except IntegrityError:
                existing = IdempotencyKey.objects.filter(**identity).first()
            if existing is None:  # deleted meanwhile (a "try again" answer): claim it anew
                continue
            now = timezone.now()
            stale = existing.created < now - key_lifetime()
            abandoned = existing.status is None and existing.created < now - ABANDONED_AFTER
            if stale or abandoned:
                IdempotencyKey.objects.filter(pk=existing.pk, created=existing.created).delete()
                continue
            if existing.status is None:
                return None, _error(409, "idempotency_key_in_progress", _(
                    "A request with this Idempotency-Key is still being processed; try again in a moment."))
            if existing.fingerprint != fingerprint:
                return None, _error(422, "idempotency_key_reused", _(
                    "This Idempotency-Key was already used for a different request; use a new key."))
            return None, replay(existing)
        return None, _error(409, "idempotency_key_in_progress", _(
            "A request with this Idempotency-Key is still being processed; try again in a moment."))

    @staticmethod
    def _finish(record: IdempotencyKey, response: HttpResponse) -> None:
        keep = (
            response.status_code < 500
            and response.status_code not in NOT_KEPT_STATUSES
            and not response.streaming
        )
        if not keep:
            IdempotencyKey.objects.filter(pk=record.pk).delete()
            return
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        IdempotencyKey.objects.filter(pk=record.pk).update(
            status=response.status_code, body=response.content,
            content_type=response.get("Content-Type", ""), location=response.get("Location", "")[:500],
        )


def expire_keys(now=None) -> int:
    """Delete keys past their lifetime; returns how many."""
    cutoff = (now or timezone.now()) - key_lifetime()
    deleted, _details = IdempotencyKey.objects.filter(created__lt=cutoff).delete()
    return deleted
