"""年度行政执法数据: yearly figures per agency and in total, due by 31 January of the next year.

Counts cover every decision made in the year, including those withheld from
publication or past their publicity period (the figures are counts, not
content). Charts are drawn here as inline SVG: no chart library, no CDN.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape

from . import csvfile
from .deadlines import LATE, MISSING, ON_TIME
from .model import PENALTY_TYPES
from .project import Entry, Project
from .public import is_expired

KINDS = {"行政许可": "许可", "行政处罚": "处罚", "行政强制": "强制", "行政征收": "征收", "行政检查": "检查"}
BUCKETS = ("许可", "处罚", "强制", "征收", "检查", "其他")
CITATION = "国办发〔2018〕118号：每年1月31日前公开上年度行政执法总体情况有关数据"


# Where each decision of the year stands on the site: the figures count them all, the pages and the
# data files show only the first, so the page says how the two add up (next to the numbers).
STATES = {"shown": "网站公开的", "withdrawn": "已撤销、变更等只公开撤回公告的", "withheld": "依法不予公开的",
          "expired": "公示期满已撤下的"}


def state(e: Entry, today: dt.date) -> str:
    if e.decision.withheld is not None:
        return "withheld"
    if is_expired(e, today):
        return "expired"
    return "withdrawn" if e.decision.status != "有效" else "shown"


@dataclass
class Figures:
    kinds: Counter = field(default_factory=Counter)
    penalties: Counter = field(default_factory=Counter)
    fines: Decimal = Decimal(0)
    confiscations: Decimal = Decimal(0)
    withdrawn: int = 0
    due: int = 0
    on_time: int = 0
    states: Counter = field(default_factory=Counter)  # decisions per state (STATES)
    state_fines: Counter = field(default_factory=Counter)  # fines (Decimal) per state

    @property
    def total(self) -> int:
        return sum(self.kinds.values())

    @property
    def rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def add(self, e: Entry, today: dt.date) -> None:
        d = e.decision
        where = state(e, today)
        self.states[where] += 1
        self.kinds[KINDS.get(d.kind, "其他")] += 1
        if d.kind == "行政处罚":
            self.penalties.update(d.penalty_types)
        if d.fine is not None:
            fine = Decimal(repr(float(d.fine)))
            self.fines += fine
            self.state_fines[where] += fine
        if d.confiscation is not None:
            self.confiscations += Decimal(repr(float(d.confiscation)))
        if d.status != "有效":
            self.withdrawn += 1
        if d.withheld is None and e.stamps is not None and e.stamps.publication in (ON_TIME, LATE, MISSING):
            self.due += 1
            self.on_time += e.stamps.publication == ON_TIME

    def merge(self, other: Figures) -> None:
        """Add another's figures: the total of a year is its agencies' figures added up, which is
        half the work of adding each decision to both (sums of Decimals are exact either way)."""
        for mine, theirs in ((self.kinds, other.kinds), (self.penalties, other.penalties),
                             (self.states, other.states), (self.state_fines, other.state_fines)):
            mine.update(theirs)
        self.fines += other.fines
        self.confiscations += other.confiscations
        self.withdrawn += other.withdrawn
        self.due += other.due
        self.on_time += other.on_time


@dataclass
class Year:
    year: int
    agencies: dict[str, Figures]
    total: Figures
    due_on: dt.date
    late_after_due: int  # decisions of the year first published after 31 January: the figures changed then


def years(project: Project, today: dt.date) -> list[Year]:
    """Completed years first (newest first), then the current year so far."""
    by_year: dict[int, list[Entry]] = {}
    for e in project.entries():  # drafts are not decisions made public yet
        by_year.setdefault(e.decision.decided_on.year, []).append(e)
    out = []
    for year in sorted(by_year, reverse=True):
        agencies = {aid: Figures() for aid in project.agencies}
        total = Figures()
        due_on = dt.date(year + 1, 1, 31)
        late = 0
        for e in by_year[year]:
            agencies.setdefault(e.agency, Figures()).add(e, today)
            published = e.stamps.published_on if e.stamps else None
            if published is not None and published > due_on:
                late += 1
        for figures in agencies.values():
            total.merge(figures)
        out.append(Year(year, agencies, total, due_on, late))
    return out


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def to_csv(y: Year, names: dict[str, str]) -> bytes:
    header = ["执法主体", "决定总数", *[f"{b}决定" for b in BUCKETS], *[f"处罚：{p}" for p in PENALTY_TYPES],
              "罚款金额（元）", "没收金额（元）", "撤回（变更、撤销等）", "应公开", "按时公开", "按时公开率（%）"]
    rows = [(names.get(aid, aid), f) for aid, f in y.agencies.items()] + [("合计", y.total)]
    # The agency name is staff text; csvfile neutralises it (and any cell) if it looks like a formula.
    return csvfile.to_bytes(header, [
        [name, f.total, *[f.kinds[b] for b in BUCKETS], *[f.penalties[p] for p in PENALTY_TYPES],
         f"{f.fines:.2f}", f"{f.confiscations:.2f}", f.withdrawn, f.due, f.on_time, "" if f.rate is None else f.rate]
        for name, f in rows])


def bar_chart(title: str, items: list[tuple[str, float]], unit: str = "", max_value: float | None = None) -> str:
    """Horizontal bars as inline SVG, each under its own label (a long agency name gets the whole width);
    the same numbers are in the table beside it. Narrow (400 units) so the text keeps a readable size
    on a phone, where the chart scales down to the screen."""
    width, row, font = 400, 46, 15
    height = row * len(items) + 6
    top = max_value or max((v for _, v in items), default=0) or 1
    ident = "chart-" + hashlib.sha1(title.encode("utf-8")).hexdigest()[:8]  # stable across builds
    parts = [f'<svg class="dc-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
             f'aria-labelledby="{ident}" font-size="{font}" preserveAspectRatio="xMinYMin meet">'
             f'<title id="{ident}">{escape(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 4 + i * row
        w = 0 if top == 0 else (width - 90) * value / top
        parts.append(f'<text x="0" y="{y + font}" class="dc-chart__label">{escape(label)}</text>')
        parts.append(f'<rect x="0" y="{y + font + 6}" width="{w:.1f}" height="16" class="dc-chart__bar"/>')
        parts.append(f'<text x="{w + 6:.1f}" y="{y + font + 19}" class="dc-chart__value">'
                     f'{escape(f"{value:g}{unit}")}</text>')
    parts.append("</svg>")
    return "".join(parts)


# ---------------------------------------------------------------- 执法监督 figures beside the enforcement ones


@dataclass
class Oversight:
    """A body's supervision and coordination figures for a year: counts only, whatever is public."""

    issued: Counter = field(default_factory=Counter)  # notices received, by kind
    closed: int = 0  # of those, rectified or closed (as of today)
    due: int = 0  # of those, with a rectification deadline passed or closed
    on_time: int = 0  # of those, closed by the deadline
    coordination: int = 0  # coordination steps the body owed (it transfers, notifies, answers, applies)
    coordination_due: int = 0
    coordination_on_time: int = 0

    @property
    def notices(self) -> int:
        return sum(self.issued.values())

    @property
    def rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None

    @property
    def coordination_rate(self) -> float | None:
        return round(100 * self.coordination_on_time / self.coordination_due, 1) if self.coordination_due else None

    def empty(self) -> bool:
        return not (self.notices or self.coordination)

    def cells(self) -> list[str]:
        """The row of the annual page's table, in the order of OVERSIGHT_LABELS."""
        def pct(rate: float | None) -> str:
            return "—" if rate is None else f"{rate}%"

        return [str(v) for v in (self.issued["监督建议书"], self.issued["监督通知书"], self.issued["监督决定书"], self.closed,
                                 self.due, self.on_time)] + [pct(self.rate)] + [
            str(v) for v in (self.coordination, self.coordination_due, self.coordination_on_time)] + [
            pct(self.coordination_rate)]


OVERSIGHT_LABELS = ("监督建议书", "监督通知书", "监督决定书", "已办结", "已到整改期限", "按期整改", "按期整改率", "协作事项",
                    "协作已到期限", "按时办理", "按时办理率")


def oversight(project: Project, today: dt.date, year: int) -> tuple[dict[str, Oversight], Oversight]:
    """Per agency (and bodies outside the site counted together under 其他单位) and in total, for the year:
    notices issued in it, coordination started in it."""
    from .kinds import common
    from .kinds import coordination as coordination_kind
    from .kinds import notice as notice_kind

    bodies: dict[str, Oversight] = {aid: Oversight() for aid in project.agencies}
    total = Oversight()

    def of(written: str) -> Oversight:
        key = common.body_key(project, written)  # an agency by its id or its full name
        return bodies.setdefault(key if key in project.agencies else "其他单位", Oversight())

    for item in project.items("notice"):
        n = item.record
        if n.issued_on.year != year:
            continue
        rectify = item.stamps.get("rectify_by")
        for figures in (of(n.issued_to), total):
            figures.issued[n.kind] += 1
            figures.closed += n.status in notice_kind.CLOSED
            if rectify is not None and (today > rectify.date or notice_kind.closed_by(n, rectify.date)):
                figures.due += 1
                figures.on_time += notice_kind.closed_by(n, rectify.date)
    for item in project.items("coordination"):
        c = item.record
        if c.started_on.year != year:
            continue
        when = coordination_kind.timeliness(c, item.stamps, today)
        for figures in (of(coordination_kind.duty(project, c)), total):
            figures.coordination += 1
            if when in (coordination_kind.ON_TIME, coordination_kind.LATE, coordination_kind.MISSING):
                figures.coordination_due += 1
                figures.coordination_on_time += when == coordination_kind.ON_TIME
    return {k: v for k, v in bodies.items() if not v.empty()}, total
