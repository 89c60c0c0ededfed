"""Provinces and communes (national list) and villages (kept by each commune)."""
