"""The installable app's own files: ``/sw.js``, the scripts it shares with the pages, the
capture page's scripts, the manifest and the offline page (ARCHITECTURE §7).

``/sw.js`` is the worker's own scripts of ``service_worker/`` joined, with a VERSION made from
the content of every file it caches: change one and phones install a new worker, which moves
into a new static cache and deletes only its own old ones. The outbox is never touched by an
upgrade. The code it shares with the pages (``/sw-shared.js``) it imports rather than repeats:
the page has just downloaded those bytes, and a first visit on 2G pays for each one. For the
same reason the capture page's own scripts (``static/js/``, one file per responsibility) are
sent joined, as ``/capture.js``: one answer instead of eight. Both are minified, and named
with their digest so that a browser that has them asks nothing (``fieldapp/assets.py``).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, make_response, render_template, request, url_for

from fieldapp.assets import digest, keep_a_year, minify_joined
from fieldapp.headers import CSP

bp = Blueprint("offline", __name__)

ROOT = Path(__file__).resolve().parent.parent.parent
WORKER_DIR = ROOT / "service_worker"
JS_DIR = ROOT / "static" / "js"
JOINED = {
    # Pages and worker alike.
    "shared": (WORKER_DIR, ("idb.js", "outbox.js", "device.js", "replay.js")),
    "worker": (WORKER_DIR, ("caches.js", "sw.js")),
    "capture": (JS_DIR, ("pyvalues.js", "validate.js", "packet.js", "messages.js", "choose.js",
                         "form.js", "lists.js", "status.js", "drafts.js", "saving.js",
                         "report.js", "collect.js")),
}
# What a phone needs to open /collect with no network, besides the page and the joined scripts
# (print.css too: the page links it for paper, and an offline reload must ask nothing).
STATIC = ("css/app.css", "css/print.css", "js/offline.js", "icons/icon.svg")


def joined(name: str) -> str:
    return _joined(name, bool(current_app.config.get("MINIFY", True)))


@cache
def _joined(name: str, minified: bool) -> str:
    folder, files = JOINED[name]
    return minify_joined([(f"{folder.name}/{file}", (folder / file).read_text(encoding="utf-8"))
                          for file in files], minified)


JOINED_ENDPOINTS = {"offline.shared_js": "shared", "offline.capture_js": "capture"}


@cache
def _joined_digest(name: str, minified: bool) -> str:
    return digest(_joined(name, minified).encode())


@bp.app_url_defaults
def _version_joined(endpoint: str, values: dict) -> None:
    if endpoint in JOINED_ENDPOINTS and "v" not in values:
        values["v"] = _joined_digest(JOINED_ENDPOINTS[endpoint],
                                     bool(current_app.config.get("MINIFY", True)))


@cache
def _files_digest() -> str:
    hasher = hashlib.sha256()
    for name in JOINED:
        hasher.update(joined(name).encode())
    for name in STATIC:
        hasher.update((ROOT / "static" / name).read_bytes())
    hasher.update((ROOT / "templates" / "offline" / "offline.html").read_bytes())
    return hasher.hexdigest()


def version() -> str:
    """The worker's version: its files' digest and ``OFFLINE_BUILD`` (a deploy may set it)."""
    build = str(current_app.config.get("OFFLINE_BUILD", ""))
    return hashlib.sha256((_files_digest() + build).encode()).hexdigest()[:12]


@bp.app_context_processor
def _templates_know_the_version():
    """The capture page tells the version it was served with (the phone reports it)."""
    return {"offline_version": version}


def precache() -> list[str]:
    return [url_for("static", filename=name) for name in STATIC] + [
        url_for("offline.shared_js"), url_for("offline.capture_js"),
        url_for("offline.manifest"), url_for("offline.offline_page")]


def _script(body: str, version: str | None = None):
    """A script the browser revalidates each time (unchanged, it costs a 304, not its bytes),
    or, named by its ``version`` (the content's digest, also its ETag), keeps a year when
    asked for under that version."""
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Cache-Control"] = "no-cache"
    if version:
        keep_a_year(response, version)  # on its 304 too
        response.set_etag(version)
    else:
        response.add_etag()
    return response.make_conditional(request)


def _joined_script(name: str):
    minified = bool(current_app.config.get("MINIFY", True))
    return _script(_joined(name, minified), _joined_digest(name, minified))


@bp.get("/sw.js")
def service_worker():
    config = {"version": version(), "precache": precache(), "pages": ["/collect"],
              "offline": url_for("offline.offline_page")}
    head = (f"self.FA_CONFIG = {json.dumps(config)};\n"
            f"importScripts({json.dumps(url_for('offline.shared_js'))});\n")
    response = _script(head + joined("worker"))  # the browser checks it itself
    response.headers["Content-Security-Policy"] = CSP  # a worker's own policy comes from here
    return response


@bp.get("/sw-shared.js")
def shared_js():
    return _joined_script("shared")


@bp.get("/capture.js")
def capture_js():
    return _joined_script("capture")


@bp.get("/manifest.webmanifest")
def manifest():
    body = {
        "name": "Thu thập thông tin trẻ em",
        "short_name": "Trẻ em xã",
        "description": "Ghi thông tin trẻ em từng hộ, cả khi không có sóng; tự đồng bộ khi có "
                       "mạng.",
        "lang": "vi", "dir": "ltr",
        "start_url": "/collect", "scope": "/", "display": "standalone",
        "background_color": "#f4f6f8", "theme_color": "#0b5cad",
        "icons": [
            {"src": url_for("static", filename="icons/icon.svg"), "sizes": "any",
             "type": "image/svg+xml"},
            {"src": url_for("static", filename="icons/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": url_for("static", filename="icons/icon-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "any maskable"},
        ],
    }
    response = make_response(json.dumps(body, ensure_ascii=False))
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline_page():
    return render_template("offline/offline.html")
