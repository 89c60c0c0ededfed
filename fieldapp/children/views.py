"""Reading the register: the list (filters posted) and the child page."""

from datetime import date

from flask import Blueprint, request
from flask_login import current_user

from fieldapp import access
from fieldapp.audit.services import record as audit
from fieldapp.catalogue import services as catalogue
from fieldapp.children import queries
from fieldapp.children.forms import FilterForm, circumstance_choices
from fieldapp.children.models import Child
from fieldapp.children.page import page_context
from fieldapp.client import client_address
from fieldapp.extensions import db
from fieldapp.forms import with_blank
from fieldapp.htmx import render
from fieldapp.places.models import Village

bp = Blueprint("children", __name__, url_prefix="/children")


def _filter_form() -> FilterForm:
    form = FilterForm(request.form if request.method == "POST" else None)
    villages = db.session.scalars(access.villages(current_user).order_by(Village.code))
    form.village.choices = with_blank([(v.code, v.name) for v in villages], "Tất cả")
    form.sex.choices = with_blank(catalogue.choices("sex"), "Tất cả")
    groups = {"": [("", "Tất cả")], "Khối": [
        (code, label) for code, label in catalogue.BLOCK_LABELS.items()]}
    for block, options in circumstance_choices().items():
        visible = [(c, lbl) for c, lbl in options
                   if access.sees_restricted(current_user) or not catalogue.is_restricted(c)]
        groups[block] = visible
    form.circumstance.choices = groups
    return form


@bp.route("/", methods=["GET", "POST"])
@access.action_required("children.read")
def index():
    form = _filter_form()
    form.validate_on_submit()  # unknown values simply match nothing
    can_edit = access.can(current_user, "children.edit")
    refused = [f"{f.label.text}: {message}" for f in form if f.name != "csrf_token"
               for message in f.errors]
    if refused:  # a search too long, or a character no database can compare: nothing to list
        return render("children/index.html", "children/_results.html", status=422, form=form,
                      children=[], cursor=None, total=0, refused=refused, register=queries,
                      catalogue=catalogue, today=date.today(), can_edit=can_edit)
    filters = queries.Filters(**{
        name: (form[name].data or "") for name in queries.Filters.__dataclass_fields__
    })
    filters.status = filters.status or "active"
    # Written first: a commit after the query would expire the rows the page shows.
    audit(current_user, "children_listed", "child", None, address=client_address(),
          detail={"searched": bool(filters.q.strip()), "status": filters.status})
    db.session.commit()
    children, cursor, total = queries.page(current_user, filters)
    return render(
        "children/index.html", "children/_results.html", form=form, children=children,
        cursor=cursor, total=total, register=queries, catalogue=catalogue, today=date.today(),
        can_edit=can_edit,
    )


@bp.get("/<child_id>")
@access.action_required("children.read")
def detail(child_id: str):
    child = access.get_or_404(Child, child_id, current_user)
    officer = access.can(current_user, "children.edit")
    audit(current_user, "child_viewed", "child", child.id, commune_code=child.commune_code,
          address=client_address())
    db.session.commit()
    return render("children/detail.html", **page_context(child, officer))
