"""Whether the calling thread is inside `transaction.atomic`, counted per thread.

`connection.in_atomic_block` cannot tell on in-memory SQLite: a live server thread left by
a browser test shares the test's connection object, so a webhook localstripe delivers
there would show as "in a transaction" in the test's thread. Counting the atomic blocks
each thread entered does not depend on the connection object.
"""

from __future__ import annotations

import threading

from django.db import transaction

_depth = threading.local()


def in_atomic_block_of_this_thread() -> bool:
    return getattr(_depth, "value", 0) > 0


def track_atomic_blocks(monkeypatch) -> None:
    """Count, per thread, the atomic blocks entered and not yet left (for one test)."""
    real_enter, real_exit = transaction.Atomic.__enter__, transaction.Atomic.__exit__

    def enter(self):
        _depth.value = getattr(_depth, "value", 0) + 1
        return real_enter(self)

    def leave(self, exc_type, exc_value, traceback):
        try:
            return real_exit(self, exc_type, exc_value, traceback)
        finally:
            _depth.value = getattr(_depth, "value", 1) - 1

    monkeypatch.setattr(transaction.Atomic, "__enter__", enter)
    monkeypatch.setattr(transaction.Atomic, "__exit__", leave)
