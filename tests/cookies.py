"""What a browser's session cookie holds: signed, not encrypted, so anyone holding the
cookie reads it (a flashed message included)."""

import json


def session_text(client) -> str:
    app = client.application
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return ""
    data = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    return json.dumps(data, ensure_ascii=False, default=str)
