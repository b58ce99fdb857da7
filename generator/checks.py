"""Supervision findings (执法监督): records that are understood but show a breach of the rules.

A decision must be disclosed whatever its flaws, so findings never stop the
build (errors do); `disclose check` lists them for the county justice bureau
and the township 司法所, and the site can show them on a supervision page.
Pure: the project and the day are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass

from . import public
from .calendar import PACKAGE_YEARS
from .deadlines import LATE, MISSING, ON_TIME
from .project import Entry, Project

EXPIRY_WARNING_DAYS = 90

# What each finding cites: register entries (generator/sources.yaml), never repeated text.
# S101–S104 cite the publication or withdrawal rule version that applied to the decision; these are the defaults.
FINDING_CITES: dict[str, tuple[str, list[str]]] = {
    "S101": ("逾期公开", ["gbf-2018-118#xzxk-xzcf-7", "gbf-2018-118#zfjd-20"]),
    "S102": ("逾期未公开", ["gbf-2018-118#xzxk-xzcf-7", "gbf-2018-118#zfjd-20"]),
    "S103": ("撤回逾期", ["xzcff-2021#a48-2"]),
    "S104": ("撤回未记录", ["xzcff-2021#a48-2"]),
    "S201": ("执法证无效", ["xzcff-2021#a42", "gbf-2018-118#lzzf"]),
    "S202": ("执法人员不足两人", ["xzcff-2021#a42", "xzqzf-2011#a18"]),
    "S301": ("罚款超出裁量阶次", ["xzcff-2021#a34"]),
    "S303": ("裁量基准不在有效期内", ["xzcff-2021#a34"]),
    "S401": ("重大执法决定未经法制审核", ["xzcff-2021#a58"]),
    "S402": ("法制审核晚于决定", ["xzcff-2021#a58"]),
    "S501": ("执法证已过期仍在岗", ["xzcff-2021#a42", "gbf-2018-118#lzzf"]),
    "S502": ("执法证即将到期", ["xzcff-2021#a42", "gbf-2018-118#lzzf"]),
    "S601": ("缺少下一年节假日安排", ["jjr-fjbf#a2"]),
    "S701": ("个人信息检查豁免", ["grxxbhf-2021#a13"]),
}
# 《行政执法监督条例》 governs the supervision itself: cited beside the findings about enforcement once in force
# (on the day of the check, not the day of the decision: the supervision happens now).
_SUPERVISION = ["gwyl-825#a2", "gwyl-825#a6-1"]
SUPERVISION_CITES: dict[str, list[str]] = {code: _SUPERVISION for code in FINDING_CITES if code not in ("S601", "S701")}


@dataclass
class Finding:
    agency: str
    path: str
    line: int
    col: int
    code: str
    rule: str
    message: str
    citation: str
    case_no: str | None = None  # the decision's 文号: supervisors write to agencies by it

    def format(self) -> str:
        about = f"（{self.case_no}）" if self.case_no else ""
        return (f"{self.path}:{self.line}:{self.col}: 监督 {self.code} {self.rule}{about}：{self.message}"
                f"（依据：{self.citation}）")

    def as_dict(self) -> dict:
        return asdict(self)


class _Cite:
    """Citation text of a finding from the register, with the supervision regulation when it is in force."""

    def __init__(self, project: Project, today: dt.date):
        self.register = project.rules.register if project.rules else None
        self.today = today

    def __call__(self, code: str, refs: list[str] | None = None) -> str:
        refs = list(refs if refs is not None else FINDING_CITES[code][1])
        if self.register is None:
            return "；".join(refs)
        for ref in SUPERVISION_CITES.get(code, []):
            found = self.register.resolve(ref)
            if found and found[0].in_force(self.today):
                refs.append(ref)
        return "；".join(self.register.text(r) for r in refs)


def findings(project: Project, today: dt.date) -> list[Finding]:
    out: list[Finding] = []
    officers = project.officers()
    powers = project.powers()
    benches = project.benchmarks()
    cite = _Cite(project, today)
    for entry in [*project.entries(), *project.drafts]:
        out.extend(_decision(entry, today, officers, powers, benches, cite))
    for aid, data in project.agencies.items():
        for officer, src in data.officers:
            if officer.status != "在岗":
                continue
            line, col = src.at("valid_until")
            if today > officer.valid_until:
                out.append(Finding(aid, src.path, line, col, "S501", "执法证已过期仍在岗",
                                   f"{officer.name}（{officer.certificate_no}）的执法证 {officer.valid_until} 已到期，"
                                   "状态仍为“在岗”：应停止执法并换证，或更新状态", cite("S501")))
            elif (officer.valid_until - today).days <= EXPIRY_WARNING_DAYS:
                out.append(Finding(aid, src.path, line, col, "S502", "执法证即将到期",
                                   f"{officer.name}（{officer.certificate_no}）的执法证将于 {officer.valid_until} 到期，"
                                   f"还有 {(officer.valid_until - today).days} 天", cite("S502")))
    out.extend(_calendar(project, today, cite))
    out.sort(key=lambda f: (f.agency, f.path, f.line, f.code))
    return out


def _decision(entry: Entry, today: dt.date, officers: dict, powers: dict, benches: dict, cite: _Cite) -> list[Finding]:
    d, src, aid = entry.decision, entry.src, entry.agency
    out: list[Finding] = []

    def add(loc: tuple, code: str, rule: str, message: str, citation: str) -> None:
        line, col = src.at(*loc)
        out.append(Finding(aid, src.path, line, col, code, rule, message, citation, case_no=d.case_no))

    def applied(count) -> list[str] | None:  # the rule version the stamp used: local or national
        return list(count.applied.cite) if count is not None and count.applied is not None else None

    stamps = entry.stamps
    if stamps is not None and d.withheld is None:  # a withheld decision is lawfully not published
        due = stamps.publish_by.date
        if stamps.publication == LATE and stamps.published_on:
            add(("decided_on",), "S101", "逾期公开",
                f"最迟 {due}（含当日）公开（{stamps.publish_by.rule}），实际 {stamps.published_on} 公开",
                cite("S101", applied(stamps.publish_by)))
        elif stamps.publication == MISSING:
            where = "草稿仍在 drafts/ 中，" if entry.draft else ""
            add(("decided_on",), "S102", "逾期未公开", f"{where}最迟 {due}（含当日）公开，至 {today} 仍未公开",
                cite("S102", applied(stamps.publish_by)))
        if stamps.withdraw_by is not None:
            by = stamps.withdraw_by.date
            if d.withdrawn_on is not None and d.withdrawn_on > by:
                add(("withdrawn_on",), "S103", "撤回逾期",
                    f"决定{d.status}后最迟 {by}（含当日）撤回公示，实际 {d.withdrawn_on} 撤下", cite("S103", applied(stamps.withdraw_by)))
            elif d.withdrawn_on is None and today > by:
                add(("status",), "S104", "撤回未记录",
                    f"决定{d.status}后最迟 {by}（含当日）撤回公示；本站已只显示撤回公告，但没有记录撤下日期 withdrawn_on，"
                    "其他平台上的原公示可能仍在显示", cite("S104", applied(stamps.withdraw_by)))
    for i, cert in enumerate(d.officers):
        found = officers.get(cert)
        if found is None:
            continue  # already an error (R001)
        o = found[0]
        problem = None
        if d.decided_on < o.valid_from:
            problem = f"证件 {o.valid_from} 才生效"
        elif d.decided_on > o.valid_until:
            problem = f"证件已于 {o.valid_until} 到期"
        elif o.status != "在岗" and o.status_since is not None and o.status_since <= d.decided_on:
            problem = f"证件自 {o.status_since} 起为“{o.status}”"
        if problem:
            add(("officers", i), "S201", "执法证无效", f"{o.name}（{cert}）在作出决定之日 {d.decided_on} 无有效执法证：{problem}",
                cite("S201"))
    if d.kind in ("行政处罚", "行政强制") and len(set(d.officers)) < 2:
        add(("officers",), "S202", "执法人员不足两人", f"{d.kind}决定只记录了 {len(set(d.officers))} 名执法人员", cite("S202"))
    if d.benchmark is not None and d.benchmark.id in benches:
        bench = benches[d.benchmark.id][0]
        tier = next((t for t in bench.tiers if t.level == d.benchmark.level), None)
        if tier is not None and d.fine is not None:
            low, high = tier.fine_min, tier.fine_max
            if (low is not None and d.fine < low) or (high is not None and d.fine > high):
                span = f"{_yuan(low)} 至 {_yuan(high)}"
                add(("fine",), "S301", "罚款超出裁量阶次",
                    f"罚款 {_yuan(d.fine)} 不在所引基准 {bench.id}“{tier.level}”阶次的幅度（{span}）内", cite("S301"))
        start, end = bench.effective_from, bench.effective_until
        if (start is not None and d.decided_on < start) or (end is not None and d.decided_on > end):
            add(("benchmark", "id"), "S303", "裁量基准不在有效期内",
                f"基准 {bench.id} 的有效期为 {start or '—'} 至 {end or '—'}，决定作出于 {d.decided_on}", cite("S303"))
    power = powers.get(d.power)
    if power is not None and power[0].major_decision_review:
        if d.legal_review is None:
            add(("power",), "S401", "重大执法决定未经法制审核",
                f"事项 {d.power}（{power[0].name}）须经法制审核，决定没有记录 legal_review", cite("S401"))
        elif d.legal_review.date > d.decided_on:
            add(("legal_review", "date"), "S402", "法制审核晚于决定",
                f"法制审核日期 {d.legal_review.date} 晚于作出决定日期 {d.decided_on}", cite("S402"))
    for field, reason in (d.privacy_exempt or {}).items():
        add(("privacy_exempt", field), "S701", "个人信息检查豁免",
            f"字段 {field} 跳过了个人信息检查，理由：{reason}", cite("S701"))
    return out


def _calendar(project: Project, today: dt.date, cite: _Cite) -> list[Finding]:
    """From 1 December, next year's working-day calendar must be known: deadlines reach into it."""
    nxt = today.year + 1
    if today.month < 12 or nxt in PACKAGE_YEARS or nxt in project.calendar.overrides:
        return []
    return [Finding("（全站）", "site_config/calendar.yaml", 1, 1, "S601", "缺少下一年节假日安排",
                    f"chinesecalendar 与 site_config/calendar.yaml 都没有 {nxt} 年的节假日安排，"
                    f"涉及 {nxt} 年的期限只能暂按周末计算；国务院办公厅通知发布后请补上", cite("S601"))]


def _yuan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".") + " 元"


def publication_rates(project: Project, today: dt.date) -> dict[str, dict[str, float | int]]:
    """Per agency: decisions due by today, of which published on time, and the rate."""
    counts: dict[str, dict[str, float | int]] = defaultdict(lambda: {"due": 0, "on_time": 0, "rate": 0.0})
    for e in [*project.entries(), *project.drafts]:
        if e.stamps is None or e.decision.withheld is not None or public.is_expired(e, today):
            continue
        if e.stamps.publication in (ON_TIME, LATE, MISSING):
            c = counts[e.agency]
            c["due"] += 1
            c["on_time"] += e.stamps.publication == ON_TIME
    for c in counts.values():
        c["rate"] = round(100 * c["on_time"] / c["due"], 1) if c["due"] else 100.0
    return dict(counts)


def group(found: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        out[f.agency].append(f)
    return dict(out)
