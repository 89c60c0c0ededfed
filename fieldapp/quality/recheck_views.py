"""Re-check pages (phúc tra): the overview with its draw form, and one sample, printable,
with a form per record. Plain forms, each answered by a redirect (or 422 with the errors)."""

from datetime import date

from flask import Blueprint, flash, request, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from fieldapp import access, htmx
from fieldapp.audit.services import record as audit
from fieldapp.auth.models import User
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries as register
from fieldapp.children.models import Child
from fieldapp.client import client_address
from fieldapp.errors import Conflict, ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import FlaskForm, SelectField
from fieldapp.places.models import Village
from fieldapp.quality import recheck
from fieldapp.quality.models import RECHECK_OUTCOMES
from fieldapp.settings import services as settings

bp = Blueprint("recheck", __name__, url_prefix="/quality/recheck")


class DrawForm(FlaskForm):
    village = SelectField("Phạm vi")
    how = RadioField("Lấy mẫu theo", choices=[SelectChoice(*c) for c in recheck.HOW.items()],
                     default="number", validate_choice=False)
    amount = StringField("Số hồ sơ hoặc tỷ lệ (%)",
                         render_kw={"inputmode": "numeric", "autocomplete": "off"})
    seed = StringField("Mã mẫu", description=(
        "Để trống: máy tự tạo. Nhập lại mã của một mẫu cũ để rút lại đúng mẫu đó "
        "(nếu danh sách hồ sơ không đổi)."), render_kw={"autocomplete": "off"})


class RecordForm(FlaskForm):
    outcome = RadioField(choices=[SelectChoice(*c) for c in RECHECK_OUTCOMES.items()],
                         validate_choice=False)
    fields = SelectMultipleField(
        choices=[SelectChoice(*c) for c in recheck.WRONG_FIELDS.items()], validate_choice=False)
    note = TextAreaField()


def _villages() -> list[Village]:
    query = access.villages(current_user).where(Village.active.is_(True))
    return list(db.session.scalars(query.order_by(Village.code)))


def _names() -> dict:
    villages = db.session.execute(access.villages(current_user)
                                  .with_only_columns(Village.code, Village.name))
    people = db.session.execute(access.users(current_user)
                                .with_only_columns(User.id, User.username, User.full_name))
    return {"village": dict(villages.all()),
            "collector": {p.id: (f"{p.full_name} ({p.username})" if p.full_name
                                 else p.username) for p in people}}


def _overview(form: DrawForm, status: int = 200, problem: str = "", errors=None):
    form.village.choices = [("", "Toàn xã"), *((v.code, v.name) for v in _villages())]
    for name, messages in (errors or {}).items():
        if name in form:
            form[name].errors = list(messages)
    return htmx.render("quality/recheck.html", status=status, form=form, problem=problem,
                       samples=recheck.samples(current_user),
                       rates=recheck.rates(current_user), names=_names())


@bp.get("")
@access.action_required(recheck.ACTION)
def index():
    # The share the settings give, prefilled: the officer may still type another, or a number.
    return _overview(DrawForm(formdata=None, how="percent",
                              amount=str(settings.value("recheck_percent"))))


@bp.post("")
@access.action_required(recheck.ACTION)
def draw():
    form = DrawForm()
    if not form.validate_on_submit():
        return _overview(form, 422, "Phiên làm việc đã hết hạn: hãy thử lại.")
    village = (access.get_or_404(Village, form.village.data, current_user)
               if form.village.data else None)
    try:
        amount = recheck.read_amount(form.amount.data)
        sample = recheck.draw_sample(current_user, village, form.how.data, amount,
                                     form.seed.data)
    except ValidationFailed as failed:
        db.session.rollback()
        return _overview(form, 422, failed.detail, failed.errors)
    db.session.commit()
    flash(f"Đã chọn {sample.size} hồ sơ để phúc tra.", "success")
    return htmx.redirect(url_for("recheck.show", sample_id=sample.id))


def _rows(sample) -> list[dict]:
    """Each drawn record beside the register as it is now, village by village. Restricted
    groups are masked even for the officer, support as for anyone who may not see them: the
    list is printed and carried to households."""
    children = {c.id: c for c in db.session.scalars(
        access.children(current_user).where(Child.id.in_([i.child_id for i in sample.items]))
        .options(selectinload(Child.caregivers), selectinload(Child.circumstances),
                 selectinload(Child.support), selectinload(Child.household)))}
    rows = []
    for item in sorted(sample.items, key=lambda i: (i.village_code, i.position)):
        child = children.get(item.child_id)
        rows.append({"item": item, "child": child, "circumstances": [
            catalogue.RESTRICTED_LABEL if catalogue.is_restricted(c.code)
            else f"{c.code} · {catalogue.label('circumstance', c.code)}"
            for c in (child.circumstances if child else [])
            if c.until is None or c.until >= date.today()],
            "supports": register.supports(child, None) if child else []})
    return rows


def _sample_page(sample, status: int = 200, errors: dict | None = None, **extra):
    return htmx.render(
        "quality/recheck_sample.html", status=status, sample=sample, rows=_rows(sample),
        rates=recheck.rates(current_user, sample), names=_names(), fields=recheck.WRONG_FIELDS,
        outcomes=RECHECK_OUTCOMES, catalogue=catalogue, register=register,
        errors=errors or {}, **extra)


@bp.get("/<sample_id>")
@access.action_required(recheck.ACTION)
def show(sample_id):
    sample = recheck.get_sample(current_user, sample_id)
    audit(current_user, "recheck_viewed", "recheck_sample", sample.id,
          commune_code=sample.commune_code, address=client_address())
    db.session.commit()
    return _sample_page(sample)


@bp.post("/<sample_id>/items/<item_id>")
@access.action_required(recheck.ACTION)
def record(sample_id, item_id):
    sample = recheck.get_sample(current_user, sample_id)
    item = recheck.get_item(sample, item_id)
    form = RecordForm()
    if not form.validate_on_submit():
        return _sample_page(sample, 422, failed_item=item.id, posted=request.form,
                            problem="Phiên làm việc đã hết hạn: hãy thử lại.")
    try:
        sent = recheck.record_item(current_user, item, form.outcome.data or "",
                                   form.fields.data, form.note.data)
    except (ValidationFailed, Conflict) as failed:
        db.session.rollback()
        status = 409 if isinstance(failed, Conflict) else 422
        return _sample_page(sample, status, failed.errors, failed_item=item.id,
                            posted=request.form, problem=failed.detail)
    db.session.commit()
    flash(_done(item.outcome, len(sent)), "success")
    return htmx.redirect(url_for("recheck.show", sample_id=sample.id) + f"#item-{item.id}")


def _done(outcome: str, sent: int) -> str:
    if outcome == "right":
        return "Đã ghi: hồ sơ đúng."
    if sent:
        return f"Đã ghi: hồ sơ sai, đã gửi lại {sent} người thu thập để sửa (Cần sửa)."
    return "Đã ghi: hồ sơ sai. Thôn/bản chưa có người thu thập nào để gửi lại."
