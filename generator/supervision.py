"""The supervisor's view (执法监督台账): per supervised body, its notices with days left or overdue and
each notice's timeline, its rectification plans with their completion rates, its 1+X coordination
on-time rates per pair of bodies, and its decision-publication on-time rate.

This is the internal view, over every record: `disclose check --format json` prints it for the
supervisor's own tools. The public 执法监督 page and data/supervision.json read public.supervision(),
which keeps the public records of this view and only counts the others. Pure: today is passed in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from . import checks
from .kinds import common
from .kinds import coordination as coordination_kind
from .kinds import notice as notice_kind
from .kinds import plan as plan_kind
from .project import Item, Project

OPEN_STATES = ("整改中", "逾期未整改", "已提请上报", "无整改期限")


@dataclass
class Step:
    """One step of a notice's timeline: 制发 → 整改期限 → 整改报告 → 办结 / 提请上报 → 后续文书."""

    what: str
    day: dt.date | None
    cls: str = ""  # ok / late / pending / "" (neutral), as the pages colour badges
    note: str = ""
    link: str | None = None  # the id of a follow-up notice


@dataclass
class NoticeLine:
    item: Item
    state: str
    days_left: int | None  # open notices with a deadline: days to it (negative: overdue)
    timeline: list[Step]

    @property
    def notice(self) -> Any:
        return self.item.record

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass
class PlanLine:
    item: Item
    progress: plan_kind.Progress

    @property
    def plan(self) -> Any:
        return self.item.record


@dataclass
class Pair:
    """1+X coordination from one body to another: how many, and how many on time of those due."""

    source: str
    target: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    untimed: int = 0  # no rule sets a period (争议协调)

    @property
    def due(self) -> int:
        return self.on_time + self.late + self.missing

    @property
    def rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def add(self, when: str) -> None:
        self.total += 1
        attr = {coordination_kind.ON_TIME: "on_time", coordination_kind.LATE: "late",
                coordination_kind.MISSING: "missing", coordination_kind.PENDING: "pending"}.get(when, "untimed")
        setattr(self, attr, getattr(self, attr) + 1)


@dataclass
class Body:
    key: str  # agency id, or the name as written for a body outside the site
    name: str
    notices: list[NoticeLine] = field(default_factory=list)
    plans: list[PlanLine] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    publication: dict | None = None  # checks.publication_rates of an agency

    @property
    def open_notices(self) -> list[NoticeLine]:
        return [n for n in self.notices if n.is_open]


def timeline(item: Item, today: dt.date, issued: dict[str, dt.date]) -> list[Step]:
    """The notice's steps in the order they happened (a follow-up on the day it was issued); steps still
    awaited come last. `issued`: every notice's id → the day it was issued."""
    steps = _steps(item, today, issued)
    done = sorted((s for s in steps if s.day is not None), key=lambda s: s.day)  # stable: 制发 before a same-day step
    return done + [s for s in steps if s.day is None]


def _steps(item: Item, today: dt.date, issued: dict[str, dt.date]) -> list[Step]:
    ids = issued
    n, stamps = item.record, item.stamps
    rectify, escalate = stamps.get("rectify_by"), stamps.get("escalate_by")
    steps = [Step("制发", n.issued_on, note=f"{n.issued_by}制发{n.kind}")]
    if rectify is not None:
        closed_in_time = notice_kind.closed_by(n, rectify.date)
        late = not closed_in_time and (today > rectify.date or (n.closed_on is not None and n.closed_on > rectify.date))
        steps.append(Step("整改期限", rectify.date, "late" if late else "ok" if closed_in_time else "pending",
                          "文书载明" if n.rectify_by is not None else "按期限规则计算"))
    else:
        steps.append(Step("整改期限", None, "", "未载明，也没有适用的期限规则"))
    if n.response is not None:
        steps.append(Step("整改情况报告", n.response.reported_on, "ok"))
    if n.status in notice_kind.CLOSED:
        cls = "late" if rectify is not None and n.closed_on and n.closed_on > rectify.date else "ok"
        steps.append(Step(n.status, n.closed_on, cls))
    if escalate is not None or n.escalated_on is not None:
        due = escalate.date if escalate is not None else None
        if n.escalated_on is not None:
            cls = "late" if due is not None and n.escalated_on > due else "ok"
            steps.append(Step("提请上报", n.escalated_on, cls, f"最迟 {due}（含当日）" if due else ""))
        elif not (n.status in notice_kind.CLOSED and n.closed_on and due and n.closed_on <= due):
            steps.append(Step("提请上报", None, "late" if due and today > due else "pending", f"最迟 {due}（含当日）"))
    if n.follow_up is not None:
        steps.append(Step("后续文书", ids.get(n.follow_up), "ok" if n.follow_up in ids else "late", n.follow_up,
                          link=n.follow_up if n.follow_up in ids else None))
    return steps


def overview(project: Project, today: dt.date) -> dict[str, Body]:
    """Every body with something to supervise, agencies first (in the site's order), then outside bodies."""
    bodies: dict[str, Body] = {}

    def body(written: str) -> Body:
        key = common.body_key(project, written)
        if key not in bodies:
            bodies[key] = Body(key, common.body(project, key))
        return bodies[key]

    for aid in project.agencies:
        body(aid)
    ids = {i.record.id: i.record.issued_on for i in project.items("notice")}
    for item in sorted(project.items("notice"), key=lambda i: (i.record.issued_on, i.record.id), reverse=True):
        n = item.record
        state = notice_kind.state(n, item.stamps, today)
        rectify = item.stamps.get("rectify_by")
        days = (rectify.date - today).days if rectify is not None and state in OPEN_STATES else None
        body(n.issued_to).notices.append(NoticeLine(item, state, days, timeline(item, today, ids)))
    for item in project.items("plan"):
        body(item.record.owner).plans.append(PlanLine(item, plan_kind.progress(item.record, today)))
    pairs: dict[tuple[str, str], Pair] = {}
    for item in project.items("coordination"):
        c = item.record
        ends = (common.body_key(project, c.from_), common.body_key(project, c.to))
        pair = pairs.setdefault(ends, Pair(*ends))
        pair.add(coordination_kind.timeliness(c, item.stamps, today))
    for (source, target), pair in sorted(pairs.items()):
        body(source).pairs.append(pair)
        if target != source:
            body(target).pairs.append(pair)
    rates = checks.publication_rates(project, today)
    for aid, data in bodies.items():
        data.publication = rates.get(aid)
    agencies = [bodies[a] for a in project.agencies]
    others = sorted((b for k, b in bodies.items() if k not in project.agencies), key=lambda b: b.name)
    return {b.key: b for b in [*agencies, *others] if b.notices or b.plans or b.pairs or b.key in project.agencies}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def notice_dict(line: NoticeLine) -> dict:
    n, stamps = line.notice, line.item.stamps
    return {
        "id": n.id, "kind": n.kind, "issued_by": n.issued_by, "issued_to": n.issued_to,
        "issued_on": _iso(n.issued_on), "status": n.status, "state": line.state, "days_left": line.days_left,
        "stamps": {name: _iso(c.date) if c else None for name, c in stamps.items()},
        "timeline": [{"step": s.what, "date": _iso(s.day), "class": s.cls, "note": s.note} for s in line.timeline],
    }


def plan_dict(line: PlanLine) -> dict:
    p, prog = line.plan, line.progress
    return {"id": p.id, "title": p.title, "owner": p.owner, "adopted_on": _iso(p.adopted_on),
            "measures": prog.total, "due": prog.due, "done": prog.done, "rate": prog.rate,
            "problems": [{"title": q.title, "states": states} for q, states in zip(p.problems, prog.states, strict=True)]}


def pair_dict(pair: Pair) -> dict:
    return {"from": pair.source, "to": pair.target, "total": pair.total, "due": pair.due, "on_time": pair.on_time,
            "late": pair.late, "missing": pair.missing, "pending": pair.pending, "untimed": pair.untimed,
            "rate": pair.rate}


def as_dict(bodies: dict[str, Body]) -> list[dict]:
    """The internal view as JSON objects (for `disclose check --format json`)."""
    return [{"body": b.key, "name": b.name, "publication": b.publication,
             "notices": [notice_dict(n) for n in b.notices], "plans": [plan_dict(p) for p in b.plans],
             "coordination": [pair_dict(p) for p in b.pairs]} for b in bodies.values()]


def counts(lines: list[NoticeLine]) -> dict[str, int]:
    """Notices by what a supervisor asks first: open, of which overdue, and closed."""
    out: dict[str, int] = defaultdict(int)
    for line in lines:
        out["open" if line.is_open else "closed"] += 1
        out["overdue"] += line.days_left is not None and line.days_left < 0
    return {"open": out["open"], "overdue": out["overdue"], "closed": out["closed"]}
