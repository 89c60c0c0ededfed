"""The append-only audit log (Nhật ký truy cập)."""
