"""How people type a 文号, a name or a code, made one key: the exact lookup (search.py) finds a
record by it, and the duplicate check (project.py) compares 文号 by it (same_case_no, which reads a
few more ways alike): 示综执罚决字[2026]第101号 and 示综执罚决字〔2026〕第101号 are one decision's number."""

from __future__ import annotations

import re
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
    other brackets, traditional characters (示綜執罰決字 is 示综执罚决字), a year in Chinese digits
    (〔二〇二六〕), and a serial number in Chinese numerals, with leading zeros or without 第
    (第十一号, 第011号 and 11号 are 第11号)."""
    key = normalize(text).translate(_SAME).translate(simplified())
    key = _YEAR.sub(lambda m: "〔" + m[1].translate(_DIGITS) + "〕", key)
    return _SERIAL.sub(_serial, key)


_CN_DIGITS = "〇零一二三四五六七八九"
_DIGITS = str.maketrans({"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6",
                         "七": "7", "八": "8", "九": "9", "两": "2"})
_YEAR = re.compile(f"〔([{_CN_DIGITS}]{{4}})〕")
_SERIAL = re.compile(f"第?([0-9{_CN_DIGITS}两十百千万]+)号$")
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _serial(m: re.Match) -> str:
    number = _number(m[1])
    return m[0] if number is None else f"第{number}号"  # a numeral that reads as no number: as written


def _number(written: str) -> int | None:
    """第十一号, 第一百零五号, 第一百一号 (110, as it is said), 第一万五号, 第一〇五号 (digit by digit),
    第011号: the number they mean; None for what no one writes (十十, 二十百): kept as it is."""
    text = written.translate(_DIGITS)
    if not any(c in text for c in "十百千万"):
        return int(text)
    high, wan, low = text.rpartition("万")
    if wan:
        if not high or "万" in high:
            return None
        above, below = _below_wan(high), _below_wan(low, after=10000) if low else 0
        return None if above is None or below is None else above * 10000 + below
    return _below_wan(text)


def _below_wan(text: str, after: int = 0) -> int | None:
    """A numeral under 10,000 in 千, 百, 十; `after`: the unit before it (一万五: 五 is 5,000)."""
    total, digit, last, zero = 0, None, after, False  # last: the unit just read (0: none yet)
    for c in text:
        if c.isdigit():
            if digit not in (None, 0):
                return None  # two digits in a row among units
            zero = zero or (c == "0" and last > 0)
            digit = int(c)
        else:
            unit = _UNITS[c]
            if last and unit >= last:
                return None
            if digit is None or digit == 0:  # 十 alone opens a number (十一); after 零 it is 一十 (一千零十)
                if unit != 10 or (digit is None and last):
                    return None
                digit = 1
            total += digit * unit
            last, digit, zero = unit, None, False
    if digit:
        # 一百一 is 110 and 一千二 1,200, as they are said; after a 零 (一百零一) the digit is itself
        total += digit if zero or last <= 10 else digit * (last // 10)
    return total
