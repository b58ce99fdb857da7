"""年度行政执法监督工作总结: supervision/summaries.yaml, a list of the summaries sent (seed 000: by 31 December).

A supervising body that issued notices in a year owes a summary of that year;
the deadline comes from the `summary` rule. Never published: the supervisor's own record.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Annotated, Any

from pydantic import Field

from ..deadlines import Count, by_rule
from ..finding import Finding
from ..model import Day, Note, Record, Text, opt, zh
from ..problems import Problem
from ..rules import Facts
from . import common
from .base import LIST, PROJECT, Files, Kind

FINDING_CITES = {"S831": ("年度监督工作总结未报送", ["gwyl-825#a6-1"]),
                 "S832": ("年度监督工作总结逾期报送", ["gwyl-825#a6-1"])}
PATH = "supervision/summaries.yaml"


class Summary(Record, title="年度监督工作总结"):
    year: Annotated[int, Field(ge=1949, le=2199)] = zh("年度", "总结的年度，例如 2025")
    by: Text = zh("报送机关", "写总结的监督机关：本站执法主体的编号，或机关全称（与监督文书的制发机关写法一致）")
    to: Note | None = opt("报送对象", "例如 示例县司法局")
    submitted_on: Day | None = opt("报送日期", "实际报送的日期；尚未报送不填")
    title: Note | None = opt("标题", "总结的标题")


def check(project) -> list[Problem]:
    out: list[Problem] = []
    seen: Counter = Counter()
    for item in project.items("summary"):
        s, src = item.record, item.src
        key = (s.year, common.body_key(project, s.by))  # an agency by its id or its name: one body
        seen[key] += 1
        if seen[key] == 2:
            out.append(src.problem(("by",), "D008", f"{s.by} 的 {s.year} 年度总结重复",
                                   "每个监督机关每年只写一条；补报或改报时改写原来那一条", given=s.by))
        if s.submitted_on is not None and s.submitted_on > project.today:
            out.append(src.problem(("submitted_on",), "T001", f"报送日期晚于今天（{project.today.isoformat()}）",
                                   "核对日期", given=s.submitted_on))
        if s.submitted_on is not None and s.submitted_on.year < s.year:
            out.append(src.problem(("submitted_on",), "T002", f"报送日期早于 {s.year} 年", "核对年度和日期",
                                   given=s.submitted_on))
    return out


def owed(project) -> dict[tuple[int, str], Any]:
    """(year, body) → its summary item (or None): every body that issued a notice in a year owes that year's
    summary, and every summary listed is owed."""
    out: dict[tuple[int, str], Any] = {}
    for item in project.items("notice"):
        out.setdefault((item.record.issued_on.year, common.body_key(project, item.record.issued_by)), None)
    for item in project.items("summary"):
        out[(item.record.year, common.body_key(project, item.record.by))] = item
    return dict(sorted(out.items(), key=lambda kv: (kv[0][0], kv[0][1])))


def due(project, year: int, body: str) -> Count | None:
    """The `summary` rule counted from 31 December of the year before (months: 12 is 31 December of the year);
    a deadline on a body, so one that falls on a day off moves to the next working day."""
    if project.rules is None:
        return None
    facts = Facts(kind="", party_type="", agency=body)
    return by_rule(project.calendar, project.rules, "summary", dt.date(year - 1, 12, 31), "上年末", facts, roll=True)


def findings(project, today: dt.date, cite) -> list[Finding]:
    out: list[Finding] = []
    for (year, body), item in owed(project).items():
        count = due(project, year, body)
        if count is None:
            continue
        refs = list(count.applied.cite) if count.applied is not None else None
        submitted = item.record.submitted_on if item is not None else None
        path, line, col = (item.src.path, *item.src.at("submitted_on" if submitted else "by")) if item else (PATH, 1, 1)
        name = common.body(project, body)
        if submitted is None and today > count.date:
            out.append(Finding(body, path, line, col, "S831", "年度监督工作总结未报送",
                               f"{name} 最迟 {count.date}（含当日）报送 {year} 年度行政执法监督工作总结，至 {today} 没有报送记录",
                               cite("S831", refs)))
        elif submitted is not None and submitted > count.date:
            out.append(Finding(body, path, line, col, "S832", "年度监督工作总结逾期报送",
                               f"{name} 的 {year} 年度总结最迟 {count.date}（含当日）报送，实际 {submitted} 报送",
                               cite("S832", refs)))
    return out


KIND = Kind(
    name="summary", title="年度监督工作总结", model=Summary, files=Files(PROJECT, "supervision/summaries.yaml", LIST),
    guarded=(), schema="summaries", schema_title="年度监督工作总结",
    schema_note="supervision/summaries.yaml：监督机关每年报送的行政执法监督工作总结，每项一份",
    finding_cites=FINDING_CITES, is_public=lambda s: False, check=check, findings=findings,
)
