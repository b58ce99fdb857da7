"""Personal data in public text: masking natural persons' names and finding ID, phone, card numbers, e-mails.

Both work on folded text (NFKC, invisible characters dropped), because staff paste from Word, WeChat and
PDFs: a name or a number reaches the page in full-width forms, with full-width spaces or zero-width
characters inside, and an exact-string comparison would let it through. Matches are reported and
replaced in the original text, which is otherwise kept as written.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# ---------------------------------------------------------------- folding with a map back to the original

# Planes 0-2 and 14 hold every character with a compatibility form or the Cf category (checked against
# the whole code space); scanning only these keeps building the tables near 0.05 s.
_PLANES = (range(0x30000), range(0xE0000, 0xE1000))
# Default-ignorable characters outside Cf: combining grapheme joiner, Hangul fillers, Khmer vowels
# inherent, Mongolian and ideographic variation selectors. Invisible, so as good as absent.
_IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, *range(0x180B, 0x1810), 0x3164, *range(0xFE00, 0xFE10),
              0xFFA0, *range(0xE0100, 0xE01F0)}


@functools.cache
def _unicode() -> tuple[dict[int, str], dict[int, str], frozenset[str], frozenset[str]]:
    """(one, many, invisible, spaces): code points whose NFKC form is one other character / several
    characters, the invisible characters (format and default-ignorable) and the whitespace characters."""
    one: dict[int, str] = {}
    many: dict[int, str] = {}
    invisible = {chr(cp) for cp in _IGNORABLE}
    spaces = set()
    for plane in _PLANES:
        for cp in plane:
            c = chr(cp)
            n = unicodedata.normalize("NFKC", c)
            if n != c:
                (one if len(n) == 1 else many)[cp] = n
            if unicodedata.category(c) == "Cf":
                invisible.add(c)
            elif c.isspace():
                spaces.add(c)
    return one, many, frozenset(invisible), frozenset(spaces)


def _char_class(chars: Iterable[str]) -> str:
    """A regex class of the BMP characters among chars, plus every astral character.

    The regex engine looks a BMP character up in one bitmap, but walks astral ones range by range, and
    the compatibility tables have hundreds of astral ranges; a text with any astral character at all
    (rare in Chinese text) takes the exact character-by-character path instead."""
    cps = sorted({ord(c) for c in chars if c <= "\uffff"})
    parts = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        parts.append(f"\\u{cps[i]:04x}" if i == j else f"\\u{cps[i]:04x}-\\u{cps[j]:04x}")
        i = j + 1
    return "[" + "".join(parts) + "\\U00010000-\\U0010ffff]"


class Folded:
    """A text folded for matching, and the way back from a folded index to the original text."""

    __slots__ = ("_index", "_runs", "_shift", "folded", "text")

    def __init__(self, text: str, folded: str, index: list[int] | None = None,
                 runs: list[tuple[int, int]] | None = None) -> None:
        self.text = text
        self.folded = folded
        self._index = index  # original index of each folded character (slow path only)
        self._runs: list[int] = []  # folded positions right after a dropped run ...
        self._shift: list[int] = [0]  # ... and how many characters were dropped up to it
        for start, length in runs or ():
            self._runs.append(start - self._shift[-1])
            self._shift.append(self._shift[-1] + length)

    def start(self, k: int) -> int:
        """Index in the original text of folded character k."""
        if self._index is not None:
            return self._index[k]
        return k + self._shift[bisect.bisect_right(self._runs, k)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text a folded span [start, end) came from (dropped characters inside included)."""
        return self.start(start), self.start(end - 1) + 1


@functools.cache
def _reverse() -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """For each character, the code points whose NFKC form is that character / contains it."""
    one, many, _, _ = _unicode()
    to_one: dict[str, list[int]] = {}
    into_many: dict[str, list[int]] = {}
    for cp, n in one.items():
        to_one.setdefault(n, []).append(cp)
    for cp, n in many.items():
        for c in set(n):
            into_many.setdefault(c, []).append(cp)
    return to_one, into_many


@functools.cache
def _dropping(drop: frozenset[str]) -> tuple[frozenset[str], re.Pattern[str]]:
    """The characters dropped (those in drop, and those NFKC turns into nothing else) and a regex for runs of them."""
    one, many, _, _ = _unicode()
    dropped = set(drop) | {chr(cp) for cp, n in one.items() if n in drop}
    dropped |= {chr(cp) for cp, n in many.items() if all(c in drop for c in n)}
    return frozenset(dropped), re.compile("(" + _char_class(dropped) + "+)")


class _Folder:
    """Folding for one purpose: which characters are dropped, and which NFKC results matter.

    A character is NFKC-folded only when its folded form is one the matching can use (`useful`, None:
    all): a Chinese text's full-width commas fold to ASCII ones, which neither names nor numbers need, so
    the common text costs two C-level regex scans. Per-character NFKC: combining sequences are not
    composed across characters, which Chinese names and numbers never need.
    """

    def __init__(self, drop: frozenset[str], useful: frozenset[str] | None) -> None:
        one, many, _, _ = _unicode()
        self._dropped, self._drop = _dropping(drop)
        if useful is None:
            ones, manys = set(one), set(many)
        else:
            to_one, into_many = _reverse()
            ones = {cp for c in useful for cp in to_one.get(c, ())}
            manys = {cp for c in useful for cp in into_many.get(c, ())}
        self._one = {cp: one[cp] for cp in ones if chr(cp) not in self._dropped}
        self._many = {cp: many[cp] for cp in manys if chr(cp) not in self._dropped}
        # Full-width spaces and brackets are in most Chinese texts: str.replace, not the slow path.
        self._cheap = [(c, self._one.pop(ord(c))) for c in "\u3000\xa0（）" if ord(c) in self._one]
        self._rare = re.compile(_char_class([*map(chr, self._one), *map(chr, self._many)]))  # and astral

    def fold(self, text: str) -> Folded:
        if self._rare.search(text):
            return self._fold_slowly(text)
        if not self._drop.search(text):
            return Folded(text, self._replace(text))
        parts = self._drop.split(text)
        runs, pos = [], 0
        for i, part in enumerate(parts):
            if i % 2:
                runs.append((pos, len(part)))
            pos += len(part)
        return Folded(text, self._replace("".join(parts[::2])), runs=runs)

    def _replace(self, text: str) -> str:
        for c, n in self._cheap:
            text = text.replace(c, n)
        return text

    def _fold_slowly(self, text: str) -> Folded:
        out: list[str] = []
        index: list[int] = []
        table = {**self._one, **{ord(c): n for c, n in self._cheap}, **self._many}
        for i, c in enumerate(text):
            if c in self._dropped:
                continue
            for d in table.get(ord(c), c):
                if d not in self._dropped:
                    out.append(d)
                    index.append(i)
        return Folded(text, "".join(out), index=index)


# ---------------------------------------------------------------- natural persons' names

# Common compound surnames (复姓): 欧阳修 → 欧阳某, not 欧某某.
COMPOUND_SURNAMES = frozenset(
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "闻人", "澹台", "公冶", "赫连", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "申屠", "太史", "濮阳", "拓跋", "司空", "第五", "单于", "东郭", "左丘", "梁丘", "公羊", "谷梁", "段干", "乐正", "羊舌", "微生", "公良", "漆雕", "壤驷", "仲孙", "叔孙", "巫马", "亓官", "鲜于", "闾丘", "子车", "颛孙", "宰父", "夹谷", "东门", "公西", "司寇", "南门"]
)
# The separator of minority and foreign names (阿依古丽·买买提) as typed in practice, after NFKC
# (which already turns U+0387, U+FF0E, U+FF65, U+2024 into one of these).
DOTS = frozenset("·•・.‧∙⋅⸱ꞏ")


@functools.cache
def _name_drop() -> frozenset[str]:
    _, _, invisible, spaces = _unicode()
    return invisible | spaces | DOTS


@functools.cache
def _name_folder() -> _Folder:
    return _Folder(_name_drop(), None)


def normalize_name(name: str) -> str:
    """NFKC; invisible characters and all spaces removed; every dot variant written ·, none doubled or at an end."""
    _, _, invisible, spaces = _unicode()
    out = []
    for c in unicodedata.normalize("NFKC", name):
        if c in invisible or c in spaces:
            continue
        out.append("·" if c in DOTS else c)
    return re.sub("·+", "·", "".join(out)).strip("·")


def mask_name(name: str) -> str:
    """The surname stays (a compound one too), every other character becomes 某, dots stay:
    孙　亮 → 孙某, 欧阳修 → 欧阳某, 阿依古丽·买买提 → 阿某某某·某某某. A one-character name is 某."""
    n = normalize_name(name)
    if len(n.replace("·", "")) < 2:
        return "某"
    keep = 2 if n[:2] in COMPOUND_SURNAMES and len(n) > 2 else 1
    return n[:keep] + "".join(c if c == "·" else "某" for c in n[keep:])


class Masker:
    """Masks every occurrence of any of many natural persons' names in a text, however it is spelled.

    Built once from all the names (a county: tens of thousands), then `mask(text)` for each public text.
    A name is found in the folded text (NFKC; spaces, full-width spaces, invisible characters and the
    dot variants all ignored), so 王 小五, 王\\u200b小五, 孙　亮 and 阿依古丽买买提 / 阿依古丽•买买提
    are found. A dotted name's parts of two or more characters are found alone too (买买提 → 买某某).
    The occurrence (and whatever was ignored inside it) is replaced by the masked name; the rest of the
    text is kept exactly. The longest name at a position wins (王小五 over 王小); overlapping occurrences of
    different names are masked as one stretch (李王小五 with 李王 and 王小五 → 李某某某).

    A name shorter than two folded characters (王, or a stray dot) is masked only when it is the whole
    field: as part of a text it would mask every 王 in 王府井.
    """

    def __init__(self, names: Iterable[str]) -> None:
        fold = _name_folder().fold
        full: dict[str, str] = {}
        parts: dict[str, str] = {}
        self._whole: dict[str, str] = {}
        for name in names:
            n = normalize_name(name)
            key = fold(n).folded
            if len(key) < 2:
                if key:
                    self._whole.setdefault(key, mask_name(n))
                continue
            full.setdefault(key, mask_name(n))
            if "·" in n:
                for part in n.split("·"):
                    pkey = fold(part).folded
                    if len(pkey) >= 2:
                        parts.setdefault(pkey, mask_name(part))
        self._masked = parts | full  # a person's full name wins over the same letters as someone's part
        lengths: dict[str, set[int]] = {}
        for key in self._masked:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        self._bigrams = frozenset(key[:2] for key in self._masked)
        chars = {c for key in [*self._masked, *self._whole] for c in key}
        self._folder = _Folder(_name_drop(), frozenset(chars))
        # Every name has two characters or more: a candidate is a first character followed by a second one.
        self._candidates = re.compile(
            _char_class(key[0] for key in self._masked) + "(?=" + _char_class(key[1] for key in self._masked) + ")"
        ) if self._masked else None

    def mask(self, text: str) -> str:
        if not text:
            return text
        f = self._folder.fold(text)
        s = f.folded
        if s in self._whole:
            return self._replace(f, [(0, len(s), self._whole[s])])
        if self._candidates is None:
            return text
        found: list[tuple[int, int, str]] = []
        masked, lengths, bigrams = self._masked, self._lengths, self._bigrams
        last = 0  # end of the previous occurrence
        for m in self._candidates.finditer(s):
            i = m.start()
            if s[i:i + 2] not in bigrams:
                continue
            for n in lengths[s[i]]:
                # (a slice past the end is shorter, and may be another name)
                r = masked.get(s[i:i + n]) if i + n <= len(s) else None
                if r is not None:
                    break
            else:
                continue
            if i >= last:
                found.append((i, i + n, r))
                last = i + n
            elif i + n > last:  # overlaps the previous occurrence and goes further: mask both as one
                start, _, prev = found[-1]
                found[-1] = (start, i + n, prev + "某" * (i + n - last))
                last = i + n
        return self._replace(f, found) if found else text

    @staticmethod
    def _replace(f: Folded, found: list[tuple[int, int, str]]) -> str:
        out = []
        pos = 0
        for start, end, masked in found:
            a, b = f.span(start, end)
            out += [f.text[pos:a], masked]
            pos = b
        out.append(f.text[pos:])
        return "".join(out)


@functools.lru_cache(maxsize=1024)
def _masker(name: str) -> Masker:
    return Masker([name])


def mask_in_text(text: str | None, name: str, masked: str | None = None) -> str | None:
    """Mask one person's name in free text of their own record (any spelling, see Masker).

    `masked` is accepted for old callers and ignored: the masked form is always mask_name(name).
    """
    return _masker(name).mask(text) if text else text


# ---------------------------------------------------------------- personal data in public text

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

KINDS = {"id": "身份证号", "mobile": "手机号码", "bank": "银行卡号", "email": "电子邮箱"}


def _valid_day(yyyymmdd: str) -> bool:
    if not "1900" <= yyyymmdd[:4] <= "2099":
        return False
    try:
        dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return False
    return True


def is_id_card(s: str) -> bool:
    """18 digits (last may be X) with a valid GB 11643 check digit and birth date, or the old 15-digit form.
    The first digit is a region (1-8)."""
    if len(s) == 18 and s.isascii() and s[:17].isdigit() and s[0] in "12345678":
        total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == s[17].upper() and _valid_day(s[6:14])
    if len(s) == 15 and s.isascii() and s.isdigit() and s[0] in "12345678":
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


# What the guard catches, on text folded by NFKC (full-width digits, letters, ＠, ＋, －, full-width
# space become ASCII) with invisible characters (zero-width space, BOM, soft hyphen ...) removed:
#   ID card    18 characters (17 digits + digit or X) with a valid GB 11643 check character and birth
#              date, or the old 15 digits with a valid birth date; contiguous or grouped 6-8-4 / 6-4-4-4
#              (15: 6-6-3) by spaces or dashes: 110101199003077774, 110101 19900307 7774, 110101-19900307-7774.
#   mobile     11 digits 1[3-9]xxxxxxxxx, contiguous or grouped 3-4-4 by spaces or dashes, optionally after
#              +86 / 86 / 0086 / (+86): 138 0013 8000, 138-0013-8000, +86 138 0013 8000, 86-13800138000.
#   bank card  16-19 digits passing the Luhn check, or 16-19 digits written in groups of four
#              (6222 0202 0000 1234 567): the grouping is how card numbers are written, so no Luhn check,
#              while a bare long digit run may be an amount or a serial and needs it.
#   e-mail     local@domain.tld, with ＠ and full-width letters folded, a space either side of @ allowed.
# A number glued to a Latin letter or another digit is never matched: 统一社会信用代码 (91330702MA2XXXXX1X),
# certificate and 执法证 numbers with letters, power codes (330702CF003). Dates (2025-03-08, 20250308),
# amounts (1,000,000 元, 10000元), 文号, hotlines (12345) and case serials (2025000012) have too few digits
# or fail the checks. Landlines (0571-87654321, 057187654321) are not caught on purpose: a number with an
# area code is an agency's or a business's published contact, which public decisions legitimately show;
# it cannot be told from a private landline, and stopping the build for every agency phone would teach
# staff to exempt fields wholesale.
_SEP = r"(?:[ \t]{0,2}[-‐‑‒–—―][ \t]{0,2}|[ \t]{1,2})"  # a dash or one or two spaces (after folding)
_S = _SEP + "?"
_L = r"(?<![0-9A-Za-z])"
_R = r"(?![0-9A-Za-z])"
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+ ?@ ?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_NUMBERS: list[tuple[str, re.Pattern[str], Callable[[str], bool]]] = [
    # in order of precedence: a later pattern never reports digits an earlier one (or an e-mail) took
    ("id", re.compile(rf"{_L}\d{{6}}{_S}\d{{4}}{_S}\d{{4}}{_S}\d{{3}}[\dXx]{_R}", re.ASCII),
     lambda m: is_id_card(re.sub(r"[^0-9Xx]", "", m))),
    ("id", re.compile(rf"{_L}\d{{6}}{_S}\d{{6}}{_S}\d{{3}}{_R}", re.ASCII),
     lambda m: is_id_card(re.sub(r"[^0-9]", "", m))),
    ("bank", re.compile(rf"{_L}\d{{4}}(?:{_SEP}\d{{4}}){{3}}(?:{_SEP}\d{{1,3}})?{_R}", re.ASCII), lambda m: True),
    ("bank", re.compile(rf"{_L}\d{{16,19}}{_R}", re.ASCII), luhn),
    ("mobile", re.compile(rf"{_L}(?:(?:\((?:\+|00)?86\)|(?:\+|00)?86){_S})?1[3-9]\d{_S}\d{{4}}{_S}\d{{4}}{_R}", re.ASCII),
     lambda m: True),
]
# Only these folded forms matter to the patterns (a full-width comma folding to "," does not).
_NUMBER_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@.+-_%() \t")


@functools.cache
def _number_folder() -> _Folder:
    _, _, invisible, _ = _unicode()
    return _Folder(invisible, _NUMBER_CHARS)


# A stretch of digits and what may sit between or before them (at least 11 characters long, as every
# number the patterns take has 11 digits or more); only a stretch with 11 digits or more
# (or an @ in the text, for e-mails) is worth the patterns above.
_NUMBERISH = re.compile(r"[(+]*[0-9][0-9()+ \t\-‐‑‒–—―]{9,}[0-9Xx]")


def personal_data(text: str) -> list[tuple[str, int, str]]:
    """(kind, offset, the match) for each ID-card, mobile, bank-card number or e-mail address in text.

    Offset and match are in the original text (the match as written there, full-width digits and all)."""
    f = _number_folder().fold(text)
    s = f.folded
    found: list[tuple[str, int, str]] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, m: re.Match[str]) -> None:
        a, b = m.span()
        if not any(a < y and x < b for x, y in taken):
            taken.append((a, b))
            start, end = f.span(a, b)
            found.append((kind, start, text[start:end]))

    if "@" in s:
        for m in _EMAIL.finditer(s):
            add("email", m)
    # endpos one past the stretch, so that the patterns see a letter glued to its end
    regions = [(m.start(), m.end() + 1) for m in _NUMBERISH.finditer(s) if sum(map(str.isdigit, m.group())) >= 11]
    for kind, pattern, check in _NUMBERS:
        for pos, endpos in regions:
            for m in pattern.finditer(s, pos, endpos):
                if check(m.group()):
                    add(kind, m)
    return sorted(found, key=lambda item: item[1])


def redact(value: str) -> str:
    """Show enough of a match to find it, not enough to repeat it in a log."""
    return value[:3] + "…" + value[-2:] if len(value) > 6 else "…"
