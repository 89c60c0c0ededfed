"""A network the tests can break: a TCP proxy in front of the live server, and a WSGI middleware
that makes the sync API fail on purpose.

Playwright's own offline switch and routes do not reach a service worker's requests, so the
phone talks to the proxy: ``down()`` closes every connection and refuses new ones (the page and
the worker alike see a network error), ``up()`` lets traffic through again.
"""

import io
import json
import socket
import threading
import time


class Proxy:
    """A TCP proxy to ``upstream_port`` that can cut the network, and counts what crosses it
    (``records``: one per connection, its request line and bytes ``up`` and ``down``)."""

    def __init__(self, upstream_port: int):
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.is_up = True
        self.lock = threading.Lock()
        self.pairs: dict[int, tuple[socket.socket, socket.socket]] = {}  # upstream port → pair
        self.records: list[dict] = []
        self.attempts = 0  # connections opened, refused ones included
        self.last_activity = time.monotonic()
        threading.Thread(target=self._accept, daemon=True).start()

    def up(self) -> None:
        self.is_up = True

    def down(self) -> None:
        """Refuse every new connection, and cut the open ones."""
        with self.lock:
            self.is_up = False
            pairs = list(self.pairs.values())
            self.pairs.clear()
        for pair in pairs:
            _close(*pair)

    def kill(self, upstream_port: int) -> None:
        """Cut the connection whose server side is ``upstream_port`` (WSGI's REMOTE_PORT)."""
        with self.lock:
            pair = self.pairs.pop(upstream_port, None)
        if pair:
            _close(*pair)

    def quiet(self, seconds: float = 1.5, limit: float = 20) -> None:
        """Wait until no connection is open and none opened for ``seconds``."""
        end = time.monotonic() + limit
        while time.monotonic() < end:
            with self.lock:
                idle = not self.pairs and time.monotonic() - self.last_activity > seconds
            if idle:
                return
            time.sleep(0.1)

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.attempts += 1
                self.last_activity = time.monotonic()
            if not self.is_up:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _close(client)
                continue
            key = server.getsockname()[1]
            record = {"request": "", "up": 0, "down": 0}
            with self.lock:
                cut = not self.is_up  # the network went down while this one was connecting
                if not cut:
                    self.pairs[key] = (client, server)
                    self.records.append(record)
            if cut:
                _close(client, server)
                continue
            for source, target, way in ((client, server, "up"), (server, client, "down")):
                threading.Thread(target=self._pipe, args=(source, target, key, record, way),
                                 daemon=True).start()

    def _pipe(self, source, target, key: int, record: dict, way: str) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data or not self.is_up:
                    break
                if way == "up" and not record["request"]:
                    record["request"] = data.split(b"\r\n", 1)[0].decode("latin-1")
                target.sendall(data)
                with self.lock:
                    record[way] += len(data)
                    self.last_activity = time.monotonic()
        except OSError:
            pass
        with self.lock:
            pair = self.pairs.pop(key, None)
            self.last_activity = time.monotonic()
        _close(*(pair or (source, target)))

    def close(self) -> None:
        self.down()
        self.listener.close()


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        sock.close()


class Faults:
    """Failures of POST /api/v1/submissions, switched on by a test and off again after it.

    ``unavailable``: every ``/api/`` request answers 503, the session's too. ``hang``: every
    ``/api/`` request waits that many seconds first (coverage that connects, then stalls).
    ``fail``: answer 500 (the request is not processed). ``refuse = (text, status)``: answer
    ``status`` to a request whose body holds ``text``. ``feed_pages``: every page of
    ``GET /api/v1/submissions`` after a first one answers 500. ``delay``: wait that many seconds
    first (a slow link). ``drop_after``: let that many
    submission requests through, then process the next one fully but cut its connection
    before the answer leaves (the server has it, the phone never hears), and take the
    network down.
    """

    def __init__(self, inner):
        self.inner = inner  # the app's own WSGI callable
        self.proxy: Proxy | None = None
        self.reset()

    def reset(self) -> None:
        self.fail = False
        self.unavailable = False  # every /api/ request answers 503
        self.hang = 0.0  # seconds before any /api/ request is processed (coverage that stalls)
        self.drop_after: int | None = None
        self.seen = 0
        self.refuse: tuple[str, int] | None = None  # (text in the body, HTTP status)
        self.delay = 0.0  # seconds before a submission request is processed
        self.feed_pages = False  # GET /api/v1/submissions?since=… answers 500

    def __call__(self, environ, start_response):
        submission = (environ.get("REQUEST_METHOD") == "POST"
                      and environ.get("PATH_INFO") == "/api/v1/submissions")
        if self.hang and environ.get("PATH_INFO", "").startswith("/api/"):
            time.sleep(self.hang)
        if self.unavailable and environ.get("PATH_INFO", "").startswith("/api/"):
            body = b'{"title": "Service Unavailable", "detail": "", "errors": {}}'
            start_response("503 SERVICE UNAVAILABLE", [
                ("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))])
            return [body]
        if self.feed_pages and environ.get("REQUEST_METHOD") == "GET" and \
                environ.get("PATH_INFO") == "/api/v1/submissions" and \
                "since=" in environ.get("QUERY_STRING", ""):
            body = b'{"title": "L\\u1ed7i h\\u1ec7 th\\u1ed1ng", "detail": "", "errors": {}}'
            start_response("500 INTERNAL SERVER ERROR", [
                ("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))])
            return [body]
        if submission and self.delay:
            time.sleep(self.delay)
        if submission and self.fail:
            body = b'{"title": "L\\u1ed7i h\\u1ec7 th\\u1ed1ng", "detail": "", "errors": {}}'
            start_response("500 INTERNAL SERVER ERROR", [
                ("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))])
            return [body]
        if submission and self.refuse is not None:
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
            text, status = self.refuse
            if text.encode() in body:
                answer = json.dumps({"title": "Dữ liệu quá lớn", "detail": "Phiếu quá lớn.",
                                     "errors": {}}).encode()
                start_response(f"{status} REFUSED", [
                    ("Content-Type", "application/problem+json"),
                    ("Content-Length", str(len(answer)))])
                return [answer]
        if submission and self.drop_after is not None:
            self.seen += 1
            if self.seen > self.drop_after:
                answer = b"".join(self.inner(environ, lambda *a, **k: None))
                del answer  # stored and committed on the server; the phone will not hear it
                self.proxy.down()  # first: the phone's next request must find no network
                self.proxy.kill(int(environ["REMOTE_PORT"]))
                start_response("200 OK", [("Content-Length", "0")])
                return [b""]
        return _closing(self.inner(environ, start_response))


def _closing(answer):
    """The answer, closed when it is done or dropped. When the proxy cuts a connection in
    the middle of an answer, werkzeug's development server fails before it closes the answer,
    and a static file's handle would be left to the garbage collector (a ResourceWarning)."""
    try:
        yield from answer
    finally:
        close = getattr(answer, "close", None)
        if close is not None:
            close()
