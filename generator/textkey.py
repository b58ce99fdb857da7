"""How people type a 文号, a name or a code, made one key: the exact lookup (search.py) finds a
record by it, and the duplicate check (project.py) compares 文号 by it (same_case_no, which reads a
few more ways alike): 示综执罚决字[2026]第101号 and 示综执罚决字〔2026〕第101号 are one decision's number."""

from __future__ import annotations

import unicodedata

from .privacy import simplified

# Invisible characters pasted into a 文号 or a name (zero-width space and joiners, word joiner, soft
# hyphen, BOM, directional marks): a 文号 reads the same without them.
INVISIBLE = ("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\u00ad\ufeff\u200e\u200f\u180e\u034f"
             + "".join(map(chr, range(0xFE00, 0xFE10))))  # and the variation selectors

# Every bracket people type around a 文号's year becomes the 〔〕 it is written with (NFKC has already
# made full-width ones half-width); names are normalized the same way, so they still match themselves.
_TABLE = str.maketrans({"[": "〔", "]": "〕", "【": "〔", "】": "〕", "(": "〔", ")": "〕", "（": "〔", "）": "〕",
                       **{chr(c): chr(c - 32) for c in range(ord("a"), ord("z") + 1)},  # and a-z upper case
                       **dict.fromkeys(INVISIBLE, None)})
# What two 文号 that read alike may differ in besides (the duplicate check only: the lookup in
# assets/search.js keeps to the table above): other brackets, 號.
_SAME = str.maketrans({**dict.fromkeys("〖〘〈《{「『<«〚❲⦗⦅", "〔"), **dict.fromkeys("〗〙〉》}」』>»〛❳⦘⦆", "〕"), "號": "号"})


def normalize(text: str) -> str:
    """Full-width digits and letters (NFKC), any kind of bracket, spaces, lower case. Mirrors
    normalize() in assets/search.js."""
    if not unicodedata.is_normalized("NFKC", text):  # the check is quick; most keys pass it
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).translate(_TABLE)


def same_case_no(text: str) -> str:
    """A 文号 as duplicates are found (D001): normalize(), and the other ways one number is typed:
    other brackets, traditional characters (示綜執罰決字 is 示综执罚决字)."""
    return normalize(text).translate(_SAME).translate(simplified())
