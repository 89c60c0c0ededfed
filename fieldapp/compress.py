"""Gzip for text answers when the client accepts it: a phone on a weak 2G signal pays for
every byte, and ``make run`` serves gunicorn with no nginx in front to do it.

An answer with an ETag (static files, the service worker's scripts) is compressed once per
version and kept in memory; its ETag becomes weak, so that a revalidation still gets its 304.
"""

import gzip

from flask import Flask, request

TYPES = {"text/html", "text/css", "text/javascript", "application/javascript",
         "application/json", "application/problem+json", "application/manifest+json",
         "image/svg+xml"}
MIN_BYTES = 600
_packed: dict[tuple[str, str], bytes] = {}  # (path, ETag) → its gzip


def _wanted(response) -> bool:
    return (
        "gzip" in request.headers.get("Accept-Encoding", "").lower()
        and response.status_code == 200
        and response.mimetype in TYPES
        and "Content-Encoding" not in response.headers
        and "Content-Range" not in response.headers
        and not (response.is_streamed and not response.direct_passthrough)
    )


def compress(response):
    if not _wanted(response):
        return response
    response.vary.add("Accept-Encoding")
    etag, _ = response.get_etag()
    key = (request.path, etag) if etag else None  # an ETag names the exact content
    response.direct_passthrough = False
    if key and key in _packed:
        data = _packed[key]
    else:
        raw = response.get_data()
        if len(raw) < MIN_BYTES:
            return response
        data = gzip.compress(raw, compresslevel=6, mtime=0)
        if key:
            _packed[key] = data
    original = response.response
    response.set_data(data)
    if hasattr(original, "close"):
        original.close()  # a static file's handle, replaced by the compressed bytes
    response.headers["Content-Encoding"] = "gzip"
    if etag:
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.after_request(compress)
