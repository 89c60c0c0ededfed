"""What identifies a submission's content (the record's shapes are ``children.record``)."""

import hashlib
import json


def content_hash(item: dict) -> str:
    """SHA-256 of what a submission says (not how it was spaced): the UUID's content."""
    content = {key: item.get(key) for key in ("kind", "captured_at", "child_id", "base_version",
                                               "corrects", "data")}
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
