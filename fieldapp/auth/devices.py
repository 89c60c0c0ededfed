"""What a page about a user's devices shows: tokens, live sessions and the action URLs."""

from flask import url_for
from flask_login import current_user

from fieldapp.auth import sessions, tokens
from fieldapp.auth.models import User
from fieldapp.forms import ConfirmForm


def device_context(owner: User) -> dict:
    """What the devices section shows, with the URLs of its actions for this viewer."""
    own = owner.id == current_user.id
    items = tokens.tokens_of(owner)
    if own:
        revoke = {t.id: url_for("auth.revoke_own", token_id=t.id) for t in items}
        lost = url_for("auth.lost_own")
    else:
        revoke = {t.id: url_for("accounts.revoke_for", user_id=owner.id, token_id=t.id)
                  for t in items}
        lost = url_for("accounts.lost_for", user_id=owner.id)
    return {"owner": owner, "tokens": items, "sessions": sessions.live_sessions(owner),
            "confirm": ConfirmForm(), "revoke_urls": revoke, "lost_url": lost}
