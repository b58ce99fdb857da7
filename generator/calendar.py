"""The Chinese working-day calendar: chinese-calendar, overridden by site_config/calendar.yaml.

A year listed in calendar.yaml is defined by that file alone (weekends plus
its holidays and adjusted workdays). Other years come from the package, which
carries the State Council's notices. A year neither covers falls back to
weekends only and every answer about it says `provisional`, so nothing is
guessed silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
from chinese_calendar import constants as _cc

from .model import EARLIEST, LATEST, CalendarFile, CalendarYear
from .problems import WARNING, Problem
from .yamlio import Positions

# China keeps UTC+8 all year (no daylight saving): "today" for deadlines is the Beijing date,
# whatever zone the machine that builds the site runs in.
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")

_NAMES = {h.value: h.chinese for h in _cc.Holiday}
PACKAGE_YEARS = range(min(_cc.holidays).year, max(_cc.holidays).year + 1)


@dataclass(frozen=True)
class DayInfo:
    workday: bool
    name: str | None  # holiday name for a day off, the holiday an adjusted workday makes up for
    provisional: bool  # no official data for this year: weekends only


class WorkCalendar:
    def __init__(self, overrides: dict[int, CalendarYear] | None = None):
        self.overrides = {
            year: (set(y.holidays), set(y.workdays), y.source) for year, y in (overrides or {}).items()
        }
        self.info = lru_cache(maxsize=8192)(self._info)

    def __getstate__(self) -> dict:
        return {"overrides": self.overrides}  # kept with a project (snapshot.py): its memo is not

    def __setstate__(self, state: dict) -> None:
        self.overrides = state["overrides"]
        self.info = lru_cache(maxsize=8192)(self._info)

    def covers(self, year: int) -> bool:
        return year in self.overrides or year in PACKAGE_YEARS

    def source(self, year: int) -> str:
        if year in self.overrides:
            return f"site_config/calendar.yaml：{self.overrides[year][2]}"
        if year in PACKAGE_YEARS:
            return f"chinese-calendar {chinese_calendar.__version__}（国务院办公厅节假日安排通知）"
        return "无官方数据，暂按周末计算"

    def _info(self, day: dt.date) -> DayInfo:
        weekend = day.weekday() >= 5
        if day.year in self.overrides:
            holidays, workdays, _ = self.overrides[day.year]
            if day in workdays:
                return DayInfo(True, "调休上班", False)
            if day in holidays:
                return DayInfo(False, "节假日", False)
            return DayInfo(not weekend, None, False)
        if day.year in PACKAGE_YEARS:
            if day in _cc.workdays:
                return DayInfo(True, _NAMES.get(_cc.workdays[day], "调休"), False)
            if day in _cc.holidays:
                return DayInfo(False, _NAMES.get(_cc.holidays[day], "节假日"), False)
            return DayInfo(not weekend, None, False)
        return DayInfo(not weekend, None, True)

    def is_workday(self, day: dt.date) -> bool:
        return self.info(day).workday


_WEEKDAYS = "一二三四五六日"


def problems(cal: CalendarFile, path: str, pos: Positions) -> list[Problem]:
    """What site_config/calendar.yaml says that cannot be right, each at its line.

    WorkCalendar looks a day up under its own year, so a date filed under another year's key would
    be silently ignored; a day both off and worked has no answer. A 调休上班 day on a weekday
    changes nothing and is most likely a typo: a warning."""
    out: list[Problem] = []
    for year, entry in cal.years.items():
        if not EARLIEST.year <= year <= LATEST.year:
            line, col = pos.key_at(("years", year))
            out.append(Problem(path, line, col, "C001", f"年份 {year} 超出范围（应在 {EARLIEST.year} 至 {LATEST.year} 之间）",
                               "写四位数的年份，例如 2027", given=str(year)))
            continue
        first_off: dict[dt.date, tuple[int, int]] = {}
        for field, days in (("holidays", entry.holidays), ("workdays", entry.workdays)):
            for i, day in enumerate(days):
                line, col = pos.at(("years", year, field, i))
                if day.year != year:
                    out.append(Problem(path, line, col, "C001", f"{day.isoformat()} 写在了 {year} 年下面",
                                       f"多半是照抄上一年时年份没改，请对照通知核对；确是 {day.year} 年的日期，"
                                       f"移到 `{day.year}:` 下面（跨年的元旦假期按日期分写在两年里）",
                                       given=day.isoformat()))
                elif field == "holidays":
                    first_off.setdefault(day, (line, col))
                elif day in first_off:
                    out.append(Problem(path, line, col, "C002",
                                       f"{day.isoformat()} 既是放假日期（第 {first_off[day][0]} 行），又是调休上班日期",
                                       "一天只能放假或上班：对照国务院办公厅的通知，删去其中一处", given=day.isoformat()))
                elif day.weekday() < 5:
                    out.append(Problem(path, line, col, "W004",
                                       f"调休上班日期 {day.isoformat()} 是星期{_WEEKDAYS[day.weekday()]}，本来就要上班",
                                       "调休上班日是调到周六、周日上班的日子：对照通知核对日期，或删去这一行",
                                       severity=WARNING, given=day.isoformat()))
    return out
