"""``places load``: the national list of 34 provinces and 3,321 communes, loaded idempotently."""

from sqlalchemy import delete, func, select

from fieldapp.places.models import Commune, Province
from fieldapp.places.services import load_places

ALL_PLACES = 34 + 3321


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_load_fills_an_empty_list_then_changes_nothing(db):
    db.session.execute(delete(Commune))
    db.session.execute(delete(Province))
    assert load_places() == {"added": ALL_PLACES, "changed": 0, "unchanged": 0}
    assert (count(db, Province), count(db, Commune)) == (34, 3321)
    commune = db.session.get(Commune, "03808")
    assert (commune.name, commune.province_code) == ("Xã Mường La", "14")
    assert load_places() == {"added": 0, "changed": 0, "unchanged": ALL_PLACES}


def test_the_command_corrects_an_altered_name(db, runner):
    db.session.get(Commune, "03808").name = "Xã Sai Tên"
    db.session.flush()
    result = runner.invoke(args=["places", "load"])
    assert result.exit_code == 0, result.output
    assert result.output == f"places: 0 added, 1 changed, {ALL_PLACES - 1} unchanged\n"
    db.session.expire_all()
    assert db.session.get(Commune, "03808").name == "Xã Mường La"
    assert runner.invoke(args=["places", "load"]).output.startswith("places: 0 added, 0 changed")
