"""年度行政执法监督工作总结: supervision/summaries.yaml, a list of the summaries sent (seed 000: by 31 December).

A supervising body that issued notices in a year owes a summary of that year;
the deadline comes from the `summary` rule. Never published: the supervisor's own record.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated

from pydantic import Field

from ..model import Day, Note, Record, Text, opt, zh
from ..problems import Problem
from .base import LIST, PROJECT, Files, Kind


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
        seen[(s.year, s.by)] += 1
        if seen[(s.year, s.by)] == 2:
            out.append(src.problem(("by",), "D006", f"{s.by} 的 {s.year} 年度总结重复",
                                   "每个监督机关每年只写一条；补报或改报时改写原来那一条", given=s.by))
        if s.submitted_on is not None and s.submitted_on > project.today:
            out.append(src.problem(("submitted_on",), "T001", f"报送日期晚于今天（{project.today.isoformat()}）",
                                   "核对日期", given=s.submitted_on))
        if s.submitted_on is not None and s.submitted_on.year < s.year:
            out.append(src.problem(("submitted_on",), "T002", f"报送日期早于 {s.year} 年", "核对年度和日期",
                                   given=s.submitted_on))
    return out


KIND = Kind(
    name="summary", title="年度监督工作总结", model=Summary, files=Files(PROJECT, "supervision/summaries.yaml", LIST),
    guarded=(), schema="summaries", schema_title="年度监督工作总结",
    schema_note="supervision/summaries.yaml：监督机关每年报送的行政执法监督工作总结，每项一份",
    is_public=lambda s: False, check=check,
)
