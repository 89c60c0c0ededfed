"""Two confirmations of one upload at the same moment (a double click, two tabs), on
PostgreSQL where both really run in parallel: the children are written once, the other
answer says there is nothing more to import. Their own throwaway database (tests/race.py)."""

import threading

import pytest
from sqlalchemy import func, select

from fieldapp import roles
from fieldapp.auth.models import User
from fieldapp.children.models import Child, ChildImport
from fieldapp.extensions import db
from tests.children.import_sheets import fingerprint, upload, upload_id, workbook
from tests.conftest import csrf_token
from tests.factories import PASSWORD
from tests.race import ONLY_POSTGRES, race_world

pytestmark = ONLY_POSTGRES


@pytest.fixture(scope="module")
def world():
    with race_world({"officer": (roles.COMMUNE_OFFICER, False)}) as out:
        yield out


def _logged_in(app, username: str):
    client = app.test_client()
    token = csrf_token(client, "/login")
    answer = client.post("/login", data={"csrf_token": token, "username": username,
                                         "password": PASSWORD})
    assert answer.status_code == 302
    return client


def test_two_confirmations_at_once_import_once(world):
    app = world["app"]
    with app.app_context():
        username = db.session.scalars(select(User.username)).one()
    first, second = _logged_in(app, username), _logged_in(app, username)
    rows = [["Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Họ tên mẹ"]] + [
        [f"Lò Văn {given}", "04/03/2016", "Nam", "Thái", "Lường Thị Xuân"]
        for given in ("An", "Ban", "Chiến", "Dũng", "Hùng")]
    key = upload_id(upload(first, workbook(rows), village=world["village"]))
    html = first.get(f"/children/import/{key}").get_data(as_text=True)
    data = [{"csrf_token": csrf_token(client, "/children/import"),
             "fingerprint": fingerprint(html)} for client in (first, second)]
    start, answers = threading.Barrier(2), [None, None]

    def send(i: int, client) -> None:
        start.wait(timeout=20)
        try:
            answers[i] = client.post(f"/children/import/{key}/confirm", data=data[i])
        except Exception as error:  # noqa: BLE001 - reported below, not lost in the thread
            answers[i] = error

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate((first,
                                                                                   second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    places = sorted(answer.headers["Location"] for answer in answers)
    assert places == ["/children/", "/children/import"]  # one imported, the other: nothing
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Child)) == 5
        assert db.session.scalar(select(func.count()).select_from(ChildImport)) == 0
