"""The locustfile of bench/load.py (not a bench of its own): collectors' phones and officers.

A collector (its phone logged in already: a bearer token made by load.py) starts within one
pause of the others, downloads the packet and its own submissions, then
syncs: a batch of 1–10 new children, its device report, the feed since its cursor; now and
then the packet's changes, or the feed from scratch (a new phone). The feed is asked with
``?limit=100`` and followed page after page, as the phone does. An officer
logs in through the form and reads the inbox, a submission, the register, a search and a
child. Every receipt (``accepted`` or ``duplicate``) is written to BENCH_LOAD_RECEIPTS when
locust quits, for load.py to check against the database.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from urllib.parse import urlencode

from locust import FastHttpUser, between, events, task

from bench.items import new_child

PASSWORD = os.environ.get("BENCH_LOAD_PASSWORD", "demo-2026")
ACCOUNTS = json.loads(os.environ.get("BENCH_LOAD_ACCOUNTS", "{}"))  # made by load.py
# Each collector's bearer token (its phone is logged in already), the officers' usernames.
COLLECTORS, OFFICERS = ACCOUNTS.get("collectors", {}), ACCOUNTS.get("officers", [])
LOGGED_IN = "Đăng xuất"  # the logout button: every page of a logged-in user has it
# A collector's pause between two actions (seconds).
WAIT_MIN = float(os.environ.get("BENCH_LOAD_WAIT_MIN", 5))
WAIT_MAX = float(os.environ.get("BENCH_LOAD_WAIT_MAX", 15))
FEED_LIMIT = "limit=100"  # as a phone that follows pages asks (GET /api/v1/submissions)
RECEIPTS: dict[str, str] = {}  # uuid → the status the client got
_collectors, _officers = itertools.count(), itertools.count()
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                  r'name="csrf_token" value="([^"]+)"')


@events.quitting.add_listener
def _write_receipts(environment, **_):
    path = os.environ.get("BENCH_LOAD_RECEIPTS")
    if path:
        with open(path, "w") as out:
            json.dump(RECEIPTS, out)


class Collector(FastHttpUser):
    weight = 1
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.rng = random.Random()
        username = list(COLLECTORS)[next(_collectors) % len(COLLECTORS)]
        self.headers = {"Authorization": f"Bearer {COLLECTORS[username]}"}
        self.device = str(uuid.uuid4())
        # Phones are not opened in the same second: each starts within one pause.
        time.sleep(self.rng.uniform(0, WAIT_MAX))  # gevent's: the other users go on
        packet = self._get("/api/v1/packet", "GET /api/v1/packet (phone opened)")
        self.villages = [v["code"] for v in packet["villages"]] if packet else []
        self.packet_cursor = packet["cursor"] if packet else None
        self.feed_cursor = None
        self._feed("GET /api/v1/submissions (phone opened)")

    def _get(self, path: str, name: str) -> dict | None:
        with self.client.get(path, name=name, headers=self.headers,
                             catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")
                return None
            return answer.json()

    @task(6)
    def sync(self):
        if not self.villages:
            return
        items = [new_child(self.rng, self.rng.choice(self.villages), n)
                 for n in range(self.rng.randint(1, 10))]
        body = {"submissions": items, "device_id": self.device}
        for _ in range(2):  # a phone sends a failed batch again, under the same UUIDs
            if self._post_batch(body):
                break
        self._report()
        self._feed("GET /api/v1/submissions?since")

    def _feed(self, name: str, cursor: bool = True):
        """The own submissions since the cursor (from scratch without one), page after page
        as the phone follows them; the cursor kept for the next time."""
        since = self.feed_cursor if cursor else None
        for _ in range(20):
            query = f"?since={since}&{FEED_LIMIT}" if since else f"?{FEED_LIMIT}"
            feed = self._get(f"/api/v1/submissions{query}", name)
            if not feed:
                return
            if cursor:
                self.feed_cursor = feed["cursor"]
            if not feed.get("next"):
                return
            since, name = feed["next"], "GET /api/v1/submissions (next page)"

    def _post_batch(self, body: dict) -> bool:
        with self.client.post("/api/v1/submissions", json=body, headers=self.headers,
                              name="POST /api/v1/submissions", catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")
                return False
            results = answer.json()["results"]
            if [r["uuid"] for r in results] != [s["uuid"] for s in body["submissions"]]:
                answer.failure("the results do not match the batch")
                return False
            for result in results:
                if result["status"] in ("accepted", "duplicate"):
                    RECEIPTS[result["uuid"]] = result["status"]
                else:
                    answer.failure(f"an item answered {result['status']}: {result}"[:300])
            return True

    def _report(self):
        status = {"device_id": self.device, "app_version": "locust", "pending": 0,
                  "oldest_pending_at": None, "persisted": True, "usage_bytes": 250_000,
                  "quota_bytes": 2_000_000_000, "discarded": 0}
        with self.client.put("/api/v1/device", json=status, headers=self.headers,
                             name="PUT /api/v1/device", catch_response=True) as answer:
            if answer.status_code != 204:
                answer.failure(f"HTTP {answer.status_code}: {answer.text[:200]}")

    @task(2)
    def packet_changes(self):
        if self.packet_cursor:
            packet = self._get(f"/api/v1/packet?since={self.packet_cursor}",
                               "GET /api/v1/packet?since")
            if packet:
                self.packet_cursor = packet["cursor"]

    @task(1)
    def new_phone_feed(self):
        self._feed("GET /api/v1/submissions (new phone)", cursor=False)


class Officer(FastHttpUser):
    fixed_count = len(OFFICERS)
    wait_time = between(1, 4)

    def on_start(self):
        username = OFFICERS[next(_officers) % len(OFFICERS)]
        token = self._csrf("/login", "GET /login")
        page = self._page("/login", "POST /login", form={
            "csrf_token": token, "username": username, "password": PASSWORD})
        if page and LOGGED_IN not in page:
            self.stop()

    def _page(self, path: str, name: str, form: dict | None = None) -> str:
        """A page's HTML (a form posted when ``form`` is given); a failure unless 200 and,
        away from /login, still logged in."""
        data, headers = None, {}
        if form is not None:
            data = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        with self.client.request("POST" if form is not None else "GET", path, name=name,
                                 data=data, headers=headers, catch_response=True) as answer:
            text = answer.text or ""
            if answer.status_code != 200 or (path != "/login" or form) and LOGGED_IN not in text:
                answer.failure(f"HTTP {answer.status_code}, logged in: {LOGGED_IN in text}")
                return ""
            return text

    def _csrf(self, path: str, name: str) -> str:
        found = CSRF.search(self._page(path, name))
        return (found.group(1) or found.group(2)) if found else ""

    @task(3)
    def inbox(self):
        page = self._page("/review", "GET /review")
        ids = re.findall(r'href="/review/([0-9a-f-]{36})', page)
        if ids:
            self._page(f"/review/{random.choice(ids)}", "GET /review/<id>")

    @task(2)
    def register(self):
        page = self._page("/children/", "GET /children/")
        found = CSRF.search(page)
        if found:
            self._page("/children/", "POST /children/ (search)", form={
                "csrf_token": found.group(1) or found.group(2), "q": "nguyen van",
                "status": "active"})
        ids = re.findall(r'href="/children/([0-9a-f-]{36})"', page)
        if ids:
            self._page(f"/children/{random.choice(ids)}", "GET /children/<id>")
