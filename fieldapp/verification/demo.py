"""The demo's list for the police (invented children of the demo register only)."""

from fieldapp.extensions import db
from fieldapp.places.models import Village
from fieldapp.verification import services

VILLAGE = "03808-001"
SIZE = 6


def seed_batch(officer, children) -> None:
    """Send a few children of the first demo village without an ID number to the police."""
    chosen = [c.id for c in children
              if c.village_code == VILLAGE and not c.personal_id and c.closed_on is None]
    if chosen:
        services.create_batch(officer, chosen[:SIZE], village=db.session.get(Village, VILLAGE))
