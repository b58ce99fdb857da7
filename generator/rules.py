"""Deadline rules: each period with its conditions, its period of validity and the register entries it cites.

The national defaults ship in generator/default_rules.yaml; a project's own
site_config/rules.yaml adds local rules for its region. For an event (the
decision date for publication and publicity, the status change for withdrawal,
the day the party learned of the decision for reconsideration and suit) the
local rules in force that day come first, then the national ones; within a
layer the first rule whose conditions match applies. Rules with the same
conditions are versions of one rule: their periods of validity may neither
overlap nor leave a gap. A local publication deadline may be stricter than the
national one, never looser (国办发〔2018〕118号): a looser one is a warning and
the national deadline is used.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from . import sources as sources_mod
from .model import (
    COORDINATION_KINDS,
    CREDIT_CLASSES,
    DECISION_KINDS,
    NOTICE_KINDS,
    PARTY_TYPES,
    PENALTY_TYPES,
    Day,
    Record,
    opt,
    zh,
)
from .problems import WARNING, Problem
from .sources import Register

DECISION_SECTIONS = ("publish", "withdraw", "reconsider", "sue", "public_until")
# Supervision and coordination (CONTENT.md): the national defaults leave them to local rules.
SUPERVISION_SECTIONS = ("rectify", "escalate", "coordination", "summary")
SECTIONS = (*DECISION_SECTIONS, *SUPERVISION_SECTIONS)
SECTION_TITLES = {"publish": "公开期限", "withdraw": "撤回期限", "reconsider": "申请行政复议期限",
                  "sue": "提起行政诉讼期限", "public_until": "公示期限", "rectify": "整改期限",
                  "escalate": "提请上报期限", "coordination": "协作期限", "summary": "年度监督工作总结报送期限"}
COUNTED_FROM = ("作出决定之日", "公开之日")
DEFAULTS_PATH = "generator/default_rules.yaml"
DEFAULT_CREDIT_CLASS = "一般"
CITE = r"^[a-z0-9][a-z0-9-]*(#[a-z0-9][a-z0-9-]*)?$"
NATIONAL, LOCAL = "国家", "本地"


class Period(Record, title="期限"):
    working_days: Annotated[int, Field(ge=0, le=3650)] | None = opt("工作日数", "按工作日计算（不含节假日，含调休上班日）")
    days: Annotated[int, Field(ge=0, le=36500)] | None = opt("自然日数", "按自然日计算，届满日是节假日或周末的顺延到下一个工作日（公示期限不顺延）")
    months: Annotated[int, Field(ge=0, le=1200)] | None = opt("月数", "按月计算，例如 诉讼期限 6 个月")
    years: Annotated[int, Field(ge=0, le=100)] | None = opt("年数", "按年计算，例如 公示期限 3 年")

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        if len(self.units()) != 1:
            raise PydanticCustomError("one_unit", "期限只能用一种单位：working_days、days、months、years 中恰好一个")
        return self

    def units(self) -> list[str]:
        return [u for u in ("working_days", "days", "months", "years") if getattr(self, u) is not None]

    def describe(self) -> str:
        if self.working_days is not None:
            return f"{self.working_days}个工作日"
        if self.days is not None:
            return f"{self.days}日"
        if self.months is not None:
            return f"{self.months}个月"
        return f"{self.years}年"


class Match(Record, title="适用条件"):
    kinds: list[Literal[DECISION_KINDS]] | None = opt("适用的决定类别", "不填则适用所有类别")  # type: ignore[valid-type]
    party_types: list[Literal[PARTY_TYPES]] | None = opt("适用的当事人类别", "不填则适用所有当事人类别")  # type: ignore[valid-type]
    penalty_types_within: list[Literal[PENALTY_TYPES]] | None = opt(  # type: ignore[valid-type]
        "处罚种类仅限于", "决定的处罚种类全部在此列表内时适用")
    agencies: list[str] | None = opt("适用的执法主体", "执法主体编号（content/ 下的文件夹名）；不填则适用所有主体，"
                                           "例如 只适用于市场监督管理部门的规定")
    credit_classes: list[Literal[CREDIT_CLASSES]] | None = opt(  # type: ignore[valid-type]
        "适用的失信程度", "轻微、一般、严重；决定没有填写 credit_class 的，按 assume_credit_class 判断")
    remedies_informed: bool | None = opt("是否已告知复议权利和期限", "true 或 false；不填则不论是否告知都适用")
    notice_kinds: list[Literal[NOTICE_KINDS]] | None = opt(  # type: ignore[valid-type]
        "适用的监督文书种类", "只用于整改期限 rectify、提请上报期限 escalate；不填则适用所有监督文书")
    coordination_kinds: list[Literal[COORDINATION_KINDS]] | None = opt(  # type: ignore[valid-type]
        "适用的协作事项", "只用于协作期限 coordination：案件移送、信息告知、协助请求、联合执法、争议协调")
    urgent: bool | None = opt("情况紧急", "只用于协作期限：true 只适用于情况紧急的，false 只适用于不紧急的；不填则都适用")
    to: list[str] | None = opt("接收方", "只用于协作期限：接收方（执法主体编号或机关全称）是其中之一时适用，"
                                     "例如 司法局答复执法协作文书的期限")

    def describe(self) -> str:
        parts = []
        if self.kinds:
            parts.append("、".join(self.kinds) + "决定")
        if self.party_types:
            parts.append("当事人为" + "、".join(self.party_types))
        if self.penalty_types_within:
            parts.append("处罚种类仅限" + "、".join(self.penalty_types_within))
        if self.agencies:
            parts.append("执法主体为 " + "、".join(self.agencies))
        if self.credit_classes:
            parts.append("失信程度为" + "、".join(self.credit_classes))
        if self.remedies_informed is not None:
            parts.append("决定" + ("已" if self.remedies_informed else "未") + "告知复议权利和期限")
        if self.notice_kinds:
            parts.append("、".join(self.notice_kinds))
        if self.coordination_kinds:
            parts.append("、".join(self.coordination_kinds))
        if self.urgent is not None:
            parts.append("情况紧急" if self.urgent else "情况不紧急")
        if self.to:
            parts.append("接收方为" + "、".join(self.to))
        return "；".join(parts)


class ConditionalPeriod(Period, title="期限规则"):
    name: str | None = opt("规则名称", "显示在每个期限的计算说明和“法律依据”页上，例如 行政许可、行政处罚决定的公开期限")
    when: Match = zh("适用条件", "不填则所有决定都适用这一条规则", default_factory=Match)
    effective_from: Day | None = opt("施行日期", "这一版本开始适用的日期（含当日）；不填则不限")
    effective_until: Day | None = opt("施行至", "这一版本最后适用的日期（含当日）；依据被废止或修订时填写，并另写新版本")
    counted_from: Literal[COUNTED_FROM] | None = opt(  # type: ignore[valid-type]
        "起算日", "只用于公示期限 public_until：作出决定之日（默认）或公开之日（例如 市场监管总局令第45号）")
    before: bool = zh("提前", "只用于协作期限 coordination：true 时期限在起算日之前，例如 联合执法须在计划行动日 5 日前申请",
                      default=False)
    cite: Annotated[list[Annotated[str, Field(pattern=CITE)]], Field(min_length=1)] = zh(
        "法律依据", "登记册里的条款，写成“依据编号#条款编号”，例如 gbf-2018-118#xzxk-xzcf-7；"
        "国家依据见 generator/sources.yaml，本地依据写在 site_config/sources.yaml")
    note: str | None = opt("说明", "为什么这样规定，显示在“法律依据”页")

    # Set when the rule book is loaded.
    _layer: str = PrivateAttr(default=NATIONAL)
    _section: str = PrivateAttr(default="")
    _number: int = PrivateAttr(default=0)  # 1-based position in its section, for messages
    _refs: list = PrivateAttr(default_factory=list)  # [(Source, Passage)]
    _ref_at: list = PrivateAttr(default_factory=list)  # the place in `cite` of each of _refs
    _basis: str = PrivateAttr(default="")
    _departs: list = PrivateAttr(default_factory=list)  # national rules a local rule takes the place of
    _looser: list = PrivateAttr(default_factory=list)  # kinds for which a local publication deadline is looser

    def describe(self) -> str:
        return ("提前" if self.before else "") + super().describe()

    def in_force(self, day: dt.date) -> bool:
        return ((self.effective_from is None or self.effective_from <= day)
                and (self.effective_until is None or day <= self.effective_until))

    def window(self) -> str:
        start, end = self.effective_from, self.effective_until
        if start and end:
            return f"{start.isoformat()} 至 {end.isoformat()} 施行的版本"
        if start:
            return f"{start.isoformat()} 起施行的版本"
        if end:
            return f"施行至 {end.isoformat()} 的版本"
        return "没有限定施行期"

    def label(self) -> str:
        return self.name or f"{SECTION_TITLES.get(self._section, '期限')}第{self._number}条"

    def sources_short(self) -> str:
        """The rule's sources by 文号 where they have one (full titles are long): 国办发〔2018〕118号."""
        return "、".join(dict.fromkeys((src.number or src.cite_title()) for src, _ in self._refs))

    @property
    def layer(self) -> str:
        return self._layer

    @property
    def section_title(self) -> str:
        return SECTION_TITLES.get(self._section, "")

    @property
    def basis(self) -> str:
        return self._basis

    @property
    def refs(self) -> list:
        return self._refs

    @property
    def departs(self) -> list:
        return self._departs

    @property
    def looser(self) -> list:
        return self._looser


def _as_list(value: Any) -> Any:
    # withdraw, reconsider and sue used to be one mapping: still read that way.
    return [value] if isinstance(value, dict) else value


Section = Annotated[list[ConditionalPeriod] | None, BeforeValidator(_as_list)]


class Rules(Record, title="期限规则（site_config/rules.yaml）"):
    assume_credit_class: Literal[CREDIT_CLASSES] | None = opt(  # type: ignore[valid-type]
        "默认失信程度", "决定没有填写失信程度 credit_class 时按哪一类计算公示期限；不填为“一般”")
    publish: Section = opt("公开期限", "自作出决定之日起；按顺序取第一条适用的规则")
    withdraw: Section = opt("撤回期限", "自决定被变更、撤销、确认违法或无效之日起")
    reconsider: Section = opt("申请行政复议期限", "自送达（未送达则自作出）之日起")
    sue: Section = opt("提起行政诉讼期限", "自送达（未送达则自作出）之日起")
    public_until: Section = opt("公示期限", "自作出决定之日起；按顺序取第一条适用的规则；没有适用规则则长期公示")
    rectify: Section = opt("整改期限", "监督文书没有写明整改期限 rectify_by 时，自制发之日起计算；没有适用规则则不计算")
    escalate: Section = opt("提请上报期限", "到整改期限仍未整改（已整改、已销号以外）的，自整改期限届满之日起计算")
    coordination: Section = opt("协作期限", "自协作记录的起算日 started_on 起（联合执法写 before: true，向前推算）")
    summary: Section = opt("年度监督工作总结报送期限", "自上一年 12 月 31 日起计算，例如 months: 12 即当年 12 月 31 日")

    def section(self, name: str) -> list[ConditionalPeriod]:
        return getattr(self, name) or []


@dataclass(slots=True, frozen=True)
class Facts:
    """What the conditions of a rule look at."""

    kind: str
    party_type: str
    penalty_types: tuple[str, ...] = ()
    agency: str | None = None
    credit_class: str = DEFAULT_CREDIT_CLASS
    remedies_informed: bool = True
    record_kind: str | None = None  # a notice's or a coordination record's kind
    urgent: bool = False
    to: str | None = None


def matches(rule: ConditionalPeriod, facts: Facts) -> bool:
    w = rule.when
    if w.kinds is not None and facts.kind not in w.kinds:
        return False
    if w.party_types is not None and facts.party_type not in w.party_types:
        return False
    if w.penalty_types_within is not None and (
            not facts.penalty_types or not set(facts.penalty_types) <= set(w.penalty_types_within)):
        return False
    if w.agencies is not None and facts.agency not in w.agencies:
        return False
    if w.credit_classes is not None and facts.credit_class not in w.credit_classes:
        return False
    if w.remedies_informed is not None and w.remedies_informed != facts.remedies_informed:
        return False
    if w.notice_kinds is not None and facts.record_kind not in w.notice_kinds:
        return False
    if w.coordination_kinds is not None and facts.record_kind not in w.coordination_kinds:
        return False
    if w.urgent is not None and w.urgent != facts.urgent:
        return False
    return w.to is None or facts.to in w.to


def first_match(rules: list[ConditionalPeriod], facts: Facts, day: dt.date) -> ConditionalPeriod | None:
    for rule in rules:  # a plain loop: five sections for each of tens of thousands of decisions
        start, end = rule.effective_from, rule.effective_until
        if (start is None or start <= day) and (end is None or day <= end) and matches(rule, facts):
            return rule
    return None


@dataclass
class RuleBook:
    """National rules, the project's local rules and the register they cite."""

    national: Rules
    local: Rules | None = None
    register: Register = field(default_factory=Register)

    @property
    def assume_credit_class(self) -> str:
        local = self.local.assume_credit_class if self.local else None
        return local or self.national.assume_credit_class or DEFAULT_CREDIT_CLASS

    def layers(self) -> list[tuple[str, Rules]]:
        return [(NATIONAL, self.national)] + ([(LOCAL, self.local)] if self.local else [])

    def all_rules(self) -> list[ConditionalPeriod]:
        return [r for _, rules in self.layers() for s in SECTIONS for r in rules.section(s)]

    def pick(self, section: str, day: dt.date, facts: Facts) -> tuple[ConditionalPeriod | None, ConditionalPeriod | None]:
        """(the rule that applies, the national rule that would apply) for an event on `day`."""
        national = first_match(self.national.section(section), facts, day)
        local = first_match(self.local.section(section), facts, day) if self.local else None
        return (local or national), national

    def model_dump_json(self) -> str:
        """What the stamps depend on besides the decision: the key of the stamp cache."""
        local_sources = sorted(self.register.local)
        return json.dumps([self.national.model_dump_json(), self.local.model_dump_json() if self.local else "",
                           [self.register.sources[s].model_dump_json() for s in local_sources]])

    def legal_view(self, today: dt.date) -> dict:
        return legal_view(self, today)


def defaults() -> RuleBook:
    """The national rules alone (no project): for tests and tools."""

    class _Collect:
        def __init__(self) -> None:
            self.problems: list[Problem] = []

        def one(self, model, doc, data, prefix=()):
            from .decisions import validate

            record, problems = validate(model, doc, data, prefix)
            self.problems.extend(problems)
            return record

    reader = _Collect()
    book = _build(reader, None, None)
    if book is None or any(p.is_error for p in reader.problems):
        raise ValueError("generator/default_rules.yaml: " + "; ".join(p.format() for p in reader.problems))
    return book


def default_rules_text() -> str:
    return resources.files("generator").joinpath("default_rules.yaml").read_text(encoding="utf-8")


def load(root: Path, reader) -> RuleBook | None:
    """The rule book of a project: defaults, site_config/sources.yaml, site_config/rules.yaml. Problems go to
    reader.problems (reader: project._Reader, with .doc(path), .one(model, doc, data, prefix), .problems)."""
    cfg = Path(root) / "site_config"
    local_sources = reader.doc(cfg / "sources.yaml") if (cfg / "sources.yaml").is_file() else None
    local_doc = reader.doc(cfg / "rules.yaml") if (cfg / "rules.yaml").is_file() else None
    return _build(reader, local_sources, local_doc)


def _build(reader, local_sources, local_doc) -> RuleBook | None:
    from .yamlio import parse_text

    register = sources_mod.load(reader, local_sources)
    ndoc, problems = parse_text(default_rules_text(), DEFAULTS_PATH)
    reader.problems.extend(problems)
    national = reader.one(Rules, ndoc, ndoc.data) if ndoc is not None else None
    if national is None:
        return None
    local = None
    if local_doc is not None and local_doc.data is not None and not isinstance(local_doc.data, dict):
        # A list or a line of text: saying nothing would build with the defaults as if it were read.
        line, col = local_doc.pos.at(())
        reader.problems.append(Problem(
            local_doc.path, line, col, "Y007",
            f"期限规则文件应是一组“节名: 规则”，写成了{_kind_of(local_doc.data)}",
            "每节顶格写节名，例如 `publish:`，下面缩进两格写规则；可写的节：" + "、".join(SECTIONS)
            + "；只写本地要另行规定的规则，没有本地规则时删去这个文件"))
    elif local_doc is not None:
        local = reader.one(Rules, local_doc, local_doc.data if local_doc.data is not None else {})
    book = RuleBook(national, local, register)
    docs = [(NATIONAL, national, ndoc)] + ([(LOCAL, local, local_doc)] if local is not None else [])
    for layer, rules, doc in docs:
        _annotate(book, layer, rules, doc, reader.problems)
    for _layer, rules, doc in docs:
        _check_versions(rules, doc, reader.problems)
        _check_repealed(rules, doc, reader.problems)
    if local is not None:
        _check_local(book, local, local_doc, reader.problems)
    return book


def _kind_of(data) -> str:
    return {list: "列表", str: "文字"}.get(type(data), "其他内容")


def _which(rule: ConditionalPeriod) -> str:
    """How a message names a rule: 公开期限第2条“…”."""
    return f"{SECTION_TITLES[rule._section]}第{rule._number}条" + (f"“{rule.name}”" if rule.name else "")


def _loc(doc, section: str, i: int) -> tuple:
    raw = doc.data.get(section) if isinstance(doc.data, dict) else None
    return (section,) if isinstance(raw, dict) else (section, i)


def _annotate(book: RuleBook, layer: str, rules: Rules, doc, problems: list[Problem]) -> None:
    """Resolve each rule's citations (a missing one is a located error) and remember where it sits."""
    for section in SECTIONS:
        for i, rule in enumerate(rules.section(section)):
            rule._layer, rule._section, rule._number = layer, section, i + 1
            rule._refs, rule._ref_at = [], []  # _ref_at: each resolved citation's place in rule.cite
            for j, ref in enumerate(rule.cite):
                found = book.register.resolve(ref)
                if found is None and ref.partition("#")[0] in book.register.broken:
                    continue  # its source is already reported as invalid
                if found is None:
                    line, col = doc.pos.at((*_loc(doc, section, i), "cite", j))
                    sid = ref.partition("#")[0]
                    why = ("登记册里没有这条依据" if sid not in book.register.sources
                           else f"依据 {sid} 里没有这个条款编号")
                    problems.append(Problem(doc.path, line, col, "L001", f"规则引用的法律依据不存在：{why}",
                                            "写成“依据编号#条款编号”，编号见 generator/sources.yaml；"
                                            "本地依据先写进 site_config/sources.yaml", given=ref))
                else:
                    rule._refs.append(found)
                    rule._ref_at.append(j)
            rule._basis = "；".join(book.register.text(r) for r in rule.cite if book.register.resolve(r))
            if section != "public_until" and rule.counted_from is not None:
                line, col = doc.pos.at((*_loc(doc, section, i), "counted_from"))
                problems.append(Problem(doc.path, line, col, "F004", "只有公示期限 public_until 可以设置起算日 counted_from",
                                        "删去这一行：其他期限的起算日由法律规定", given=rule.counted_from))
            if section != "coordination" and rule.before:
                line, col = doc.pos.at((*_loc(doc, section, i), "before"))
                problems.append(Problem(doc.path, line, col, "F004", "只有协作期限 coordination 可以设置提前 before",
                                        "删去这一行：其他期限都自起算日向后计算", given="true"))


def _check_versions(rules: Rules, doc, problems: list[Problem]) -> None:
    """Rules with the same conditions are versions of one rule: no overlap, no gap between them."""
    for section in SECTIONS:
        groups: dict[str, list[tuple[int, ConditionalPeriod]]] = defaultdict(list)
        for i, rule in enumerate(rules.section(section)):
            if rule.effective_from and rule.effective_until and rule.effective_until < rule.effective_from:
                line, col = doc.pos.at((*_loc(doc, section, i), "effective_until"))
                problems.append(Problem(doc.path, line, col, "F009", "施行至早于施行日期", "核对两个日期",
                                        given=rule.effective_until))
                continue
            groups[_same_when(rule)].append((i, rule))
        for group in groups.values():
            ordered = sorted(group, key=lambda item: item[1].effective_from or dt.date.min)
            for (_, a), (j, b) in pairwise(ordered):
                a_end = a.effective_until or dt.date.max
                b_start = b.effective_from or dt.date.min
                line, col = doc.pos.at((*_loc(doc, section, j), "effective_from"))
                same = f"与{_which(a)}（{a.window()}）适用条件相同"
                if b_start <= a_end:
                    fix = (f"把第{a._number}条的 effective_until 改为 {(b_start - dt.timedelta(days=1)).isoformat()}"
                           if b_start > dt.date.min else "给两条规则写明施行期 effective_from、effective_until，或改正适用条件 when")
                    problems.append(Problem(doc.path, line, col, "L002", f"{same}，施行期重叠：同一天只能有一个版本适用",
                                            fix, given=b.window()))
                elif (b_start - a_end).days > 1:
                    hole = f"{(a_end + dt.timedelta(days=1)).isoformat()} 至 {(b_start - dt.timedelta(days=1)).isoformat()}"
                    problems.append(Problem(doc.path, line, col, "L003", f"{same}，两个版本之间有空档：{hole} 没有施行中的版本",
                                            f"把这一条的 effective_from 改为 {(a_end + dt.timedelta(days=1)).isoformat()}，"
                                            f"或把第{a._number}条的 effective_until 改为 {(b_start - dt.timedelta(days=1)).isoformat()}",
                                            given=b.window()))


def _same_when(rule: ConditionalPeriod) -> str:
    """Conditions as a key: lists compared as sets ([行政处罚, 行政许可] is [行政许可, 行政处罚])."""
    when = rule.when.model_dump(mode="json", exclude_none=True)
    return json.dumps({k: sorted(v) if isinstance(v, list) else v for k, v in when.items()}, sort_keys=True,
                      ensure_ascii=False)


def _check_repealed(rules: Rules, doc, problems: list[Problem]) -> None:
    """A rule that would still apply after a source it cites was repealed: a warning (an error with --strict)."""
    for section in SECTIONS:
        for i, rule in enumerate(rules.section(section)):
            for (source, _passage), j in zip(rule._refs, rule._ref_at, strict=True):
                if source.repealed is None or (rule.effective_until is not None and rule.effective_until < source.repealed):
                    continue
                line, col = doc.pos.at((*_loc(doc, section, i), "cite", j))
                last = (source.repealed - dt.timedelta(days=1)).isoformat()
                problems.append(Problem(
                    doc.path, line, col, "L004",
                    f"{_which(rule)}引用的{source.cite_title()}已于 {source.repealed.isoformat()} "
                    "废止或失效，这条规则却仍适用于此后的事件",
                    f"给这条规则加上 effective_until: {last}，再为此后的事件写一个依据现行规定的新版本"
                    + (f"（取代它的是 {source.replaced_by}）" if source.replaced_by else ""),
                    severity=WARNING, given=rule.cite[j]))


def _probe_facts(rule: ConditionalPeriod) -> list[Facts]:
    """Typical decisions a rule's conditions cover: one per kind it names (or every kind)."""
    w = rule.when
    out = []
    for kind in w.kinds or DECISION_KINDS:
        penalties = tuple(w.penalty_types_within or (["罚款"] if kind == "行政处罚" else []))
        out.append(Facts(kind, (w.party_types or ["法人"])[0], penalties, (w.agencies or [None])[0],
                         (w.credit_classes or [DEFAULT_CREDIT_CLASS])[0],
                         True if w.remedies_informed is None else w.remedies_informed))
    return out


def longer(a: ConditionalPeriod, b: ConditionalPeriod, day: dt.date, cal=None) -> bool:
    """Does period a end later than period b for an event on `day`?"""
    if a.units() == b.units():
        unit = a.units()[0]
        return getattr(a, unit) > getattr(b, unit)
    from .calendar import WorkCalendar
    from .deadlines import apply_period

    cal = cal or WorkCalendar()
    return apply_period(cal, day, a, roll=False).date > apply_period(cal, day, b, roll=False).date


def _check_local(book: RuleBook, local: Rules, doc, problems: list[Problem]) -> None:
    """Remember which national rules each local rule takes the place of; a looser publication deadline warns."""
    for section in SECTIONS:
        national = book.national.section(section)
        boundaries = {r.effective_from for r in national if r.effective_from} | {
            r.effective_until + dt.timedelta(days=1) for r in national if r.effective_until}
        for i, rule in enumerate(local.section(section)):
            days = sorted({rule.effective_from or dt.date(2019, 1, 1)} | {d for d in boundaries if rule.in_force(d)})
            looser: dict[str, ConditionalPeriod] = {}
            departs: list[ConditionalPeriod] = []
            for facts in _probe_facts(rule):
                for day in days:
                    if not rule.in_force(day) or first_match(local.section(section), facts, day) is not rule:
                        continue  # an earlier local rule takes these decisions
                    nat = first_match(national, facts, day)
                    if nat is None:
                        continue
                    if nat not in departs:
                        departs.append(nat)
                    if section == "publish" and longer(rule, nat, day) and facts.kind not in looser:
                        looser[facts.kind] = nat
            rule._departs, rule._looser = departs, list(looser)
            if looser:
                unit = rule.units()[0]
                line, col = doc.pos.at((*_loc(doc, section, i), unit))
                said = "；".join(f"{kind}决定 {nat.describe()}（{nat.sources_short()}）" for kind, nat in looser.items())
                problems.append(Problem(
                    doc.path, line, col, "L005",
                    f"本地{_which(rule)}（{rule.describe()}）宽于国家规定：{said}",
                    "地方规定可以比国办发〔2018〕118号更严，不能更宽；本站对这些决定按国家规定的期限计算。"
                    "请改正这条规则的期限或适用条件 when",
                    severity=WARNING, given=rule.describe()))


# ---------------------------------------------------------------- the 法律依据 page


def legal_view(book: RuleBook, today: dt.date) -> dict:
    """What the public 法律依据 page lists: sources in force with what each drives, local rules beside the
    national ones they depart from, repealed sources with their dates, and the assumptions the site makes."""
    from .checks import FINDING_CITES, SUPERVISION_CITES

    drives: dict[str, list[ConditionalPeriod]] = defaultdict(list)
    for rule in book.all_rules():
        for source, _ in rule.refs:
            if rule not in drives[source.id]:
                drives[source.id].append(rule)
    findings: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, (title, refs) in sorted(FINDING_CITES.items()):
        for ref in [*refs, *SUPERVISION_CITES.get(code, [])]:
            found = book.register.resolve(ref)
            if found and (code, title) not in findings[found[0].id]:
                findings[found[0].id].append((code, title))

    def entry(source) -> dict:
        return {"source": source, "local": book.register.is_local(source), "rules": drives.get(source.id, []),
                "findings": findings.get(source.id, [])}

    # Local sources first, then by the day they took effect; undated ones last.
    ordered = sorted(book.register.sources.values(),
                     key=lambda s: (not book.register.is_local(s), s.starts() or dt.date.max, s.id))
    in_force = [entry(s) for s in ordered if s.in_force(today)]
    future = [entry(s) for s in ordered if s.starts() is not None and s.starts() > today]
    repealed = [entry(s) for s in ordered if s.repealed is not None and s.repealed <= today]
    local_rules = [(section, rule) for section in SECTIONS for rule in (book.local.section(section) if book.local else [])]
    return {"in_force": in_force, "future": future, "repealed": repealed, "local_rules": local_rules,
            "assume_credit_class": book.assume_credit_class, "sections": SECTION_TITLES, "today": today,
            "register": book.register}


Rule = Literal["publish", "withdraw", "reconsider", "sue", "public_until", "rectify", "escalate", "coordination",
               "summary"]
