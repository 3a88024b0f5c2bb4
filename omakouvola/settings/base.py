"""Settings shared by every environment.

Everything that differs between machines comes from the environment (django-environ);
local.py, test.py and production.py only choose defaults and harden.
"""

import importlib.util
import warnings
from pathlib import Path

import environ
import xstatic.pkg.leaflet_markercluster as xstatic_markercluster
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# pysaml2 still imports a cipher mode that cryptography has moved (harmless until
# cryptography 49); without this every manage.py command starts with the warning.
warnings.filterwarnings("ignore", message="CFB has been moved", module=r"saml2\.")

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
env.smart_cast = False

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
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
    "crispy_forms",
    "crispy_bootstrap5",
    "django_ratelimit",
    "bootstrap",
    "rules.apps.AutodiscoverRulesConfig",
    "omakouvola",
    "ideas",
    "voting",
    "committees",
    "budgets",
    "discussion",
    "following",
    "opendata",
    "identification",
    "demo",
    "djangosaml2",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "djangosaml2.middleware.SamlSessionMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "omakouvola.middleware.StaffSecondFactorMiddleware",
]

ROOT_URLCONF = "omakouvola.urls"
WSGI_APPLICATION = "omakouvola.wsgi.application"

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
                "omakouvola.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# SQLite when DATABASE_URL is unset, so `make run` works on a bare machine.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A persistent connection cut by a database restart or failover is found out and replaced
# before the request uses it, instead of answering that request with a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (allauth's rate limits live here) ------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# When Redis is unreachable the cache falls back to this process's memory with a logged
# warning (omakouvola/cache.py): rate limits keep counting, per process, instead of
# turning every login, vote and idea into a 500 or switching off. See docs/operations.md.
CACHES = {
    "default": (
        {
            "BACKEND": "omakouvola.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# --- Users and sign-in ----------------------------------------------------------------
AUTH_USER_MODEL = "omakouvola.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Never signs a new person in: it only confirms a signed-in pupil's school account.
    "identification.oidc.SchoolAccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "OmaKouvola: "
ACCOUNT_ADAPTER = "omakouvola.adapters.AccountAdapter"
# A second factor (authenticator app + recovery codes) that staff can turn on; the admin
# login goes through allauth so the second factor is asked there too.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "OmaKouvola"
# Staff without an authenticator are sent to set one up before the admin opens.
MFA_REQUIRED_FOR_STAFF = env.bool("MFA_REQUIRED_FOR_STAFF", default=True)
# Brute-force and sign-up flooding protection; counted in the cache above.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("RATE_LIMIT_SIGNUP", default="20/h/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}

# Rate limits of the service's own forms (django-ratelimit); a 429 page tells why.
RATE_LIMIT_IDEAS = env("RATE_LIMIT_IDEAS", default="20/h")
RATE_LIMIT_SUPPORTS = env("RATE_LIMIT_SUPPORTS", default="60/h")
RATE_LIMIT_APPLICATIONS = env("RATE_LIMIT_APPLICATIONS", default="30/h")
RATE_LIMIT_VOTES = env("RATE_LIMIT_VOTES", default="30/m")
# Comments and reports on ideas and proposals (per signed-in person).
RATE_LIMIT_COMMENTS = env("RATE_LIMIT_COMMENTS", default="10/10m")
RATE_LIMIT_REPORTS = env("RATE_LIMIT_REPORTS", default="20/h")
RATE_LIMIT_FOLLOWS = env("RATE_LIMIT_FOLLOWS", default="60/h")
# Wrong voting or receipt codes per address (a school or library shares one address).
RATE_LIMIT_CODE_GUESSES = env("RATE_LIMIT_CODE_GUESSES", default="30/h")
RATELIMIT_VIEW = "omakouvola.views.rate_limited"
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none.
# allauth, django-ratelimit and anything else asking omakouvola.clientip share it.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "omakouvola.clientip.client_ip"
# Django's own RedisCache increments atomically, though django-ratelimit only lists
# django-redis (W001). Without Redis the counters live in one process's memory, which is
# right for the only places that happens: runserver and the test suite (E003).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] + (
    [] if REDIS_URL else ["django_ratelimit.E003"]
)

# Roles a staff member who is not a superuser may give others in the admin.
COORDINATOR_ASSIGNABLE_ROLES = env.list(
    "COORDINATOR_ASSIGNABLE_ROLES", default=["city_team", "sector_expert", "paper_vote_clerk"]
)

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Helsinki"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "omakouvola_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet's files as django-leaflet ships them (static/leaflet/). Not an installed app:
    # its admin and widgets need GDAL, which we neither have nor need.
    # Found without importing it: its __init__ reads the settings being defined here.
    Path(importlib.util.find_spec("leaflet").origin).resolve().parent / "static",
    # Leaflet.markercluster, served as static/leaflet-markercluster/ (an XStatic package).
    ("leaflet-markercluster", Path(xstatic_markercluster.BASE_DIR)),
]

# --- Maps --------------------------------------------------------------------------------
# The background tiles: a URL template with {z}/{x}/{y} (the city's own, the National Land
# Survey's, or OpenStreetMap's) and the attribution it requires. Empty (tests, an offline
# demo): the maps show markers and area outlines on a blank background.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Letters, minutes, attachments and reports: never served under MEDIA_URL. Unset, they
# live beside MEDIA_ROOT (<MEDIA_ROOT>-private); web and worker must share this folder.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default="") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="OmaKouvola <omakouvola@kouvola.fi>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------
# Without a broker the tasks run in-process, so a bare `make run` needs no Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged only when it has finished, and a worker process that dies
# mid-task (SIGKILL, out of memory) hands the message back instead of acknowledging it:
# the work is done again, so every task is idempotent, and omakouvola.tasking bounds how
# often one piece of work may start before it is marked failed (a poison message).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 60
CELERY_TASK_SOFT_TIME_LIMIT = 50
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives an unacknowledged message to another worker after visibility_timeout: that
# must outlast the longest hard time limit (15 min) plus the longest retry countdown
# (15 min), or a task still running would be started twice. A whole worker that died is
# covered by this; the sweeper (omakouvola.tasks.stuck_work_sweep_task) restarts work that
# began and never finished after STUCK_WORK_AFTER.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=35 * 60),
    "socket_connect_timeout": 3,
}
STUCK_WORK_AFTER_MINUTES = env.int("STUCK_WORK_AFTER_MINUTES", default=20)
# A private file no row names is removed once it is this old (past every task's limit).
PRIVATE_FILE_ORPHAN_HOURS = env.int("PRIVATE_FILE_ORPHAN_HOURS", default=24)
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "drain-outbox": {"task": "omakouvola.tasks.outbox_drain_task", "schedule": 60},
    # Casting asks for a mix (at most one a minute per ballot); this mixes the rest.
    "voting-mix-votes": {"task": "voting.tasks.votes_mix_pending_task", "schedule": 60},
    "sweep-stuck-work": {"task": "omakouvola.tasks.stuck_work_sweep_task", "schedule": 5 * 60},
    "apply-retention": {"task": "omakouvola.tasks.retention_task", "schedule": 24 * 60 * 60},
    "private-files-cleanup": {
        "task": "omakouvola.tasks.private_files_cleanup_task",
        "schedule": 24 * 60 * 60,
    },
    "send-phase-started-notices": {
        "task": "omakouvola.tasks.cycle_phase_notices_task",
        "schedule": 60 * 60,
    },
    # Weekly (counted from the beat's start): the digest of followed items.
    "following-weekly-digest": {
        "task": "following.tasks.news_digest_task",
        "schedule": 7 * 24 * 60 * 60,
    },
    "send-workshop-reminders": {
        "task": "ideas.tasks.workshop_reminders_task",
        "schedule": 60 * 60,
    },
    "committees-report-reminders": {
        "task": "committees.tasks.grant_report_reminders_task",
        "schedule": 24 * 60 * 60,
    },
    # Daily, but only January does anything: the previous year's annual report, once.
    "budgets-annual-report": {
        "task": "budgets.tasks.annual_report_task",
        "schedule": 24 * 60 * 60,
    },
}

# --- Security headers that hold everywhere --------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"


def _tile_origins(url: str) -> list[str]:
    """The origin the map tiles come from, for img-src ({s} subdomains as a wildcard)."""
    if not url:
        return []
    scheme, _sep, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return [f"{scheme}://{host}"]


_MAP_TILE_ORIGINS = _tile_origins(MAP_TILE_URL)
# No inline script anywhere: every script is a static file.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_MAP_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO; xmlschema every SAML schema.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}

# --- Domain settings ------------------------------------------------------------------
# Retention (GDPR): days after a ballot closes that paper voters' identifier hashes are
# kept, and days after an application is settled that applicants' contacts are kept.
RETENTION_PAPER_VOTER_DAYS = env.int("RETENTION_PAPER_VOTER_DAYS", default=90)
RETENTION_APPLICANT_CONTACT_DAYS = env.int("RETENTION_APPLICANT_CONTACT_DAYS", default=730)
# Days after a paper idea arrived that the scan of its form (handwriting, contacts) is kept;
# the typed-in idea stays.
RETENTION_PAPER_SCAN_DAYS = env.int("RETENTION_PAPER_SCAN_DAYS", default=730)
OMAKOUVOLA_SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Keys the HMAC that links a voter to their vote; without it nobody can tell who voted
# what. Never reuse SECRET_KEY: rotating that must not unlink votes mid-vote.
VOTE_SECRET = env("VOTE_SECRET", default="")
# Retired VOTE_SECRET values, newest first: identifier hashes made with them still match.
VOTE_SECRET_FALLBACKS = env.list("VOTE_SECRET_FALLBACKS", default=[])
# Seconds between rewrites of a ballot's sealed votes in shuffled order (docs/ballot-secrecy.md).
VOTE_MIX_INTERVAL = env.int("VOTE_MIX_INTERVAL", default=60)
# --- Strong identification (identification/, docs/identification.md) -------------------
# Suomi.fi e-Identification (SAML 2.0, djangosaml2 + pysaml2 + xmlsec1) and MPASSid (OpenID
# Connect, mozilla-django-oidc). IDENTIFICATION_DEV_IDP mounts a local test identity
# service with the demo people (local settings only; production refuses it).
IDENTIFICATION_DEV_IDP = env.bool("IDENTIFICATION_DEV_IDP", default=False)
IDENTIFICATION_KEY_DIR = env("IDENTIFICATION_KEY_DIR", default=str(BASE_DIR / "var" / "keys"))
SUOMIFI_IDP_METADATA = env("SUOMIFI_IDP_METADATA", default="")  # file path or https:// URL
SUOMIFI_SP_ENTITY_ID = env("SUOMIFI_SP_ENTITY_ID", default="")  # default: the metadata URL
SUOMIFI_SP_KEY_FILE = env("SUOMIFI_SP_KEY_FILE", default="")
SUOMIFI_SP_CERT_FILE = env("SUOMIFI_SP_CERT_FILE", default="")
SUOMIFI_SP_ENCRYPTION_KEY_FILE = env("SUOMIFI_SP_ENCRYPTION_KEY_FILE", default="")
SUOMIFI_SP_ENCRYPTION_CERT_FILE = env("SUOMIFI_SP_ENCRYPTION_CERT_FILE", default="")
SUOMIFI_TECHNICAL_CONTACT = env("SUOMIFI_TECHNICAL_CONTACT", default="omakouvola@kouvola.fi")
# Kouvola's municipality code in the Population Information System.
KOUVOLA_MUNICIPALITY_CODE = env("KOUVOLA_MUNICIPALITY_CODE", default="286")
MPASSID_CLIENT_ID = env("MPASSID_CLIENT_ID", default="")
MPASSID_CLIENT_SECRET = env("MPASSID_CLIENT_SECRET", default="")
MPASSID_ISSUER = env("MPASSID_ISSUER", default="")  # e.g. https://mpass-proxy.csc.fi
MPASSID_AUTHORIZATION_ENDPOINT = env("MPASSID_AUTHORIZATION_ENDPOINT", default="")
MPASSID_TOKEN_ENDPOINT = env("MPASSID_TOKEN_ENDPOINT", default="")
MPASSID_USER_ENDPOINT = env("MPASSID_USER_ENDPOINT", default="")
MPASSID_JWKS_ENDPOINT = env("MPASSID_JWKS_ENDPOINT", default="")
# A strong electronic identification provider plugs in here ("suomifi" once configured).
STRONG_IDENTITY_PROVIDER = env(
    "STRONG_IDENTITY_PROVIDER", default="suomifi" if SUOMIFI_IDP_METADATA else ""
)
SAML_CONFIG_LOADER = "identification.saml.sp_config"
SAML_SESSION_COOKIE_NAME = "saml_session"
SAML_DJANGO_USER_MAIN_ATTRIBUTE = "email"
SAML_CREATE_UNKNOWN_USER = False
SAML_IGNORE_LOGOUT_ERRORS = True
SAML_DEFAULT_BINDING = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
# Suomi.fi posts the assertion from its own site: the SAML session cookie must travel.
SAML_SESSION_COOKIE_SAMESITE = env("SAML_SESSION_COOKIE_SAMESITE", default="None")
# Refuse assertions Suomi.fi did not encrypt (it always does).
SUOMIFI_REQUIRE_ENCRYPTION = env.bool("SUOMIFI_REQUIRE_ENCRYPTION", default=True)
# mozilla-django-oidc reads OIDC_*; identification.oidc.configure() fills them for MPASSid.
OIDC_RP_CLIENT_ID = MPASSID_CLIENT_ID
OIDC_RP_CLIENT_SECRET = MPASSID_CLIENT_SECRET
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile"
OIDC_OP_AUTHORIZATION_ENDPOINT = MPASSID_AUTHORIZATION_ENDPOINT
OIDC_OP_TOKEN_ENDPOINT = MPASSID_TOKEN_ENDPOINT
OIDC_OP_USER_ENDPOINT = MPASSID_USER_ENDPOINT
OIDC_OP_JWKS_ENDPOINT = MPASSID_JWKS_ENDPOINT
OIDC_AUTHENTICATION_CALLBACK_URL = "identification:mpassid_callback"
OIDC_CREATE_USER = False
OIDC_STORE_ID_TOKEN = False

# --- Open data API (opendata/) ----------------------------------------------------------
# Public, read-only and anonymous: any origin may GET it, never with credentials.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
# Clerks accept Finnish personal identity codes (checked with stdnum.fi.hetu). A city that
# lets people without one vote (a foreign passport number, say) turns this on.
VOTING_OTHER_IDENTIFIERS = env.bool("VOTING_OTHER_IDENTIFIERS", default=False)

# Discussion: a hidden comment's text is kept this long after hiding (an appeal, a
# complaint to the ombudsman), closed abuse reports this long after closing.
DISCUSSION_HIDDEN_TEXT_DAYS = env.int("DISCUSSION_HIDDEN_TEXT_DAYS", default=365)
DISCUSSION_REPORT_DAYS = env.int("DISCUSSION_REPORT_DAYS", default=365)
# A sent news message's delivery row (who was told what, when) is kept this long.
FOLLOWING_NEWS_DAYS = env.int("FOLLOWING_NEWS_DAYS", default=400)
# An unsubscribe link in a message works this long after the message (docs/following.md).
FOLLOWING_UNSUBSCRIBE_LINK_DAYS = env.int("FOLLOWING_UNSUBSCRIBE_LINK_DAYS", default=365)
