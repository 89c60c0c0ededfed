"""Lighthouse (mobile) on the login page and the capture page: performance, accessibility and
best practices, each to be 100.

gunicorn serves a fresh SQLite database with the demo commune; the capture page is opened as
the demo collaborator (``ctv2``), whose session cookie Lighthouse sends. Lighthouse is an npm
package and not a dependency of the project: this looks for ``LIGHTHOUSE`` (the path of its
command), then ``lighthouse`` on the PATH, then ``npx --no-install lighthouse``, and says so
and stops (exit 0) when there is none. ``npm install lighthouse`` in a folder of your own
and ``LIGHTHOUSE=<folder>/node_modules/.bin/lighthouse make bench`` runs it. Chromium is
/usr/bin/chromium (``FIELDAPP_CHROMIUM``). Exits non-zero only when Lighthouse ran and failed.
"""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from bench.engines import Failure  # noqa: E402
from bench.sync import gunicorn  # noqa: E402
from fieldapp import create_app  # noqa: E402
from fieldapp.demo import DEMO_PASSWORD, seed  # noqa: E402
from fieldapp.extensions import db  # noqa: E402
from fieldapp.places.services import load_places  # noqa: E402

CHROMIUM = os.environ.get("FIELDAPP_CHROMIUM", "/usr/bin/chromium")
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync")
CATEGORIES = ("performance", "accessibility", "best-practices")
PAGES = (("/login", None), ("/collect", "ctv2"))


def lighthouse_command() -> list[str] | None:
    """How to run Lighthouse here, or None."""
    if os.environ.get("LIGHTHOUSE"):
        return [os.environ["LIGHTHOUSE"]]
    if shutil.which("lighthouse"):
        return ["lighthouse"]
    if shutil.which("npx"):
        probe = subprocess.run(["npx", "--no-install", "lighthouse", "--version"],
                               capture_output=True, text=True, timeout=120)
        if probe.returncode == 0:
            return ["npx", "--no-install", "lighthouse"]
    return None


def _request(port: int, method: str, path: str, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body, headers or {})
        answer = conn.getresponse()
        return answer.status, answer.headers, answer.read()
    finally:
        conn.close()


def session_cookie(port: int, username: str) -> str:
    """Log in through the form (CSRF token included); the session cookie it leaves."""
    _, headers, page = _request(port, "GET", "/login")
    cookie = SimpleCookie(headers["Set-Cookie"])
    token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urlencode({"csrf_token": token.decode(), "username": username,
                      "password": DEMO_PASSWORD})
    status, headers, _ = _request(port, "POST", "/login", body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{k}={v.value}" for k, v in cookie.items())})
    if status != 302:
        raise Failure(f"login as {username}: HTTP {status}")
    cookie.load(headers["Set-Cookie"])
    return "; ".join(f"{k}={v.value}" for k, v in cookie.items())


def audit(command: list[str], url: str, cookie: str | None) -> dict:
    args = [*command, url, "--quiet", "--output=json", "--output-path=stdout",
            f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
            "--form-factor=mobile"]
    if cookie:
        args.append(f"--extra-headers={json.dumps({'Cookie': cookie})}")
    done = subprocess.run(args, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CHROME_PATH": CHROMIUM})
    if done.returncode != 0:
        raise Failure(f"lighthouse {url}: exit {done.returncode}: {done.stderr[-500:]}")
    return json.loads(done.stdout)


def report(path: str, result: dict) -> bool:
    """Print the scores of ``path`` and what cost points; whether all are 100."""
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    print(f"  {path:<10} " + "   ".join(f"{name} {score}" for name, score in scores.items()))
    for name in CATEGORIES:
        for ref in result["categories"][name]["auditRefs"]:
            audit_result = result["audits"][ref["id"]]
            if ref["weight"] and audit_result["score"] is not None and audit_result["score"] < 1:
                print(f"      {name}: {audit_result['title']}: "
                      f"{audit_result.get('displayValue', '')} (score {audit_result['score']})")
    if scores["performance"] < 100:
        tasks = result["audits"].get("long-tasks", {}).get("details", {}).get("items", [])
        for task in tasks[:5]:
            print(f"      long task {task['duration']:.0f} ms at {task['startTime']:.0f} ms: "
                  f"{task['url']}")
    return all(score == 100 for score in scores.values())


def prepare(url: str) -> None:
    app = create_app({"ENV": "test", "SECRET_KEY": "bench", "DATABASE_URL": url})
    with app.app_context():
        upgrade()
        load_places()
        seed()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def main() -> int:
    command = lighthouse_command()
    if command is None:
        print("Lighthouse is not available (no LIGHTHOUSE, no lighthouse on the PATH, npx "
              "cannot run it): skipped. `npm install lighthouse` in a folder of your own, then "
              "LIGHTHOUSE=<folder>/node_modules/.bin/lighthouse")
        return 0
    version = subprocess.run([*command, "--version"], capture_output=True, text=True)
    print(f"Lighthouse {version.stdout.strip()}, mobile, {CHROMIUM}; gunicorn --workers 2 on "
          f"SQLite with the demo commune")
    all_met = True
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/lighthouse.db"
        prepare(url)
        try:
            with gunicorn(url, Path(tmp)) as port:
                for path, username in PAGES:
                    cookie = session_cookie(port, username) if username else None
                    result = audit(command, f"http://127.0.0.1:{port}{path}", cookie)
                    all_met &= report(path, result)
        except Failure as failure:
            print(f"FAILED: {failure}")
            return 1
    print(f"Target 100/100/100 on /login and /collect: {'met' if all_met else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
