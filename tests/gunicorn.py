"""A real gunicorn in a subprocess, for the tests that need the production server
(tests/faults/, tests/web/test_server_banner.py)."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """``wsgi:app`` served on a free port of the loopback with ``settings`` (FIELDAPP_*
    variables; the caller's own are left out), started in ``cwd`` (gunicorn reads
    ``gunicorn.conf.py`` from there), its output in ``log``."""

    def __init__(self, settings: dict, log: Path, *, workers: int = 1, cwd: Path = ROOT):
        self.settings, self.log_path, self.workers, self.cwd = settings, log, workers, cwd
        self.port, self.process, self.log = 0, None, None

    def start(self) -> int:
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("FIELDAPP_")}
        env.update(self.settings)
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
             "--chdir", str(ROOT), "--no-control-socket", "wsgi:app"],
            cwd=self.cwd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("gunicorn exited while starting:\n"
                                     + self.log_path.read_text())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self.port
            except OSError:
                time.sleep(0.1)
        raise AssertionError("gunicorn did not start within 30 s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.log.close()
        self.process = None

    def __enter__(self) -> int:
        return self.start()

    def __exit__(self, *_) -> None:
        self.stop()
