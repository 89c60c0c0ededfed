"""The capture page for field staff, and the officer's import of an exported outbox file."""

import hashlib

from flask import Blueprint, request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from fieldapp import access
from fieldapp.client import client_address
from fieldapp.collection import imports
from fieldapp.collection.forms import ImportForm
from fieldapp.extensions import db
from fieldapp.htmx import render

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

