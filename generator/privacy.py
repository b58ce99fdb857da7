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
from collections.abc import Iterable

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
def _name_map() -> dict[int, str]:
    """What else a name's letters may be written as, folded for names only: letters of every cased
    script in lower case and without accents (John SMITH is John Smith, JOSÉ GARCÍA is José García,
    İbrahim is ibrahim), traditional characters and Japanese forms as simplified ones (陳大文 is 陈大文,
    沢田 is 泽田) by OpenCC's t2s and jp2t character tables, each character alone (a name is no
    phrase). Folding more masks more: a character of the simplified set (GB 2312) is never folded into
    another, so 於 stays apart from 于 (由于成本 is no party 於成), 予 from 豫 (应予 is no party 应豫)."""
    import opencc

    chars = [chr(cp) for block in _CJK for cp in block]
    joined = "\n".join(chars)  # 28,000 characters, one per line: no phrase across two, ~30 ms in all
    t2s = opencc.OpenCC("t2s")
    simple = t2s.convert(joined).split("\n")
    japanese = t2s.convert(opencc.OpenCC("jp2t").convert(joined)).split("\n")
    out: dict[int, str] = {}
    for c, s, j in zip(chars, simple, japanese, strict=True):
        folded = s if s != c else j  # a Japanese form only where the Chinese table leaves the character
        if folded != c and len(folded) == 1 and not _simplified_set(c):
            out[ord(c)] = folded
    out.update({ord(a): b for a, b in SUPPLEMENT.items()})
    for cp in range(0x2E80):  # the alphabets, below the CJK blocks
        c = chr(cp)
        if c.isalpha():
            low = unicodedata.normalize("NFD", c)[0].lower()
            if len(low) == 1 and low != c:
                out[cp] = low
    # Turkish dotless i (Yılmaz is written YILMAZ) and letters with a stroke, which NFD does not take
    # apart: Đặng Văn An is typed Dang Van An
    out.update({ord(a): b for a, b in zip("ıĐđŁłØøĦħŦŧ", "iddlloohhtt", strict=True)})
    return out


@functools.cache
def simplified() -> dict[int, str]:
    """The characters _name_map folds to simplified ones (traditional, Japanese, ID-card variants), as a
    str.translate table: a 文号 typed in traditional characters is the same number (textkey)."""
    return {cp: c for cp, c in _name_map().items() if cp >= 0x2E80}


def _simplified_set(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


# Forms OpenCC's tables leave as they are: 锺, the 通用规范汉字表's form of the surname 鍾 (钟); the
# Japanese 呉, 戸, 邉 (渡邉), 﨑 (山﨑); the variants ID cards carry for 高, 涂, 清, 青, 柳, 迪, 俞, 裴, 熙,
# 柏, 峨, 吉, 滨, 姬, 绪 (a clerk types the common form).
SUPPLEMENT = {"锺": "钟", "呉": "吴", "戸": "户", "邉": "边", "﨑": "崎", "髙": "高", "凃": "涂", "淸": "清", "靑": "青",
              "栁": "柳", "廸": "迪", "兪": "俞", "裵": "裴", "煕": "熙", "熈": "熙", "栢": "柏", "峩": "峨", "𠮷": "吉",
              "濵": "滨", "姫": "姬", "緖": "绪"}


# The CJK blocks OpenCC's table covers: unified ideographs, extension A, compatibility ideographs.
_CJK = (range(0x3400, 0x4DC0), range(0x4E00, 0xA000), range(0xF900, 0xFB00))


@functools.cache
def _maps(names: bool) -> tuple[dict[int, str], dict[int, str]]:
    """(one, many) as _unicode has them; for `names`, each result folded by _name_map too, and its
    own characters added (Ｊ → J → j; 陳 → 陈)."""
    one, many, _, _ = _unicode()
    if not names:
        return one, many
    extra = _name_map()
    folded_one = {cp: extra.get(ord(n), n) for cp, n in one.items()}
    folded_one.update({cp: n for cp, n in extra.items() if cp not in folded_one})
    folded_many = {cp: "".join(extra.get(ord(c), c) for c in n) for cp, n in many.items()}
    return folded_one, folded_many


@functools.cache
def _reverse(names: bool = False) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """For each character, the code points whose folded form (NFKC; for `names`, _maps) is that
    character / contains it."""
    one, many = _maps(names)
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
    the common text costs two C-level regex scans. Characters folding to one character (full-width
    digits, ＠) are replaced in place, each with one str.replace; only a character folding to several
    (㈠ → (一)) or an astral one takes the character-by-character path. Per-character NFKC: combining
    sequences are not composed across characters, which Chinese names and numbers never need.
    """

    def __init__(self, drop: frozenset[str], useful: frozenset[str] | None, names: bool = False) -> None:
        one, many = _maps(names)
        self._dropped, self._drop = _dropping(drop)
        if useful is None:
            ones, manys = set(one), set(many)
        else:
            to_one, into_many = _reverse(names)
            ones = {cp for c in useful for cp in to_one.get(c, ())}
            manys = {cp for c in useful for cp in into_many.get(c, ())}
        self._one = {cp: one[cp] for cp in ones if chr(cp) not in self._dropped}
        self._many = {cp: many[cp] for cp in manys if chr(cp) not in self._dropped}
        # Full-width spaces and brackets are in most Chinese texts: str.replace, not the slow path.
        self._cheap = [(c, self._one.pop(ord(c))) for c in "\u3000\xa0（）" if ord(c) in self._one]
        self._rare = re.compile(_char_class([*map(chr, self._one), *map(chr, self._many)]))  # and astral
        self._ones = re.compile(_char_class(map(chr, self._one)))
        self._slow = re.compile(_char_class(map(chr, self._many)))  # and astral

    def fold(self, text: str) -> Folded:
        rare = self._rare.search(text)  # the common text: this scan and the next, and done
        if rare and self._slow.search(text, rare.start()):
            return self._fold_slowly(text)
        if not self._drop.search(text):
            return Folded(text, self._replace(text, rare is not None))
        parts = self._drop.split(text)
        runs, pos = [], 0
        for i, part in enumerate(parts):
            if i % 2:
                runs.append((pos, len(part)))
            pos += len(part)
        return Folded(text, self._replace("".join(parts[::2]), rare is not None), runs=runs)

    def _replace(self, text: str, rare: bool) -> str:
        for c, n in self._cheap:
            text = text.replace(c, n)
        for c in set(self._ones.findall(text)) if rare else ():
            text = text.replace(c, self._one[ord(c)])
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
# Dashes some staff type between the parts instead (热依拉－阿不都): read as the dot only where the name
# joined across them is a known full name, as a dash elsewhere is a dash (2025-03-08, 北京—上海).
NAME_DASHES = "-‐‑‒–—―－﹣"
# One or two dashes before an ideograph (so not in 2025-03-08): starting with one character class, the
# regex engine skips to the next dash at C speed, which keeps this check off the cost of every text.
_NAME_DASH = re.compile(f"[{re.escape(NAME_DASHES)}][{re.escape(NAME_DASHES)}]?"
                        "(?=[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff])")


@functools.cache
def _name_drop() -> frozenset[str]:
    """Ignored in names: invisible characters, spaces, the dots, and combining accents (José typed as
    e and a combining acute), apostrophes and underscores (O'Brien, John_Smith)."""
    _, _, invisible, spaces = _unicode()
    accents = {chr(cp) for block in (range(0x300, 0x370), range(0x1AB0, 0x1B00), range(0x1DC0, 0x1E00),
                                     range(0x20D0, 0x2100), range(0xFE20, 0xFE30)) for cp in block}
    return invisible | spaces | DOTS | frozenset(accents) | frozenset("_'’‘`")  # O'Brien is OBrien


@functools.cache
def _name_folder() -> _Folder:
    return _Folder(_name_drop(), None, names=True)


def normalize_name(name: str) -> str:
    """NFKC; invisible characters and all spaces removed; every dot variant written ·, none doubled or at an end."""
    _, _, invisible, spaces = _unicode()
    out = []
    for c in unicodedata.normalize("NFKC", name):
        if c in invisible or c in spaces:
            continue
        out.append("·" if c in DOTS else c)
    return re.sub("·+", "·", "".join(out)).strip("·")


def fold_name(text: str) -> str:
    """A text as names are found in it (Masker): NFKC, no spaces, dots or invisible characters, letters
    in lower case, traditional characters simplified. Two spellings of one name fold alike."""
    return _name_folder().fold(text).folded


def mask_name(name: str) -> str:
    """The surname stays (a compound one too), every other character becomes 某, dots stay:
    孙　亮 → 孙某, 欧阳修 → 欧阳某, 阿依古丽·买买提 → 阿某某某·某某某. A one-character name is 某."""
    n = normalize_name(name)
    if len(n.replace("·", "")) < 2:
        return "某"
    keep = 2 if n[:2] in COMPOUND_SURNAMES and len(n) > 2 else 1
    return n[:keep] + "".join(c if c == "·" else "某" for c in n[keep:])


_WORDS = re.compile(r"[\s·.,，、_'’‘`\-‐‑‒–—]+")  # between the words of a name of letters


def _letter(c: str) -> bool:
    """An alphabetic letter (not a CJK character): where a name of such letters may not run on."""
    return c.isalpha() and c < "\u2e80"


class Masker:
    """Masks every occurrence of any of many natural persons' names in a text, however it is spelled.

    Built once from all the names (a county: tens of thousands), then `mask(text)` for each public text.
    A name is found in the folded text (NFKC; spaces, full-width spaces, invisible characters and the
    dot variants all ignored), so 王 小五, 王\\u200b小五, 孙　亮 and 阿依古丽买买提 / 阿依古丽•买买提
    are found. A dotted name's parts of two or more characters are found alone too (买买提 → 买某某).
    The occurrence (and whatever was ignored inside it) is replaced by the masked name; the rest of the
    text is kept exactly. The longest name at a position wins (王小五 over 王小); overlapping occurrences of
    different names are masked as one stretch (李王小五 with 李王 and 王小五 → 李某某某). A full name is
    found across one or two dashes too (热依拉－阿不都 → 热某某·某某某, not part by part 热某某－阿某某).

    A name shorter than two folded characters (王, or a stray dot) is masked only when it is the whole
    field: as part of a text it would mask every 王 in 王府井.
    """

    def __init__(self, names: Iterable[str]) -> None:
        fold = _name_folder().fold
        full: dict[str, str] = {}
        parts: dict[str, str] = {}
        self._whole: dict[str, str] = {}
        # Where spellings fold alike (阿依古丽·买买提, 阿依古丽买买提) the first one's mask is used: taken
        # in sorted order, not the project's, so the mask depends on the names alone (a file renamed
        # or a decision added about the same person changes nothing; cached views rely on it).
        names = sorted(set(names))
        for n in sorted({normalize_name(name) for name in names}):
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
        for name in names:  # a name of letters: in passport order too (SMITH JOHN), each word alone
            words = [w for w in _WORDS.split(unicodedata.normalize("NFKC", name)) if w]
            if len(words) >= 2 and all(_letter(w[0]) for w in words):
                turned = "".join([words[-1], *words[:-1]])
                full.setdefault(fold(turned).folded, mask_name(turned))
                for w in words:
                    wkey = fold(w).folded
                    if len(wkey) >= 3:  # (Li, Na: too many words read so)
                        parts.setdefault(wkey, mask_name(w))
        self._masked = parts | full  # a person's full name wins over the same letters as someone's part
        self._full = full
        full_lengths: dict[str, set[int]] = {}
        for key in full:
            full_lengths.setdefault(key[0], set()).add(len(key))
        self._full_lengths = {c: sorted(ls, reverse=True) for c, ls in full_lengths.items()}
        self._full_chars = frozenset(c for key in full for c in key)
        self._full_max = max(map(len, full), default=0)
        self._dash = _NAME_DASH if full else None
        lengths: dict[str, set[int]] = {}
        for key in self._masked:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        self._bigrams = frozenset(key[:2] for key in self._masked)
        chars = {c for key in [*self._masked, *self._whole] for c in key}
        self._folder = _Folder(_name_drop(), frozenset(chars), names=True)
        # Every name has two characters or more: a candidate is a first character followed by a second one.
        self._candidates = re.compile(
            _char_class(key[0] for key in self._masked) + "(?=" + _char_class(key[1] for key in self._masked) + ")"
        ) if self._masked else None

    def mask(self, text: str) -> str:
        if not text:
            return text
        f = self._folder.fold(text)
        found = self._find(f)
        return self._replace(f, found) if found else text

    def finds(self, text: str) -> bool:
        """Whether any name is found in text. Not the same as mask(text) != text: a text already
        masked as another name (欧阳某, a party entered as 欧阳某) is found and left as it is, where a
        name in it (欧阳: 欧某某) would change it."""
        return bool(text) and bool(self._find(self._folder.fold(text)))

    def _find(self, f: Folded) -> list[tuple[int, int, str]]:
        """(start, end, masked) of each stretch to mask, in folded text."""
        s = f.folded
        if s in self._whole:
            return [(0, len(s), self._whole[s])]
        if self._candidates is None:
            return []
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
            if _letter(s[i]) or _letter(s[i + n - 1]):  # an alphabetic name is a whole word: Ali is not in QUALITY
                a, b = f.span(i, i + n)  # (in the text as written: the folded one has lost its spaces)
                if (_letter(s[i]) and _letter(f.text[a - 1:a])) or (_letter(s[i + n - 1]) and _letter(f.text[b:b + 1])):
                    continue
            if i >= last:
                found.append((i, i + n, r))
                last = i + n
            elif i + n > last:  # overlaps the previous occurrence and goes further: mask both as one
                start, _, prev = found[-1]
                found[-1] = (start, i + n, prev + "某" * (i + n - last))
                last = i + n
        if self._dash is not None and self._dash.search(s):
            found = self._across_dashes(s, found)
        return found

    def _across_dashes(self, s: str, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """found, with the full names written with dashes between their parts (in folded text s) added:
        a full name wins over the parts it covers."""
        chars = self._full_chars
        cuts = [(m.start(), m.end() - m.start()) for m in _NAME_DASH.finditer(s)  # between two name characters
                if m.start() and s[m.start() - 1] in chars and s[m.end()] in chars]
        if not cuts:
            return found
        pieces, places, prev, dropped = [], [], 0, 0
        for a, n in cuts:
            pieces.append(s[prev:a])
            places.append(a - dropped)  # where the dash was in the text without them
            prev, dropped = a + n, dropped + n
        pieces.append(s[prev:])
        g = Folded(s, "".join(pieces), runs=cuts)
        j = g.folded
        across = []
        for p in places:
            for i in range(max(0, p - self._full_max + 1), p):  # the leftmost full name across the dash
                r = None
                for n in self._full_lengths.get(j[i], ()):  # (a slice past the end is shorter: another name)
                    if p < i + n <= len(j) and (r := self._full.get(j[i:i + n])) is not None:
                        break
                if r is not None:
                    across.append((g.start(i), g.start(i + n - 1) + 1, r))
                    break
        merged: list[tuple[int, int, str]] = []
        for a, b, r in sorted([*found, *across], key=lambda item: (item[0], -item[1])):
            if merged and a < merged[-1][1]:  # overlapping: one stretch, as in mask()
                pa, pb, pr = merged[-1]
                if b > pb:
                    merged[-1] = (pa, b, pr + "某" * (b - pb))
                continue
            merged.append((a, b, r))
        return merged

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

_PROVINCES = frozenset(f"{p}" for p in [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
                                         *range(50, 55), *range(61, 66), 71, 81, 82, 83])

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
    The first two digits are a province (GB/T 2260; 81-83 for Hong Kong, Macao and Taiwan residents)."""
    if len(s) == 18 and s.isascii() and s[:17].isdigit() and s[:2] in _PROVINCES:
        total = sum(int(c) * w for c, w in zip(s[:17], _ID_WEIGHTS, strict=True))
        return _ID_CHECK[total % 11] == s[17].upper() and _valid_day(s[6:14])
    if len(s) == 15 and s.isascii() and s.isdigit() and s[:2] in _PROVINCES:
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


# What the guard catches, on text folded by NFKC (full-width digits, letters, ＠, ＋, －, ．, full-width
# space become ASCII) with invisible characters (zero-width space, BOM, soft hyphen ...) removed. A number
# is read as digit groups joined by a short run (up to four characters) of spaces, line breaks, dashes,
# dots, middle dots, brackets or plus signs: 138 0013 8000, 138.0013.8000, +86 (138) 0013 8000, an ID
# broken across two lines. Chinese digit words (〇零一二…九, 壹贰叁…玖, 幺) count as digits too, alone or
# mixed with Arabic ones (一三八〇〇一三八〇〇〇, 138〇〇13八000); 十百千万 are not digits, so amounts
# (一千二百元), dates (二〇二六年十一月) and 文号 (第一二三号) never make a long digit run.
#   ID card    18 characters (17 digits + digit or X) with a valid GB 11643 check character, birth date
#              and province code, grouped any way, line breaks allowed (the checks make a chance hit
#              rare); the old 15 digits with a valid birth date and province, contiguous or grouped 6-6-3
#              on one line (no check character: no other grouping).
#   mobile     11 digits 1[3-9]xxxxxxxxx, optionally after 86 / +86 / 0086 / (+86), in groups of three
#              digits or more (138 0013 8000, 1380 013 8000, 13800 138000) or with every digit apart
#              (1 3 8 0 0 1 3 8 0 0 0), on one line.
#   As two numbers side by side also make 11 or 18 digits, a layout other than the customary ones (3-4-4,
#   6-8-4, 6-4-4-4, 6-6-3 and their merges, joined by a dash or one or two spaces, as the guard always
#   took them) needs its joins alike (not 1922.1930-052); a phone in two groups split after 3, 5 or 7
#   digits by one space or hyphen (not 1984 1338909, 19970218 796); dots in three groups or more and no
#   decimal after (13800.138000, 13800 138000.00 are amounts).
#   bank card  16-19 digits passing the Luhn check, or 16-19 digits written in groups of four
#              (6222 0202 0000 1234 567): the grouping is how card numbers are written, so no Luhn check,
#              while a bare long digit run may be an amount or a serial and needs it. Either starts as
#              cards do (3-6, 9, 2221-2720), which a list of years (2021 2022 2023 2024) or a row of
#              〇 for blanks (Luhn-valid) does not.
#   e-mail     local@domain.tld, with ＠, full-width letters and the Chinese full stops 。 ． folded, up to
#              two spaces around @ and each dot (zhangsan ＠ 163 ． com, zhangsan@qq。com).
# A number glued to a Latin letter is not matched: 统一社会信用代码 (91330702MA2XXXXX1X), certificate and
# 执法证 numbers with letters (ZJ33070012345), power codes (330702CF003). Except after a word that
# announces it (ID, No, Tel, Phone, Mobile, SFZ, Card ...), and an 18-character ID after one lone letter
# (A110105199003071001): a number with a valid check character and birth date is an ID whatever letter
# was typed before it. Dates (2025-03-08, 2025.03.08, 20250308), amounts (1,000,000 元, 10000元), 文号,
# hotlines (12345), postcodes and case serials (2025000012) have too few digits or fail the checks, and
# 13,800,138,000 is an amount: a comma never joins groups. Landlines (0571-87654321, 057187654321) are not
# caught on purpose: a number with an area code is an agency's or a business's published contact, which
# public decisions legitimately show; it cannot be told from a private landline, and stopping the build
# for every agency phone would teach staff to exempt fields wholesale.
_CN_DIGITS = {**dict.fromkeys("〇○零", "0"), **dict.fromkeys("一幺壹", "1"), **dict.fromkeys("二贰貳", "2"),
              **dict.fromkeys("三叁參", "3"), **dict.fromkeys("四肆", "4"), **dict.fromkeys("五伍", "5"),
              **dict.fromkeys("六陆陸", "6"), **dict.fromkeys("七柒", "7"), **dict.fromkeys("八捌", "8"),
              **dict.fromkeys("九玖", "9")}
_CN_TABLE = str.maketrans(_CN_DIGITS)
_CN_DIGIT = re.compile("[" + "".join(_CN_DIGITS) + "]")
_JOIN = " \t\r\n-‐‑‒–—―.·()+"  # what may stand between two digit groups of one number (after folding)
_MAX_JOIN = 4
_PAIR_JOINS = frozenset(["", " ", "-", "‐", "‑"])  # between the two groups of a phone in two
_SEP = re.compile(r"[ \t]{0,2}[-‐‑‒–—―][ \t]{0,2}|[ \t]{1,2}")  # a dash or one or two spaces
_D = "0-9" + "".join(_CN_DIGITS)
# An ID's check character X, and what is typed for it: × (an input method's X), the Greek χ of the soft
# keyboard, Cyrillic х, crosses. Not * (a masked last digit): 17 digits of a region, a date and a serial
# are also how many case and work-order numbers are made, and ** is Markdown's bold.
_X = "Xx×χΧхХ╳✕✖⨯"
# A stretch of digits and what may join them, at least 11 characters long (every number the guard takes
# has 11 digits or more): the one scan every text goes through.
_NUMBERISH = re.compile(f"[{_D}][{_D}{re.escape(_JOIN)}]{{9,}}[{_D}{_X}]")
_DIGITS = re.compile("[0-9]+")
# (not before a number, after spaces: 33070220260315001 × 2件 is a product)
_CHECK_X = re.compile(f"[{re.escape(_JOIN)}]{{0,{_MAX_JOIN}}}[{_X}](?![A-Za-z0-9])(?![ \t]*[0-9])")
_LENGTHS = frozenset([11, 13, 15, 16, 17, 18, 19])  # mobile (+86, +0086), old ID, card, ID with X, ID, card
# Words that may stand glued before a number (ID110105…, No13800138000, Tel13800138000), lower case.
_ANNOUNCING = frozenset(["id", "idno", "idcard", "no", "tel", "phone", "mobile", "mob", "cell", "sfz", "sfzh",
                         "card", "cardno", "acct", "account"])
# Which finding keeps the characters two candidates share: the e-mail, then the surer check, then the longer.
_RANK = {"email": 0, "id": 1, "bank": 2, "mobile": 3}
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+[ \t]{0,2}@[ \t]{0,2}[A-Za-z0-9-]+"
                    r"(?:[ \t]{0,2}[.。][ \t]{0,2}[A-Za-z0-9-]+)+")
# Only these folded forms matter to the search (a full-width comma folding to "," does not).
_NUMBER_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@%_。"
                          + _JOIN + "".join(_CN_DIGITS) + _X)


@functools.cache
def _number_folder() -> _Folder:
    _, _, invisible, _ = _unicode()
    return _Folder(invisible, _NUMBER_CHARS)


def _alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _glued_word(t: str, i: int) -> str | None:
    """The Latin letters glued before t[i], lower case: '' for none, None for letters glued to a digit
    in turn (330702A1…: a code with letters inside, whatever the letters are)."""
    j = i
    while j > 0 and t[j - 1].isascii() and t[j - 1].isalpha():
        j -= 1
    return None if j > 0 and t[j - 1].isdigit() else t[j:i].lower()


def _stretches(t: str, pos: int, endpos: int) -> list[list[tuple[int, int, int]]]:
    """The digit groups in t[pos:endpos] as (start, end, end of an X after it or 0), in stretches: groups
    joined by a short run of _JOIN characters. An X after a group, glued or joined, and followed by no
    letter or digit (an ID's check character) ends the stretch."""
    out: list[list[tuple[int, int, int]]] = []
    cur: list[tuple[int, int, int]] = []
    for m in _DIGITS.finditer(t, pos, endpos):
        a, b = m.span()
        if cur:
            gap = t[cur[-1][1]:a]
            if cur[-1][2] or len(gap) > _MAX_JOIN or gap.strip(_JOIN):
                out.append(cur)
                cur = []
        x = _CHECK_X.match(t, b)
        cur.append((a, b, x.end() if x else 0))
    if cur:
        out.append(cur)
    return out


def _numbers(t: str, pos: int, endpos: int, out: list[tuple[int, int, int, int, str]]) -> None:
    """Add (rank, -length, start, end, kind) for each number in t[pos:endpos] that passes its checks.

    Every run of whole consecutive groups is a candidate (a group is never split: 2025 13800138000 has
    a mobile, 113800138000 has none)."""
    for groups in _stretches(t, pos, endpos):
        lens = [b - a for a, b, _ in groups]
        for i in range(len(groups)):
            total = 0
            for j in range(i, len(groups)):
                total += lens[j]
                if total > 19:
                    break
                if total in _LENGTHS:
                    _judge(t, groups, lens, i, j, total, out)


def _alike(joins: list[str], line_breaks: bool) -> bool:
    """Whether the joins inside one number are written alike, as a number's groups are (138 0013 8000,
    110105-19900307-1001), unlike two numbers side by side (1922.1930-052). A bracket alone joins nothing
    ((138)0013 8000); a line break is a PDF's wrap, taken where allowed."""
    seen = ""
    for join in joins:
        if "\n" in join or "\r" in join:
            if not line_breaks:
                return False
            continue
        join = join.replace(")", "")
        if join and seen and join != seen:
            return False
        seen = join or seen
    return True


def _cuts(lens: list[int]) -> set[int]:
    """Where the groups of these lengths meet, counted in digits from the first."""
    return {sum(lens[:k]) for k in range(1, len(lens))}


def _customary(joins: list[str], lens: list[int], cuts: set[int]) -> bool:
    """The layout numbers are usually written in (mobile 3-4-4, ID 6-8-4 or 6-4-4-4, old ID 6-6-3,
    with any of them left out) joined by a dash or one or two spaces: taken with joins unlike too."""
    return _cuts(lens) <= cuts and all(_SEP.fullmatch(join) for join in joins)


def _judge(t: str, groups: list[tuple[int, int, int]], lens: list[int], i: int, j: int, total: int,
           out: list[tuple[int, int, int, int, str]]) -> None:
    """Add the candidates made of groups i..j (total digits) to out."""
    a, b, x = groups[i][0], groups[j][1], groups[j][2]
    digits = "".join(t[g[0]:g[1]] for g in groups[i:j + 1])
    joins = [t[groups[k][1]:groups[k + 1][0]] for k in range(i, j)]
    window = lens[i:j + 1]
    bracketed = any(c in join for join in joins for c in "()+")  # only a phone has brackets inside
    word = _glued_word(t, a) if i == 0 else ""
    announced = word == "" or word in _ANNOUNCING  # no letter glued before, or a word saying what follows
    glued_right = _alnum(t[b:b + 1])

    def add(kind: str, start: int, end: int) -> None:
        out.append((_RANK[kind], start - end, start, end, kind))

    if (announced or (word is not None and len(word) == 1)) and not bracketed \
            and (_customary(joins, window, {6, 10, 14}) or _alike(joins, True)):
        # an 18-character ID, even after a lone letter: check character and birth date say what it is
        if total == 17 and x and is_id_card(digits + "X"):
            add("id", a, x)
        elif total == 18 and not glued_right and is_id_card(digits):
            add("id", a, b)
    if not announced or glued_right:
        return
    if total == 15 and (_customary(joins, window, {6, 12}) or (window == [6, 6, 3] and _alike(joins, False))) \
            and is_id_card(digits):
        add("id", a, b)
    fours = window[:4] == [4, 4, 4, 4] and (j == i + 3 or (j == i + 4 and lens[j] <= 3))
    if total >= 16 and (fours or (i == j and luhn(digits))) and not bracketed \
            and (_customary(joins, window, set(range(4, 20, 4))) or _alike(joins, False)) \
            and (digits[0] in "34569" or "2221" <= digits[:4] <= "2720"):
        add("bank", a, b)
    cc = {11: "", 13: "86", 15: "0086"}.get(total)
    if cc is None or not digits.startswith(cc) or digits[len(cc)] != "1" or digits[len(cc) + 1] not in "3456789":
        return
    body = lens[i:j + 1]  # the group lengths of the 11 digits after the country code
    rest = len(cc)
    while rest:
        cut = min(rest, body[0])
        body[0] -= cut
        rest -= cut
        if not body[0]:
            body.pop(0)
    first = j + 1 - len(body)  # index of the group the 11 digits start in
    if all(n == 1 for n in body):  # every digit apart: and no more lone digits around
        if (first > 0 and lens[first - 1] == 1) or (j + 1 < len(lens) and lens[j + 1] == 1):
            return
    elif min(body) < 3:
        return
    inner = joins[first - i:]  # between the groups of the 11 digits: the country code's join may differ
    if not _customary(inner, body, {3, 7}):
        if any("(" in join or "+" in join for join in inner) or any(")" in join for join in inner[1:]) \
                or not _alike(inner, False):
            return
        if len(inner) == 1 and (inner[0].replace(")", "") not in _PAIR_JOINS or body[0] not in (3, 5, 7)):
            # two groups as phones are split ((138)00138000, 13800 138000), not two numbers side by side
            # (1984 1338909, 19970218 796) or an amount (13800.138000)
            return
        dotted = any(c in join for join in inner for c in ".·")
        if not dotted and j + 1 < len(groups) and t[b:groups[j + 1][0]] == ".":  # 13800 138000.00
            return
    start = a
    if t[start - 1:start] == "+":
        start -= 1
    if t[start - 1:start] == "(" and t.count(")", start, b) > t.count("(", start, b):  # (+86)138…, (138)…
        start -= 1
    add("mobile", start, b)


def personal_data(text: str) -> list[tuple[str, int, str]]:
    """(kind, offset, the match) for each ID-card, mobile, bank-card number or e-mail address in text.

    Offset and match are in the original text (the match as written there, full-width digits and all)."""
    f = _number_folder().fold(text)
    s = f.folded
    cands: list[tuple[int, int, int, int, str]] = []
    if "@" in s:
        cands += [(0, m.start() - m.end(), m.start(), m.end(), "email") for m in _EMAIL.finditer(s)]
    for m in _NUMBERISH.finditer(s):
        pos, endpos = m.span()
        region = m.group()
        if sum(map(str.isdigit, region)) >= 11:
            _numbers(s, pos, endpos, cands)
        if _CN_DIGIT.search(region):  # again with the Chinese digit words read as digits
            _numbers(s[:pos] + region.translate(_CN_TABLE) + s[endpos:], pos, endpos, cands)
    found: list[tuple[str, int, str]] = []
    taken: list[tuple[int, int]] = []
    for _rank, _length, a, b, kind in sorted(cands):
        if not any(a < y and x < b for x, y in taken):
            taken.append((a, b))
            start, end = f.span(a, b)
            found.append((kind, start, text[start:end]))
    return sorted(found, key=lambda item: item[1])


def redact(value: str) -> str:
    """Show enough of a match to find it, not enough to repeat it in a log."""
    return value[:3] + "…" + value[-2:] if len(value) > 6 else "…"
