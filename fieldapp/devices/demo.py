"""The demo's phones (invented): the village head's, all sent, and the collaborator's, which
lost two items it never sent and keeps one unsent for five days, so that the officer's
**Thiết bị thu thập** page and home card have something to show."""

import uuid
from datetime import timedelta

from fieldapp.db import utcnow
from fieldapp.devices import services

ANDROID = ("Mozilla/5.0 (Linux; Android 13; SM-A135F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/131.0.0.0 Mobile Safari/537.36")
SAMSUNG = ("Mozilla/5.0 (Linux; Android 12; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) "
           "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36")


def _report(phone: uuid.UUID, pending: int, oldest=None, **storage) -> dict:
    return {"device_id": phone, "app_version": "2026.12.1", "pending": pending,
            "oldest_pending_at": oldest, "persisted": True, "usage_bytes": 2_000_000,
            "quota_bytes": 300_000_000, "discarded": 0, **storage}


def seed_devices(village_head, collector) -> None:
    """One phone each; the collector's said 5 unsent, got 2 receipts, then said 1."""
    now = utcnow()
    services.report_device(village_head, _report(uuid.uuid4(), 0), user_agent=ANDROID,
                           now=now - timedelta(hours=3))
    phone, oldest = uuid.uuid4(), now - timedelta(days=5)
    crowded = {"persisted": False, "usage_bytes": 870_000_000, "quota_bytes": 1_000_000_000}
    services.report_device(collector, _report(phone, 5, oldest, **crowded), user_agent=SAMSUNG,
                           now=now - timedelta(days=2))
    services.count_receipts(collector, phone, [{"status": "accepted"}] * 2,
                            now=now - timedelta(days=1, hours=1))
    services.report_device(collector, _report(phone, 1, oldest, **crowded), user_agent=SAMSUNG,
                           now=now - timedelta(days=1))
