"""The app's own scripts and styles as a phone downloads them: minified, under URLs that name
their content, kept by the browser until they change.

``url_for('static', ...)`` (and the joined scripts of ``offline.views``) adds ``?v=`` and the
digest of what it names. An answer to the current ``v`` may be kept a year without asking
again (``immutable``): a page opened after the login page, or the service worker filling its
cache, takes it from the browser's cache instead of the network. Any other ``v`` (a page
cached before a deploy) gets today's file, revalidated each time as before.

Minifying (rjsmin, rcssmin: whitespace and comments only, every name kept) is done once per
version at serve time; no build step, and the files stay one per responsibility. A joined
script keeps a ``/*! path */`` line before each file, so that a position in an error report
leads to the file and the code, whose names are unchanged. ``MINIFY = False``
(``FIELDAPP_MINIFY=false``) serves them as written, for a developer chasing a line number.
"""

import hashlib
from functools import cache
from pathlib import Path

import rcssmin
import rjsmin
from flask import Flask, current_app, request
from flask.sessions import SecureCookieSessionInterface

YEAR = "public, max-age=31536000, immutable"
KINDS = {"text/javascript": "js", "application/javascript": "js", "text/css": "css"}


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def minify(text: str, kind: str) -> str:
    """``text`` without comments and spaces it does not need (``kind``: "js" or "css")."""
    if kind == "css":
        return rcssmin.cssmin(text)
    return rjsmin.jsmin(text, keep_bang_comments=True)


def minify_joined(files: list[tuple[str, str]], minified: bool = True) -> str:
    """Scripts (name, text) joined into one answer, each minified after a ``/*! name */``
    line; as written when not ``minified``."""
    if not minified:
        return "\n".join(text for _, text in files)
    return "\n".join(f"/*! {name} */\n{minify(text, 'js')}" for name, text in files)


@cache
def _file_digest(path: Path, mtime_ns: int) -> str:
    return digest(path.read_bytes())


def static_digest(filename: str) -> str | None:
    path = Path(current_app.static_folder, filename)
    try:
        return _file_digest(path, path.stat().st_mtime_ns)
    except OSError:
        return None  # a missing file: its URL stays plain and answers 404


def keep_a_year(response, current: str) -> None:
    """Let the browser keep ``response`` a year when it was asked for as version ``current``."""
    if request.args.get("v") == current:
        response.headers["Cache-Control"] = YEAR


def _version_static(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "v" not in values:
        version = static_digest(values.get("filename", ""))
        if version:
            values["v"] = version


def _serve_static(response):
    if request.endpoint != "static" or response.status_code not in (200, 304):
        return response
    filename = request.view_args.get("filename", "")
    keep_a_year(response, static_digest(filename))  # on a 304 too: it renews what is kept
    if response.status_code != 200:
        return response
    kind = KINDS.get(response.mimetype)
    if kind and current_app.config["MINIFY"] and not filename.endswith(".min.js"):
        etag, _ = response.get_etag()
        key, minified = (filename, etag), current_app.extensions["minified"]
        if key not in minified:
            response.direct_passthrough = False
            text = response.get_data().decode("utf-8")
            minified[key] = minify(text, kind).encode("utf-8")
        replace_body(response, minified[key])
    return response


def replace_body(response, data: bytes) -> None:
    """Put ``data`` in ``response`` instead of its body (a static file's handle is closed)."""
    original = response.response
    response.direct_passthrough = False
    response.set_data(data)
    if hasattr(original, "close"):
        original.close()


class SessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, except that an answer named by its content does not vary on
    the cookie. Flask-Login reads the session on every request, static files' too, and the
    ``Vary: Cookie`` that follows would make the browser ask for the style sheet again right
    after the login changed the cookie."""

    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if response.headers.get("Cache-Control") == YEAR:
            # Rebuilt rather than HeaderSet.discard("Cookie"), which keeps it (werkzeug 3.1).
            response.headers["Vary"] = ", ".join(
                name for name in response.vary if name.lower() != "cookie")


def init_app(app: Flask) -> None:
    app.extensions["minified"] = {}  # (file, ETag) → minified body, per app
    app.session_interface = SessionInterface()
    app.url_defaults(_version_static)
    app.after_request(_serve_static)
