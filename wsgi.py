"""The WSGI entry point: ``gunicorn wsgi:app``."""

from fieldapp import create_app

app = create_app()
app.debug = False  # never on under gunicorn, whatever the environment says
