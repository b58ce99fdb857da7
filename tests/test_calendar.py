import datetime as dt

from generator.calendar import WorkCalendar
from generator.deadlines import add_months, add_working_days
from generator.model import CalendarYear

D = dt.date


def test_national_day_2025_skips_holidays_and_counts_adjusted_saturday():
    count = add_working_days(WorkCalendar(), D(2025, 9, 30), 7)
    # 10-01..10-08 off; 10-09, 10-10, 10-11 (调休 Saturday), 10-13..10-16
    assert count.date == D(2025, 10, 16)
    assert count.skipped[0][0] == D(2025, 10, 1)
    assert D(2025, 10, 8) in [d for d, _ in count.skipped]
    assert count.adjusted == [(D(2025, 10, 11), "国庆节")]
    assert "中秋" in count.explain() and "国庆节" in count.explain()
    assert not count.provisional


def test_spring_festival_2026():
    count = add_working_days(WorkCalendar(), D(2026, 2, 12), 7)
    # 02-13, 02-14 (调休), 02-15..02-23 off, 02-24..02-27, 02-28 (调休)
    assert count.date == D(2026, 2, 28)
    assert {d for d, _ in count.adjusted} == {D(2026, 2, 14), D(2026, 2, 28)}
    assert all(name == "春节" for _, name in count.skipped)


def test_2027_falls_back_to_weekends_and_is_provisional():
    count = add_working_days(WorkCalendar(), D(2026, 12, 30), 3)
    assert count.date == D(2027, 1, 4)  # 12-31, 01-01 (a Friday: no holiday known), 01-04
    assert count.provisional_years == {2027}
    assert "暂定" in count.explain() or "待定" in count.explain()


def test_calendar_yaml_override_defines_the_year():
    cal = WorkCalendar({2027: CalendarYear(source="测试通知", holidays=[D(2027, 1, 1)], workdays=[D(2027, 1, 2)])})
    count = add_working_days(cal, D(2026, 12, 31), 2)
    assert count.date == D(2027, 1, 4)  # 01-01 off, 01-02 (Saturday) worked, 01-04
    assert not count.provisional
    assert [d for d, _ in count.adjusted] == [D(2027, 1, 2)]


def test_month_arithmetic_clamps():
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2023, 8, 31), 6) == D(2024, 2, 29)
    assert add_months(D(2025, 1, 15), 12) == D(2026, 1, 15)
