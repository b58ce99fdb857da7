"""1+X 协作: coordination/<YYYY>/*.yaml, one per file (seed 003 武义; seed 000 for the 司法局's answers).

Between the comprehensive enforcement bureau and line departments (and bodies
outside the site): 案件移送, 信息告知, 协助请求, 联合执法, 争议协调, each on
a working-day clock from the rules. Internal unless `public: true`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

from ..deadlines import by_rule
from ..finding import Finding
from ..model import COORDINATION_KINDS, MAX_ITEMS, Code, Day, Note, Record, Text, opt, zh
from ..problems import WARNING, Problem
from ..rules import Facts
from . import common
from .base import EACH, PROJECT, Files, Kind

Related = Annotated[common.Ref, AfterValidator(lambda r: common.one_ref(r, ("decision", "power")))]


class Coordination(Record, title="协作记录"):
    id: Code | None = opt("文号", "移送函、告知函等的文号；有则全站唯一")
    kind: Literal[COORDINATION_KINDS] = zh("协作事项", "案件移送、信息告知、协助请求、联合执法、争议协调")  # type: ignore[valid-type]
    from_: Text = Field(alias="from", title="发起方", description="移送、告知、提出请求或申请的一方：本站执法主体的编号，或机关全称")
    to: Text = zh("接收方", "接收的一方：本站执法主体的编号，或机关全称（例如 示例县公安局、联合执法领导小组办公室）")
    started_on: Day = zh("起算日", "期限起算之日：发现违法行为（移送）、作出审批（告知）、收到函件（协助）、"
                                "计划行动日（联合执法，须提前申请）、提出争议（争议协调）")
    urgent: bool = zh("情况紧急", "true：移送在 24 小时内、告知立即办理", default=False)
    done_on: Day | None = opt("办理日期", "移送、告知、答复、申请或协调完成的日期；未办理不填")
    subject: Text = zh("事由", "协作的事项，例如 某商户占道经营案件移送")
    related: Annotated[list[Related], BeforeValidator(common.as_list), Field(max_length=MAX_ITEMS),
                    WithJsonSchema(common.refs_schema(("decision", "power")))] = zh(
        "相关记录", "相关的执法决定（decision: 文号）或权责事项（power: 编码），必须是本站已有的记录", default_factory=list)
    outcome: Note | None = opt("办理结果", "对方的答复或处理结果")
    public: bool = zh("公开", "true 时在执法监督页公开本记录；默认 false，只计数", default=False)


MEANINGS = {
    "案件移送": "发现应由对方查处的违法行为，移送对方（3 个工作日内，紧急的 24 小时内）",
    "信息告知": "业务主管部门作出审批后告知综合执法部门，或综合执法部门反馈处理结果（10 个工作日内）",
    "协助请求": "请对方出具认定、鉴定或咨询意见（收函后 5 个工作日内答复）",
    "联合执法": "申请开展联合执法（计划行动日 5 日前提出）",
    "争议协调": "对职责分工或案件管辖有争议，提请协调",
}


FINDING_CITES = {"S821": ("协作逾期未办", ["gwyl-825#a6-1"]), "S822": ("协作逾期办理", ["gwyl-825#a6-1"])}
# The event each kind's clock starts from, as the stamp's working names it.
EVENT = {"案件移送": "发现违法行为", "信息告知": "作出审批", "协助请求": "收到函件", "联合执法": "计划行动",
         "争议协调": "提出争议"}
VERB = {"案件移送": "移送", "信息告知": "告知", "协助请求": "答复", "联合执法": "申请", "争议协调": "协调"}
ON_TIME, LATE, MISSING, PENDING, NO_RULE = "按时", "逾期办理", "逾期未办", "未到期", "无期限"


def duty(project, c: Coordination) -> str:
    """The body whose clock it is, as counted (common.body_key: an agency by its id or its full name): the
    one asked answers a request; otherwise the one that transfers, notifies, applies."""
    return common.body_key(project, c.to if c.kind == "协助请求" else c.from_)


def stamp(project, git_dates: dict) -> None:
    if project.rules is None:
        return
    for item in project.items("coordination"):
        c = item.record
        f = Facts(kind="", party_type="", agency=duty(project, c), record_kind=c.kind, urgent=c.urgent, to=c.to)
        item.stamps = {"due_by": by_rule(project.calendar, project.rules, "coordination", c.started_on,
                                         EVENT[c.kind], f, roll=False)}


def timeliness(c: Coordination, stamps: dict, today: dt.date) -> str:
    due = stamps.get("due_by")
    if due is None:
        return NO_RULE
    if c.done_on is not None:
        return ON_TIME if c.done_on <= due.date else LATE
    return MISSING if today > due.date else PENDING


def findings(project, today: dt.date, cite) -> list[Finding]:
    out: list[Finding] = []
    for item in project.items("coordination"):
        c, src, due = item.record, item.src, item.stamps.get("due_by")
        if due is None:
            continue
        refs = list(due.applied.cite) if due.applied is not None else None
        verb, when = VERB[c.kind], timeliness(c, item.stamps, today)
        if when == MISSING:
            line, col = src.at("started_on")
            out.append(Finding(duty(project, c), src.path, line, col, "S821", "协作逾期未办",
                               f"{c.kind}（{c.subject}）最迟 {due.date}（含当日）{verb}（{due.rule}），至 {today} 没有办理日期 done_on",
                               cite("S821", refs), case_no=c.id))
        elif when == LATE:
            line, col = src.at("done_on")
            out.append(Finding(duty(project, c), src.path, line, col, "S822", "协作逾期办理",
                               f"{c.kind}（{c.subject}）最迟 {due.date}（含当日）{verb}（{due.rule}），实际 {c.done_on}，"
                               f"晚 {(c.done_on - due.date).days} 天", cite("S822", refs), case_no=c.id))
    return out


def check(project) -> list[Problem]:
    out: list[Problem] = []
    known = common.Lookups.of(project)
    for item in project.items("coordination"):
        c, src = item.record, item.src
        out += common.check_body(project, src, ("from",), c.from_)
        out += common.check_body(project, src, ("to",), c.to)
        out += common.check_refs(project, src, "related", c.related, known)
        # A joint action's date is planned ahead, and it is applied for before it: neither date is "late".
        ahead = c.kind == "联合执法"
        out += common.check_dates(src, project.today, ("started_on", "起算日", c.started_on),
                                  [] if ahead else [(("done_on",), "办理日期", c.done_on)],
                                  future_ok=(("started_on",),) if ahead else ())
        if ahead and c.done_on is not None and c.done_on > project.today:
            out.append(src.problem(("done_on",), "T001", f"办理日期晚于今天（{project.today.isoformat()}）", "核对日期",
                                   given=c.done_on))
        if c.public and not (project.site and project.site.supervision_page):
            # a coordination record is published on the 执法监督 page only: without it, nowhere
            out.append(src.problem(("public",), "W006", "这条协作记录写了 public: true，但本站没有执法监督页，它不会出现在网站上",
                                   "要公开它，在 site_config/site.yaml 里写 supervision_page: true；不公开就删去 public: true",
                                   severity=WARNING))
    return out


def scaffold(root: Path, today: dt.date, agency: str | None, option: str | None, draft: bool) -> Path:
    from .. import scaffold as sc

    kind = option or "案件移送"
    values = {"kind": kind, "from": agency or "", "started_on": today}
    head = ["# 协作记录（1+X）：逐项填写后保存。一个文件只写一件事；默认不公开（public: false）。",
            "# 办理后填写办理日期 done_on；期限按 site_config/rules.yaml 的 coordination 规则计算。"]
    text = "\n".join(head) + "\n" + sc.render(sc.template(Coordination, today, values))
    return sc.write_new(sc.free(root / KIND.files.path / str(today.year) / f"{today.isoformat()}.yaml"), text)


MASKED = ("subject", "outcome")

KIND = Kind(
    name="coordination", title="协作记录", model=Coordination,
    files=Files(PROJECT, "coordination", EACH, by_year="started_on"),
    key="id", key_title="协作文书文号", dup_code="D008",
    masked=MASKED, guarded=("id", "from_", "to", *MASKED),
    schema="coordination", schema_title="协作记录",
    schema_note="coordination/<年份>/<文件名>.yaml：一个文件一件 1+X 协作事项（案件移送、信息告知、协助请求、联合执法、争议协调）",
    meanings=MEANINGS, finding_cites=FINDING_CITES, is_public=lambda c: c.public, check=check, stamp=stamp,
    findings=findings, scaffold=scaffold, scaffold_option=COORDINATION_KINDS,
)
