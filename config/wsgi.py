import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
application = get_wsgi_application()


def _freeze_start_up_objects() -> None:
    """Move everything loaded at start-up out of the garbage collector's generations.

    Django, Oscar, Wagtail, every view module the URLconf imports and the URL machinery
    live as long as the process (some 300,000 objects). Left in the generations, each full
    collection scanned them all: about half a second on this machine, one request stalled
    while the others queued (issue 16). Frozen, a collection scans only what requests
    allocate. The URLconf is imported first, since Django would otherwise load it on the
    first request, after the freeze; the collection first leaves no garbage in what is frozen.
    Objects are still freed by reference counting, frozen or not.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every view module)
    gc.collect()
    gc.freeze()


_freeze_start_up_objects()
