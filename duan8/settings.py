"""Settings for duan8: one file, configured by environment variables (see .env.example)."""

import os
import tempfile
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from duan8.core.env import check_secret_key, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# PRODUCTION=1 turns on every protection and refuses to start with DEBUG or without a secret key.
PRODUCTION = env_bool("PRODUCTION", default=False)
DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_secret("SECRET_KEY", default="dev-only-not-secret")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (unset DEBUG or set DEBUG=0).")
if PRODUCTION or not DEBUG:
    check_secret_key(SECRET_KEY)  # not blank, not the development key, long and varied
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # the API (issue 16): DRF, its OpenAPI schema with the documentation page's files served from
    # the package (no CDN: users may be offline), and the hashed API keys our tokens extend
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework_api_key",
    "duan8.core",
    "duan8.legal",
    "duan8.accounts",
    "duan8.jobs",  # long work off the request: Celery jobs (issue 18; duan8/jobs/README.md)
    "duan8.orgunits",
    "duan8.programs",
    "duan8.activities",
    "duan8.documents",
    "duan8.reports",
    "duan8.finance",
    "duan8.mothers",
    "duan8.supervision",
    "duan8.api",
    "duan8.offline",
    # above the domains: the audit viewer, and the demo data (which drives every app)
    "duan8.trail",
    "duan8.demo",
]

MIDDLEWARE = [
    # First: every answer (even a redirect to HTTPS) carries an X-Request-ID and an access line.
    "duan8.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise (static files come pre-compressed, images are not compressed again) and
    # before anything that writes the body. BREACH: Django masks the CSRF token differently in
    # every response, the mitigation its documentation gives for compressed HTTPS pages (and the
    # middleware pads each answer by a random length, "Heal the Breach").
    # Streaming answers (exports, downloads) are compressed chunk by chunk, still streamed.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside SessionMiddleware: renews an active session every few minutes, not on every request.
    "duan8.accounts.sessions.SessionRenewMiddleware",
    "duan8.core.i18n.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "duan8.core.audit.AuditContextMiddleware",
    "duan8.core.security.ContentSecurityPolicyMiddleware",
    "duan8.core.security.NoStoreForUsersMiddleware",
    "duan8.core.security.RefuseNulCharactersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "duan8.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "duan8.urls"
WSGI_APPLICATION = "duan8.wsgi.application"

TEMPLATES = [
    {
        # Django's, with the i18n library replaced below (duan8/core/template_i18n.py)
        "BACKEND": "duan8.core.template_i18n.Templates",
        "NAME": "django",  # the alias Django's own backend has (engines["django"])
        "DIRS": [BASE_DIR / "duan8" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            # Django's i18n library with constant {% translate %} tags kept per language.
            "libraries": {"i18n": "duan8.core.template_i18n"},
        },
    },
]
# Every form's widgets written directly, the same HTML as Django's widget templates
# (duan8/core/form_renderer.py): a select's options are not a template each.
FORM_RENDERER = "duan8.core.form_renderer.DirectWidgets"

if env_str("DB", default="sqlite") == "postgres":
    DB = {
        # Django's, reading timestamps with psycopg's compiled loader (duan8/core/postgresql)
        "ENGINE": "duan8.core.postgresql",
        "HOST": env_str("DB_HOST", default="127.0.0.1"),
        "PORT": env_str("DB_PORT", default="5432"),
        "NAME": env_str("DB_NAME", default="duan8"),
        "USER": env_str("DB_USER", default="postgres"),
        "PASSWORD": env_secret("DB_PASSWORD", default=""),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", default=60),
        # A connection dropped by the server (restart, failover) is replaced before the request
        # uses it, instead of costing one 500 per worker.
        "CONN_HEALTH_CHECKS": True,
        # Statements a connection keeps prepared for the reads that ask (core.postgresql); 0: none
        "OPTIONS": {"prepared_reads": env_int("DB_PREPARED_READS", default=200)},
    }
else:
    DB = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", default=str(BASE_DIR / "duan8.sqlite3")),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
        # A file, not shared-cache memory, so that tests with two connections wait on locks
        # the way production does instead of failing with "table is locked".
        # One file per process, so two test runs on one machine do not clobber each other.
        "TEST": {
            "NAME": env_str(
                "SQLITE_TEST_PATH",
                default=str(Path(tempfile.gettempdir()) / f"duan8-test-{os.getpid()}.sqlite3"),
            )
        },
    }
DATABASES = {"default": DB}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["duan8.accounts.backends.ThrottledModelBackend"]
# LOGIN_MAX_FAILURES failed sign-ins against one user name within LOGIN_LOCKOUT_SECONDS lock that
# account (even its right password) for the rest of the window, except in a browser where it
# signed in before (accounts.backends: known devices). LOGIN_MAX_FAILURES_PER_ADDRESS
# failures from one address mark it as suspect (warned, audited) but never refuse a right password
# for an account that is not itself locked: behind a proxy or NAT, many users share an address.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", default=5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", default=30)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)
# How many reverse proxies (nginx: one) append to X-Forwarded-For in front of the app. 0 (default):
# the client address is REMOTE_ADDR and X-Forwarded-For is ignored (a client could forge it).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "duan8.accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "duan8" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "duan8" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Sessions end after SESSION_COOKIE_AGE seconds without activity, renewed at most every
# SESSION_RENEW_SECONDS (duan8.accounts.sessions): not a database write on every request.
SESSION_ENGINE = "duan8.accounts.sessions"  # the database, the read of each request compiled once
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=2 * 3600)
SESSION_RENEW_SECONDS = env_int("SESSION_RENEW_SECONDS", default=300)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LOG_FORMAT = env_str("LOG_FORMAT", default="text")  # "json" in production: one object per line
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_refusals": {"()": "duan8.core.logs.OneLineRefusals"},
        # request_id and user_id on every record written during a request (core/request_id.py)
        "request_context": {"()": "duan8.core.logs.RequestContext"},
    },
    "formatters": {
        "text": {"()": "duan8.core.logs.TextFormatter"},
        "json": {"()": "duan8.core.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": LOG_FORMAT,
        }
    },
    "loggers": {
        # A refusal (403) is an ordinary event, already in the audit trail: one line, no traceback.
        "django.request": {"filters": ["one_line_refusals"]},
        # One access line per request (method, path, status, ms, request id); ACCESS_LOG=0: none.
        "duan8.request": {"level": "INFO" if env_bool("ACCESS_LOG", default=True) else "WARNING"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
}
# /healthz (core/health.py): free space MEDIA_ROOT must keep, and the task queue's broker
# (redis://… or amqp://…; empty: no broker to check).
HEALTH_MIN_FREE_MB = env_int("HEALTH_MIN_FREE_MB", default=500)
TASK_BROKER_URL = env_secret("TASK_BROKER_URL", default="")

# The task queue (issue 18; duan8/jobs/README.md, docs/deploy.md "Task queue"): Celery on
# TASK_BROKER_URL (redis://… or amqp://…); empty: kombu's filesystem transport in TASK_QUEUE_DIR,
# served by the worker `make run` starts. JOBS_EAGER=1 runs each job in the submitting process
# (tests: duan8/jobs/pytest_plugin.py); never in production.
TASK_QUEUE_DIR = Path(env_str("TASK_QUEUE_DIR", default=str(BASE_DIR / "var" / "queue")))
CELERY_BROKER_URL = TASK_BROKER_URL or "filesystem://"
# The queue the web machines send jobs to and the workers read (one name per deployment).
TASK_QUEUE_NAME = env_str("TASK_QUEUE_NAME", default="duan8")
CELERY_TASK_DEFAULT_QUEUE = TASK_QUEUE_NAME
CELERY_BROKER_TRANSPORT_OPTIONS: dict = (
    {}
    if TASK_BROKER_URL
    else {
        "data_folder_in": str(TASK_QUEUE_DIR / "messages"),
        "data_folder_out": str(TASK_QUEUE_DIR / "messages"),
        "control_folder": str(TASK_QUEUE_DIR / "control"),
        "store_processed": False,
    }
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True  # a job's message is acknowledged when it ends, not when it starts
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a killed worker's job goes back to the queue
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one job at a time, the others wait
CELERY_TASK_IGNORE_RESULT = True  # a job's state and file are in the database (jobs.Job)
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING, with request ids
# Celery beat (`celery -A duan8.jobs.celery_app beat`): the reminders' e-mails, daily at 07:00.
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {
        "task": "duan8.jobs.submit_scheduled",
        "schedule": crontab(hour=7, minute=0),
        "kwargs": {"kind": "reports.reminders", "params": {"days": 7}},
    }
}
JOBS_EAGER = env_bool("JOBS_EAGER", default=False)
# A running job whose worker wrote no heartbeat for this many minutes is taken as dead: the user
# may run it again.
JOB_STALE_MINUTES = env_int("JOB_STALE_MINUTES", default=10)
# The kinds of job: name -> dotted path of a ``duan8.jobs.kinds.JobKind`` in the app doing the
# work (the jobs app imports none of them). Another app adds its own line here.
JOB_KINDS = {
    "documents.plan_pdf": "duan8.documents.jobs.PLAN_PDF",
    "reports.report_pdf": "duan8.reports.jobs.REPORT_PDF",
    "reports.report_docx": "duan8.reports.jobs.REPORT_DOCX",
    "reports.report_xlsx": "duan8.reports.jobs.REPORT_XLSX",
    "reports.reminders": "duan8.reports.jobs.REMINDERS",
    "reports.data_export": "duan8.reports.exports.jobs.DATA_EXPORT",
    "activities.excel_save": "duan8.activities.jobs.EXCEL_SAVE",
}

# The API (/api/v1/, issue 16; docs/api.md).
API_RATE = env_str("API_RATE", default="600/min")  # requests per token (or signed-in user)
API_ANON_RATE = env_str("API_ANON_RATE", default="60/min")  # requests per address, no token
API_MAX_BODY = env_int("API_MAX_BODY", default=1024 * 1024)  # bytes of a request body
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", default=365)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "duan8.api.authentication.TokenAuthentication",
        "duan8.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "duan8.api.authentication.TokenScope",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "duan8.api.throttling.TokenRateThrottle",
        "duan8.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"token": API_RATE, "anonymous": API_ANON_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "duan8.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "duan8.api.errors.exception_handler",
    # no OPTIONS descriptions built from the serializers: the OpenAPI schema describes every
    # operation, and building them ran views' code outside their checks (OPTIONS answers 405)
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "duan8 API",
    "DESCRIPTION": (
        "API của duan8: kế hoạch, kết quả thực hiện, báo cáo, ngân sách, hỗ trợ bà mẹ và giám sát"
        " của Dự án 8.\n\n*The duan8 API: plans, what was carried out, reports, money, the"
        " mothers' support and supervision of Project 8.* See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums"],
}

# Page size of list pages (plans, units).
PAGE_SIZE = env_int("PAGE_SIZE", default=50)
MOTHERS_RETENTION_YEARS = env_int("MOTHERS_RETENTION_YEARS", default=10)  # docs/personal-data.md

# Attachments of events and groups (photos, minutes, video, documents): kept under MEDIA_ROOT,
# never served directly, only through views that check access.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_MAX_VIDEO_BYTES = env_int("ATTACHMENT_MAX_VIDEO_BYTES", default=100 * 1024 * 1024)
# E-mail (report reminders, ``duan8 send_reminders``): printed on the console unless configured.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="duan8@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
# The address of the site, for links in e-mails.
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000")

# Excel uploads (templates filled in by communes).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)
# An upload of more rows than this is saved by the worker (a job), not in the request.
UPLOAD_ROWS_IN_REQUEST = env_int("UPLOAD_ROWS_IN_REQUEST", default=300)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Functions run before a plan is approved, each returning its blocking problems (errors).
PLAN_APPROVAL_CHECKS = [
    "duan8.documents.checks.plan_check",
    "duan8.supervision.feedback.plan_feedback_check",  # social feedback, shown as warnings
]  # errors block, warnings are shown
# Sections added to the plan page by apps above programs: each takes (request, plan) and returns
# HTML (empty when the user may not see it).
PLAN_PAGE_PANELS = [
    "duan8.programs.views_assign.plan_assigned_panel",
    "duan8.activities.views.progress.plan_progress_panel",
    "duan8.supervision.views_feedback.plan_feedback_panel",
    "duan8.finance.views_budget.plan_estimate_panel",
    "duan8.mothers.views_progress.plan_mothers_panel",
]
# Appendices added to the plan's .docx by apps above documents: (plan, number=) -> AppendixText.
PLAN_DOCUMENT_APPENDICES = ["duan8.finance.estimate_document.plan_budget_appendix"]
# Reminders of apps above reports, shown with the reports' on the home page and sent by
# ``send_reminders``: each takes (actor=, today=) and returns items with ``text`` and ``url``.
REMINDER_SOURCES = ["duan8.supervision.reminders.supervision_reminders"]
# Figures an app above reports adds to a report (saved at submission) and data values it adds to
# the ADX / DHIS2 exports: the money's allocation and disbursement (issue 14, point 5).
REPORT_FIGURES_EXTENSIONS = [
    "duan8.finance.reporting.report_money_figures",
    "duan8.supervision.reporting.report_supervision_figures",
]
DATA_EXPORT_EXTENSIONS = ["duan8.finance.reporting.export_money_values"]
# Sections added to the unit page (orgunits) by apps above it, the same way: (request, unit).
UNIT_PAGE_PANELS = [
    "duan8.programs.unit_plans.unit_plans_panel",
    "duan8.mothers.views_registry.unit_mothers_panel",
    "duan8.supervision.views.unit_supervision_panel",
]
