"""The personal-data guard: ID-card, mobile, bank-card numbers and e-mail addresses in public text
stop the build, wherever a visitor could read them (each kind's `guarded` fields, generator/kinds/).

An agency's own contact fields (phone, complaints) are institutional and not checked. A decision
may exempt a field with a reason (privacy_exempt); the exemption is a supervision finding.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from . import privacy
from .kinds import GUARDED_TEXT, project_kinds
from .problems import Problem

# One masker of every natural person's name in the project, while project._cross_check runs the guard:
# a 文号 in which it finds no name holds no party's name, so the party's own masker (a regex compiled
# per name: 1.3 s of a county's cold load) is made only for the few where it finds one. Sound because
# where one name's masker finds a name, the masker of all finds one too (tests/test_privacy.py,
# property tests); not "changes the text": 欧阳某 is another person's masked name as it stands, while
# 欧阳's masker changes it. A name with a dash in it is not vouched for (_unscreened).
_SCREEN: ContextVar[Any] = ContextVar("disclose_guard_screen", default=None)
# id(decision) → (decision, own_part's problems), found by the processes that read the files.
_EARLY: ContextVar[dict[int, tuple[Any, list[Problem]]] | None] = ContextVar("disclose_guard_early", default=None)


@contextlib.contextmanager
def screening(names: list[str], early: dict[int, tuple[Any, list[Problem]]] | None = None) -> Iterator[None]:
    """Screen 文号 with one masker of `names`, which must include every party checked meanwhile.
    `early`: each decision's own_part, where it was already found."""
    token = _SCREEN.set(privacy.Masker(names))
    early_token = _EARLY.set(early)
    try:
        yield
    finally:
        _EARLY.reset(early_token)
        _SCREEN.reset(token)


def _guarded(name: str) -> tuple[str, ...]:
    return GUARDED_TEXT.get(name, ())


def values(obj: Any, parts: list[str], loc: tuple = ()) -> list[tuple[tuple, str]]:
    """(location, text) of every string at a field path such as "basis.*.text"."""
    if obj is None:
        return []
    if not parts:
        return [(loc, obj)] if isinstance(obj, str) else []
    head, rest = parts[0], parts[1:]
    if head == "*":
        return [v for i, item in enumerate(obj or []) for v in values(item, rest, (*loc, i))]
    return values(getattr(obj, head, None), rest, (*loc, head))


def check(record: Any, src: Any, exempt: dict | None = None) -> list[Problem]:
    """Problems for personal data in the record's public text; `src` locates them (project.Src)."""
    fields = _guarded(type(record).__name__)
    exempt = exempt or {}
    # only a decision can exempt a field (privacy_exempt): other records are told to delete it
    exemptable = "privacy_exempt" in getattr(type(record), "model_fields", {})
    out: list[Problem] = []
    for name in fields:
        if name in exempt:
            continue
        for loc, text in values(record, name.split(".")):
            for kind, _offset, value in privacy.personal_data(text):
                out.append(src.problem(
                    loc, "P001", f"公开文本里有{privacy.KINDS[kind]}",
                    "删去或改写它（公开的记录里不能出现个人的证件号、电话、银行卡、邮箱）" + (
                        f"；确实不是个人信息时，在这条决定里写 `privacy_exempt: {{{name}: 理由}}`" if exemptable else
                        "；单位的办公电话等公开信息，写在网站的联系方式里，不写进记录"),
                    given=privacy.redact(value)))
    return out


def check_decision(decision: Any, src: Any) -> list[Problem]:
    """The guard for a decision, its exemptions checked; a natural person has no credit code.
    Its own part may have been found where the file was read (own_part, in a reading process)."""
    early = _EARLY.get()
    hit = early.get(id(decision)) if early is not None else None
    out = list(hit[1]) if hit is not None and hit[0] is decision else own_part(decision, src)
    if decision.party.type == "自然人":
        out.extend(_name_in_case_no(decision, src))
        out.extend(_name_in_file_name(decision, src))
    return out


def own_part(decision: Any, src: Any) -> list[Problem]:
    """Its public texts and exemptions: what depends on the decision alone and costs most, so that
    it can run in the processes that read the files."""
    out = check(decision, src, decision.privacy_exempt)
    allowed = _guarded("Decision")
    for name in decision.privacy_exempt or {}:
        if name not in allowed:
            out.append(src.problem(("privacy_exempt", name), "P002", "豁免的字段名不是需要检查的公开文本字段",
                                   "可以写：" + "、".join(allowed), given=name))
    if decision.party.type == "自然人" and decision.party.credit_code:
        # For a natural person the only 18-character code is the ID number: never published.
        out.append(src.problem(("party", "credit_code"), "P003", "当事人是自然人，不能填写统一社会信用代码",
                               "自然人的18位号码就是身份证号，不得公开：删去 credit_code 这一行；"
                               "当事人如果是个体工商户，把 type 改为 个体工商户"))
    return out


_DASH = re.compile(f"[{re.escape(privacy.NAME_DASHES)}]")


def _unscreened(name: str) -> bool:
    """A name with a dash in it (王五-, typed so) is checked on its own: the masker of all names reads
    more dashes as between two names' characters and drops them, the dash of this one too."""
    if not unicodedata.is_normalized("NFKC", name):  # as the masker reads it (－ is -)
        name = unicodedata.normalize("NFKC", name)
    return _DASH.search(name) is not None


def _name_in_case_no(decision: Any, src: Any) -> list[Problem]:
    """A natural person's name in the 文号 would reach every page, feed and URL unmasked
    (identifiers are shown as written)."""
    name = decision.party.name
    screen = _SCREEN.get()
    if (screen is None or _unscreened(name) or screen.finds(decision.case_no)) \
            and privacy.mask_in_text(decision.case_no, name) != decision.case_no:
        return [src.problem(("case_no",), "P004", "决定书文号里有当事人的姓名",
                            "文号会原样出现在每个页面和网址里：改用决定书上的正式文号，例如 某综执罚决字〔2026〕第12号",
                            given=privacy.mask_in_text(decision.case_no, name))]
    return []


def _name_in_file_name(decision: Any, src: Any) -> list[Problem]:
    """The pinyin of a natural person's name in the file name: it becomes the page's address."""
    path = getattr(src, "path", "")  # an importer's row has no file yet (it writes date-sequence names)
    stem = os.path.splitext(os.path.basename(path))[0].lower()
    letters = "".join(c for c in stem if c.isascii() and c.isalpha())
    if len(letters) >= 4 and any(spelled in letters for spelled in _pinyin(privacy.normalize_name(decision.party.name))):
        return [src.problem((), "P005", "文件名里有当事人姓名的拼音",
                            "文件名会成为网页地址的一部分：把文件改名为日期加序号，例如 2026-03-02-001.yaml"
                            "（disclose new decision 就这样命名）", given=os.path.basename(path))]
    return []


_folded_name = functools.lru_cache(maxsize=262144)(privacy.fold_name)  # the same names on every preview save


def pinyin_spellings(names: list[str]) -> frozenset[str]:
    """Every pinyin spelling (_pinyin) of the names."""
    return frozenset(s for name in names for s in _pinyin(privacy.normalize_name(name)))


def spells_a_name(path: str, spellings: frozenset[str]) -> bool:
    """Whether the file's name holds one of the spellings (letters only, any case: ZhangSan-1 holds zhangsan)."""
    stem = os.path.splitext(os.path.basename(path))[0].lower()
    letters = "".join(c for c in stem if c.isascii() and c.isalpha())
    return any(letters[i:j] in spellings for i in range(len(letters)) for j in range(i + 4, len(letters) + 1))


def name_in_page_file_names(project: Any) -> list[Problem]:
    """P005 for a public record of a project kind (a notice, a plan) whose file name, and so its URL, spells
    a natural person it names (a party, masked in its text: 对张三丰焚烧秸秆一案 in zhangsanfeng-jiegan.yaml).
    Only names its own text holds: jianyi-1.yaml (建议) is no error for a party named 简毅 elsewhere."""
    paged = [(kind, item) for kind in project_kinds() if kind.pages is not None
             for item in project.items(kind.name) if kind.public(item.record)]
    if not paged:
        return []
    # folded as the masker folds them: 陳大文 entered, 陈大文 in the notice's text, is the same name
    names = {_folded_name(e.decision.party.name) for e in [*project.entries(), *project.drafts]
             if e.decision.party.type == "自然人"} - {""}
    sizes = {len(n) for n in names}
    out: list[Problem] = []
    for kind, item in paged:
        text = privacy.fold_name("\n".join(t for path in kind.masked for _, t in values(item.record, path.split("."))))
        # Its pieces of a name's length looked up, not every name searched for: a county has tens of thousands.
        named = [n for n in {text[i:i + k] for k in sizes for i in range(len(text) - k + 1)} if n in names]
        if named and spells_a_name(item.src.path, pinyin_spellings(named)):
            out.append(Problem(
                item.src.path, 1, 1, "P005", "文件名里有当事人姓名的拼音",
                "文件名会成为网页地址的一部分：改用不含姓名的文件名，例如"
                + ("日期加序号 2026-03-02-001.yaml" if kind.files.by_year else "整改方案的编号")
                + f"（disclose new {kind.name} 就这样命名）", given=os.path.basename(item.src.path)))
    return out


@functools.lru_cache(maxsize=65536)
def _pinyin(name: str) -> tuple[str, ...]:
    """Ways the name is spelled in pinyin without tones: zhangsan; 单 as shan or chan (heteronyms)."""
    from pypinyin import Style, pinyin

    chars = [c for c in name if c != "·"]
    if not 2 <= len(chars) <= 6:
        return ()
    readings = pinyin("".join(chars), style=Style.NORMAL, heteronym=True, errors="ignore")
    spelled = {""}
    for options in readings:
        spelled = {s + o for s in spelled for o in options[:3]}
        if len(spelled) > 64:
            break
    return tuple(s for s in spelled if len(s) >= 4)
