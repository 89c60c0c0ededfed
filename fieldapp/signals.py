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
