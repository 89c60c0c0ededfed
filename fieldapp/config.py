"""Configuration: defaults here, then ``FIELDAPP_*`` environment, then the mapping given to
``create_app``."""

import secrets
from datetime import timedelta
from pathlib import Path


class Config:
    ENV = "production"  # development | test | production
    SECRET_KEY: str | None = None
    DATABASE_URL: str | None = None  # default: sqlite file instance/fieldapp.db
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLITE_BUSY_TIMEOUT_MS = 5000
    # PostgreSQL's lock_timeout: a request waits for a lock as long as SQLite's, then gets a 503.
    POSTGRES_LOCK_TIMEOUT_MS = 5000
    # The largest body any request may send: the biggest legitimate one is a 5 MB file (an
    # exported outbox on /collect/import, a police spreadsheet) with its form around it; the
    # sync API's batches stop at 1 MB. Above it: 413, without reading the body.
    MAX_CONTENT_LENGTH = 6_000_000

    SESSION_COOKIE_NAME = "fieldapp_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE: bool | None = None  # None: on in production only
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)
    # Office roles work at a desk: an unattended screen must not stay logged in.
    OFFICE_IDLE_TIMEOUT = timedelta(minutes=30)
    # Field roles work offline for days; their session only ends by logout or revocation.
    FIELD_SESSION_LIFETIME = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(days=30)

    # Items per page of an API list when the caller gives no ``limit`` (at most 500).
    API_PAGE_SIZE = 100

    LOGIN_MAX_FAILURES = 5
    LOGIN_LOCK_DURATION = timedelta(minutes=15)
    # Failed password attempts from one client address, across usernames (auth/throttle.py).
    LOGIN_ADDRESS_LIMIT = "20 per 15 minutes"
    # Where the counts live: every worker must see them. The app's database by default;
    # FIELDAPP_RATELIMIT_STORAGE=redis://host:6379 (with the redis package) for Redis.
    RATELIMIT_STORAGE: str | None = None
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_SWALLOW_ERRORS = True  # a storage out of order must not refuse logins with a 500

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    WTF_CSRF_SSL_STRICT = False  # nginx terminates TLS; SameSite and the token protect us
    DEMO = False
    # Scripts and styles served minified (fieldapp/assets.py); false serves them as written.
    MINIFY = True
    # A Unicode TrueType font for the PDFs (Vietnamese needs one): Debian's fonts-dejavu-core.
    PDF_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    PDF_FONT_BOLD: str | None = None  # None: the "-Bold" file beside PDF_FONT, if there is one


def finish(app) -> None:
    """Derive settings that depend on others and refuse unsafe combinations."""
    env = app.config["ENV"]
    if env not in ("development", "test", "production"):
        raise RuntimeError(f"FIELDAPP_ENV must be development, test or production, not {env!r}")
    if app.config.get("SESSION_COOKIE_SECURE") is None:
        app.config["SESSION_COOKIE_SECURE"] = env == "production"
    if app.config.get("DEBUG") and env == "production":
        raise RuntimeError("debug mode is never allowed in production")
    if not app.config.get("SECRET_KEY"):
        if env == "production":
            raise RuntimeError("FIELDAPP_SECRET_KEY is required outside development and test")
        app.config["SECRET_KEY"] = _dev_secret(Path(app.instance_path))
    url = app.config.get("DATABASE_URL") or _default_sqlite(Path(app.instance_path))
    app.config.setdefault(
        "RATELIMIT_STORAGE_URI", app.config.get("RATELIMIT_STORAGE") or "fieldapp-db://")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # An error's message never carries the statement's values (a child's name, a search).
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}), "hide_parameters": True}
    if url.startswith("postgresql"):
        _lock_timeout(app)


def _lock_timeout(app) -> None:
    """Every PostgreSQL connection gives up waiting for a lock after POSTGRES_LOCK_TIMEOUT_MS
    (then the request answers 503) instead of holding a worker for ever."""
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    connect_args = dict(options.get("connect_args") or {})
    timeout = int(app.config["POSTGRES_LOCK_TIMEOUT_MS"])
    connect_args.setdefault("options", f"-c lock_timeout={timeout}")
    options["connect_args"] = connect_args
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _default_sqlite(instance: Path) -> str:
    instance.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance / 'fieldapp.db'}"


def _dev_secret(instance: Path) -> str:
    """One key per checkout, so that every gunicorn worker signs sessions alike."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()
