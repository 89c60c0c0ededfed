"""What phones do, for bench/sync.py (not a bench of its own): send batches of submissions
from concurrent clients, and open the capture page in Chromium.

In Chromium the phone talks to gunicorn through the browser tests' proxy
(tests/browser/network.py), which counts every byte on the wire (compressed bodies and
headers), the service worker's requests included, which a CDP session on the page does not.
gunicorn's sync workers close every connection after one answer, so each connection the proxy
records is one request (the clients' keep-alive connections reconnect for every batch).
"""

import gzip
import http.client
import json
import os
import threading
import time
from contextlib import contextmanager
from datetime import date, datetime

from playwright.sync_api import expect, sync_playwright

from bench.items import new_child
from fieldapp.collection.schemas import VIETNAM
from tests.browser.network import Proxy

CHROMIUM = os.environ.get("FIELDAPP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run",
]
BATCH = 100


def call(port, method, path, body=None, token=None, conn=None):
    """One request; returns (status, headers, body bytes as on the wire)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept-Encoding": "gzip"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        conn.request(method, path, body, headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if own:
            conn.close()


def decoded(headers, raw: bytes):
    return json.loads(gzip.decompress(raw) if headers.get("Content-Encoding") == "gzip" else raw)


def batches(count: int, villages: list[str], rng) -> list[tuple[list[str], bytes]]:
    """Distinct valid new-child submissions, as phones send them: (uuids, JSON body)."""
    now, today, out = datetime.now(VIETNAM), date.today(), []
    for start in range(0, count, BATCH):
        items = [new_child(rng, villages[i % len(villages)], i, now, today)
                 for i in range(start, min(start + BATCH, count))]
        body = json.dumps({"submissions": items}, ensure_ascii=False).encode()
        out.append(([item["uuid"] for item in items], body))
    return out


def post_all(port: int, token: str, bodies: list[bytes], clients: int,
             failed: list | None = None):
    """POST every body from ``clients`` threads; returns answers, latencies (ms), seconds.

    A batch answered 5xx is sent again (up to 5 times, as a phone's replay would) and each
    such answer is noted in ``failed`` as (HTTP status, ms, start of the body)."""
    answers, millis = [None] * len(bodies), [0.0] * len(bodies)
    queue, lock = iter(range(len(bodies))), threading.Lock()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = next(queue, None)
            if i is None:
                break
            for _ in range(6):
                start = time.perf_counter()
                try:
                    answers[i] = call(port, "POST", "/api/v1/submissions", bodies[i], token, conn)
                except OSError as error:
                    answers[i] = (599, {}, repr(error).encode())
                    conn.close()
                millis[i] = (time.perf_counter() - start) * 1000
                if answers[i][0] < 500 or failed is None:
                    break
                with lock:
                    failed.append((answers[i][0], millis[i], answers[i][2][:80]))
                time.sleep(0.05)
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, millis, time.perf_counter() - start


def _path(record: dict) -> str:
    method, _, rest = record["request"].partition(" ")
    return f"{method} {rest.rsplit(' ', 1)[0].split('?', 1)[0]}"


@contextmanager
def _phone(gunicorn_port: int):
    """A fresh 360-px phone in Chromium, talking to gunicorn through a counting proxy:
    (context, page, proxy, base URL)."""
    proxy = Proxy(gunicorn_port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": 360, "height": 780},
                                              locale="vi-VN")
                yield context, context.new_page(), proxy, f"http://127.0.0.1:{proxy.port}"
            finally:
                browser.close()
    finally:
        proxy.close()


def measure_phone(gunicorn_port: int, username: str, password: str) -> dict:
    """Log in through /login (next=/collect), open /collect for the first time, then reload it
    with no network. Returns the figures and per-request breakdowns."""
    with _phone(gunicorn_port) as (context, page, proxy, base):
        seen = []  # what the page itself (not its worker) reports through CDP
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", lambda event: seen.append(event["encodedDataLength"]))
        return _visit(page, context, proxy, base, seen, username, password)


def measure_journey(gunicorn_port: int, username: str, password: str) -> dict:
    """A collector's whole journey on a fresh phone, in the order they go: the login page; the
    login (its POST and the home page it leads to); /collect, opened from the home page's
    button, until it says "Sẵn sàng dùng khi mất mạng"; then a reload with no network.

    Returns ``steps`` (step name → the proxy's records, the service worker's requests
    included), the offline reload's figures and the console errors it logged."""
    with _phone(gunicorn_port) as (context, page, proxy, base):
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        steps, mark = {}, 0

        def step(name: str) -> None:
            nonlocal mark
            proxy.quiet()
            steps[name] = proxy.records[mark:]
            mark = len(proxy.records)

        page.goto(f"{base}/login")
        step("login page")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{base}/")
        step("login, home")
        page.get_by_role("link", name="Mở trang thu thập").click()
        page.wait_for_url(f"{base}/collect")
        expect(page.locator("#offline-ready")).to_be_visible(timeout=20000)
        step("/collect")
        before = len(errors)
        offline = _offline_reload(page, context, proxy)
        return {"steps": steps, **offline, "offline_errors": errors[before:],
                "errors": errors[:before]}


def _visit(page, context, proxy, base, seen, username, password) -> dict:
    page.goto(f"{base}/login?next=%2Fcollect")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    proxy.quiet(0.5)
    page_seen_at_login = len(seen)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/collect")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=20000)
    proxy.quiet()
    posts = [i for i, r in enumerate(proxy.records) if r["request"].startswith("POST /login")]
    split = posts[-1] + 1
    login, first = proxy.records[:split], proxy.records[split:]
    cdp_first = sum(seen[page_seen_at_login:])  # includes the POST's small redirect
    return {"login": login, "first": first, "cdp_first": cdp_first,
            **_offline_reload(page, context, proxy)}


def _offline_reload(page, context, proxy) -> dict:
    """Reload /collect with no network at all: what crossed it, and whether the page shows."""
    proxy.down()
    context.set_offline(True)
    attempts, records = proxy.attempts, len(proxy.records)
    page.reload()
    status = page.locator("#sync-status")
    shown = True
    try:
        expect(status).to_be_visible(timeout=10000)
        expect(page.locator("#waiting-count")).to_have_text("0", timeout=10000)
    except AssertionError:
        shown = False
    time.sleep(1.5)  # anything late would still show up in the proxy's count
    offline = proxy.records[records:]
    return {
        "offline_bytes": sum(r["down"] + r["up"] for r in offline),
        "offline_attempts": proxy.attempts - attempts, "offline_shown": shown,
        "offline_children": page.locator("#child-count").text_content() if shown else "",
    }


def breakdown(records: list[dict]) -> list[str]:
    """One line per request (bytes to the phone, headers included), in the order sent."""
    return [f"      {r['down']:>7,} B  {_path(r)}" for r in records]
