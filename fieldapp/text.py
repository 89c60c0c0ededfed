"""What text and JSON the app accepts: one rule for every form field, query parameter and JSON
string, applied where input comes in (forms.py, apiv1.json_body, the batch items of
collection.services), so that no service ever meets a character the database cannot keep.

Refused: the C0 control characters except tab, line feed and carriage return (PostgreSQL
refuses NUL in text, and the others are no one's typing), lone UTF-16 surrogates (a JSON
``"\\ud800"`` escape: not encodable as UTF-8, so neither hashable nor storable) and the
noncharacters U+FFFE and U+FFFF.
"""

import json
import math
import re
from collections.abc import Iterator

from flask import request

from fieldapp.errors import BadRequest, NotFound

UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MESSAGE = "Có ký tự không hợp lệ."
MAX_DEPTH = 20  # a batch of submissions is 7 levels deep; no recursion to fear at 20


class Unreadable(ValueError):
    """Not JSON this app reads: bad syntax, NaN or Infinity."""


class TooDeep(Unreadable):
    """JSON nested deeper than :data:`MAX_DEPTH`."""


def storable(value: str) -> bool:
    return UNSTORABLE.search(value) is None


def shown(value: str) -> str:
    """``value`` fit to show (in a page, an error's path): each unstorable character → U+FFFD."""
    return UNSTORABLE.sub("\ufffd", value)


def unstorable_paths(value, prefix: str = "") -> dict[str, list[str]]:
    """``{"child.address": [MESSAGE]}`` for every string (key or value) of a parsed JSON value
    that holds an unstorable character; keys are checked too, since whole objects are kept."""
    return {shown(path) or "_": [MESSAGE] for path, text in _strings(value, prefix)
            if not storable(text)}


def _strings(value, prefix: str) -> Iterator[tuple[str, str]]:
    """Every (path, string) of a JSON value, keys included; iterative, so depth costs nothing."""
    stack = [(prefix, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            yield path, item
        elif isinstance(item, dict):
            for key, child in item.items():
                inner = f"{path}.{key}" if path else str(key)
                yield inner, str(key)
                stack.append((inner, child))
        elif isinstance(item, list):
            stack.extend((f"{path}.{i}" if path else str(i), child)
                         for i, child in enumerate(item))


def parse_json(data: bytes | str):
    """The JSON value of ``data``, or :class:`Unreadable`.

    NaN and Infinity are not JSON (RFC 8259; PostgreSQL would refuse them stored), and a value
    nested deeper than :data:`MAX_DEPTH` is refused: 4,000 levels would exhaust Python's
    recursion here or in any code that walks it later.
    """
    try:
        value = json.loads(data, parse_constant=_not_json, parse_float=_finite)
    except RecursionError:
        raise TooDeep() from None
    except ValueError as error:  # UnicodeDecodeError too
        raise Unreadable(str(error)) from None
    if _depth(value) > MAX_DEPTH:
        raise TooDeep()
    return value


def _depth(value) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1)
                         for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def _not_json(constant: str):
    raise ValueError(constant)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400
        raise ValueError(text)
    return value


MAX_QUERY_VALUE = 500  # the longest legitimate one is a list's cursor (at most 200)


def number(value: int) -> str:
    """A whole number as Vietnamese papers write it: 12.345 (a dot between thousands)."""
    return f"{value:,}".replace(",", ".")


def init_app(app) -> None:
    app.before_request(check_address)
    app.add_template_filter(number)


def check_address() -> None:
    """Before any view: a path naming something with unstorable text names nothing (404); a
    query string holding it, or a value too long, is a 400 naming the parameters."""
    if any(isinstance(value, str) and not storable(value)
           for value in (request.view_args or {}).values()):
        raise NotFound("Không tìm thấy địa chỉ này.")
    errors = {}
    for name, value in request.args.items(multi=True):
        if not (storable(name) and storable(value)):
            errors[shown(name)] = [MESSAGE]
        elif len(value) > MAX_QUERY_VALUE:
            errors[name] = [f"Tối đa {MAX_QUERY_VALUE} ký tự."]
    if errors:
        raise BadRequest("Địa chỉ có tham số không hợp lệ (ký tự lạ hoặc quá dài).", errors)
