"""What a request says of its client: its address, and its browser as a person reads it.

Shared by features (an audit entry's address, a phone's "Android 13 · Chrome 131"), so that
none imports another's views for it.
"""

import re

from flask import request

LABEL_LIMIT = 120  # what a column keeps and a table cell shows
READ_LIMIT = 512  # a header longer than a browser's is not read further

# The first pattern that matches names the system; the version groups are joined by dots.
SYSTEMS = [
    (re.compile(r"Android (\d+(?:\.\d+)?)"), "Android"),
    (re.compile(r"iPhone OS (\d+)(?:_(\d+))?"), "iOS"),
    (re.compile(r"iPad; CPU OS (\d+)(?:_(\d+))?"), "iPadOS"),
    (re.compile(r"CrOS"), "ChromeOS"),
    (re.compile(r"Windows NT"), "Windows"),
    (re.compile(r"Mac OS X"), "macOS"),
    (re.compile(r"Linux"), "Linux"),
]
# Order matters: browsers built on Chromium also say "Chrome/", and nearly all say "Safari/".
BROWSERS = [
    (re.compile(r"coc_coc_browser/(\d+)"), "Cốc Cốc"),
    (re.compile(r"SamsungBrowser/(\d+)"), "Samsung Internet"),
    (re.compile(r"Zalo"), "Zalo"),
    (re.compile(r"FB(?:AN|AV)"), "Facebook"),
    (re.compile(r"EdgA?/(\d+)"), "Edge"),
    (re.compile(r"OPR/(\d+)"), "Opera"),
    (re.compile(r"(?:FxiOS|Firefox)/(\d+)"), "Firefox"),
    (re.compile(r"CriOS/(\d+)"), "Chrome"),
    (re.compile(r"; wv\).*Chrome/(\d+)"), "WebView"),
    (re.compile(r"Chrome/(\d+)"), "Chrome"),
    (re.compile(r"Version/(\d+)(?:\.\d+)*(?: Mobile/\S+)? Safari/"), "Safari"),
]


def client_address() -> str | None:
    """The client's address (behind a proxy: what ProxyFix read from X-Forwarded-For)."""
    return request.remote_addr


def agent_label(header: str | None) -> str | None:
    """A User-Agent header as an officer reads it: ``"Android 13 · Chrome 131"``.

    A header naming no known system or browser is kept as it came, without control
    characters; either way at most :data:`LABEL_LIMIT` characters.
    """
    text = "".join(ch for ch in (header or "")[:READ_LIMIT] if ch.isprintable()).strip()
    if not text:
        return None
    parts = [name for name in (_first(SYSTEMS, text), _first(BROWSERS, text)) if name]
    return (" · ".join(parts) if parts else text)[:LABEL_LIMIT]


def _first(patterns, text: str) -> str | None:
    for pattern, name in patterns:
        found = pattern.search(text)
        if found:
            version = ".".join(part for part in found.groups() if part)
            return f"{name} {version}" if version else name
    return None
