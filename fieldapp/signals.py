"""What one feature announces and another acts on, so that neither imports the other.

Receivers run at once, in the sender's request and transaction (before its commit), as the
call they replace did: an exception in one fails the request.
"""

from blinker import Namespace

_signals = Namespace()

# A batch of submissions was answered, before its commit. Sender: the collecting user;
# ``phone_id``: the batch's device id; ``results``: one result per item. devices counts the
# phone's receipts for its storage's loss detector (collection does not know devices).
batch_answered = _signals.signal("batch-answered")

# The register's children were written, before the commit, once the register's own pairs of
# probable duplicates are stored (children.pairs). Sender: None; ``child_ids``: the children
# written since the last refresh (may be empty). collection judges its waiting new children
# again against them, and the submissions it noted (children does not know collection).
register_changed = _signals.signal("register-changed")
