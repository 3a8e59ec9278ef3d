"""pytest: the same code as production, fast hashing, no page cache between tests."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CHAARSOO_PAGE_CACHE_SECONDS = 0
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# `make test-again`: keep the migrated SQLite test database in a file between runs
# (pytest --reuse-db), so a second run starts in seconds instead of migrating ~340
# migrations again. Without it the test database lives in memory and is made anew.
if os.environ.get("CHAARSOO_TEST_KEEP_DB") and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
