"""Deadline stamps: dates computed from rules on the working-day calendar, as of a given day.

Pure functions: the calendar, the rules and `today` are passed in. Every
stamp keeps how it was computed (start, rule, citation, holidays skipped,
adjusted workdays counted, rolled-over days) so the page can show it.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from dataclasses import dataclass, field

from .calendar import WorkCalendar
from .rules import Period, Rules, first_match

ON_TIME, LATE, MISSING, PENDING = "按时公开", "逾期公开", "逾期未公开", "待公开"
ONE_DAY = dt.timedelta(days=1)


_EMPTY: tuple = ()
_NO_YEARS: frozenset = frozenset()


@dataclass(slots=True)  # 5 per decision: tens of thousands in memory at once
class Count:
    """The result of counting a period, with its working."""

    date: dt.date
    start: dt.date
    rule: str  # e.g. "7个工作日"
    basis: str
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)  # holidays passed over
    adjusted: list[tuple[dt.date, str]] = field(default_factory=list)  # weekend workdays counted
    rolled_from: dt.date | None = None  # the day the period ended before rolling to a workday
    provisional_years: set[int] = field(default_factory=set)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def settle(self) -> None:
        """Done counting: share one empty value instead of three empty containers per stamp
        (five stamps per decision, tens of thousands of decisions in memory)."""
        self.skipped = self.skipped or _EMPTY  # type: ignore[assignment]
        self.adjusted = self.adjusted or _EMPTY  # type: ignore[assignment]
        self.provisional_years = self.provisional_years or _NO_YEARS  # type: ignore[assignment]

    def explain(self) -> str:
        parts = [f"自 {self.start.isoformat()} 起算（当日不计入），按{self.rule}计算"]
        if self.skipped:
            parts.append("跳过节假日：" + _runs(self.skipped))
        if self.adjusted:
            parts.append("计入调休上班日：" + "、".join(f"{d.isoformat()}（{n}）" for d, n in self.adjusted))
        if self.rolled_from:
            parts.append(f"期满日 {self.rolled_from.isoformat()} 不是工作日，顺延至 {self.date.isoformat()}")
        if self.provisional_years:
            years = "、".join(str(y) for y in sorted(self.provisional_years))
            parts.append(f"{years} 年的节假日安排尚未收录，暂按周末计算，结果待定")
        return "；".join(parts) + "。"


def _runs(days: list[tuple[dt.date, str]]) -> str:
    """Group consecutive holiday days: 2025-10-01至2025-10-08（国庆节、中秋）."""
    groups: list[list[tuple[dt.date, str]]] = []
    for d, name in days:
        if groups and groups[-1][-1][0] + ONE_DAY == d:
            groups[-1].append((d, name))
        else:
            groups.append([(d, name)])
    out = []
    for g in groups:
        names = "、".join(dict.fromkeys(n for _, n in g))
        span = g[0][0].isoformat() if len(g) == 1 else f"{g[0][0].isoformat()}至{g[-1][0].isoformat()}"
        out.append(f"{span}（{names}，{len(g)}天）")
    return "；".join(out)


def add_working_days(cal: WorkCalendar, start: dt.date, n: int, basis: str = "") -> Count:
    count = Count(start, start, f"{n}个工作日", basis)
    day, left = start, n
    while left > 0:
        day += ONE_DAY
        info = cal.info(day)
        if info.provisional:
            count.provisional_years.add(day.year)
        if info.workday:
            left -= 1
            if day.weekday() >= 5:
                count.adjusted.append((day, info.name or "调休"))
        elif info.name:
            count.skipped.append((day, info.name))
    count.date = day
    return count


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (Aug 31 + 6 months = Feb 28/29)."""
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(start.day, _stdcal.monthrange(year, month)[1]))


def roll_forward(cal: WorkCalendar, count: Count) -> Count:
    """A deadline on the party or the agency that ends on a day off moves to the next workday."""
    day = count.date
    info = cal.info(day)
    if info.provisional:
        count.provisional_years.add(day.year)
    while not info.workday:
        if info.name:
            count.skipped.append((day, info.name))
        day += ONE_DAY
        info = cal.info(day)
        if info.provisional:
            count.provisional_years.add(day.year)
    if day != count.date:
        count.rolled_from, count.date = count.date, day
    return count


def apply_period(cal: WorkCalendar, start: dt.date, period: Period, roll: bool) -> Count:
    if period.working_days is not None:
        return add_working_days(cal, start, period.working_days, period.basis)
    if period.days is not None:
        end = start + dt.timedelta(days=period.days)
    else:
        end = add_months(start, period.months if period.months is not None else 12 * (period.years or 0))
    count = Count(end, start, period.describe(), period.basis)
    return roll_forward(cal, count) if roll else count


@dataclass(slots=True)
class Stamps:
    publish_by: Count
    publication: str
    reconsider_by: Count
    sue_by: Count
    public_until: Count | None
    withdraw_by: Count | None
    published_on: dt.date | None

    @property
    def provisional(self) -> bool:
        return any(c.provisional for c in self.counts().values())

    def counts(self) -> dict[str, Count]:
        items = {"publish_by": self.publish_by, "withdraw_by": self.withdraw_by,
                 "reconsider_by": self.reconsider_by, "sue_by": self.sue_by, "public_until": self.public_until}
        return {k: v for k, v in items.items() if v is not None}

    def as_dict(self) -> dict:
        def iso(c: Count | None) -> str | None:
            return c.date.isoformat() if c else None

        return {
            "publish_by": iso(self.publish_by),
            "publication": self.publication,
            "withdraw_by": iso(self.withdraw_by),
            "reconsider_by": iso(self.reconsider_by),
            "sue_by": iso(self.sue_by),
            "public_until": iso(self.public_until),
            "provisional": self.provisional,
        }


def publication_status(publish_by: dt.date, published_on: dt.date | None, today: dt.date) -> str:
    if published_on is not None:
        return ON_TIME if published_on <= publish_by else LATE
    return MISSING if today > publish_by else PENDING


def compute(
    cal: WorkCalendar,
    rules: Rules,
    today: dt.date,
    *,
    kind: str,
    party_type: str,
    penalty_types: list[str],
    decided_on: dt.date,
    served_on: dt.date | None,
    published_on: dt.date | None,
    status: str,
    status_changed_on: dt.date | None,
) -> Stamps:
    publish_rule = first_match(rules.publish, kind, party_type, penalty_types)
    if publish_rule is None:  # rules.yaml without a catch-all: fall back to the strictest reading
        publish_rule = rules.publish[-1]
    publish_by = apply_period(cal, decided_on, publish_rule, roll=False)
    known_on = served_on or decided_on
    reconsider = apply_period(cal, known_on, rules.reconsider, roll=True)
    sue = apply_period(cal, known_on, rules.sue, roll=True)
    until_rule = first_match(rules.public_until, kind, party_type, penalty_types)
    public_until = apply_period(cal, decided_on, until_rule, roll=False) if until_rule else None
    withdraw = None
    if status != "有效" and status_changed_on is not None:
        withdraw = apply_period(cal, status_changed_on, rules.withdraw, roll=False)
    for count in (publish_by, reconsider, sue, public_until, withdraw):
        if count is not None:
            count.settle()
    return Stamps(
        publish_by=publish_by,
        publication=publication_status(publish_by.date, published_on, today),
        reconsider_by=reconsider,
        sue_by=sue,
        public_until=public_until,
        withdraw_by=withdraw,
        published_on=published_on,
    )
