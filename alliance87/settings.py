"""Settings for the Alliance 8.7 portal, read from the environment.

Nothing set: the embedded default (SQLite in var/, Celery eager, DEBUG on, console email).
DATABASE_URL selects PostgreSQL, REDIS_URL the Celery broker and the cache, and
DJANGO_ENV=production the hardened mode. README.md lists every variable.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
DJANGO_ENV = env.str("DJANGO_ENV", default="development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = DJANGO_ENV == "production"

if PRODUCTION:
    # Refuse to start without them: a guessable key or an open host list is never a default.
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
    DEBUG = env.bool("DEBUG", default=False)
else:
    SECRET_KEY = env.str(
        "SECRET_KEY", default="development-only-key-not-for-production-use-0123456789"
    )
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
    DEBUG = env.bool("DEBUG", default=True)

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Before the admin: record texts in English, French and Spanish (each app's translation.py).
    "modeltranslation",
    "alliance87.apps.PortalAdminConfig",  # django.contrib.admin, its lists checked
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "alliance87",
    # Above the four areas it reads (nothing depends on it); first so that its navigation
    # entry comes right after the dashboard.
    "vision",
    "pathfinders",
    "governance",
    "financing",
    "workshops",
    "alliance87.reports",
    "alliance87.outbox",
    "demo",
    # Last: its post_migrate receiver syncs the roles once every app's permissions exist.
    "alliance87.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "alliance87.middleware.PermissionsPolicyMiddleware",
    "alliance87.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are sent compressed (static files already are, by whitenoise, which answers them
    # above). Django's GZip adds random bytes to each response against BREACH, and the CSRF
    # token is masked anew on each page.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads the body (CSRF, the views): too large is refused unread.
    "alliance87.uploads.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Emailed links name the address the portal was reached at (alliance87.links).
    "alliance87.links.RequestBaseMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "alliance87.accounts.middleware.UserLanguageMiddleware",
    "alliance87.accounts.middleware.UserTimeZoneMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alliance87.accounts.middleware.RequireStaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "alliance87.api.middleware.ApiRequestLogMiddleware",
]

ROOT_URLCONF = "alliance87.urls"
WSGI_APPLICATION = "alliance87.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance87.navigation.navigation",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL points elsewhere.
_default_sqlite = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=_default_sqlite)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    # A restarted database is noticed on the next request instead of failing it.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: the Celery broker and the cache when REDIS_URL is set.
REDIS_URL = env.str("REDIS_URL", default="")
# The cache may live in another Redis database than the broker's, so clearing one never
# drops the other's messages.
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
if PRODUCTION and not REDIS_URL:
    # Several web processes need one cache: without it each keeps its own copy, and allauth's
    # rate limits (password reset emails, re-authentication) count per process. Celery needs
    # the broker too; tasks would otherwise run inside the web requests.
    raise ImproperlyConfigured(
        "Set the REDIS_URL environment variable: production mode needs Redis as the Celery "
        "broker and as the cache shared by every web process (e.g. redis://127.0.0.1:6379/0)."
    )
if REDIS_URL:
    # Fails soft: with Redis unreachable every call is a miss and pages are computed afresh
    # (alliance87/cache.py). Redis answers in well under a millisecond on the same network,
    # so short socket timeouts cost nothing and keep a lost Redis from holding requests.
    CACHES = {
        "default": {
            "BACKEND": "alliance87.cache.FailSoftRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "alliance87",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
# Reliability: a task is acknowledged only once done, given back if its worker dies, and a
# worker takes one message at a time. Redis hands an unacknowledged message to another
# worker after the visibility timeout, which must exceed the longest render.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    # A request that asks for a report must not wait long on a broker that is down.
    "socket_connect_timeout": 1,
    "max_retries": 1,
}
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 400_000  # KiB: recycle a child past 400 MB
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Asking for a report must answer even when Redis is down: fail fast, the sweep resends.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Background jobs (alliance87/jobs.py): a running job shows a sign of life every
# JOB_HEARTBEAT_SECONDS; the sweep, sent by beat every JOB_SWEEP_SECONDS, takes back a job
# silent for JOB_LOST_AFTER_SECONDS or running longer than its lease (the last resort, past
# the hard time limit), and sends again a queued one not sent for JOB_RESEND_AFTER_SECONDS.
JOB_HEARTBEAT_SECONDS = env.int("JOB_HEARTBEAT_SECONDS", default=10)
JOB_LOST_AFTER_SECONDS = env.int("JOB_LOST_AFTER_SECONDS", default=45)
JOB_SWEEP_SECONDS = env.int("JOB_SWEEP_SECONDS", default=15)
JOB_RESEND_AFTER_SECONDS = env.int("JOB_RESEND_AFTER_SECONDS", default=120)
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30)
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=3)
JOB_RETRY_MAX_SECONDS = env.int("JOB_RETRY_MAX_SECONDS", default=3600)
CELERY_BEAT_SCHEDULE: dict = {
    "heartbeat": {"task": "alliance87.tasks.heartbeat", "schedule": 60.0},
    "pathfinders-due-date-reminders": {
        "task": "pathfinders.tasks.send_due_date_reminders",
        "schedule": crontab(hour=6, minute=0),
    },
    "pathfinders-alliance-report-after-deadline": {
        "task": "pathfinders.tasks.regenerate_alliance_report",
        "schedule": crontab(hour=4, minute=0),
    },
    "jobs-sweep": {
        "task": "alliance87.tasks.sweep_jobs",
        "schedule": float(JOB_SWEEP_SECONDS),
    },
    "sweep-kept-evidence": {
        "task": "pathfinders.tasks.sweep_kept_evidence",
        "schedule": crontab(minute=17),
    },
    "reports-prune-files": {
        "task": "alliance87.reports.tasks.prune_report_files",
        "schedule": crontab(hour=3, minute=0),
    },
    "governance-flag-inactive-groups": {
        "task": "governance.tasks.flag_inactive_groups",
        "schedule": crontab(hour=5, minute=30),
    },
}
# PDF reports: how many a person may ask for in an hour, how often a render is tried, and
# how long files are kept.
REPORT_REQUESTS_PER_HOUR = env.int("REPORT_REQUESTS_PER_HOUR", default=30)
REPORT_MAX_ATTEMPTS = env.int("REPORT_MAX_ATTEMPTS", default=3)
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=90)
# A group with nothing logged for this many months is flagged inactive.
# An import of funding flows may be undone from its page for this many days (then it stands).
FUNDING_FLOW_IMPORT_UNDO_DAYS = env.int("FUNDING_FLOW_IMPORT_UNDO_DAYS", default=7)
GROUP_INACTIVITY_MONTHS = env.int("GROUP_INACTIVITY_MONTHS", default=12)
# A reported number or percentage more than this many times the country's previous accepted
# value (or less than it divided by this) needs the focal point's explanation.
PATHFINDERS_JUMP_FACTOR = env.float("PATHFINDERS_JUMP_FACTOR", default=2)

# Accounts and sign-in
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_ADAPTER = "alliance87.accounts.adapters.AccountAdapter"
MFA_ADAPTER = "alliance87.accounts.adapters.MFAAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# Changing the password keeps the session it was changed in and ends every other one (the
# session auth hash changes); a reset ends them all.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# A password reset for an address without an account sends nothing: the portal neither
# mails strangers nor, by its answer, tells who has an account.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alliance 8.7] "
# Failed sign-ins and wrong two-factor codes are counted in the database (security events),
# not in allauth's cache: the same count in every process, with Redis down as with it up.
# Five wrong passwords for one address in five minutes, twenty from one IP address; "key"
# rates also limit each person's wrong two-factor codes. allauth's rate syntax (amount/duration/per).
SIGN_IN_FAILURE_LIMITS = env.str("LOGIN_FAILED_RATE_LIMIT", default="20/5m/ip,5/5m/key")
ACCOUNT_RATE_LIMITS = {"login_failed": ""}
# How many proxies of our own stand in front of gunicorn, each appending the address it saw to
# X-Forwarded-For: the client's address is read that far from the right, never further (the
# rest of the header is the client's own word). 0: the header is ignored.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alliance 8.7 portal"
# Two-factor codes are checked by the portal's forms: wrong codes are counted and used TOTP
# codes remembered in the database (accounts.services.two_factor_code_accept).
MFA_FORMS = {
    "authenticate": "alliance87.accounts.forms.TwoFactorAuthenticateForm",
    "reauthenticate": "alliance87.accounts.forms.TwoFactorReauthenticateForm",
}
# Staff (the Secretariat) must have an authenticator before anything else.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)

# Sessions live in the database and expire after this much idle time.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Internationalisation: English, French and Spanish. Times are stored in UTC and shown in each
# person's time zone (alliance87.timezones); UTC to anonymous readers and in shared PDFs.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Named date formats per language (alliance87/formats): "27 Dec 2026", "27 déc. 2026".
FORMAT_MODULE_PATH = ["alliance87.formats"]
# Texts the Secretariat records (indicators, events...) in the three languages, English the
# original and the fallback where a translation is empty (alliance87.templatetags.translated).
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Codes the admin fills in from a name (a Secretariat function's) come from the English.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "en"
TIME_ZONE = "UTC"
USE_TZ = True

# Static and uploaded files: served by the app (whitenoise), never by a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
# Outside production the files are served straight from static/ (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
if not PRODUCTION:
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Uploaded files and PDF reports: local media, or any S3-compatible store by settings alone
# (MEDIA_STORAGE=s3 with the AWS_* variables). Downloads always pass through the portal's
# permission checks; files are never linked directly.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env.str("AWS_S3_REGION_NAME", default=None),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads (alliance87/uploads.py). Each file field has its own rule (kinds, size: at most
# UPLOAD_MAX_FILE_BYTES); a request declaring more than UPLOAD_MAX_REQUEST_BYTES (several
# files of a progress report) is refused before it is read, and no file is stored past
# UPLOAD_MAX_FILE_BYTES while a request is read. The form fields other than files may
# take DATA_UPLOAD_MAX_MEMORY_SIZE; files above FILE_UPLOAD_MAX_MEMORY_SIZE go to disk.
UPLOAD_MAX_FILE_BYTES = 20 * 1024 * 1024
UPLOAD_MAX_REQUEST_BYTES = 50 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "alliance87.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email: the console unless EMAIL_URL names an SMTP server.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Emails go through the outbox (alliance87/outbox/): a refused or lost connection to the mail
# server is tried again, with a growing delay from a minute, this many times in all.
EMAIL_MAX_ATTEMPTS = env.int("EMAIL_MAX_ATTEMPTS", default=6)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Alliance 8.7 <no-reply@alliance87.org>")

# Unhandled errors (in a request or a Celery task) are emailed to the Secretariat's technical
# contact: ADMINS="Name <tech@example.org>,other@example.org", sent from SERVER_EMAIL.
_admins = env.str("ADMINS", default="")
ADMINS = getaddresses([_admins]) if _admins.strip() else []
if any("@" not in address for _name, address in ADMINS):
    raise ImproperlyConfigured(
        f"ADMINS must list email addresses, e.g. 'Tech Team <tech@example.org>': {_admins!r}"
    )
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
EMAIL_SUBJECT_PREFIX = "[Alliance 8.7] "
# And to Sentry when a DSN is set. No personal data is sent: not the user, IP address,
# cookies or request body, nor the functions' local variables (which may hold any record).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=DJANGO_ENV,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        traces_sample_rate=0.0,
    )

# Security headers. The Content-Security-Policy applies in every mode, so a page that
# needs an inline script fails in development first.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page uses, refused to every script (alliance87.middleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # No SECURE_PROXY_SSL_HEADER: Django would take X-Forwarded-Proto from anyone. gunicorn sets
    # the request's scheme from it only for the proxy's addresses (alliance87/gunicorn_conf.py).
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Structured logging: one JSON object a line in production, readable text in development.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "alliance87.logging.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if PRODUCTION else "text",
        },
        # Emails ADMINS (nobody while it is empty); with DEBUG on the error page shows all.
        "mail_admins": {
            "level": "ERROR",
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Errors of requests (django.request), of security checks and of the database.
        "django": {"handlers": ["mail_admins"]},
        # A Celery task that raised: logged once by Celery's tracer, whatever the task.
        "celery.app.trace": {"handlers": ["mail_admins"]},
        "django.request": {"level": "ERROR"},
        "alliance87.security": {"level": "INFO"},
        "alliance87.api": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# bench/pages.py: serve the latency floor (a bare view behind the same middleware).
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)

# Demo logins printed by seed_demo; never created in production mode.
DEMO_PASSWORD = "alliance87-demo"  # noqa: S105  demo only, refused in production

# --- The API (/api/v1/, alliance87/api/) ---------------------------------------------------
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "alliance87.api.authentication.BearerTokenAuthentication",
        "alliance87.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["alliance87.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_RATE_PER_TOKEN", default="600/hour"),
        "anonymous": env.str("API_RATE_ANONYMOUS", default="600/hour"),
    },
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
    "DEFAULT_PAGINATION_CLASS": "alliance87.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "alliance87.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "alliance87.api.schema.PortalAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance 8.7 portal API",
    "DESCRIPTION": (
        "Pathfinder Countries, reporting, GCG governance, events and financing, read as the "
        "pages show them to the same person; a focal point pushes a draft report's values; "
        "the Secretariat upserts funding flows. Send `Authorization: Bearer <token>` with a "
        "personal token from the account's API tokens page. Open data under /api/v1/public/."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "pathfinders.models.ReportStatus",
        "CommitmentStatusEnum": "pathfinders.models.CommitmentStatus",
        "ReportingPeriodKindEnum": "pathfinders.models.ReportingPeriod.Kind",
        "ActionGroupStatusEnum": "governance.models.ActionGroup.Status",
        "ActionGroupKindEnum": "governance.models.ActionGroup.Kind",
        "EventStatusEnum": "workshops.models.Event.Status",
        "EventKindEnum": "workshops.models.Event.Kind",
        "RecipientKindEnum": "financing.models.RecipientKind",
    },
    "EXTENSIONS_INFO": {},
}
OPEN_DATA_LICENCE = env.str(
    "OPEN_DATA_LICENCE", default="Creative Commons Attribution 4.0 International (CC BY 4.0)"
)
OPEN_DATA_MAX_AGE = env.int("OPEN_DATA_MAX_AGE", default=300)
