"""Masking a natural person's name: the surname stays, each character of the given name becomes 某."""

from __future__ import annotations

import datetime as dt
import re

# Common compound surnames (复姓): 欧阳修 → 欧阳某, not 欧某某.
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闻人", "澹台", "公冶", "赫连", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "申屠", "太史", "濮阳", "拓跋", "司空", "第五", "单于", "东郭", "左丘", "梁丘", "公羊", "谷梁", "段干", "乐正", "羊舌", "微生", "公良", "漆雕", "壤驷", "仲孙", "叔孙", "巫马", "亓官", "鲜于", "闾丘", "子车", "颛孙", "宰父", "夹谷", "东门", "公西", "司寇", "南门"]
)


def mask_name(name: str) -> str:
    name = "".join(name.split())
    if len(name) <= 1:
        return "某"
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[0]
    # Names written with a middle dot (阿依古丽·买买提) mask every character after the first.
    rest = name[len(surname):]
    return surname + "".join("·" if ch in "·・." else "某" for ch in rest)


def mask_in_text(text: str | None, name: str, masked: str) -> str | None:
    """Replace the full name wherever it appears in free text of the same record."""
    if not text or len(name) < 2:
        return text
    return text.replace(name, masked)


# ---------------------------------------------------------------- personal data in public text

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# Digit runs not glued to other digits or Latin letters (a credit code or 文号 is not a phone number).
_DIGITS = re.compile(r"(?<![0-9A-Za-z])(\d{11,19}[Xx]?)(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

KINDS = {"id": "身份证号", "mobile": "手机号码", "bank": "银行卡号", "email": "电子邮箱"}


def _valid_day(yyyymmdd: str) -> bool:
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


def is_id_card(s: str) -> bool:
    """18 digits (last may be X) with a valid GB 11643 check digit and birth date, or the old 15-digit form."""
    if len(s) == 18 and s[:17].isdigit():
        total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == s[17].upper() and _valid_day(s[6:14])
    if len(s) == 15 and s.isdigit():
        return _valid_day("19" + s[6:12])
    return False


def luhn(s: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def personal_data(text: str) -> list[tuple[str, int, str]]:
    """(kind, offset, the match) for each ID-card, mobile, bank-card number or e-mail address in text."""
    found: list[tuple[str, int, str]] = []
    for m in _DIGITS.finditer(text):
        s = m.group(1)
        if is_id_card(s):
            found.append(("id", m.start(1), s))
        elif len(s) == 11 and s[0] == "1" and s[1] in "3456789":
            found.append(("mobile", m.start(1), s))
        elif s.isdigit() and 16 <= len(s) <= 19 and luhn(s):
            found.append(("bank", m.start(1), s))
    for m in _EMAIL.finditer(text):
        found.append(("email", m.start(), m.group()))
    return sorted(found, key=lambda f: f[1])


def redact(value: str) -> str:
    """Show enough of a match to find it, not enough to repeat it in a log."""
    return value[:3] + "…" + value[-2:] if len(value) > 6 else "…"


# ---------------------------------------------------------------- interim name matching (replaced by the privacy branch)

_IGNORABLE = "[\\s\u3000\u200b-\u200f\u2060\ufeff·•・.]*"


def normalize_name(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", name)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) != "Cf" and c not in "·•・.")


class Masker:
    """Find every natural person's name in a text, however spaced or dotted, and mask it."""

    def __init__(self, names):
        self.names = sorted({normalize_name(n) for n in names if len(normalize_name(n)) >= 2}, key=len, reverse=True)
        self.key = tuple(self.names)
        self.regex = re.compile("|".join(_IGNORABLE.join(re.escape(c) for c in n) for n in self.names)) \
            if self.names else None

    def mask(self, text):
        if not text or self.regex is None:
            return text
        return self.regex.sub(lambda m: mask_name(normalize_name(m.group())), text)
