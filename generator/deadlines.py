"""Deadline stamps: dates computed from rules on the working-day calendar, as of a given day.

Pure functions: the calendar, the rules and `today` are passed in. Every
stamp keeps how it was computed (start, rule version and why it applied,
citations, holidays skipped, adjusted workdays counted, rolled-over days) so
the page can show it.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .calendar import WorkCalendar
from .rules import ConditionalPeriod, Facts, Period, RuleBook, longer

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
    applied: ConditionalPeriod | None = None  # the rule version used (shared by every stamp that used it)
    event: dt.date | None = None  # the day that chose the version, when it is not the start
    event_what: str = ""  # 作出决定 / 送达 / 状态变更: what happened on that day
    assumed: str | None = None  # the credit class assumed because the decision gives none
    national: ConditionalPeriod | None = None  # for a local rule: the national one it departs from
    overrode: ConditionalPeriod | None = None  # a looser local rule set aside for the national one
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)  # holidays passed over
    adjusted: list[tuple[dt.date, str]] = field(default_factory=list)  # weekend workdays counted
    rolled_from: dt.date | None = None  # the day the period ended before rolling to a workday
    provisional_years: set[int] = field(default_factory=set)
    given: str | None = None  # a date the record itself sets (a notice's rectify_by): what set it, instead of a rule
    before: bool = False  # counted back from the start (a joint action applied for ahead of its date)
    # explain()'s text, made once: a settled count is read-only and shared by the decisions alike
    # (compute's memo), ~10,000 counts for 250,000 stamps shown at county scale.
    text: str | None = field(default=None, compare=False, repr=False)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    def settle(self) -> None:
        """Done counting: share one empty value instead of three empty containers per stamp
        (five stamps per decision, tens of thousands of decisions in memory)."""
        self.skipped = self.skipped or _EMPTY  # type: ignore[assignment]
        self.adjusted = self.adjusted or _EMPTY  # type: ignore[assignment]
        self.provisional_years = self.provisional_years or _NO_YEARS  # type: ignore[assignment]

    @property
    def basis(self) -> str:
        return self.applied.basis if self.applied is not None else ""

    def citations(self) -> list:
        """[(Source, Passage)] of the rule version used."""
        return self.applied.refs if self.applied is not None else []

    def why(self) -> str:
        """Which rule version applied and why: shown under each stamp."""
        rule = self.applied
        if rule is None:
            return ""
        event = self.event or self.start
        parts = [f"适用{rule.layer}规则“{rule.label()}”（{rule.window()}，依据{rule.sources_short()}）："
                 f"{self.event_what}之日 {event.isoformat()} "
                 + ("在其施行期内" if rule.effective_from or rule.effective_until else "适用这一规则")]
        conditions = rule.when.describe()
        if conditions:
            parts.append(f"适用条件：{conditions}")
        if self.assumed:
            parts.append(f"决定没有填写失信程度，按“{self.assumed}”失信信息计算")
        if self.national is not None and self.national is not rule:
            parts.append(f"这是本地规定，对应的国家规定“{self.national.label()}”为{self.national.describe()}")
        if self.overrode is not None:
            parts.append(f"本地规则“{self.overrode.label()}”为{self.overrode.describe()}，宽于国家规定，按国家规定计算")
        return "；".join(parts) + "。"

    def explain(self) -> str:
        if self.text is None:
            self.text = self._explain()
        return self.text

    def _explain(self) -> str:
        if self.given:
            return self.given
        if self.before:
            parts = [f"自 {self.start.isoformat()} 起向前推算（当日不计入），按{self.rule}计算"]
        else:
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
        return "；".join(parts) + "。" + self.why()


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


def add_working_days(cal: WorkCalendar, start: dt.date, n: int) -> Count:
    return _count_working_days(cal, Count(start, start, f"{n}个工作日"), n, ONE_DAY)


def subtract_working_days(cal: WorkCalendar, start: dt.date, n: int) -> Count:
    """n working days before start: the last day on which something due "n working days ahead" is on time."""
    return _count_working_days(cal, Count(start, start, f"提前{n}个工作日", before=True), n, -ONE_DAY)


def _count_working_days(cal: WorkCalendar, count: Count, n: int, step: dt.timedelta) -> Count:
    """Walk from count.start one day at a time (forwards or back) until n working days are counted."""
    day, left = count.start, n
    while left > 0:
        day += step
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
    if getattr(period, "before", False):  # a coordination rule counted back: never rolled
        if period.working_days is not None:
            return subtract_working_days(cal, start, period.working_days)
        if period.days is not None:
            end = start - dt.timedelta(days=period.days)
        else:
            end = add_months(start, -(period.months if period.months is not None else 12 * (period.years or 0)))
        return Count(end, start, period.describe(), before=True)
    if period.working_days is not None:
        return add_working_days(cal, start, period.working_days)
    if period.days is not None:
        end = start + dt.timedelta(days=period.days)
    else:
        end = add_months(start, period.months if period.months is not None else 12 * (period.years or 0))
    count = Count(end, start, period.describe())
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
    # Working days the agency published after its deadline (逾期公开), or is overdue as of the build
    # date (逾期未公开): shown as 本机关逾期 N 个工作日, the agency's lateness, never the party's.
    late_days: int | None = None

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


def working_days_after(cal: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days `end` lies past a deadline `start`."""
    count, day = 0, start
    while day < end:
        day += ONE_DAY
        count += cal.info(day).workday
    return count


def days_left(count: Count, today: dt.date) -> int:
    """Calendar days from `today` to the last day of a period: 0 on the last day itself, < 0 once it has passed."""
    return (count.date - today).days


def publication_status(publish_by: dt.date, published_on: dt.date | None, today: dt.date) -> str:
    if published_on is not None:
        return ON_TIME if published_on <= publish_by else LATE
    return MISSING if today > publish_by else PENDING


def compute(
    cal: WorkCalendar,
    rules: RuleBook,
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
    agency: str | None = None,
    credit_class: str | None = None,
    remedies_informed: bool = True,
    memo: dict | None = None,
) -> Stamps:
    """`memo`: counts already made in this load, by what decides them (the rule picked, the day):
    decisions that share those share one Count (read-only once settled). A county repeats its days
    and rules: ~10,000 distinct counts for 186,000 stamps (~40 MB, and the walks over the calendar)."""
    assumed = None if credit_class else rules.assume_credit_class
    facts = Facts(kind, party_type, tuple(penalty_types), agency, credit_class or rules.assume_credit_class,
                  remedies_informed)
    publish_by = _publish(cal, rules, decided_on, facts, memo)
    known_on, known_what = (served_on, "送达") if served_on else (decided_on, "作出决定")
    reconsider = _count(cal, rules, "reconsider", known_on, known_what, facts, roll=True, memo=memo)
    sue = _count(cal, rules, "sue", known_on, known_what, facts, roll=True, memo=memo)
    public_until = _public_until(cal, rules, decided_on, published_on, facts, assumed, memo)
    withdraw = None
    if status != "有效" and status_changed_on is not None:
        withdraw = _count(cal, rules, "withdraw", status_changed_on, "状态变更", facts, roll=False, memo=memo)
    for count in (publish_by, reconsider, sue, public_until, withdraw):
        if count is not None:
            count.settle()
    publication = publication_status(publish_by.date, published_on, today)
    late_days = None
    if publication == LATE and published_on is not None:
        late_days = working_days_after(cal, publish_by.date, published_on)
    elif publication == MISSING:
        late_days = working_days_after(cal, publish_by.date, today)
    return Stamps(
        publish_by=publish_by,
        publication=publication,
        late_days=late_days,
        reconsider_by=reconsider,  # type: ignore[arg-type]
        sue_by=sue,  # type: ignore[arg-type]
        public_until=public_until,
        withdraw_by=withdraw,
        published_on=published_on,
    )


def _applied(count: Count, rule: ConditionalPeriod, national: ConditionalPeriod | None, event: dt.date,
             what: str) -> Count:
    count.applied, count.event_what = rule, what
    count.event = event if event != count.start else None
    if rule is not national:  # a local rule: remember the national one beside it
        count.national = national
    return count


def _kept(memo: dict | None, key: tuple, make: Callable[[], Count]) -> Count:
    """The count made for `key` in this load (compute's `memo`), or a new one. Keys hold ids of rule
    versions: the rule book outlives the memo, so an id is never another rule's."""
    if memo is None:
        return make()
    hit = memo.get(key)
    if hit is None:
        hit = memo[key] = make()
    return hit


def _count(cal: WorkCalendar, rules: RuleBook, section: str, event: dt.date, what: str, facts: Facts, *,
           roll: bool, memo: dict | None = None) -> Count | None:
    rule, national = rules.pick(section, event, facts)
    if rule is None:
        return None
    return _kept(memo, (section, event, what, roll, id(rule), id(national)),
                 lambda: _applied(apply_period(cal, event, rule, roll), rule, national, event, what))


def by_rule(cal: WorkCalendar, rules: RuleBook, section: str, event: dt.date, what: str, facts: Facts, *,
            roll: bool) -> Count | None:
    """The stamp of a supervision or coordination record from its section's rule (None when no rule applies),
    with its working; `what` names the event (制发, 整改期限届满, 发现违法行为 …)."""
    count = _count(cal, rules, section, event, what, facts, roll=roll)
    if count is not None:
        count.settle()
    return count


def given(day: dt.date, start: dt.date, why: str) -> Count:
    """A deadline the record itself sets (a notice's rectify_by, a measure's due date), shown with why."""
    count = Count(day, start, "载明的期限", given=why)
    count.settle()
    return count


def _publish(cal: WorkCalendar, rules: RuleBook, decided_on: dt.date, facts: Facts,
             memo: dict | None = None) -> Count:
    """A local deadline may be stricter than the national one, never looser: a looser one gives way."""
    rule, national = rules.pick("publish", decided_on, facts)
    if rule is None:  # only when the national defaults themselves leave this decision out
        rule = national = rules.national.section("publish")[-1]
    return _kept(memo, ("publish", decided_on, id(rule), id(national)),
                 lambda: _publish_count(cal, decided_on, rule, national))


def _publish_count(cal: WorkCalendar, decided_on: dt.date, rule: ConditionalPeriod,
                   national: ConditionalPeriod | None) -> Count:
    count = _applied(apply_period(cal, decided_on, rule, roll=False), rule, national, decided_on, "作出决定")
    if national is not None and rule is not national and longer(rule, national, decided_on, cal):
        count = _applied(apply_period(cal, decided_on, national, roll=False), national, None, decided_on, "作出决定")
        count.overrode = rule
    return count


def _public_until(cal: WorkCalendar, rules: RuleBook, decided_on: dt.date, published_on: dt.date | None,
                  facts: Facts, assumed: str | None, memo: dict | None = None) -> Count | None:
    rule, national = rules.pick("public_until", decided_on, facts)
    if rule is None:
        return None
    start = published_on if rule.counted_from == "公开之日" and published_on else decided_on
    noted = assumed if assumed and rule.when.credit_classes else None

    def make() -> Count:
        count = _applied(apply_period(cal, start, rule, roll=False), rule, national, decided_on, "作出决定")
        count.assumed = noted
        return count

    return _kept(memo, ("public_until", start, decided_on, id(rule), id(national), noted), make)
