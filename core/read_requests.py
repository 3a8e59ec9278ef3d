"""GET and HEAD requests run their view without the request transaction (issue 16).

`ATOMIC_REQUESTS` wraps every view in a transaction so that a POST never half-writes an
order or a basket. On SQLite that transaction begins IMMEDIATE (config.settings: two
writers queue instead of deadlocking), which takes the database's single write lock for
the whole view: every page view, even a pure read, waited for every other one, and two
gunicorn workers rendered one page at a time (the profiler showed `BEGIN IMMEDIATE` on
every page; a 10 ms page served 44 requests/s on two workers).

Reading needs no such lock. This middleware, last in MIDDLEWARE, calls the view itself for
GET and HEAD (a response from `process_view` is what Django then renders), so the view
runs in autocommit: reads take no write lock, and the rare write a read makes (Oscar's
record of a signed-in shopper's product view) is its own short statement that waits its
turn. Every other method keeps the request transaction, and views marked
`transaction.non_atomic_requests` are unchanged. Domain services open their own
transactions (and `select_for_update`) whatever the request method.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

READ_METHODS = frozenset({"GET", "HEAD"})


class NonAtomicReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if request.method not in READ_METHODS:
            return None
        try:
            return view_func(request, *view_args, **view_kwargs)
        except Exception as error:
            # A response made here skips the other middleware's process_exception, so
            # the guards' answers (503 when the database is down, JSON for the API) are
            # asked for here; anything else goes on to Django's handler as before.
            from core.request_guards import response_for_exception

            response = response_for_exception(request, error)
            if response is None:
                raise
            return response
