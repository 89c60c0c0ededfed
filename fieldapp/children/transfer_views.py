"""Transfers between communes (officers): send a child, cancel; the receiving commune's list
of children sent to it, and one transfer to accept into a village or refuse."""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, StringField, TextAreaField

from fieldapp import access, htmx
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries, transfers
from fieldapp.children.formdata import show_errors
from fieldapp.children.models import TRANSFER_STATES, Child, ChildTransfer, Household
from fieldapp.client import client_address
from fieldapp.errors import ValidationFailed
from fieldapp.extensions import db
from fieldapp.forms import DateText, FlaskForm, SelectField, with_blank
from fieldapp.htmx import render
from fieldapp.places.models import Commune, Province, Village

bp = Blueprint("transfers", __name__, url_prefix="/transfers")
EDIT = "children.edit"


class RequestForm(FlaskForm):
    province = HiddenField()
    to_commune = SelectField("Xã nhận trẻ")
    moved_on = DateText("Ngày chuyển đi")
    note = TextAreaField("Ghi chú (lý do, địa chỉ mới)")


class AcceptForm(FlaskForm):
    village_code = SelectField("Thôn/bản tiếp nhận")
    household_id = SelectField("Hộ gia đình")
    head_name = StringField("Họ tên chủ hộ (hộ mới)")
    address = StringField("Địa chỉ hộ (hộ mới)")
    poverty_status = SelectField("Tình trạng nghèo (hộ mới)")


class RefuseForm(FlaskForm):
    reason = TextAreaField("Lý do từ chối")


class CancelForm(FlaskForm):
    pass


def _provinces() -> list[tuple[str, str]]:
    return [(p.code, p.name) for p in db.session.scalars(select(Province).order_by(Province.name))]


def _communes(province: str) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Commune).where(Commune.province_code == province)
                              .order_by(Commune.name)) if province else []
    return [(c.code, f"{c.name} ({c.code})") for c in rows]


@bp.route("/new/<child_id>", methods=["GET", "POST"])
@access.action_required(EDIT)
def new(child_id: str):
    child = access.get_or_404(Child, child_id, current_user)
    form = RequestForm()
    province = (form.province.data if form.is_submitted() else request.args.get("province"))
    province = province if province in dict(_provinces()) else ""
    form.province.data = province
    form.to_commune.choices = with_blank(_communes(province))
    problems = []
    if form.validate_on_submit():
        try:
            transfer = transfers.request_transfer(current_user, child, form.to_commune.data,
                                                  form.moved_on.data, form.note.data or "")
        except ValidationFailed as failed:
            db.session.rollback()
            child = access.get_or_404(Child, child_id, current_user)
            problems = show_errors(form, failed.errors) or ([failed.detail] if not
                                                            failed.errors else [])
        else:
            place = transfers.place_name(transfer.to_commune)
            db.session.commit()
            flash(f"Đã chuyển hồ sơ, đang chờ {place} tiếp nhận.", "success")
            return htmx.redirect(url_for("children.detail", child_id=child.id))
    status = 422 if form.is_submitted() else 200
    return render("children/transfer_new.html", status=status, child=child, form=form,
                  provinces=_provinces(), province=province, problems=problems)


@bp.post("/<transfer_id>/cancel")
@access.action_required(EDIT)
def cancel(transfer_id: str):
    transfer = access.get_or_404(ChildTransfer, transfer_id, current_user)
    if transfer.from_commune_code != current_user.commune_code:
        abort(404)
    if CancelForm().validate_on_submit():
        try:
            transfers.cancel_transfer(current_user, transfer)
        except ValidationFailed as failed:
            db.session.rollback()
            flash(failed.detail, "warning")
        else:
            db.session.commit()
            flash("Đã huỷ chuyển; hồ sơ vẫn do xã quản lý.", "success")
    return htmx.redirect(url_for("children.detail", child_id=transfer.child_id))


@bp.get("/")
@access.action_required(EDIT)
def index():
    sent = db.session.scalars(access.transfers(current_user).where(
        ChildTransfer.from_commune_code == current_user.commune_code,
        ChildTransfer.status == "pending").order_by(ChildTransfer.requested_at))
    return render("children/transfers.html", waiting=transfers.incoming(current_user),
                  sent=list(sent), register=queries, catalogue=catalogue)


def _incoming(transfer_id: str) -> ChildTransfer:
    """A transfer to the user's commune (a sender's or a stranger's: 404)."""
    transfer = access.get_or_404(ChildTransfer, transfer_id, current_user)
    if transfer.to_commune_code != current_user.commune_code:
        abort(404)
    return transfer


def _accept_form(form: AcceptForm | None = None) -> AcceptForm:
    form = form or AcceptForm(formdata=None)
    villages = list(db.session.scalars(access.villages(current_user)
                                       .where(Village.active.is_(True)).order_by(Village.code)))
    form.village_code.choices = with_blank([(v.code, f"{v.name} ({v.code})") for v in villages])
    groups: dict[str, list] = {"": [("", "Hộ mới (nhập bên dưới)")]}
    for h in db.session.scalars(access.households(current_user)
                                .order_by(Household.village_code, Household.head_name)):
        groups.setdefault(f"{h.village.name} ({h.village_code})", []).append(
            (str(h.id), f"{h.head_name}{' · ' + h.address if h.address else ''}"))
    form.household_id.choices = groups
    form.poverty_status.choices = catalogue.choices("poverty_status")
    return form


def _show(transfer: ChildTransfer, status: int = 200, **forms):
    child = transfer.child
    context = {
        "transfer": transfer, "states": TRANSFER_STATES, "child": child, "catalogue": catalogue,
        "register": queries,
        "circumstances": queries.circumstances(child, current_user),
        "supports": queries.supports(child, current_user),
        "sender": transfers.place_name(transfer.from_commune),
        "duplicates": transfers.probable_duplicates(transfer)
        if transfer.status == "pending" else [],
        "accept_form": forms.get("accept_form") or _accept_form(),
        "refuse_form": forms.get("refuse_form") or RefuseForm(formdata=None),
        "problems": forms.get("problems") or [],
    }
    return render("children/transfer_show.html", status=status, **context)


@bp.get("/<transfer_id>")
@access.action_required(EDIT)
def show(transfer_id: str):
    transfer = _incoming(transfer_id)
    if transfer.status == "accepted":  # the child is the commune's own record now
        return htmx.redirect(url_for("children.detail", child_id=transfer.received_child_id))
    if transfer.status != "pending":  # cancelled or refused: the child is not theirs to see
        abort(404)
    # A view of the sent record: its "Ai đã xem" and the sender's audit log say who looked.
    audit(current_user, "child_viewed", "child", transfer.child_id,
          commune_code=transfer.from_commune_code, address=client_address(),
          detail={"transfer": str(transfer.id)})
    db.session.commit()
    return _show(_incoming(transfer_id))


@bp.post("/<transfer_id>/accept")
@access.action_required(EDIT)
def accept(transfer_id: str):
    transfer = _incoming(transfer_id)
    form = _accept_form(AcceptForm())
    if form.validate_on_submit():
        try:
            received = transfers.accept_transfer(
                current_user, transfer, form.village_code.data, form.household_id.data or None,
                {"head_name": form.head_name.data, "address": form.address.data,
                 "poverty_status": form.poverty_status.data})
        except ValidationFailed as failed:
            db.session.rollback()
            transfer = _incoming(transfer_id)
            problems = show_errors(form, failed.errors) or []
            if not failed.errors:
                problems.append(failed.detail)
            return _show(transfer, 422, accept_form=form, problems=problems)
        db.session.commit()
        flash("Đã tiếp nhận trẻ vào xã.", "success")
        return htmx.redirect(url_for("children.detail", child_id=received.id))
    return _show(transfer, 422, accept_form=form)


@bp.post("/<transfer_id>/refuse")
@access.action_required(EDIT)
def refuse(transfer_id: str):
    transfer = _incoming(transfer_id)
    form = RefuseForm()
    if form.validate_on_submit():
        try:
            transfers.refuse_transfer(current_user, transfer, form.reason.data or "")
        except ValidationFailed as failed:
            db.session.rollback()
            transfer = _incoming(transfer_id)
            problems = show_errors(form, failed.errors) or []
            return _show(transfer, 422, refuse_form=form, problems=problems)
        db.session.commit()
        flash("Đã từ chối; xã chuyển đi sẽ thấy lý do.", "success")
        return htmx.redirect(url_for("transfers.index"))
    return _show(transfer, 422, refuse_form=form)
