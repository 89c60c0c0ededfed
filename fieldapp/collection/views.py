"""The capture page for field staff, the officer's import of an exported outbox file, and the
blank paper collection sheet (field staff and officer)."""

import hashlib

from flask import Blueprint, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from fieldapp import access
from fieldapp.client import client_address
from fieldapp.collection import imports, paper
from fieldapp.collection.forms import ImportForm
from fieldapp.downloads import PDF, attachment
from fieldapp.extensions import db
from fieldapp.htmx import render
from fieldapp.places.models import Village

bp = Blueprint("collection", __name__, url_prefix="/collect")


@bp.get("")
@access.action_required("collect")
def collect():
    """The offline app shell: every list on it comes from the phone's own storage.

    Opened with a network it is asked for each time, and unchanged it costs a 304: its ETag
    leaves out the CSRF token, which differs at every rendering while any of the session's
    is good, and takes in the session, so that a new login gets a page with its own token.
    """
    response = render("collection/collect.html")
    response.headers["Cache-Control"] = "private, no-cache"  # private: one user's page
    content = response.get_data().replace(generate_csrf().encode(), b"")
    session = (current_user.session_token or "").encode()
    response.set_etag(hashlib.sha256(content + b"\0" + session).hexdigest()[:32])
    return response.make_conditional(request)


@bp.route("/import", methods=["GET", "POST"])
@access.action_required("collect.import")
def import_file():
    form = ImportForm()
    outcome = None
    if form.validate_on_submit():
        raw = form.file.data.read(imports.MAX_BYTES + 1)
        try:
            outcome = imports.import_outbox(current_user, raw, client_address())
        except imports.ImportRefused as refused:
            db.session.rollback()
            form.file.errors = [refused.detail]
        else:
            db.session.commit()
    status = 422 if form.errors else 200
    return render("collection/import.html", status=status, form=form, outcome=outcome)



@bp.get("/phieu-trang.pdf")
@access.action_required("collect.paper")
def blank_sheet():
    """``?village=<code>`` prints one of the user's villages in (a village head's own, or a
    collaborator's only one, by default); ``?so_tre=`` the number of child blocks (1 to 6)."""
    code = request.args.get("village", "")
    if code:
        village = access.get_or_404(Village, code, current_user)
    else:
        villages = current_user.villages
        village = villages[0] if len(villages) == 1 else None
    children = request.args.get("so_tre", "")
    children = int(children) if children.isdigit() else paper.CHILDREN
    children = min(max(children, 1), paper.MOST_CHILDREN)
    commune = village.commune if village else current_user.commune
    body = paper.render(commune, village, children)
    return attachment(body, PDF, paper.filename(commune, village))
