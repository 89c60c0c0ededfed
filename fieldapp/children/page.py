"""What the child page shows, for the views that read it and those that change it."""

import uuid

from flask_login import current_user
from sqlalchemy import select

from fieldapp import access, people
from fieldapp.catalogue import services as catalogue
from fieldapp.children import consents, history, queries, transfers
from fieldapp.children.forms import (
    CircumstanceActionForm,
    CloseForm,
    ConsentForm,
    SupportActionForm,
    WithdrawConsentForm,
    fill_choices,
)
from fieldapp.children.models import SOURCES, Child, Household
from fieldapp.extensions import db
from fieldapp.places.models import Village


def page_context(child: Child, officer: bool, **forms) -> dict:
    """What the child page shows; the officer also gets history, viewers and action forms."""
    siblings = queries.in_household(current_user, child.household_id, besides=child.id)
    context = {
        "child": child, "siblings": siblings, "register": queries, "catalogue": catalogue,
        "circumstances": queries.circumstances(child, current_user),
        "supports": queries.supports(child, current_user),
        "officer": officer, "record_status": queries.status(child), "sources": SOURCES,
        "exportable": access.can(current_user, "children.export", child),
    }
    if access.can(current_user, "children.consents", child):  # officer, leader
        context["consents"] = consents.of_child(child)
        context["consent_missing"] = consents.missing(child, context["consents"])
    if officer:
        # Histories joined: the records merged into this one show their changes here too.
        context["merged"] = {c.id: c for c in queries.merged_records(child)}
        context["changes"] = queries.joined_history(child, list(context["merged"].values()))
        context["viewers"] = queries.accesses(child, limit=20)
        context["people"] = people.people(
            row.user_id for row in [*context["changes"], *context["viewers"]])
        context["history"], context["places"] = history, _places(child, context["changes"])
        context.update(action_forms(child, **forms))
        context["transfer_info"] = transfers.page_info(child)
    return context


def _places(child: Child, changes) -> dict[str, str]:
    """Names of the villages of the commune and of the households the history mentions."""
    names = {v.code: v.name for v in db.session.scalars(
        select(Village).where(Village.commune_code == child.commune_code))}
    ids = {item[key] for change in changes for item in change.changes or []
           if item["field"] == "child.household_id" for key in ("old", "new") if item[key]}
    if ids:
        names.update({str(h.id): f"Hộ {h.head_name}" for h in db.session.scalars(
            select(Household).where(Household.id.in_([uuid.UUID(i) for i in ids])))})
    return names


def action_forms(child: Child, **given) -> dict:
    """The small forms of the child page (given ones keep their values and errors)."""
    forms = {
        "add_form": given.get("add_form")
        or CircumstanceActionForm(formdata=None, prefix="add"),
        "support_form": given.get("support_form")
        or SupportActionForm(formdata=None, prefix="support"),
        "close_form": given.get("close_form") or CloseForm(formdata=None, prefix="close"),
        "consent_form": given.get("consent_form")
        or ConsentForm(formdata=None, prefix="consent"),
        "withdraw_form": WithdrawConsentForm(formdata=None, prefix="withdraw"),
    }
    for form in forms.values():
        fill_choices(form, [])
    return forms
