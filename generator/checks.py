"""Supervision findings (执法监督): records that are understood but show a breach of the rules.

A decision must be disclosed whatever its flaws, so findings never stop the
build (errors do); `disclose check` lists them for the county justice bureau
and the township 司法所, and the site can show them on a supervision page.
Pure: the project and the day are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from . import kinds, public
from .calendar import PACKAGE_YEARS
from .deadlines import LATE, MISSING, ON_TIME
from .finding import SUPERVISION_REFS, Cite, Finding
from .project import Project

__all__ = ["FINDING_CITES", "SUPERVISION_CITES", "Finding", "findings", "group", "publication_rates"]

# What each finding cites: register entries (generator/sources.yaml), never repeated text. Each kind
# declares its own (generator/kinds/); the calendar's is here.
FINDING_CITES: dict[str, tuple[str, list[str]]] = {
    **kinds.finding_cites(),
    "S601": ("缺少下一年节假日安排", ["jjr-fjbf#a2"]),
}
# 《行政执法监督条例》 is cited beside every finding about enforcement once it is in force.
SUPERVISION_CITES: dict[str, list[str]] = {code: SUPERVISION_REFS for code in FINDING_CITES
                                           if code not in ("S601", "S701")}


def findings(project: Project, today: dt.date) -> list[Finding]:
    """Every kind's findings, and the calendar's, sorted by agency and place."""
    cite = Cite(project.rules.register if project.rules else None, today, FINDING_CITES, SUPERVISION_CITES)
    out: list[Finding] = []
    for kind in kinds.KINDS.values():
        if kind.findings is not None:
            out.extend(kind.findings(project, today, cite))
    out.extend(_calendar(project, today, cite))
    out.sort(key=lambda f: (f.agency, f.path, f.line, f.code))
    return out


def _calendar(project: Project, today: dt.date, cite: Cite) -> list[Finding]:
    """From 1 December, next year's working-day calendar must be known: deadlines reach into it."""
    nxt = today.year + 1
    if today.month < 12 or nxt in PACKAGE_YEARS or nxt in project.calendar.overrides:
        return []
    return [Finding("（全站）", "site_config/calendar.yaml", 1, 1, "S601", "缺少下一年节假日安排",
                    f"chinesecalendar 与 site_config/calendar.yaml 都没有 {nxt} 年的节假日安排，"
                    f"涉及 {nxt} 年的期限只能暂按周末计算；国务院办公厅通知发布后请补上", cite("S601"))]


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
