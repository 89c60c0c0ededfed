"""Brotli, or gzip, for text answers when the client accepts it: a phone on a weak 2G signal
pays for every byte, and ``make run`` serves gunicorn with no nginx in front to do it.

Chromium and Safari ask for ``br`` over HTTPS and from localhost; Brotli makes the scripts
about 12% smaller than gzip did, JSON and pages about 10%. An answer with an ETag (static
files, the service worker's scripts) is compressed once per version at Brotli's best (11)
and kept in memory; others at 5, as fast as gzip at 6. A compressed answer's ETag becomes
weak, so that a revalidation still gets its 304.
"""

import gzip

import brotli
from flask import Flask, current_app, request

from fieldapp.assets import replace_body

TYPES = {"text/html", "text/css", "text/javascript", "application/javascript",
         "application/json", "application/problem+json", "application/manifest+json",
         "image/svg+xml"}
MIN_BYTES = 600


def accepted(header: str) -> str | None:
    """The encoding to use for an ``Accept-Encoding`` header: "br", "gzip" or None."""
    offered = {}
    for item in header.lower().split(","):
        name, _, params = item.strip().partition(";")
        q = params.strip().removeprefix("q=")
        try:
            offered[name.strip()] = float(q) if q else 1.0
        except ValueError:
            offered[name.strip()] = 0.0
    return next((name for name in ("br", "gzip") if offered.get(name, 0) > 0), None)


def _pack(data: bytes, encoding: str, cached: bool) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=11 if cached else 5)
    return gzip.compress(data, compresslevel=9 if cached else 6, mtime=0)


def _wanted(response) -> bool:
    return (
        response.status_code == 200
        and response.mimetype in TYPES
        and "Content-Encoding" not in response.headers
        and "Content-Range" not in response.headers
        and not (response.is_streamed and not response.direct_passthrough)
    )


def compress(response):
    encoding = accepted(request.headers.get("Accept-Encoding", ""))
    if not _wanted(response):
        return response
    response.vary.add("Accept-Encoding")
    if encoding is None:
        return response
    etag, _ = response.get_etag()
    # An ETag names the exact content, kept once compressed; not one user's page (private),
    # which would be one more copy in memory for every session.
    kept = etag and not response.cache_control.private
    key = (request.path, etag, encoding) if kept else None
    packed = current_app.extensions["compressed"]  # (path, ETag, encoding) → body, per app
    if key and key in packed:
        data = packed[key]
    else:
        response.direct_passthrough = False
        raw = response.get_data()
        if len(raw) < MIN_BYTES:
            return response
        data = _pack(raw, encoding, cached=key is not None)
        if key:
            packed[key] = data
    replace_body(response, data)
    response.headers["Content-Encoding"] = encoding
    if etag:
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    app.extensions["compressed"] = {}
    app.after_request(compress)
