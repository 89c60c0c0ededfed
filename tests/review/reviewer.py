"""The review API's test tools: an officer's client whose every answer is checked against
the OpenAPI document, a stale update to resolve, and readers of what was stored."""


from sqlalchemy import func, select

from fieldapp.audit.models import AuditEntry
from fieldapp.children.models import Child
from fieldapp.collection.models import Submission
from tests.api.test_openapi import conform, doc  # noqa: F401 - doc is a fixture
from tests.submissions import changed, make_item

LIST = "/api/v1/review/submissions"
ONE = "/api/v1/review/submissions/{submission_id}"


class Reviewer:
    """An officer's tool: every answer is checked against the document."""

    def __init__(self, api, document: dict):
        self.api, self.doc = api, document

    def inbox(self, **params):
        answer = self.api.get(LIST, query_string=params)
        conform(self.doc, "get", LIST, answer)
        return answer

    def one(self, key):
        answer = self.api.get(f"{LIST}/{key}")
        conform(self.doc, "get", ONE, answer)
        return answer

    def decide(self, key, body=None, **kwargs):
        answer = self.api.post(f"{LIST}/{key}", **({"json": body} if body is not None
                                                   else kwargs))
        conform(self.doc, "post", ONE, answer)
        return answer

    def ids(self, **params) -> list[str]:
        answer = self.inbox(**params)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [i["id"] for i in answer.get_json()["items"]]


def packet_update(api, child, changes: dict | None = None) -> dict:
    """An update of ``child`` as the collector's phone makes it from the packet, with
    ``changes`` (dotted paths) made to it."""
    packet = api.get("/api/v1/packet").get_json()
    seen = next(c for c in packet["children"] if c["id"] == str(child.id))
    household = next(h for h in packet["households"] if h["id"] == seen["household_id"])
    item = make_item(household["village"], child_id=seen["id"], base_version=seen["version"])
    item["data"] = {"household": {**household, "ref": None}, "child": seen["child"],
                    **{k: seen[k] for k in ("caregivers", "circumstances", "supports")}}
    return changed(item, changes or {})


def submission(db, s: Submission) -> Submission:
    db.session.expire_all()
    return db.session.get(Submission, s.id)


def decisions(db, s: Submission) -> list[str]:
    return list(db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(s.id),
                                        AuditEntry.action.in_(("submission_approved",
                                                               "submission_returned",
                                                               "submission_rejected")))))


def children(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Child))
