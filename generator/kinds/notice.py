"""监督建议书、监督通知书、监督决定书: supervision/notices/<YYYY>/*.yaml, one per file (seed 000 江山贺村).

A 司法所 or 司法局 sends a notice to a body it supervises, with a deadline to
rectify; a notice not rectified by then is reported upward within 3 working
days (提请制发监督通知书), which issues a follow-up. Internal unless `public: true`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from ..deadlines import Count, by_rule, given
from ..finding import Finding
from ..model import MAX_ITEMS, NOTICE_KINDS, NOTICE_STATUSES, Code, Day, Record, Text, opt, zh
from ..problems import Problem
from ..rules import Facts
from . import common
from .base import EACH, PROJECT, Files, Kind

CLOSED = ("已整改", "已销号")
SUPERVISION = ["gwyl-825#a6-1"]  # what a supervision finding cites when no rule applied (plus the regulation in force)
FINDING_CITES = {
    "S801": ("逾期未整改", SUPERVISION),
    "S802": ("逾期整改", SUPERVISION),
    "S803": ("未按期提请上报", SUPERVISION),
    "S804": ("提请上报逾期", SUPERVISION),
    "S805": ("后续文书不存在", SUPERVISION),
}


class Response(Record, title="整改情况报告"):
    reported_on: Day = zh("报告日期", "收到被监督单位整改情况报告的日期")
    summary: Text = zh("整改情况", "报告所述的整改情况")


Concern = Annotated[common.Ref, AfterValidator(lambda r: common.one_ref(r, ("decision", "officer", "power")))]


class Notice(Record, title="执法监督文书"):
    id: Code = zh("文号", "监督文书的文号，全站唯一，例如 贺司所监建〔2026〕第3号")
    kind: Literal[NOTICE_KINDS] = zh("文书种类", "监督建议书（司法所、司法局）、监督通知书（司法局）、监督决定书（人民政府）")  # type: ignore[valid-type]
    issued_by: Text = zh("制发机关", "监督机关：本站执法主体的编号，或机关全称（例如 示例县兴隆司法所）")
    issued_to: Code = zh("被监督的执法主体", "执法主体编号（content/ 下的文件夹名）")
    issued_on: Day = zh("制发日期", "文书落款日期；整改期限和提请上报期限由此起算")
    problems: Annotated[list[Text], Field(min_length=1, max_length=MAX_ITEMS)] = zh(
        "发现的问题", "每项一个问题，写明违法或不当之处")
    concerns: Annotated[list[Concern], BeforeValidator(common.as_list), Field(max_length=MAX_ITEMS),
                    WithJsonSchema(common.refs_schema(("decision", "officer", "power")))] = zh(
        "所涉记录", "问题涉及的执法决定（decision: 文号）、执法人员（officer: 执法证号）或权责事项（power: 编码），"
        "每项写一个，必须是本站已有的记录", default_factory=list)
    basis: Text = zh("监督依据", "制发文书所依据的法律、法规、规章或文件")
    rectify_by: Day | None = opt("整改期限", "文书限定的整改期限；不填则按期限规则 rectify 计算")
    response: Response | None = opt("整改情况报告", "收到整改情况报告后填写报告日期和内容")
    status: Literal[NOTICE_STATUSES] = zh("状态", "整改中、已整改、不予整改、已销号")  # type: ignore[valid-type]
    closed_on: Day | None = opt("办结日期", "状态为已整改、已销号时必填：整改完成或销号的日期")
    escalated_on: Day | None = opt("提请上报日期", "逾期未整改，向上级报告、提请制发监督通知书的日期")
    follow_up: Code | None = opt("后续文书", "因本文书而制发的文书的文号，例如 建议书之后的监督通知书")
    public: bool = zh("公开", "true 时在网站上公开本文书（自然人姓名隐去）；默认 false，只在 disclose check 和执法监督页计数",
                      default=False)


MEANINGS = {
    "监督建议书": "行政执法协调监督建议书：司法所或司法局发现执法行为违法或不当时制发，限期整改",
    "监督通知书": "行政执法监督通知书：司法局制发，例如 建议书逾期未整改时",
    "监督决定书": "行政执法监督决定书：由人民政府制发",
    "整改中": "已制发，尚未整改完毕",
    "已整改": "被监督单位已整改并报告，须填写办结日期",
    "不予整改": "被监督单位不予整改：应向上级报告、提请制发监督通知书",
    "已销号": "监督机关核实整改到位后销号，须填写办结日期",
}


def check(project) -> list[Problem]:
    out: list[Problem] = []
    known = common.Lookups.of(project)
    for item in project.items("notice"):
        n, src = item.record, item.src
        out += common.check_body(project, src, ("issued_to",), n.issued_to, must_be_agency=True)
        out += common.check_body(project, src, ("issued_by",), n.issued_by)
        out += common.check_refs(project, src, "concerns", n.concerns, known)
        if n.status in CLOSED and n.closed_on is None:
            out.append(src.problem(("status",), "F008", f"状态为“{n.status}”，缺少办结日期 closed_on",
                                   "添加 `closed_on: YYYY-MM-DD`，写明整改完成或销号的日期"))
        if n.status not in CLOSED and n.closed_on is not None:  # else counted open, and overdue, though done
            out.append(src.problem(("status",), "F008", f"写了办结日期 closed_on，状态却是“{n.status}”",
                                   "整改已完成的，把 status 改为“已整改”或“已销号”；还在整改或不予整改的，删去 closed_on"
                                   "（不予整改的按未整改计算，需提请上报）", given=n.closed_on))
        if n.follow_up is not None and n.follow_up == n.id:
            out.append(src.problem(("follow_up",), "R014", "后续文书不能是本文书自己",
                                   "填写因本文书而制发的另一份文书的文号", given=n.follow_up))
        out += common.check_dates(src, project.today, ("issued_on", "制发日期", n.issued_on), [
            (("rectify_by",), "整改期限", n.rectify_by),
            (("response", "reported_on"), "报告日期", n.response.reported_on if n.response else None),
            (("closed_on",), "办结日期", n.closed_on),
            (("escalated_on",), "提请上报日期", n.escalated_on)], future_ok=(("rectify_by",),))
    return out


# ---------------------------------------------------------------- stamps


def facts(n: Notice) -> Facts:
    return Facts(kind="", party_type="", agency=n.issued_to, record_kind=n.kind)


def closed_by(n: Notice, day: dt.date) -> bool:
    return n.status in CLOSED and n.closed_on is not None and n.closed_on <= day


def stamp(project, git_dates: dict) -> None:
    """rectify_by: as written, else from the `rectify` rule (from the day issued, rolled to a workday: a deadline on
    an agency); escalate_by: from the `escalate` rule, counted from rectify_by, when not rectified by then."""
    if project.rules is None:
        return
    cal, rules = project.calendar, project.rules
    for item in project.items("notice"):
        n = item.record
        if n.rectify_by is not None:
            rectify: Count | None = given(n.rectify_by, n.issued_on, f"整改期限 {n.rectify_by.isoformat()} 由{n.kind}载明"
                                          "（rectify_by），不按期限规则计算。")
        else:
            rectify = by_rule(cal, rules, "rectify", n.issued_on, "制发", facts(n), roll=True)
        escalate = None
        if rectify is not None and not closed_by(n, rectify.date):
            escalate = by_rule(cal, rules, "escalate", rectify.date, "整改期限届满", facts(n), roll=True)
        item.stamps = {"rectify_by": rectify, "escalate_by": escalate}


def state(n: Notice, stamps: dict, today: dt.date) -> str:
    """What a supervisor reads first: 已办结 / 逾期办结 / 整改中 / 逾期未整改 / 已提请上报 / 无整改期限."""
    rectify = stamps.get("rectify_by")
    if n.status in CLOSED:
        return "逾期办结" if rectify and n.closed_on and n.closed_on > rectify.date else "已办结"
    if n.escalated_on is not None:
        return "已提请上报"
    if rectify is None:
        return "无整改期限"
    return "逾期未整改" if today > rectify.date else "整改中"


# ---------------------------------------------------------------- findings


def _refs(count: Count | None) -> list[str] | None:
    return list(count.applied.cite) if count is not None and count.applied is not None else None


def findings(project, today: dt.date, cite) -> list[Finding]:
    out: list[Finding] = []
    ids = {item.record.id for item in project.items("notice")}
    for item in project.items("notice"):
        n, src, st = item.record, item.src, item.stamps
        rectify, escalate = st.get("rectify_by"), st.get("escalate_by")

        def add(loc: tuple, code: str, message: str, refs: list[str] | None, n=n, src=src) -> None:
            line, col = src.at(*loc)
            out.append(Finding(n.issued_to, src.path, line, col, code, FINDING_CITES[code][0], message,
                               cite(code, refs), case_no=n.id))

        if rectify is not None:
            due = rectify.date
            where = ("rectify_by",) if n.rectify_by is not None else ("issued_on",)
            if n.status not in CLOSED and today > due:
                add(where, "S801", f"{n.kind}要求最迟 {due}（含当日）整改完毕，至 {today} 仍为“{n.status}”，已逾期 {(today - due).days} 天",
                    _refs(rectify))
            elif n.status in CLOSED and n.closed_on is not None and n.closed_on > due:
                add(("closed_on",), "S802", f"{n.kind}要求最迟 {due}（含当日）整改完毕，{n.closed_on} 才{n.status}，"
                    f"晚 {(n.closed_on - due).days} 天", _refs(rectify))
        if escalate is not None:
            by = escalate.date
            if n.escalated_on is None and today > by and not closed_by(n, by):
                add(("status",), "S803", f"整改期限 {rectify.date if rectify else '—'} 届满仍未整改，最迟 {by}（含当日）向上级报告、"
                    f"提请制发监督通知书，至 {today} 没有记录提请上报日期 escalated_on", _refs(escalate))
            elif n.escalated_on is not None and n.escalated_on > by:
                add(("escalated_on",), "S804", f"最迟 {by}（含当日）提请上报，实际 {n.escalated_on} 才提请，晚 "
                    f"{(n.escalated_on - by).days} 天", _refs(escalate))
        if n.follow_up is not None and n.follow_up != n.id and n.follow_up not in ids:
            add(("follow_up",), "S805", f"后续文书 {n.follow_up} 不在 supervision/notices/ 里：没有制发、文号写错，"
                "或由上级保存在别处", _refs(escalate))
    return out


def pages(site) -> list:
    """A page for each public notice: its text, concerns and timeline, with its deadlines explained."""
    sv = site.supervision
    lines = {line.notice.id: line for body in sv.bodies.values() for line in body.notices}
    return [(site.record_uri("notice", item), "supervision_notice.html", item.record.id,
             {"item": item, "n": item.record, "line": lines[item.record.id]}) for item in sv.notices]


def scaffold(root: Path, today: dt.date, agency: str | None, option: str | None, draft: bool) -> Path:
    from .. import scaffold as sc

    kind = option or "监督建议书"
    folder = root / KIND.files.path / str(today.year)
    used = [i for i, k in sc.field_values(root / KIND.files.path, ("id", "kind")) if k == kind]
    proposed = sc.next_case_no(used, today.year)
    values = {"id": proposed or "", "kind": kind, "issued_to": agency or "", "issued_on": today, "status": "整改中",
              "problems": [""], "public": False}
    head = ["# 执法监督文书：逐项填写后保存。一个文件只写一份文书；默认不公开（public: false）。",
            "# 以 # 开头的行是说明或备用字段，去掉行首的“# ”即可启用。"]
    if proposed:
        head.append(f"# 文号按已有的同类文书顺延为 {proposed}，请与纸质文书核对。")
    text = "\n".join(head) + "\n" + sc.render(sc.template(Notice, today, values))
    seq = sc.sequence(proposed)
    return sc.write_new(sc.free(folder / (f"{today.isoformat()}-{seq:03d}.yaml" if seq else f"{today.isoformat()}.yaml")),
                        text)


MASKED = ("basis", "problems.*", "response.summary")  # basis: a tip-off may be it (张三丰的举报)

KIND = Kind(
    name="notice", title="执法监督文书", model=Notice,
    files=Files(PROJECT, "supervision/notices", EACH, by_year="issued_on"),
    key="id", key_title="监督文书文号", dup_code="D008",
    masked=MASKED, guarded=("id", "issued_by", *MASKED),
    schema="notice", schema_title="执法监督文书",
    schema_note="supervision/notices/<年份>/<文件名>.yaml：一个文件一份监督建议书、监督通知书或监督决定书",
    meanings=MEANINGS, finding_cites=FINDING_CITES, is_public=lambda n: n.public, check=check, stamp=stamp,
    findings=findings, pages=pages, scaffold=scaffold, scaffold_option=NOTICE_KINDS,
)
