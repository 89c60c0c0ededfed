"""Migration 0010: the nationalities get CLDR's Vietnamese names and the new order, keeping
their codes; the way down gives back pycountry's names and 0002's order."""

import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from fieldapp.extensions import db
from tests.catalogue.test_code_lists import OLD_SPELLINGS
from tests.test_migrations import fresh_app, fresh_url

__all__ = ["fresh_app", "fresh_url"]  # the fixtures, shared by name


def nationalities() -> list[tuple[str, str, int]]:
    with db.engine.connect() as connection:
        return connection.execute(sa.text(
            "SELECT code, label, position FROM code_item WHERE list_name = 'nationality' "
            "ORDER BY position")).all()


def test_0010_renames_the_nationalities_and_its_downgrade_gives_the_old_names_back(fresh_app):
    upgrade(revision="0010-1")  # the revision before, whichever it is after a merge
    before = nationalities()
    assert set(OLD_SPELLINGS) <= {label for _, label, _ in before}
    upgrade(revision="0010")
    after = nationalities()
    assert [code for code, _, _ in after[:4]] == ["VN", "LA", "KH", "CN"]
    assert [label for _, label, _ in after[:4]] == ["Việt Nam", "Lào", "Campuchia", "Trung Quốc"]
    assert after[-1][0] == "XX" and after[-1][1] == before[-1][1]
    assert {code for code, _, _ in after} == {code for code, _, _ in before}
    assert [position for _, _, position in after] == list(range(len(after)))
    assert not set(OLD_SPELLINGS) & {label for _, label, _ in after}
    downgrade(revision="-1")
    assert nationalities() == before
