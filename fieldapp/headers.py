"""Security headers on every answer (ARCHITECTURE §8)."""

from flask import Flask, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "manifest-src 'self'",
        "worker-src 'self'",
    ]
)


# The policy governs documents and workers only (the service worker's answer sets its own); a
# script, style sheet or image ignores it, and on a phone every header byte is paid for.
GOVERNED = {"text/html", "application/xhtml+xml"}


def init_app(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        if response.mimetype in GOVERNED:
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint == "static":
            response.headers.pop("Content-Disposition", None)  # send_file's; nothing uses it
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
