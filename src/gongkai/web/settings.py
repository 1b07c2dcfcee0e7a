"""Settings for the gongkai platform, read from environment variables (GONGKAI_*, DATABASE_URL, REDIS_URL).

Embedded default: SQLite in WAL mode under ./var/, an in-process worker, no services.
At scale: DATABASE_URL=postgres://... (psycopg 3) and REDIS_URL for Celery workers.
A bad value stops start-up with a Chinese message (ImproperlyConfigured).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 的值“{raw}”无效：应为 true 或 false")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"环境变量 {name} 的值“{raw}”无效：应为整数") from exc


def _secret_key(data_dir: Path) -> str:
    """GONGKAI_SECRET_KEY, else a key generated once and kept in the data directory."""
    if os.environ.get("GONGKAI_SECRET_KEY"):
        return os.environ["GONGKAI_SECRET_KEY"]
    key_file = data_dir / "secret_key"
    try:
        if key_file.exists():
            return key_file.read_text().strip()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key
    except OSError as exc:
        raise ImproperlyConfigured(f"无法在数据目录 {data_dir} 中保存密钥：{exc}") from exc


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var")).resolve()
SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = env_bool("GONGKAI_DEBUG", False)
ALLOWED_HOSTS = [
    h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("GONGKAI_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "simple_history",
    "axes",
    "gongkai.web.core",
    "gongkai.web.units",
    "gongkai.web.accounts",
    "gongkai.web.annual",
    "gongkai.web.foi",
    "gongkai.web.evaluation",
    "gongkai.web.rectification",
    "gongkai.web.wording",
    "gongkai.web.plans",
    "gongkai.web.monitoring",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongkai.web.core.middleware.UploadSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.web.core.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "gongkai.web.core.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "gongkai.web.core.middleware.AtomicWritesMiddleware",  # last: it calls the view inside a transaction
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.web.core.context.navigation",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        try:
            config = dj_database_url.parse(url, conn_max_age=60)
        except Exception as exc:  # dj_database_url raises several kinds
            raise ImproperlyConfigured(f"环境变量 DATABASE_URL 无法解析：{exc}") from exc
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "gongkai.sqlite3"),
        # WAL and a busy timeout let the web server and the in-process worker write side by side.
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": _database()}

# Availability monitoring (gongkai.web.monitoring, docs/monitoring.md): the framework whose site.availability
# parameters set the schedule (probes a day, timeout, thresholds); GONGKAI_MONITOR=0 stops the in-process
# scheduler; the pause before a failed probe's one retry.
GONGKAI_MONITOR = env_bool("GONGKAI_MONITOR", True)
GONGKAI_MONITOR_FRAMEWORK = os.environ.get("GONGKAI_MONITOR_FRAMEWORK", "national-2019")
GONGKAI_MONITOR_PER_DAY = env_int("GONGKAI_MONITOR_PER_DAY", 0)  # 0: the framework's min_per_day
GONGKAI_MONITOR_RETRY_PAUSE = env_int("GONGKAI_MONITOR_RETRY_PAUSE", 10)
if GONGKAI_MONITOR_PER_DAY < 0 or GONGKAI_MONITOR_RETRY_PAUSE < 0:
    raise ImproperlyConfigured("环境变量 GONGKAI_MONITOR_PER_DAY 与 GONGKAI_MONITOR_RETRY_PAUSE 不能为负数")

# E-mail (Django's SMTP backend): reminders are also e-mailed to liaisons when GONGKAI_EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("GONGKAI_EMAIL_HOST", "")
EMAIL_PORT = env_int("GONGKAI_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("GONGKAI_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GONGKAI_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GONGKAI_EMAIL_TLS", False)
EMAIL_USE_SSL = env_bool("GONGKAI_EMAIL_SSL", False)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_EMAIL_FROM", "gongkai@localhost")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "gongkai.web.accounts.validators.ChineseMinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:overview"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("GONGKAI_MEDIA_ROOT", DATA_DIR / "media"))
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Upload limits: requests above these are refused before they reach a view.
MAX_UPLOAD_MB = env_int("GONGKAI_MAX_UPLOAD_MB", 50)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10000

# Uploaded reports and workbooks are parsed in a child process with these limits (gongkai.web.core.isolate).
GONGKAI_PARSE_MEMORY_MB = env_int("GONGKAI_PARSE_MEMORY_MB", 512)
GONGKAI_PARSE_TIMEOUT = env_int("GONGKAI_PARSE_TIMEOUT", 30)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("GONGKAI_SESSION_HOURS", 12) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Served behind HTTPS (GONGKAI_HTTPS=1): cookies only over HTTPS, and HSTS when GONGKAI_HSTS_SECONDS > 0.
HTTPS = env_bool("GONGKAI_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("GONGKAI_HSTS_SECONDS", 0) if HTTPS else 0
# Content-Security-Policy: htmx and ECharts are served from /static/, pages carry no inline script. Inline
# style attributes stay allowed (templates and ECharts' tooltips use them).
GONGKAI_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

# Login protection (django-axes): after GONGKAI_LOGIN_FAILURES failed logins an account, and separately an
# address, is locked for GONGKAI_LOGIN_COOLOFF_MINUTES, even with the right password. An administrator
# unlocks in the admin site (登录保护 › 登录失败记录: delete the record).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
GONGKAI_LOGIN_FAILURES = env_int("GONGKAI_LOGIN_FAILURES", 5)
GONGKAI_LOGIN_COOLOFF_MINUTES = env_int("GONGKAI_LOGIN_COOLOFF_MINUTES", 15)
if GONGKAI_LOGIN_FAILURES < 1 or GONGKAI_LOGIN_COOLOFF_MINUTES < 1:
    raise ImproperlyConfigured(
        "环境变量 GONGKAI_LOGIN_FAILURES 与 GONGKAI_LOGIN_COOLOFF_MINUTES 都应为正整数"
    )
AXES_FAILURE_LIMIT = GONGKAI_LOGIN_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=GONGKAI_LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: an account, or an address
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_VERBOSE = False

# Background work: "inprocess" (default, no services) or "celery" (needs REDIS_URL).
WORKER_MODE = os.environ.get("GONGKAI_WORKER", "inprocess")
if WORKER_MODE not in {"inprocess", "celery"}:
    raise ImproperlyConfigured(f"环境变量 GONGKAI_WORKER 的值“{WORKER_MODE}”无效：应为 inprocess 或 celery")
REDIS_URL = os.environ.get("REDIS_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # a refused request (403) is logged as one line, without the traceback Django attaches
    "filters": {"one_line_403": {"()": "gongkai.web.core.logs.OneLineForbidden"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_403"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "WARNING")},
}
