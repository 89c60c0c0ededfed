"""Folding names for search: "nguyen van an" finds "Nguyễn Văn An", "dang" finds "Đặng"."""

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=65_536)  # a commune's names repeat: its matching folds each once
def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, single spaces."""
    decomposed = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(bare.split())
