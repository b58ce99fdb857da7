"""整改方案: supervision/plans/*.yaml, one plan per file (seed 001 荥阳).

A plan answers a supervision: problems, each with measures that have a lead
section, responsible sections and a deadline (a date, or 长期坚持 / 持续推进),
tracked 逐一销号. The 整改完成率 is measures done / measures with a date due by
today. A plan's progress page (整改进展) is published when it says `public: true`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..deadlines import given
from ..finding import Finding
from ..model import MAX_ITEMS, ONGOING, Code, Day, Note, Record, Text, _in_range, _iso_date, opt, zh
from ..problems import Problem
from . import common
from .base import EACH, PROJECT, Files, Kind


def _due(value: Any) -> Any:
    """A date (typed or quoted) or 长期坚持 / 持续推进; anything else, such as 12月底, is explained."""
    if value in ONGOING:
        return value
    value = _iso_date(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return _in_range(value)
    raise PydanticCustomError(
        "due", "整改时限只能是日期（YYYY-MM-DD）或“长期坚持”“持续推进”；“12月底”要写成具体日期，例如 2026-12-31")


Due = Annotated[dt.date | Literal[ONGOING], BeforeValidator(_due)]  # type: ignore[valid-type]


def _texts(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


# One section or several: written as text or a list, kept as a list (masked item by item).
Sections = Annotated[list[Text], BeforeValidator(_texts), Field(min_length=1, max_length=MAX_ITEMS),
                     WithJsonSchema({"anyOf": [{"type": "string", "minLength": 1},
                                               {"type": "array", "items": {"type": "string", "minLength": 1},
                                                "minItems": 1}]})]


class Measure(Record, title="整改措施"):
    text: Text = zh("整改措施", "一项具体措施")
    lead: Note | None = opt("牵头科室", "牵头科室或单位")
    responsible: Sections = zh("责任科室", "责任科室或单位：一个写文字，几个写成列表")
    due: Due = zh("整改时限", "日期（YYYY-MM-DD），或 长期坚持、持续推进（没有截止日期）")
    done_on: Day | None = opt("完成日期", "措施完成（销号）的日期；未完成不填")
    evidence: Note | None = opt("完成情况", "说明已完成的依据，例如 印发的制度文件名称")


class PlanProblem(Record, title="问题"):
    title: Text = zh("问题", "反馈的问题，例如 执法队伍建设亟需加强")
    description: Note | None = opt("问题描述", "问题的具体表现")
    measures: Annotated[list[Measure], Field(min_length=1, max_length=MAX_ITEMS)] = zh("整改措施", "至少一项")


class Plan(Record, title="整改方案"):
    id: Code = zh("方案编号", "全站唯一，例如 xinglong-2026-zgfa")
    title: Text = zh("方案名称", "例如 关于省司法厅“驻站式”执法监督反馈问题的整改方案")
    owner: Text = zh("整改单位", "执行方案的执法主体编号，或机关全称")
    source: Text = zh("整改依据", "方案回应的监督意见，例如 《河南省司法厅关于对荥阳市的行政执法监督意见》")
    adopted_on: Day = zh("印发日期", "方案印发的日期")
    public: bool = zh("公开整改进展", "true 时网站上公开本方案的整改进展页（按问题列出措施和完成率）", default=False)
    problems: Annotated[list[PlanProblem], Field(min_length=1, max_length=MAX_ITEMS)] = zh(
        "问题及整改措施", "每项一个问题，下列整改措施")


MEANINGS = {
    "长期坚持": "长期坚持：没有截止日期，不计入整改完成率",
    "持续推进": "持续推进：没有截止日期，不计入整改完成率",
}


def measures(plan: Plan) -> list[tuple[int, int, Measure]]:
    return [(i, j, m) for i, p in enumerate(plan.problems) for j, m in enumerate(p.measures)]


FINDING_CITES = {"S811": ("整改措施逾期未完成", ["gwyl-825#a6-1"])}
DONE, DONE_LATE, OVERDUE, OPEN, ONGOING_STATE = "已完成", "逾期完成", "逾期未完成", "未到期", "长期坚持"


def measure_state(m: Measure, today: dt.date) -> str:
    if m.done_on is not None:
        return DONE_LATE if isinstance(m.due, dt.date) and m.done_on > m.due else DONE
    if not isinstance(m.due, dt.date):
        return ONGOING_STATE if m.due == "长期坚持" else "持续推进"
    return OVERDUE if today > m.due else OPEN


@dataclass
class Progress:
    """整改进展 as of a day: each measure's state; the rate counts measures with a date due by today."""

    states: list[list[str]]  # per problem, per measure
    due: int  # dated measures due by today
    done: int  # of those, done (on time or late)
    finished: int  # all measures done, whenever due

    @property
    def rate(self) -> float | None:
        return round(100 * self.done / self.due, 1) if self.due else None

    @property
    def total(self) -> int:
        return sum(len(s) for s in self.states)


def progress(plan: Plan, today: dt.date) -> Progress:
    states = [[measure_state(m, today) for m in p.measures] for p in plan.problems]
    due = done = finished = 0
    for p in plan.problems:
        for m in p.measures:
            finished += m.done_on is not None
            if isinstance(m.due, dt.date) and m.due <= today:
                due += 1
                done += m.done_on is not None
    return Progress(states, due, done, finished)


def stamp(project, git_dates: dict) -> None:
    """Each dated measure's due date as a stamp, explained like the computed ones."""
    for item in project.items("plan"):
        plan = item.record
        item.stamps = {"measures": {
            (i, j): given(m.due, plan.adopted_on, f"整改时限 {m.due.isoformat()} 由整改方案载明。")
            for i, j, m in measures(plan) if isinstance(m.due, dt.date)}}


def findings(project, today: dt.date, cite) -> list[Finding]:
    out: list[Finding] = []
    for item in project.items("plan"):
        plan, src = item.record, item.src
        for i, j, m in measures(plan):
            if isinstance(m.due, dt.date) and m.done_on is None and today > m.due:
                line, col = src.at("problems", i, "measures", j, "due")
                out.append(Finding(common.body_key(project, plan.owner), src.path, line, col, "S811", "整改措施逾期未完成",
                                   f"“{plan.problems[i].title}”的第 {j + 1} 项措施（{m.text}）最迟 {m.due}（含当日）完成，"
                                   f"至 {today} 没有完成日期 done_on，已逾期 {(today - m.due).days} 天", cite("S811")))
    return out


def pages(site) -> list:
    """The 整改进展 page of each public plan: progress by problem, the completion rate, each measure's state."""
    lines = [line for body in site.supervision.bodies.values() for line in body.plans]
    return [(site.record_uri("plan", line.item), "supervision_plan.html", f"{line.plan.title} · 整改进展",
             {"p": line.plan, "line": line}) for line in lines]


def check(project) -> list[Problem]:
    out: list[Problem] = []
    for item in project.items("plan"):
        plan, src = item.record, item.src
        out += common.check_body(project, src, ("owner",), plan.owner)
        later = [(("problems", i, "measures", j, "done_on"), "完成日期", m.done_on) for i, j, m in measures(plan)]
        out += common.check_dates(src, project.today, ("adopted_on", "印发日期", plan.adopted_on), later)
    return out


def scaffold(root: Path, today: dt.date, agency: str | None, option: str | None, draft: bool) -> Path:
    from .. import scaffold as sc

    taken = {i for i, _ in sc.field_values(root / KIND.files.path, ("id", "title"))}
    base = f"{agency or 'plan'}-{today.year}-zgfa"
    plan_id = next(f"{base}-{n}" if n > 1 else base for n in range(1, 10000) if (f"{base}-{n}" if n > 1 else base)
                   not in taken)
    values = {"id": plan_id, "owner": agency or "", "adopted_on": today, "public": False,
              "problems.measures.due": "长期坚持"}
    head = ["# 整改方案：逐项填写后保存。每个问题下列出整改措施；整改时限写日期，或 长期坚持、持续推进。",
            "# 措施完成后填写完成日期 done_on（销号）。public: true 时网站公开整改进展。",
            "# 从 Excel 导入：disclose import plan 整改方案.xlsx --agency 主体编号 --id 方案编号"]
    text = "\n".join(head) + "\n" + sc.render(sc.template(Plan, today, values))
    return sc.write_new(sc.free(root / KIND.files.path / f"{plan_id}.yaml"), text)


# The title and source too: a plan made after a complaint is titled after it (关于张三丰投诉问题的整改方案).
MASKED = ("title", "source", "problems.*.title", "problems.*.description", "problems.*.measures.*.text",
          "problems.*.measures.*.evidence")

KIND = Kind(
    name="plan", title="整改方案", model=Plan, files=Files(PROJECT, "supervision/plans", EACH),
    key="id", key_title="整改方案编号", dup_code="D008",
    masked=MASKED, guarded=("id", "owner", "problems.*.measures.*.lead",
                            "problems.*.measures.*.responsible.*", *MASKED),
    schema="plan", schema_title="整改方案",
    schema_note="supervision/plans/<文件名>.yaml：一个文件一份整改方案，逐项列出问题、整改措施、责任科室和整改时限",
    meanings=MEANINGS, finding_cites=FINDING_CITES, is_public=lambda p: p.public, check=check, stamp=stamp,
    findings=findings, pages=pages, scaffold=scaffold,
)
