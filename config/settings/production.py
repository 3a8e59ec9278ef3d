"""Production: every secret and service comes from the environment.

It refuses to start with DEBUG on or with the built-in development secret, so a
half-configured deploy fails loudly instead of serving with unsafe defaults.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSECURE_DEFAULT_SECRET_KEY, env_bool

DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production settings (unset DEBUG).")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a random value of at least 50 characters for production."
    )

SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("Set SITE_URL to the site's public address, e.g. https://shop.example.com.")
WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = SITE_URL
OSCAR_URL_SCHEMA = SITE_URL.split("://", 1)[0]

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed manifest storage, each URL worked out once per process.
    "staticfiles": {"BACKEND": "core.static_storage.StaticFilesStorage"},
}

# /media/ holds public files only (product and CMS images): the web server in front serves
# MEDIA_ROOT at /media/ (README: production serving). Without one, CHAARSOO_SERVE_MEDIA=1
# has Django serve it (core.views.public_media, a day's browser cache). Private files
# (PRIVATE_MEDIA_ROOT) are sent by the web server after core.private_files' check:
# X-Accel-Redirect for nginx (the default here), X-Sendfile for apache, or "django".
CHAARSOO_SERVE_MEDIA = env_bool("CHAARSOO_SERVE_MEDIA", False)
PRIVATE_FILES_SERVER = os.environ.get("PRIVATE_FILES_SERVER", "nginx")

# HTTPS everywhere; TLS is terminated by the proxy in front of gunicorn.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The healthz probe comes from the load balancer over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# The API accepts a session or an API token; never a password on every request (HTTP Basic).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "customers.device_auth.DeviceTokenAuthentication",
    ],
}

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
