"""Keyset cursors: a page's last sort values, as opaque URL-safe text."""

import base64
import json


def encode_cursor(values: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def read_cursor(cursor: str):
    """What :func:`encode_cursor` wrote, or ``None`` if the text is not one of its cursors."""
    try:
        return json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError):
        return None
