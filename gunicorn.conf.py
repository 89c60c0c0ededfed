"""gunicorn's settings for this app, read by gunicorn from the directory it starts in (its
default ``./gunicorn.conf.py``: ``make run``, ``bench/`` and the tests start it here).

No ``Server`` banner: gunicorn writes ``Server: gunicorn`` on every answer, has no setting
to leave it out (benoitc/gunicorn#825, #1617: declined), and drops one the application sets.
Its responses are made by the class ``gunicorn.http.wsgi.create`` finds in its module, so
that class is replaced by one whose first lines lack the banner.
"""

from gunicorn.http import wsgi


class Response(wsgi.Response):
    def default_headers(self):
        return [line for line in super().default_headers()
                if not line.lower().startswith("server:")]


wsgi.Response = Response
