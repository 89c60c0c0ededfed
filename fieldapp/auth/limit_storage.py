"""A storage for the ``limits`` library on the app's own database (``fieldapp-db://``).

A commune runs several gunicorn workers on the embedded SQLite and has no Redis, so the
counts of the per-address limit (auth/throttle.py) live in a table every worker sees: one
row per counted request, kept until its window has passed. It works on the request's
database session, after the view has committed (Flask-Limiter tests a limit before the view
and counts a failure after it), and commits its own rows. Two requests counted at the same
instant in two workers may both get the last place: a limit on guessing may be passed by one.
"""

from datetime import timedelta

from limits.storage import MovingWindowSupport, Storage
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from fieldapp.auth.models import RateLimitHit
from fieldapp.db import utcnow
from fieldapp.extensions import db


class DatabaseStorage(Storage, MovingWindowSupport):
    """Moving-window (and fixed-window) counts in the ``rate_limit_hit`` table."""

    STORAGE_SCHEME = ["fieldapp-db"]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """Count ``amount`` requests now, unless the window already holds ``limit``."""
        if amount > limit or self.get_moving_window(key, limit, expiry)[1] + amount > limit:
            return False
        self._add(key, amount, utcnow() + timedelta(seconds=expiry))
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        """The time of the oldest request counted in the last ``expiry`` seconds, and how
        many there are."""
        now = utcnow()
        oldest, count = db.session.execute(
            select(func.min(RateLimitHit.at), func.count()).where(
                RateLimitHit.key == key, RateLimitHit.at > now - timedelta(seconds=expiry))
        ).one()
        return (oldest or now).timestamp(), count

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Fixed window: the window starts with its first request and ends ``expiry`` later."""
        ends = db.session.scalar(select(func.min(RateLimitHit.expires_at)).where(
            RateLimitHit.key == key, RateLimitHit.expires_at > utcnow()))
        self._add(key, amount, ends or utcnow() + timedelta(seconds=expiry))
        return self.get(key)

    def get(self, key: str) -> int:
        return db.session.scalar(select(func.count()).where(
            RateLimitHit.key == key, RateLimitHit.expires_at > utcnow()))

    def get_expiry(self, key: str) -> float:
        ends = db.session.scalar(select(func.min(RateLimitHit.expires_at)).where(
            RateLimitHit.key == key, RateLimitHit.expires_at > utcnow()))
        return (ends or utcnow()).timestamp()

    def check(self) -> bool:
        try:
            db.session.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        count = db.session.execute(delete(RateLimitHit)).rowcount
        db.session.commit()
        return count

    def clear(self, key: str) -> None:
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.key == key))
        db.session.commit()

    def _add(self, key: str, amount: int, expires_at) -> None:
        """Add rows (and drop every expired one, of any key) and commit."""
        now = utcnow()
        db.session.execute(delete(RateLimitHit).where(RateLimitHit.expires_at <= now))
        db.session.add_all(RateLimitHit(key=key, at=now, expires_at=expires_at)
                           for _ in range(amount))
        db.session.commit()
