"""Django settings, read from the environment.

- ``FENGQING_HOME``: the data folder (default ``./fengqing-data``): SQLite file, secret key, uploads.
- ``FENGQING_DATABASE_URL``: ``postgresql://user:pass@host:port/name`` to use PostgreSQL instead of SQLite.
- ``FENGQING_DEBUG``: ``1`` for development only; production runs with DEBUG off.
- ``FENGQING_ALLOWED_HOSTS``: comma-separated host names (default: localhost names).
- ``FENGQING_TEMPLATES``: a folder whose sentence templates override the built-in ones.
- ``FENGQING_BUSY_TIMEOUT``: seconds to wait for a database lock before answering 503 (default 20).
- ``FENGQING_DATA_KEY``: the data keys (base64) instead of ``FENGQING_HOME/keys/data.key`` (crypto/keys.py).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent
#: seconds a request waits for a database lock before the 503 系统正忙 page (FENGQING_BUSY_TIMEOUT)
BUSY_TIMEOUT = int(os.environ.get("FENGQING_BUSY_TIMEOUT") or 20)
HOME = Path(os.environ.get("FENGQING_HOME") or "fengqing-data").resolve()


def database_from_url(url: str) -> dict:
    """Django DATABASES entry for a ``postgresql://`` or ``sqlite:///path`` URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    if scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            # a request waiting on a lock gives up after the busy timeout (web/busy.py answers 503 系统正忙)
            "OPTIONS": {"options": f"-c lock_timeout={BUSY_TIMEOUT * 1000}"},
        }
    if scheme == "sqlite":  # sqlite:///relative.db or sqlite:////absolute/path.db
        return _sqlite(Path(unquote(parts.path[1:])))
    raise ConfigError(f"FENGQING_DATABASE_URL 的协议“{parts.scheme}”不受支持：应为 postgresql:// 或 sqlite:///")


def _sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # WAL lets readers work while an import writes; IMMEDIATE avoids "database is locked" upgrades.
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": BUSY_TIMEOUT,
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        # tests on a file, not shared-cache memory: concurrent writers then lock as they do in operation
        "TEST": {"NAME": str(path.with_name("test_" + path.name))},
    }


def _private_home() -> None:
    """The data folder readable by its owner only (等保: the database, keys and uploads are nobody else's)."""
    HOME.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        HOME.chmod(0o700)
    except PermissionError:  # someone else's folder: leave it to its owner
        pass


def _private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if missing (SQLite gives its -wal and -shm files the same mode)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        path.chmod(0o600)
    except PermissionError:
        pass


def _secret_key() -> str:
    if os.environ.get("FENGQING_SECRET_KEY"):
        return os.environ["FENGQING_SECRET_KEY"]
    key_file = HOME / "secret.key"
    if key_file.exists() and key_file.stat().st_size:
        return key_file.read_text().strip()
    _private_home()
    _private_file(key_file)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    return key


DEBUG = os.environ.get("FENGQING_DEBUG") == "1"
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("FENGQING_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
                 if h.strip()]

_db_url = os.environ.get("FENGQING_DATABASE_URL", "").strip()


def _login_store(main: dict) -> dict:
    """The log-in store (accounts.loginstore): on SQLite a file of its own beside the main one (one writer per
    file, and a long import holds the main one); on PostgreSQL the same database, through its own connection."""
    if not main["ENGINE"].endswith("sqlite3"):
        return dict(main)
    path = Path(main["NAME"])
    path = path.with_name(f"{path.stem}-login{path.suffix}")
    _private_file(path)
    return _sqlite(path)


if _db_url:
    DATABASES = {"default": database_from_url(_db_url)}
else:
    _private_home()
    _private_file(HOME / "fengqing.sqlite3")
    DATABASES = {"default": _sqlite(HOME / "fengqing.sqlite3")}
DATABASES["login"] = _login_store(DATABASES["default"])
DATABASE_ROUTERS = ["fengqing.accounts.loginstore.LoginStoreRouter"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "fengqing.org",
    "fengqing.ledger",
    "fengqing.rectify",
    "fengqing.workbook",
    "fengqing.assess",
    "fengqing.report",
    "fengqing.analysis",
    "fengqing.submission",
    "fengqing.dossier",
    "fengqing.accounts",
    "fengqing.web",
    "fengqing.demo",
    "fengqing.crypto",
    "fengqing.backup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",  # every page needs a log-in unless marked
    "django.contrib.messages.middleware.MessageMiddleware",
    "fengqing.accounts.middleware.SecurityMiddleware",  # timeouts, forced password change / TOTP, audit context
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "fengqing.web.middleware.MethodNotAllowedPage",
    "fengqing.web.middleware.SecurityHeaders",  # CSP, no-store
]

ROOT_URLCONF = "fengqing.urls"
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
                "fengqing.web.context.nav",
            ],
        },
    },
]
WSGI_APPLICATION = "fengqing.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
# the only language: a browser asking for English must not turn the admin or the messages English
LANGUAGES = [("zh-hans", "简体中文")]
# Chinese for the few admin strings Django's own catalogue lacks (both the page and the script domain)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
MEDIA_ROOT = HOME / "uploads"
# uploads are sealed on disk (crypto/storage.py) and readable by the server's account only
STORAGES = {
    "default": {"BACKEND": "fengqing.crypto.storage.SealedFileStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# 等保 身份鉴别 a (accounts.passwords): 10 characters, three classes, not the user name, none of the last five
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "fengqing.accounts.passwords.LengthValidator"},
    {"NAME": "fengqing.accounts.passwords.ComplexityValidator"},
    {"NAME": "fengqing.accounts.passwords.UsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "fengqing.accounts.passwords.HistoryValidator"},
]
AUTHENTICATION_BACKENDS = ["fengqing.accounts.backends.LockoutBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "fengqing.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if os.environ.get("FENGQING_HTTPS") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

FENGQING_TEMPLATES = os.environ.get("FENGQING_TEMPLATES", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_denial_tracebacks": {"()": "fengqing.accounts.logfilters.NoDenialTracebacks"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["no_denial_tracebacks"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
