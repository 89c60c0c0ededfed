"""Police verification pages: the officer sends a list, the police record and finish it.

The police see the batches of their commune only, and of each child only the identity
fields the batch carries (identity.py); the officer sees the same and the results.
"""

from flask import Blueprint, abort, flash, make_response, render_template, request, url_for
from flask_login import current_user

from fieldapp import access, htmx, roles
from fieldapp.children.validators import check_personal_id, parse_date
from fieldapp.client import client_address
from fieldapp.errors import Conflict, ValidationFailed
from fieldapp.extensions import db
from fieldapp.people import users
from fieldapp.places.models import Village
from fieldapp.verification import identity, queries, services
from fieldapp.verification.apply import REASONS
from fieldapp.verification.forms import (
    ChooseForm,
    FinishForm,
    ImportForm,
    ResultForm,
    SendForm,
)
from fieldapp.verification.models import OUTCOMES, VerificationBatch

bp = Blueprint("verification", __name__, url_prefix="/verification")
READ, SEND, RECORD = "verification.read", "verification.send", "verification.record"
LEFT = {"partly": "Đã ghi vào sổ một phần", "skipped": "Chưa ghi vào sổ"}
FLASHED = 8


def load(batch_id: str) -> VerificationBatch:
    return access.get_or_404(VerificationBatch, batch_id, current_user)


@bp.get("")
@access.action_required(READ)
def index():
    return htmx.render("verification/index.html", rows=queries.batches(current_user),
                       outcomes=OUTCOMES, officer=current_user.role == roles.COMMUNE_OFFICER)


def _villages() -> list[Village]:
    query = access.villages(current_user).where(Village.active.is_(True)).order_by(Village.code)
    return list(db.session.scalars(query))


@bp.route("/new", methods=["GET", "POST"])
@access.action_required(SEND)
def new():
    villages = _villages()
    choose = ChooseForm(request.args if request.method == "GET" else request.form)
    choose.village.choices = [("", "Cả xã")] + [(v.code, v.name) for v in villages]
    place = next((v for v in villages if v.code == choose.village.data), None)
    if choose.village.data and place is None:
        abort(404)
    which = choose.which.data if choose.which.data in queries.CHOICES else "without-id"
    form, errors = SendForm(), []
    if request.method == "POST" and form.validate_on_submit():
        try:
            batch, left = services.create_batch(current_user, request.form.getlist("child_ids"),
                                                village=place)
        except ValidationFailed as failed:
            db.session.rollback()
            errors = [m for found in failed.errors.values() for m in found] or [failed.detail]
        else:
            db.session.commit()
            flash(f"Đã gửi {batch.title} ({len(batch.items)} trẻ) cho công an xã."
                  + (f" {left} trẻ không gửi vì đang chờ xác thực hoặc không còn trong sổ."
                     if left else ""), "success")
            return htmx.redirect(url_for("verification.show", batch_id=batch.id))
    elif request.method == "POST":
        errors = ["Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."]
    rows = queries.candidates(current_user, place.code if place else None, which)
    free = [str(row.child.id) for row in rows if row.waiting_in is None]
    chosen = (set(request.form.getlist("child_ids")) if request.method == "POST"
              else set(free[:services.MAX_ITEMS]))  # all free ones at first, up to the limit
    names = {v.code: v.name for v in villages}
    return htmx.render("verification/new.html", status=422 if errors else 200, choose=choose,
                       form=form, rows=rows, which=which, place=place, names=names,
                       errors=errors, chosen=chosen, limit=services.MAX_ITEMS)


def item_view(batch: VerificationBatch, item, form=None, warnings=None) -> dict:
    """What one child's block shows: the identity as sent, the result, the form (police)."""
    police = current_user.role == roles.POLICE
    if police and batch.state == "sent" and form is None:
        form = ResultForm(formdata=None, prefix=f"i{item.position}")
        form.fill(item, initial=True)
    if warnings is None and item.verified_id:
        sex = (item.corrections or {}).get("sex", item.sent.get("sex"))
        born = parse_date((item.corrections or {}).get("date_of_birth",
                                                      item.sent.get("date_of_birth")))
        warnings = check_personal_id(item.verified_id, sex=sex,
                                     birth_year=born.year if born else None).warnings
    return {"item": item, "form": form if police else None, "warnings": warnings or [],
            "people": item.sent.get("caregivers") or []}


def shared(batch: VerificationBatch) -> dict:
    """What the batch page and one child's block both need."""
    people = users([batch.created_by_id, batch.finished_by_id,
                                 *(i.decided_by_id for i in batch.items)])
    return {"batch": batch, "officer": current_user.role == roles.COMMUNE_OFFICER,
            "police": current_user.role == roles.POLICE, "outcomes": OUTCOMES,
            "villages": queries.village_names(batch.commune_code), "people": people,
            "identity": identity, "roles": roles}


def batch_context(batch: VerificationBatch, **extra) -> dict:
    context = shared(batch)
    context.update({
        "pending": sum(item.outcome == "pending" for item in batch.items),
        "left": queries.left_at_finish(batch), "reasons": REASONS,
        "finish_form": FinishForm(formdata=None), "import_form": ImportForm(formdata=None),
        "views": {item.id: item_view(batch, item) for item in batch.items},
    })
    context.update(extra)
    return context


@bp.get("/<batch_id>")
@access.action_required(READ)
def show(batch_id: str):
    batch = load(batch_id)
    services.note_viewed(current_user, batch, client_address())
    db.session.commit()
    return htmx.render("verification/batch.html", **batch_context(batch))


@bp.post("/<batch_id>/items/<item_id>")
@access.action_required(RECORD)
def record(batch_id: str, item_id: str):
    batch = load(batch_id)
    item = queries.item_of(batch, item_id)
    if item is None:
        abort(404)
    form = ResultForm(prefix=f"i{item.position}")
    form.fill(item, initial=False)
    if not form.validate_on_submit():
        form.note.errors = ["Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang."]
        return _item_answer(batch, item, form, 422)
    try:
        result = services.record_result(current_user, batch, item, form.data_for_check())
    except ValidationFailed as failed:
        db.session.rollback()
        form.show_errors(failed.errors)
        return _item_answer(batch, item, form, 422)
    except Conflict as conflict:
        db.session.rollback()
        flash(conflict.detail, "warning")
        return htmx.redirect(url_for("verification.show", batch_id=batch.id))
    db.session.commit()
    if not htmx.is_htmx():
        flash(f"STT {item.position}: đã lưu kết quả.", "success")
        return htmx.redirect(url_for("verification.show", batch_id=batch.id)
                             + f"#item-{item.position}")
    return _item_answer(batch, item, None, 200, done="Đã lưu kết quả.",
                        warnings=result.warnings.get("verified_id"))


def _item_answer(batch, item, form, status: int, done=None, warnings=None):
    """One child's block for htmx; the whole page (that block with its errors) otherwise."""
    view = item_view(batch, item, form, warnings)
    if htmx.is_htmx():
        response = make_response(render_template(
            "verification/_item.html", view=view, done=done, **shared(batch)), status)
        response.vary.add("HX-Request")
        return response
    context = batch_context(batch)
    context["views"][item.id] = view
    return htmx.render("verification/batch.html", status=status, **context)


@bp.post("/<batch_id>/finish")
@access.action_required(RECORD)
def finish(batch_id: str):
    batch = load(batch_id)
    if not FinishForm().validate_on_submit():
        raise ValidationFailed("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang.")
    try:
        report = services.finish_batch(current_user, batch)
    except (ValidationFailed, Conflict) as refused:
        db.session.rollback()
        flash(refused.detail, "warning")
        return htmx.redirect(url_for("verification.show", batch_id=batch_id))
    db.session.commit()
    applied = sum(a.state in ("applied", "partly") for a in report)
    flash(f"Đã hoàn tất {batch.title}: {applied} trẻ được cập nhật vào sổ. "
          "Tải biên bản bàn giao để in và ký.", "success")
    flash_some([f"STT {a.item.position} ({LEFT.get(a.state, 'Lưu ý')}): " + " ".join(a.messages)
                for a in report if a.messages], "trẻ khác chưa ghi đầy đủ vào sổ")
    return htmx.redirect(url_for("verification.show", batch_id=batch.id))


def flash_some(messages: list[str], others: str, limit: int = FLASHED) -> None:
    """A few messages, each short: flashes live in the session cookie (about 4 kB at most);
    the page shows every child's outcome anyway."""
    for message in messages[:limit]:
        flash(message if len(message) <= 300 else message[:299] + "…", "warning")
    if len(messages) > limit:
        flash(f"… và {len(messages) - limit} {others}: xem từng trẻ trong danh sách.", "warning")
