"""执法决定: content/<agency>/decisions/<YYYY>/*.yaml, one per file (drafts/<agency>/… the same, never published).

Decision files are the bulk of a county (tens of thousands): project.py reads
them in worker processes and keeps them as Entries (decision, agency, src,
stamps); this module holds what a decision kind means beyond reading it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .. import textkey
from ..deadlines import LATE, MISSING, Stamps, compute
from ..finding import Finding
from ..model import DECISION_KINDS, Decision
from ..problems import Problem
from .base import AGENCY, EACH, Files, Kind

MASKED = ("facts", "basis", "outcome", "status_reason", "benchmark.explanation", "legal_review.reviewer",
          "legal_review.conclusion")

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
    "S304": ("适用不予处罚阶次却给予处罚", ["xzcff-2021#a33-1", "xzcff-2021#a34"]),
    "S401": ("重大执法决定未经法制审核", ["xzcff-2021#a58"]),
    "S402": ("法制审核晚于决定", ["xzcff-2021#a58"]),
    "S701": ("个人信息检查豁免", ["grxxbhf-2021#a13"]),
}


def entries(project) -> list:
    return [*project.entries(), *project.drafts]


# ---------------------------------------------------------------- cross-references


def check(project) -> list[Problem]:
    out: list[Problem] = []
    powers, benches, officers = project.powers(), project.benchmarks(), project.officers()
    for entry in entries(project):
        out.extend(check_entry(project, entry, powers, benches, officers))
    return out


def check_entry(project, entry, powers: dict, benches: dict, officers: dict) -> list[Problem]:
    """One decision's cross-references and dates: nothing here looks at another decision."""
    out: list[Problem] = []
    add = out.append
    d, src = entry.decision, entry.src
    if entry.agency not in project.agencies:
        add(src.problem((), "R011", f"草稿所属的执法主体 {entry.agency} 不存在", f"先建立 content/{entry.agency}/agency.yaml"))
    power = powers.get(d.power)
    if power is None:
        add(src.problem(("power",), "R002", "权责事项编码不存在", "填写某个执法主体 powers.yaml 里事项的 code", given=d.power))
    elif d.kind == "行政处罚" and power[0].category != "行政处罚":
        add(src.problem(("power",), "R005", f"行政处罚决定引用的事项类别是“{power[0].category}”",
                        "行政处罚只能适用“行政处罚”类事项；核对事项编码或决定类别", given=d.power))
    if d.kind == "行政处罚":
        if d.benchmark is None:
            add(src.problem(("kind",), "F010", "行政处罚决定缺少适用的裁量基准 benchmark",
                            "添加 benchmark: {id: 基准编号, level: 阶次, explanation: 裁量说明}"))
        # A 不予行政处罚决定 (行政处罚法第三十三条, 第五十七条) cites the 不予处罚 tier and imposes nothing.
        if not d.penalty_types and not (d.benchmark is not None and d.benchmark.level == "不予处罚"):
            add(src.problem(("kind",), "F010", "行政处罚决定缺少处罚种类 penalty_types",
                            "例如 `penalty_types: [罚款]`；依法不予处罚的决定，在 benchmark 里写 `level: 不予处罚`"))
    if d.benchmark is not None:
        bench = benches.get(d.benchmark.id)
        if bench is None:
            add(src.problem(("benchmark", "id"), "R003", "裁量基准编号不存在", "填写某个 benchmarks.yaml 里的 id",
                            given=d.benchmark.id))
        elif d.benchmark.level not in {t.level for t in bench[0].tiers}:
            levels = "、".join(t.level for t in bench[0].tiers)
            add(src.problem(("benchmark", "level"), "R004", f"该裁量基准没有“{d.benchmark.level}”这一阶次",
                            f"这条基准的阶次有：{levels}", given=d.benchmark.level))
    if d.kind != "行政处罚":  # 处罚种类 and 罚款 are a 行政处罚's (行政处罚法第九条): elsewhere a kind typed wrong
        for name, value, title in (("penalty_types", d.penalty_types, "处罚种类"), ("fine", d.fine, "罚款金额"),
                                   ("confiscation", d.confiscation, "没收金额")):
            if value or (name != "penalty_types" and value is not None):  # fine: 0 is written too
                add(src.problem((name,), "F014", f"{d.kind}决定写了{title} {name}，只有行政处罚才有",
                                f"如果这是行政处罚，把 kind 改为“行政处罚”；否则删去 {name}", given=value))
    if "罚款" in d.penalty_types and d.fine is None:
        add(src.problem(("penalty_types",), "F010", "处罚种类含“罚款”，但没有填写罚款金额 fine", "添加 `fine: 金额`（单位：元）"))
    if d.party.type != "自然人" and not d.party.credit_code:
        add(src.problem(("party",), "F010", f"当事人是{d.party.type}，缺少统一社会信用代码", "在 party 下添加 `credit_code: …`（18位）"))
    for i, cert in enumerate(d.officers):
        if cert not in officers:
            add(src.problem(("officers", i), "R001", "执法证号不存在", "填写某个 officers.yaml 里登记的 certificate_no",
                            given=cert))
    if d.status != "有效":
        for name, title in (("status_changed_on", "状态变更日期"), ("status_reason", "变更或撤销理由")):
            if getattr(d, name) in (None, ""):
                add(src.problem(("status",), "F008", f"决定状态为“{d.status}”，缺少{title} {name}", f"添加 `{name}: …`"))
    if d.decided_on > project.today:
        add(src.problem(("decided_on",), "T001", f"作出决定日期晚于今天（{project.today.isoformat()}）",
                        "核对日期；尚未作出的决定不要放进来", given=d.decided_on))
    for name, title in (("served_on", "送达日期"), ("published_on", "公开日期"), ("status_changed_on", "状态变更日期"),
                        ("withdrawn_on", "撤下日期")):
        value = getattr(d, name)
        if value is None:
            continue
        if value < d.decided_on:
            add(src.problem((name,), "T002", f"{title}早于作出决定日期 {d.decided_on.isoformat()}", "核对日期", given=value))
        elif value > project.today:
            add(src.problem((name,), "T001", f"{title}晚于今天（{project.today.isoformat()}）", "核对日期", given=value))
    if d.legal_review is not None and d.legal_review.date > project.today:
        add(src.problem(("legal_review", "date"), "T001", "法制审核日期晚于今天", "核对日期", given=d.legal_review.date))
    return out


def guard(record: Decision, src) -> list[Problem]:
    from .. import guard as guard_mod

    return guard_mod.check_decision(record, src)


# ---------------------------------------------------------------- stamps

# Stamps depend on the decision's dates and kind, the rules, the calendar and today; a preview
# recomputes only those of saved files. Keyed by the decision object (the file cache keeps it).
_stamp_cache: dict[tuple, tuple[Decision, Stamps]] = {}


def stamp(project, git_dates: dict[str, dt.date], only: list | None = None) -> None:
    """`only`: these entries (a preview's incremental load: the others keep theirs), else all."""
    if project.rules is None:
        return
    rules_key = (project.today, project.rules.model_dump_json(),
                 repr(sorted(project.calendar.overrides.items())))
    memo: dict = {}  # counts shared by decisions alike (deadlines.compute)
    for entry in entries(project) if only is None else only:
        published = entry.decision.published_on
        if published is None and not entry.draft:
            published = git_dates.get(entry.src.path, project.today)
        entry.stamps = _stamps(project, entry.decision, published, rules_key, entry.agency, memo)


def _stamps(project, d: Decision, published: dt.date | None, rules_key: tuple, agency: str | None = None,
            memo: dict | None = None) -> Stamps:
    key = (id(d), published, rules_key)
    hit = _stamp_cache.get(key)
    if hit is not None and hit[0] is d:
        return hit[1]
    stamps = compute(
        project.calendar, project.rules, project.today, kind=d.kind, party_type=d.party.type,
        penalty_types=list(d.penalty_types), decided_on=d.decided_on, served_on=d.served_on,
        published_on=published, status=d.status, status_changed_on=d.status_changed_on,
        agency=agency, credit_class=d.credit_class, remedies_informed=d.remedies_informed, memo=memo,
    )
    if len(_stamp_cache) > 400_000:
        _stamp_cache.clear()
    _stamp_cache[key] = (d, stamps)
    return stamps


# ---------------------------------------------------------------- findings


def findings(project, today: dt.date, cite) -> list[Finding]:
    officers, powers, benches = project.officers(), project.powers(), project.benchmarks()
    out: list[Finding] = []
    for entry in entries(project):
        out.extend(_findings(entry, today, officers, powers, benches, cite))
    return out


def _findings(entry, today: dt.date, officers: dict, powers: dict, benches: dict, cite) -> list[Finding]:
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
        if d.benchmark.level == "不予处罚":  # 行政处罚法第三十三条: the tier imposes no penalty
            given = [*d.penalty_types, *(["罚款"] if d.fine and "罚款" not in d.penalty_types else []),
                     *(["没收"] if d.confiscation and not any("没收" in p for p in d.penalty_types) else [])]
            if given:
                add(("benchmark", "level"), "S304", "适用不予处罚阶次却给予处罚",
                    f"所引基准 {bench.id} 的阶次是“不予处罚”，决定却给予了{'、'.join(dict.fromkeys(given))}", cite("S304"))
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


def _yuan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".") + " 元"


def scaffold(root: Path, today: dt.date, agency: str | None, option: str | None, draft: bool) -> Path:
    from .. import scaffold as sc

    return sc.new_decision(root, str(agency), today, option or "行政处罚", draft)


KIND = Kind(
    name="decision", title="执法决定", model=Decision, files=Files(AGENCY, "decisions", EACH, by_year="decided_on"),
    attr="decisions", key="case_no", key_title="决定书文号", dup_code="D001", same=textkey.same_case_no,
    masked=MASKED, guarded=("case_no", "party.name", "officers.*", *MASKED),
    schema="decision", schema_title="执法决定", schema_note="content/<主体编号>/decisions/<年份>/<文件名>.yaml：一个文件一份决定",
    collection="decisions", collection_title="执法决定",
    finding_cites=FINDING_CITES, check=check, guard=guard, stamp=stamp, findings=findings, scaffold=scaffold,
    scaffold_option=DECISION_KINDS,
)
