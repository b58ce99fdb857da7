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

from .model import CalendarYear

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
