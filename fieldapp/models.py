"""Every feature's models, imported once so that the metadata (and Alembic) sees them all."""

from fieldapp.audit.models import AuditEntry
from fieldapp.auth.models import ApiToken, LoginSession, LoginThrottle, RateLimitHit, User
from fieldapp.catalogue.models import CodeItem
from fieldapp.children.models import (
    Caregiver,
    Child,
    ChildChange,
    ChildImport,
    Circumstance,
    Consent,
    DuplicatePair,
    Household,
    SupportRecord,
)
from fieldapp.collection.models import Submission, SubmissionConflict, SubmissionPair
from fieldapp.devices.models import Device, DeviceContact
from fieldapp.places.models import Commune, Province, Village
from fieldapp.quality.models import NotDuplicate, RecheckItem, RecheckSample
from fieldapp.settings.models import Setting
from fieldapp.verification.models import VerificationBatch, VerificationItem

__all__ = [
    "ApiToken", "AuditEntry", "Caregiver", "Child", "ChildChange", "Circumstance", "CodeItem",
    "Device", "DeviceContact",
    "Household", "SupportRecord", "Commune", "LoginSession", "LoginThrottle", "Province",
    "RateLimitHit",
    "Submission", "SubmissionConflict", "User", "Village", "NotDuplicate", "RecheckItem",
    "RecheckSample", "VerificationBatch", "VerificationItem",
    "DuplicatePair", "SubmissionPair", "Consent", "Setting", "ChildImport",
]
