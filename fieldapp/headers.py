"""Security headers on every answer (ARCHITECTURE §8)."""

from flask import Flask, g, request

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


# A 304 only confirms what the browser holds, headers included (RFC 9110 §15.4.5): the
# service worker's update checks and revalidations need none of these.
NOT_ON_304 = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options",
              "Referrer-Policy")


def logged_in() -> bool:
    """Did this request run as a logged-in user? (Read from what Flask-Login loaded: a hook
    that asked the database now could fail after the answer was made.)"""
    user = g.get("_login_user")
    return bool(user is not None and user.is_authenticated)


def init_app(app: Flask) -> None:
    @app.after_request
    def not_kept(response):
        """Any answer to a logged-in user may show a child, a list or a submission: kept by no
        cache (the browser's, a proxy's, the back button's copy on a shared phone), unless
        it says itself how it may be kept (static files, the worker's scripts and /collect,
        an app shell whose lists come from the phone's own storage)."""
        if "Cache-Control" not in response.headers and logged_in():
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.after_request
    def security_headers(response):
        if response.status_code == 304:
            for name in NOT_ON_304:
                response.headers.pop(name, None)
            return response
        if response.mimetype in GOVERNED and "Location" not in response.headers:
            # (A redirect's little page is never shown: the browser follows it.)
            response.headers.setdefault("Content-Security-Policy", CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint == "static":
            # send_file's, which nothing uses: the ETag is the validator, ranges are not asked.
            for name in ("Content-Disposition", "Last-Modified", "Accept-Ranges"):
                response.headers.pop(name, None)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
