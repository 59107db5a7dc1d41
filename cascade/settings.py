"""Cascade's settings, read from the environment with working defaults for a laptop.

Variables: DATABASE_URL, SECRET_KEY, DEBUG, ALLOWED_HOSTS, EMAIL_URL, and the CASCADE_* security
settings (see README).
"""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env(name: str, default: str = "") -> str:
    import os

    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    return env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def env_limit(name: str, default: str) -> tuple[int, int]:
    """A throttle written `N/M`: N attempts within M minutes, then locked for M minutes."""
    text = env(name, default)
    try:
        attempts, minutes = (int(part) for part in text.split("/"))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must read N/M (N attempts within M minutes), not {text!r}") from None
    if attempts < 1 or minutes < 1:
        raise ImproperlyConfigured(f"{name}: N and M must be at least 1")
    return attempts, minutes


def database_from_url(url: str) -> dict:
    """Turn `postgres://user:pass@host:port/name` or `sqlite:///path` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme in ("postgres", "postgresql"):
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            # Persistent connections: a new PostgreSQL connection per request costs
            # several times the throughput on these machines.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
        }
    if parts.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(url[len("sqlite:///") :]),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme not supported: {parts.scheme!r}")


def mailer_from_url(url: str) -> dict:
    """A MAILERS entry from `smtp://user:pass@host:port` (add `?tls=1` or `?ssl=1`),
    `console:` (the default: e-mail printed) or `locmem:`."""
    if not url or url.startswith("console:"):
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme != "smtp":
        raise ImproperlyConfigured(f"EMAIL_URL scheme not supported: {parts.scheme!r}")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port or 25,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": query.get("tls") == "1",
            "use_ssl": query.get("ssl") == "1",
            "timeout": 30,
        },
    }


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105 (DEBUG only)
ALLOWED_HOSTS = [h.strip() for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",  # intcomma: 1,234 / 1 234 / 1.234 in the reader's language
    "core",
    "org",
    "accounts",
    "kit",
    "dialogues",
    "oversight",
    "feedback",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "cascade.urls"
WSGI_APPLICATION = "cascade.wsgi.application"

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
                "accounts.context_processors.scope",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cascade.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" lives in each worker's memory: the fragments of the sign-in answer page, read on the
# busiest request, must cost no query. "shared" lives in the database (its table is created by a
# migration of feedback): what is slow to compute and worth keeping for every worker and across
# restarts, the themes of the feedback texts, and the throttles' counters (accounts/throttle.py),
# which every worker must see. Past MAX_ENTRIES the cache deletes expired rows, then a third of
# the rest: high enough that a flood of attempts from many addresses cannot cull a lock-out.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "cascade_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 3600  # a reset link works for an hour, once
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator", "OPTIONS": {"user_attributes": ["email"]}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", _("Arabic")),
    ("zh-hans", _("Chinese")),
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MAILERS = {"default": mailer_from_url(env("EMAIL_URL"))}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "cascade@localhost")

# Uploads, bounded by what they are for (cascade/tabular.py): rows, bytes as uploaded, and
# bytes once unpacked for XLSX. A session's sign-in sheet or video-conference report needs a few
# dozen rows; the organization file up to 300,000 people (openpyxl writes such a file as about
# 200 MB of sheet XML); the attendance import file a cycle's sessions held elsewhere.
CASCADE_SIGNIN_FILE_MAX_ROWS = int(env("CASCADE_SIGNIN_FILE_MAX_ROWS", "2000"))
CASCADE_SIGNIN_FILE_MAX_BYTES = int(env("CASCADE_SIGNIN_FILE_MAX_BYTES", str(5 * 1024 * 1024)))
CASCADE_ORG_FILE_MAX_ROWS = int(env("CASCADE_ORG_FILE_MAX_ROWS", "300000"))
CASCADE_ORG_FILE_MAX_BYTES = int(env("CASCADE_ORG_FILE_MAX_BYTES", str(100 * 1024 * 1024)))
CASCADE_ORG_FILE_MAX_UNPACKED_BYTES = int(env("CASCADE_ORG_FILE_MAX_UNPACKED_BYTES", str(300 * 1024 * 1024)))
CASCADE_ATTENDANCE_FILE_MAX_ROWS = int(env("CASCADE_ATTENDANCE_FILE_MAX_ROWS", "50000"))
CASCADE_ATTENDANCE_FILE_MAX_BYTES = int(env("CASCADE_ATTENDANCE_FILE_MAX_BYTES", str(20 * 1024 * 1024)))
CASCADE_ATTENDANCE_FILE_MAX_UNPACKED_BYTES = int(env("CASCADE_ATTENDANCE_FILE_MAX_UNPACKED_BYTES", str(60 * 1024 * 1024)))
# The organization import's mass-change guard: an import that would make more than this share
# of active people leave, or change more than this share of their e-mail addresses, needs an
# explicit confirmation (the page's box, import_org --allow-mass-change).
CASCADE_IMPORT_MAX_DEACTIVATE_PERCENT = float(env("CASCADE_IMPORT_MAX_DEACTIVATE_PERCENT", "5"))
CASCADE_IMPORT_MAX_EMAIL_CHANGE_PERCENT = float(env("CASCADE_IMPORT_MAX_EMAIL_CHANGE_PERCENT", "20"))
# Form fields other than files stay under 5 MB; files above 5 MB go to a temporary file, and
# past the largest size above their bytes are dropped as they arrive (the form then refuses them).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "core.uploads.BoundedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# -- security (OWASP ASVS 5.0 level 2; see README, "Security") ---------------------------------

# HTTPS: on in production unless the site is served over plain HTTP (SECURE_COOKIES=0 said so
# before CASCADE_HTTPS existed; the benchmarks serve DEBUG=0 on loopback that way).
CASCADE_HTTPS = not DEBUG and env_bool("CASCADE_HTTPS", env_bool("SECURE_COOKIES", True))
# Behind a reverse proxy that ends TLS: the header it sets, e.g. X-Forwarded-Proto (value https).
if env("CASCADE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + env("CASCADE_PROXY_SSL_HEADER").upper().replace("-", "_"), "https")
# How many proxies in front append to X-Forwarded-For; 0: the client is REMOTE_ADDR, and the
# header, which anyone can send, is ignored (accounts/throttle.py client_address).
CASCADE_TRUSTED_PROXIES = int(env("CASCADE_TRUSTED_PROXIES", "0"))
SECURE_SSL_REDIRECT = CASCADE_HTTPS
SECURE_HSTS_SECONDS = int(env("CASCADE_HSTS_SECONDS", str(365 * 24 * 3600))) if CASCADE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CASCADE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("CASCADE_HSTS_PRELOAD", False)
if CASCADE_HTTPS and not SECURE_HSTS_PRELOAD:
    # Preloading is a promise to browser vendors that only the domain's owner can make: off
    # unless CASCADE_HSTS_PRELOAD=1, and then its deploy warning says nothing new.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere (templates, htmx's indicator style: see base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
}

# Cookies: Secure and __Host- (this host only, path /, no Domain) when served over HTTPS.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = CASCADE_HTTPS
if CASCADE_HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
# The browser that typed a room code carries this cookie to the sign-in button (dialogues/signin.py).
CASCADE_SIGNIN_COOKIE_NAME = "__Host-signin" if CASCADE_HTTPS else "signin"

# A login session ends after CASCADE_SESSION_IDLE_MINUTES without a request of the user's, and
# CASCADE_SESSION_MAX_HOURS after the login whatever happens (accounts/middleware.py). A screen
# shown to a room polls by itself; its polls keep the session CASCADE_SESSION_SCREEN_MINUTES at
# most after the user's last own request.
CASCADE_SESSION_IDLE_MINUTES = int(env("CASCADE_SESSION_IDLE_MINUTES", "30"))
CASCADE_SESSION_SCREEN_MINUTES = int(env("CASCADE_SESSION_SCREEN_MINUTES", "180"))
CASCADE_SESSION_MAX_HOURS = int(env("CASCADE_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = CASCADE_SESSION_MAX_HOURS * 3600

# Throttles (accounts/throttle.py): N attempts within M minutes, then locked for M minutes.
# Password failures per account (the e-mail typed, whether or not it exists), per client address
# and per browser; wrong room codes per address and per login (or browser); password reset
# requests per e-mail and per address.
CASCADE_THROTTLES = {
    "login_account": env_limit("CASCADE_LOGIN_ACCOUNT_LIMIT", "5/15"),
    "login_address": env_limit("CASCADE_LOGIN_ADDRESS_LIMIT", "20/15"),
    "login_browser": env_limit("CASCADE_LOGIN_BROWSER_LIMIT", "10/15"),
    "code_address": env_limit("CASCADE_CODE_ADDRESS_LIMIT", "10/10"),
    "code_browser": env_limit("CASCADE_CODE_BROWSER_LIMIT", "10/10"),
    "reset_email": env_limit("CASCADE_RESET_EMAIL_LIMIT", "3/60"),
    "reset_address": env_limit("CASCADE_RESET_ADDRESS_LIMIT", "10/60"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
