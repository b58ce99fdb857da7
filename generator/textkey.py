"""How people type a 文号, a name or a code, made one key: the exact lookup (search.py) finds a
record by it, and the duplicate check (project.py) compares 文号 by it: 示综执罚决字[2026]第101号 and
示综执罚决字〔2026〕第101号 are one decision's number."""

from __future__ import annotations

import unicodedata

# Every bracket people type around a 文号's year becomes the 〔〕 it is written with (NFKC has already
# made full-width ones half-width); names are normalized the same way, so they still match themselves.
_TABLE = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕",
                       **{chr(c): chr(c - 32) for c in range(ord("a"), ord("z") + 1)}})  # and a-z upper case


def normalize(text: str) -> str:
    """Full-width digits and letters (NFKC), any kind of bracket, spaces, lower case. Mirrors
    normalize() in assets/search.js."""
    if not unicodedata.is_normalized("NFKC", text):  # the check is quick; most keys pass it
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.replace("\ufeff", "").split()).translate(_TABLE)
