"""What an offline browser test does to the world around the phone: the network, the server's
database (accounts, sessions, what was stored) and a new deployment of the app."""

import itertools
from uuid import UUID

from playwright.sync_api import expect
from sqlalchemy import delete, select, update

from fieldapp import roles
from fieldapp.auth import sessions, tokens
from fieldapp.auth.accounts import create_user, update_user
from fieldapp.auth.models import LoginSession, User
from fieldapp.collection.models import Submission, SubmissionConflict
from fieldapp.db import utcnow
from fieldapp.demo import DEMO_PASSWORD
from fieldapp.devices.models import Device
from fieldapp.extensions import db
from tests.browser import test_foundation as foundation
from tests.submissions import make_item

_numbers = itertools.count(1)
# What Chromium logs when the network is down or a connection is cut: expected here.
NETWORK_ERRORS = ["net::ERR_INTERNET_DISCONNECTED", "net::ERR_CONNECTION_CLOSED",
                  "net::ERR_CONNECTION_RESET", "net::ERR_EMPTY_RESPONSE",
                  "net::ERR_CONNECTION_REFUSED", "net::ERR_FAILED",
                  "net::ERR_SOCKET_NOT_CONNECTED"]


class Field:
    def __init__(self, app, proxy):
        self.app, self.proxy, self.faults = app, proxy, app.faults
        self.url = f"http://127.0.0.1:{proxy.port}"

    def offline(self, page) -> None:
        """No network at all, for the page and its service worker alike."""
        page.expected.extend(NETWORK_ERRORS)
        self.proxy.down()
        page.context.set_offline(True)

    def online(self, page) -> None:
        self.proxy.up()
        page.context.set_offline(False)

    def collector(self, villages=("03808-002",)) -> str:
        """A new collaborator of the demo commune; returns the username."""
        name = f"ctvthu{next(_numbers)}"
        with self.app.app_context():
            user, _ = create_user(None, username=name, role=roles.COLLABORATOR,
                                  places=list(villages), full_name="Cộng Tác Thử",
                                  password=DEMO_PASSWORD)
            user.must_change_password = False
            db.session.commit()
        return name

    def submissions(self, username: str) -> list[dict]:
        """What the server stored from this user, oldest first."""
        with self.app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            rows = db.session.scalars(select(Submission).where(Submission.user_id == user.id)
                                      .order_by(Submission.received_at, Submission.id))
            return [{"uuid": str(s.id), "name": s.data["child"]["full_name"], "state": s.state,
                     "child_id": str(s.child_id) if s.child_id else None,
                     "base_version": s.base_version, "data": s.data} for s in rows]

    def conflicts(self, username: str) -> list[dict]:
        """Other contents the server kept aside under this user's submissions' UUIDs."""
        with self.app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            rows = db.session.scalars(select(SubmissionConflict)
                                      .where(SubmissionConflict.user_id == user.id))
            return [{"uuid": str(c.submission_id), "name": c.content["data"]["child"]["full_name"]}
                    for c in rows]

    def submit_for(self, username: str, count: int, village: str = "03808-002") -> list[str]:
        """``count`` new-child submissions sent by the user from another device (a script
        with a bearer token); their UUIDs."""
        with self.app.app_context():
            _, secret = tokens.issue(self._user(username), "Máy khác")
            db.session.commit()
        items = [make_item(village) for _ in range(count)]
        answer = self.app.test_client().post(
            "/api/v1/submissions", json={"submissions": items},
            headers={"Authorization": f"Bearer {secret}"})
        assert [r["status"] for r in answer.get_json()["results"]] == ["accepted"] * count
        return [item["uuid"] for item in items]

    def lose_submissions(self, uuids) -> None:
        """The server forgets these submissions, as a restore of a backup taken before they
        arrived would (with what hangs on them: conflicts kept aside)."""
        keys = [UUID(str(key)) for key in uuids]
        with self.app.app_context():
            db.session.execute(delete(SubmissionConflict)
                               .where(SubmissionConflict.submission_id.in_(keys)))
            db.session.execute(delete(Submission).where(Submission.id.in_(keys)))
            db.session.commit()

    def live_sessions(self, username: str) -> int:
        with self.app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            return len(sessions.live_sessions(user))

    def end_sessions(self, username: str) -> None:
        """The user's login sessions end on the server (as an expiry would)."""
        with self.app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id)
                               .values(ended_at=utcnow()))
            db.session.commit()

    def on_phone(self, phone, villages=("03808-002",)) -> str:
        """A new collaborator logs in on ``phone`` and opens the capture page (ready to work
        offline); returns the username."""
        username = self.collector(villages)
        log_in(phone, self.url, username)
        open_collect(phone, self.url)
        return username

    def set_places(self, username: str, villages) -> None:
        """The officer changes which villages the user collects in."""
        with self.app.app_context():
            user = db.session.scalars(select(User).where(User.username == username)).one()
            update_user(None, user, full_name=user.full_name, places=list(villages))
            db.session.commit()

    def decide(self, uuid: str, state: str, note: str | None = None) -> None:
        """The officer returns, approves or rejects a submission (the review pages come
        later): its state and note change, as the feed then tells the phone."""
        with self.app.app_context():
            row = db.session.get(Submission, UUID(uuid))
            row.state, row.note, row.updated_at = state, note, utcnow()
            db.session.commit()

    def require_password_change(self, username: str) -> None:
        """The officer resets the password: the account must choose a new one."""
        with self.app.app_context():
            self._user(username).must_change_password = True
            db.session.commit()

    def deactivate(self, username: str) -> None:
        """The officer locks the account (its sessions end)."""
        with self.app.app_context():
            user = self._user(username)
            user.active = False
            sessions.end_all_sessions(user)
            db.session.commit()

    def set_role(self, username: str, role: str) -> None:
        """Someone changes the account's role (its sessions live on)."""
        with self.app.app_context():
            self._user(username).role = role
            db.session.commit()

    def devices(self, username: str) -> list[dict]:
        """The phones this user reported from, as the server keeps them."""
        with self.app.app_context():
            rows = db.session.scalars(select(Device).where(
                Device.user_id == self._user(username).id))
            return [{"phone_id": str(d.phone_id), "pending": d.pending, "lost": d.possibly_lost,
                     "discarded": d.discarded, "receipts": d.receipts, "version": d.app_version,
                     "persisted": d.persisted, "usage": d.usage_bytes, "quota": d.quota_bytes}
                    for d in rows]

    def _user(self, username: str) -> User:
        return db.session.scalars(select(User).where(User.username == username)).one()

    def deploy(self, build: str) -> None:
        """A new version of the app: the service worker's content (and VERSION) changes."""
        self.app.config["OFFLINE_BUILD"] = build


def log_in(page, base: str, username: str) -> None:
    """Log in through the form (test_foundation's) and wait for the home page."""
    foundation.log_in(page, base, username)
    page.wait_for_url(f"{base}/")


def open_collect(page, base: str) -> None:
    """Open the capture page online and wait until it would work with no network."""
    page.goto(f"{base}/collect")
    expect(page.locator("#offline-ready")).to_be_visible(timeout=15000)


def waiting(page):
    return page.locator("#waiting-count")


def held(page) -> list[str]:
    """The UUIDs of the sent items the phone keeps until the officer decides them."""
    return page.evaluate("""() => FA.outbox.held(document.getElementById("collect").dataset.user)
      .then(items => items.map(item => item.uuid))""")


def fill_child(page, name: str, born: str = "2019-05-17", sex: str = "2",
               head: str = "Lò Văn Chủ Hộ", mother: str = "Lò Thị Mẹ") -> None:
    page.get_by_label("Họ và tên", exact=True).fill(name)
    page.get_by_label("Giới tính").select_option(sex)
    page.get_by_label("Ngày, tháng, năm sinh").fill(born)
    page.get_by_label("Dân tộc").select_option("03")
    page.get_by_label("Họ tên chủ hộ").fill(head)
    page.locator("#caregivers-0-relation").select_option("mother")
    page.locator("#caregivers-0-full_name").fill(mother)


def add_child(page, name: str, **fields) -> None:
    """Register a new child in a new household through the capture form, and save it."""
    page.get_by_role("link", name="Thêm trẻ em").click()
    expect(page.locator("#view-form")).to_be_visible()
    fill_child(page, name, **fields)
    page.get_by_role("button", name="Lưu trên máy").click()
    expect(page.locator("#view-home")).to_be_visible()
