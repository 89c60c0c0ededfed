"""The age limit is a setting (issue 14 §1.5): the packet carries the limit in force and the
phone checks a birth date with it, offline — a child of 16 is taken where the limit is 17,
one of 17 is refused with the limit in the message."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from fieldapp.extensions import db
from fieldapp.settings.models import Setting
from tests.browser.field import fill_child, waiting

pytestmark = pytest.mark.browser


@pytest.fixture()
def limit_17(live_app):
    """The administrator raised the limit to 17 (the row, as the settings page stores it);
    the live server's database is shared by the session: the row goes afterwards."""
    with live_app.app_context():
        db.session.add(Setting(key="age_limit", value=17))
        db.session.commit()
    yield
    with live_app.app_context():
        db.session.delete(db.session.get(Setting, "age_limit"))
        db.session.commit()


def years_before(today: date, years: int, days: int) -> str:
    return (today.replace(year=today.year - years) - timedelta(days=days)).isoformat()


def test_the_phone_checks_the_birth_date_against_the_limit_in_the_packet(field, phone,
                                                                           limit_17):
    field.on_phone(phone)
    assert phone.evaluate("""() => FA.packet.load(document.getElementById("collect")
      .dataset.user).then(p => p.age_limit)""") == 17
    field.offline(phone)
    today = date.today()
    phone.get_by_role("link", name="Thêm trẻ em").click()
    fill_child(phone, "Lò Văn Mười Bảy", born=years_before(today, 17, 3))
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(phone.locator("#child-date_of_birth-error")).to_have_text(
        "Ngày, tháng, năm sinh: trẻ đã đủ 17 tuổi vào ngày thu thập.")
    expect(waiting(phone)).to_have_text("0")
    phone.get_by_label("Ngày, tháng, năm sinh").fill(years_before(today, 16, 30))
    phone.get_by_role("button", name="Lưu trên máy").click()
    expect(waiting(phone)).to_have_text("1")
    field.online(phone)
    expect(waiting(phone)).to_have_text("0", timeout=15000)
