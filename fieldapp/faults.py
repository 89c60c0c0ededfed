"""A pause for the fault tests (tests/faults/), honoured only when ``ENV`` is ``test``.

With ``FAULT_PAUSE`` (``FIELDAPP_FAULT_PAUSE``) naming a folder, the first request to reach
:func:`pause` at a point while ``<folder>/<point>`` exists takes that file (renamed
``<point>.<pid>``, so the test knows which worker to kill) and waits until ``<point>.go``
appears, at most 30 seconds: a deterministic moment to kill a worker in the middle of a write.
"""

import os
import time
from pathlib import Path

from flask import current_app


def pause(point: str) -> None:
    folder = current_app.config.get("FAULT_PAUSE")
    if not folder or current_app.config["ENV"] != "test":
        return
    folder = Path(folder)
    try:
        (folder / point).rename(folder / f"{point}.{os.getpid()}")
    except FileNotFoundError:
        return  # not asked for, or another request took it
    deadline = time.monotonic() + 30
    while not (folder / f"{point}.go").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
