"""The disk full under the server's SQLite database (a small tmpfs, filled by the test): a 503
with ``Retry-After``, nothing lost, nothing half-stored; once space is freed the same batch is
stored, once. PostgreSQL's disk is the server's own: its DiskFull is simulated in
test_unavailable.py, as SQLite's is where no tmpfs can be mounted."""

import errno

import pytest

from tests.submissions import make_item


def _fill(path) -> None:
    """Write ``path`` until the file system has no byte left."""
    with open(path, "wb", buffering=0) as filler:
        try:
            while True:
                filler.write(b"\0" * (1 << 16))
        except OSError as error:
            assert error.errno == errno.ENOSPC


def test_a_full_disk_answers_503_loses_nothing_and_the_retry_stores_it(live):
    if live.disk is None:
        pytest.skip("no tmpfs can be mounted here (PostgreSQL, or not root): simulated in "
                    "test_unavailable.py")
    kept = [make_item(live.village) for _ in range(3)]
    assert live.submit(kept)[0] == 200
    batch = [make_item(live.village) for _ in range(100)]
    _fill(live.disk / "filler")
    try:
        status, headers, body = live.submit(batch)
    finally:
        (live.disk / "filler").unlink()
    assert status == 503
    assert headers["Retry-After"] == "300"
    assert "hết chỗ lưu trữ" in body["detail"]
    assert live.stored(batch) == (0, 0)
    assert live.stored(kept) == (3, 3)  # what was stored before is intact
    assert live.read("PRAGMA quick_check") == "ok"

    status, _, body = live.submit(batch)  # the phone, later
    assert status == 200
    assert {r["status"] for r in body["results"]} == {"accepted"}
    assert live.stored(batch) == (100, 100)
