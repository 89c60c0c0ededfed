"""Render a full page, or only its fragment when htmx asks for it (ARCHITECTURE §5)."""

from flask import Flask, make_response, render_template, request
from flask import redirect as flask_redirect


def is_htmx() -> bool:
    """An htmx request, except a history restore, which needs the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str | None = None, status: int = 200, **context):
    """Render ``fragment`` for htmx requests and ``page`` otherwise.

    The fragment is a template whose single root element has a stable id; the page
    includes it, so both answers carry the same markup.
    """
    template = fragment if fragment and is_htmx() else page
    response = make_response(render_template(template, **context), status)
    response.vary.add("HX-Request")
    return response


def redirect(location: str):
    """Go to ``location`` after a successful form: ``HX-Redirect`` for htmx (which would
    otherwise follow a 302 and swap a whole page into the form), a 302 for a plain form."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return response
    return flask_redirect(location)


def init_app(app: Flask) -> None:
    @app.after_request
    def vary_on_htmx(response):
        response.vary.add("HX-Request")
        return response
