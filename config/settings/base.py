"""Settings shared by every environment.

Everything that differs between a laptop and production is read from the environment,
with an embedded default that needs no service at all (SQLite, local-memory cache,
inline tasks, console email). See the README's table of defaults.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE as CSP_NONCE
from oscar.defaults import *  # noqa: F401,F403  (Oscar's documented way to load its defaults)

from payments.navigation import NAVIGATION as PAYMENTS_NAVIGATION
from referrals.navigation import NAVIGATION as REFERRALS_NAVIGATION
from services_catalog.navigation import NAVIGATION as SERVICES_NAVIGATION
from shop import order_status
from support.navigation import NAVIGATION as SUPPORT_NAVIGATION
from vendors.navigation import NAVIGATION as VENDORS_NAVIGATION

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CHAARSOO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A well-known value that production settings refuse to run with.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-chaarsoo-local-development-key-do-not-deploy"
SECRET_KEY = os.environ.get("SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_ID = 1
WAGTAIL_SITE_NAME = "Chaarsoo"
# The site's own address, for every link that leaves a request (mails, SMS, the CMS API,
# the password-reset mail through django.contrib.sites, which `migrate` keeps in step).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL

INSTALLED_APPS = [
    # daphne first: `runserver` then serves ASGI, so the support chat's WebSockets work in `make run`.
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    # Oscar, with the apps we change forked into shop/ (the Oscar way).
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "shop.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "shop.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    # Oscar's search app is haystack-based; our fork keeps its label ("search") and
    # serves the catalogue from the database instead. Haystack is not installed.
    "shop.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "shop.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "shop.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "treebeard",
    "django_tables2",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail.api.v2",
    "wagtail",
    "modelcluster",
    "taggit",
    # API
    "rest_framework",
    "rest_framework.authtoken",
    # Device tokens for the mobile app: knox's token model and hashing (customers.DeviceToken).
    "knox",
    "django_filters",
    "drf_spectacular",
    # Swagger UI's files, served from our own static files (/api/docs/ works offline).
    "drf_spectacular_sidecar",
    # Ours
    "core",
    "cms",
    "payments",
    "ledger",
    "notifications",
    "customers",
    "vendors",
    "services_catalog",
    "referrals",
    "search.apps.SiteSearchConfig",
    "support",
    "offices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy (with a nonce per request) and Permissions-Policy (core.csp),
    # on every response, the guards' refusals below included.
    "core.csp.ContentPolicyMiddleware",
    # Oversized bodies (413) and NUL characters (400) are refused before anything reads them.
    "core.request_guards.RequestGuardMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, but an API 404 stays a 404 (see core.middleware.LocaleMiddleware).
    "core.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in, password reset and anonymous forms: rate limits; logout is POST only.
    "core.throttle.ThrottleMiddleware",
    # Idempotency-Key on API POSTs: outside the view's transaction, so its row commits first.
    "core.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Oscar's, with the lines loaded in one query (shop.basket_loading).
    "shop.basket_loading.BasketMiddleware",
    # Inside CSRF and auth: it needs request.user and re-issues CSRF tokens on hits.
    "core.page_cache.AnonymousPageCacheMiddleware",
    # Below the page cache, so cached pages are stored already converted.
    "core.middleware.PersianDigitsMiddleware",
    # Wagtail's site for the host from the cache (a query per page otherwise; issue 16).
    "core.middleware.WagtailSiteMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: GET/HEAD views run without the request transaction (no SQLite write lock).
    "core.read_requests.NonAtomicReadsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's default pair, with Oscar's templates marking identifiers as they load
            # (core/template_loaders.py).
            "loaders": [
                (
                    "django.template.loaders.cached.Loader",
                    ["django.template.loaders.filesystem.Loader", "core.template_loaders.Loader"],
                )
            ],
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Not Oscar's notifications processor: it counted unread notifications on
                # every signed-in page (a query) for a badge none of our templates shows.
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
            ],
            "builtins": ["core.templatetags.locale_format"],
        },
    }
]

# Django's renderer, printing plain <input> widgets without three template renders each
# (same bytes; issue 16, core/form_renderer.py).
FORM_RENDERER = "core.form_renderer.FastInputRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Many writers on one file: WAL lets readers run beside a writer, IMMEDIATE takes
    # the write lock at BEGIN (so two writers queue instead of deadlocking on an upgrade
    # from a read lock), and the timeout makes a queued writer wait rather than fail.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=30000;PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0 if DEBUG else 60
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DB_PREPARED_STATEMENTS", True):
    # Server-side binding, and each statement prepared on its connection once it has run
    # DB_PREPARE_THRESHOLD times (psycopg's own default, 5): PostgreSQL then plans it once
    # instead of on every request. Planning was most of the database's CPU on the signed-in
    # pages (about 1 ms for the header's queries alone; issue 16). Django leaves both off
    # for the sake of poolers: behind PgBouncer older than 1.21, or without its
    # max_prepared_statements, set DB_PREPARED_STATEMENTS=0.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=int(os.environ.get("DB_PREPARE_THRESHOLD", "5"))
    )
# Every request is one transaction: an order or a basket change is never half-written.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    from core.release import code_version

    CACHES = {
        "default": {
            # Django's Redis cache that degrades to "no cache" while Redis is down (core.cache).
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # The release in every key: fragments kept under keys of their data must not
            # outlive a deploy that changed the markup that printed them (core.release).
            "KEY_PREFIX": f"chaarsoo:{code_version()}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "chaarsoo",
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Django Channels (the support desk's live chat): in memory for one process (`make run`),
# Redis when REDIS_URL is set, so every ASGI worker shares the chat's messages.
ASGI_APPLICATION = "config.asgi.application"
CHANNEL_LAYERS = (
    {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}}
    if REDIS_URL else {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
)
# The support mailbox (support.services.mail_in): unset means no mail is fetched.
SUPPORT_EMAIL = os.environ.get("SUPPORT_EMAIL", "support@chaarsoo.example")
SUPPORT_IMAP = {
    "host": os.environ.get("SUPPORT_IMAP_HOST", ""),
    "port": int(os.environ.get("SUPPORT_IMAP_PORT", "993")),
    "user": os.environ.get("SUPPORT_IMAP_USER", ""),
    "password": os.environ.get("SUPPORT_IMAP_PASSWORD", ""),
    "ssl": os.environ.get("SUPPORT_IMAP_SSL", "1") == "1",
}

# Celery: Redis when configured, otherwise every task runs inline in the caller.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL or "memory://localhost/")
CELERY_TASK_ALWAYS_EAGER = not bool(os.environ.get("CELERY_BROKER_URL", REDIS_URL))
CELERY_TASK_EAGER_PROPAGATES = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = (
    # Permission checks from one query a request (signs no one in; core/auth_backends.py).
    "core.auth_backends.PermissionsInOneQuery",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "customer:login"

# Language and locale: Persian first (right-to-left), English second.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Ours first; then Persian for the shopper-facing django-oscar strings that Oscar's own fa
# catalogue lacks (kept apart so `make messages` never prunes them).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_oscar"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Private files (core/private_files.py): outside MEDIA_ROOT, served only through a view
# that checks who asks. In production the web server sends the bytes: "nginx" answers
# with X-Accel-Redirect to PRIVATE_FILES_INTERNAL_URL (an `internal` location aliased to
# PRIVATE_MEDIA_ROOT), "apache" with X-Sendfile; "django" streams them itself.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
PRIVATE_FILES_SERVER = os.environ.get("PRIVATE_FILES_SERVER", "django")
PRIVATE_FILES_INTERNAL_URL = os.environ.get("PRIVATE_FILES_INTERNAL_URL", "/internal-private/")
PRIVATE_UPLOAD_MAX_BYTES = int(os.environ.get("PRIVATE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
# Pictures are refused above this many pixels, read from the header before decoding.
UPLOAD_MAX_PIXELS = int(os.environ.get("UPLOAD_MAX_PIXELS", 40_000_000))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Request size limits (core.request_guards): a body over CHAARSOO_MAX_REQUEST_BYTES is
# refused from its Content-Length before it is read; form fields and JSON bodies are held
# to Django's in-memory limit; an image over CHAARSOO_MAX_IMAGE_PIXELS is refused (Pillow
# itself refuses twice that, wherever an image is opened).
CHAARSOO_MAX_REQUEST_BYTES = int(os.environ.get("CHAARSOO_MAX_REQUEST_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
CHAARSOO_MAX_IMAGE_PIXELS = UPLOAD_MAX_PIXELS
WAGTAILIMAGES_MAX_IMAGE_PIXELS = CHAARSOO_MAX_IMAGE_PIXELS
# Rate limits (core.throttle): sign-in per account+IP and per IP, password reset per IP
# and one mail per address per CHAARSOO_RESET_MAIL_MINUTES. Behind a proxy, set
# RATELIMIT_IP_META_KEY to the header it fills with the client's address (HTTP_X_REAL_IP).
CHAARSOO_RESET_MAIL_MINUTES = int(os.environ.get("CHAARSOO_RESET_MAIL_MINUTES", "5"))
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None
# With the cache (Redis) unreachable, counters cannot be kept: requests pass (logged).
RATELIMIT_FAIL_OPEN = True

# Booking horizon: a job cannot be booked further ahead than this many days.
CHAARSOO_BOOKING_HORIZON_DAYS = int(os.environ.get("CHAARSOO_BOOKING_HORIZON_DAYS", "365"))

# A message whose provider (SMTP, SMS) is down stays queued and is sent again by the
# send_queued_notifications duty (every five minutes), up to this many attempts.
CHAARSOO_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("CHAARSOO_NOTIFY_MAX_ATTEMPTS", "12"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Chaarsoo <no-reply@chaarsoo.local>")

# Oscar
OSCAR_SHOP_NAME = "Chaarsoo"
OSCAR_SHOP_TAGLINE = ""
OSCAR_DEFAULT_CURRENCY = os.environ.get("CHAARSOO_CURRENCY", "EUR")
OSCAR_HOMEPAGE = "/"
OSCAR_URL_SCHEMA = SITE_URL.split("://", 1)[0]
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = False
OSCAR_THUMBNAILER = "core.thumbnails.FileThumbnailer"
OSCAR_MISSING_IMAGE_URL = "image_not_found.jpg"
OSCAR_INITIAL_ORDER_STATUS = order_status.INITIAL
OSCAR_INITIAL_LINE_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = order_status.PIPELINE
# Dates in Oscar's templates follow the active language (Jalali for fa, see core).
# Oscar's class loader imports its own search modules, which import haystack, before it
# finds our database-backed overrides. Haystack is not an installed app and indexes
# nothing; this inert setting only lets those imports succeed.
OSCAR_DASHBOARD_NAVIGATION = OSCAR_DASHBOARD_NAVIGATION + [  # noqa: F405
    *PAYMENTS_NAVIGATION,
    *VENDORS_NAVIGATION,
    *SERVICES_NAVIGATION,
    *REFERRALS_NAVIGATION,
    *SUPPORT_NAVIGATION,
]
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Wagtail
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# Rich text in the page API as display HTML (links and embeds expanded), not database HTML.
WAGTAILAPI_RICH_TEXT_FORMAT = "html"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "txt", "png", "jpg"]

# REST API
REST_FRAMEWORK = {
    # Documents every error status each operation can answer (core.openapi).
    "DEFAULT_SCHEMA_CLASS": "core.openapi.ChaarsooAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # An API key per account (Django admin: Auth Token), sent as "Authorization: Token <key>".
        "rest_framework.authentication.TokenAuthentication",
        # A signed-in device (mobile app): "Authorization: Bearer <token>" from /api/v1/auth/sign-in/.
        "customers.device_auth.DeviceTokenAuthentication",
        # Development only: production settings drop HTTP Basic (passwords on every request).
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CHAARSOO_API_RATE_ANON", "300/min"),
        "user": os.environ.get("CHAARSOO_API_RATE_USER", "1200/min"),
    },
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # One pagination style for every list: ?page=&page_size= (core.api, docs/api.md).
    "DEFAULT_PAGINATION_CLASS": "core.api.StandardPagination",
    "PAGE_SIZE": 20,
    # ?ordering= on views that declare ordering_fields.
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "core.api.DeclaredOrderingFilter",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
# Device tokens (django-rest-knox's token and hashing, in customers.DeviceToken, read by
# customers/device_auth.py): stored as a hash, one per signed-in device, valid for TOKEN_TTL;
# /auth/refresh/ extends it, never past AUTO_REFRESH_MAX_TTL from sign-in. "Bearer", so
# DRF's own "Token <key>" keeps working. (Not KNOX_TOKEN_MODEL: knox's migrations create
# its table even when swapped, and PostgreSQL then cannot flush auth_user in tests.)
REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Bearer",
    "TOKEN_TTL": timedelta(days=int(os.environ.get("CHAARSOO_DEVICE_TOKEN_DAYS", "30"))),
    "AUTO_REFRESH": False,
    "AUTO_REFRESH_MAX_TTL": timedelta(days=int(os.environ.get("CHAARSOO_DEVICE_TOKEN_MAX_DAYS", "180"))),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chaarsoo API",
    # The description (auth, errors, idempotency, pagination, languages) is set by
    # core.openapi.describe_api.
    "DESCRIPTION": "The API of the Chaarsoo marketplace.",
    "PREPROCESSING_HOOKS": ["core.api.schema_endpoints"],
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.openapi.describe_api"],
    # One documented body type per operation: JSON, or multipart where a view says so
    # (uploads). Several (DRF's JSON, form and multipart parsers) make generated clients
    # take an optional union body (openapi-python-client 0.29 then fails to import).
    "PARSER_WHITELIST": ["rest_framework.parsers.JSONParser"],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Each app's "status" is its own choice set: name each one in the schema.
    "ENUM_NAME_OVERRIDES": {
        "TicketStatusEnum": "support.models.tickets.Ticket.Status",
        "TicketChannelEnum": "support.models.tickets.Channel",
        "ChatStatusEnum": "support.models.chat.ChatSession.Status",
        "ErrandStatusEnum": "offices.models.errands.Errand.Status",
        "ErrandRefundStatusEnum": "offices.models.errands.RefundRequest.Status",
        "ReferralStatusEnum": "referrals.models.Referral.Status",
        "EarningStatusEnum": "referrals.models.Earning.Status",
        "RedemptionStatusEnum": "referrals.models.Redemption.Status",
        "ShipmentStatusEnum": "vendors.models.Shipment.Status",
        "WarrantyClaimStatusEnum": "vendors.models.WarrantyClaim.Status",
        "PaymentStatusEnum": "payments.models.Payment.Status",
        "JobDocumentDeliveryEnum": "services_catalog.models.jobs.JobDocument.Delivery",
        "SlotEnum": "services_catalog.models.common.Slot",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
}

# Stripe (payments/). Card payments are offered only when both keys are set.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_JS_URL = os.environ.get("STRIPE_JS_URL", "https://js.stripe.com/v3/")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_WEBHOOK_TOLERANCE = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE", "300"))
STRIPE_TIMEOUT_SECONDS = int(os.environ.get("STRIPE_TIMEOUT_SECONDS", "20"))
STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "2"))
# Which checkout payment methods are offered, in order; "card" needs the Stripe keys.
CHAARSOO_CHECKOUT_PAYMENT_METHODS = env_list("CHAARSOO_CHECKOUT_PAYMENT_METHODS", "card,cod")

# Content Security Policy (django-csp; core.csp adds Stripe's origins when Stripe is
# configured, and lets the two admin sites keep their own inline scripts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", CSP_NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

# Anonymous full-page cache (core.page_cache): seconds a rendered page is reused.
CHAARSOO_PAGE_CACHE_SECONDS = int(os.environ.get("CHAARSOO_PAGE_CACHE_SECONDS", "300"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Quality policy (core/quality.py): fine per confirmed warranty failure and the number of
# confirmed failures within a window that suspends a provider (S11) or a vendor (P3).
CHAARSOO_QUALITY_POLICY = {
    "provider": {
        "fine_rate": os.environ.get("CHAARSOO_PROVIDER_FINE_RATE", "0.07"),
        "suspend_after": int(os.environ.get("CHAARSOO_PROVIDER_SUSPEND_AFTER", "3")),
        "window_days": int(os.environ.get("CHAARSOO_PROVIDER_FAILURE_WINDOW_DAYS", "180")),
    },
    "vendor": {
        "fine_rate": os.environ.get("CHAARSOO_VENDOR_FINE_RATE", "0.07"),
        "suspend_after": int(os.environ.get("CHAARSOO_VENDOR_SUSPEND_AFTER", "3")),
        "window_days": int(os.environ.get("CHAARSOO_VENDOR_FAILURE_WINDOW_DAYS", "180")),
    },
}
# SMS goes through one interface (notifications/sms.py); the console backend prints and
# stores each message.
CHAARSOO_SMS_BACKEND = os.environ.get("CHAARSOO_SMS_BACKEND", "notifications.sms.ConsoleSMSBackend")
# The production provider: CHAARSOO_SMS_BACKEND=notifications.kavenegar.KavenegarSMSBackend.
KAVENEGAR_API_KEY = os.environ.get("KAVENEGAR_API_KEY", "")
KAVENEGAR_SENDER = os.environ.get("KAVENEGAR_SENDER", "")
KAVENEGAR_API_BASE = os.environ.get("KAVENEGAR_API_BASE", "https://api.kavenegar.com")

# Service jobs (services_catalog/): how long a quote stays valid, how long a paid job waits
# for a provider before it is cancelled with a full refund, how long an accepted quote waits
# for its upfront payment, and the workmanship warranty (S11).
CHAARSOO_JOB_QUOTE_VALID_DAYS = int(os.environ.get("CHAARSOO_JOB_QUOTE_VALID_DAYS", "3"))
CHAARSOO_JOB_MATCH_HOURS = int(os.environ.get("CHAARSOO_JOB_MATCH_HOURS", "48"))
CHAARSOO_JOB_PAYMENT_HOURS = int(os.environ.get("CHAARSOO_JOB_PAYMENT_HOURS", "24"))
CHAARSOO_WARRANTY_DAYS = int(os.environ.get("CHAARSOO_WARRANTY_DAYS", "90"))

# Periodic duties (core/periodic.py): Celery beat runs them when workers are configured;
# without a broker, run `manage.py run_periodic` from cron every five minutes.
CELERY_BEAT_SCHEDULE = {
    "chaarsoo-periodic-duties": {
        "task": "core.run_periodic",
        "schedule": float(os.environ.get("CHAARSOO_PERIODIC_SECONDS", "300")),
    }
}
