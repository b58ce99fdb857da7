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


# ---------------------------------------------------------------- site_config/calendar.yaml checks


def calendar_lines(text: str) -> list[str]:
    from generator.calendar import problems
    from generator.decisions import validate
    from generator.model import CalendarFile
    from generator.yamlio import parse_text

    doc, found = parse_text(text, "site_config/calendar.yaml")
    cal, more = validate(CalendarFile, doc, doc.data)
    found += more
    if cal is not None:
        found += problems(cal, doc.path, doc.pos)
    return [p.format() for p in found]


HEAD = "years:\n  2027:\n    source: 国务院办公厅关于2027年部分节假日安排的通知\n"


def test_a_holiday_on_a_weekend_is_fine():
    # 2027-02-06 is a Saturday, 2027-02-08 a Monday; 2027-02-20 a Saturday worked
    assert calendar_lines(HEAD + "    holidays: [2027-02-06, 2027-02-08]\n    workdays: [2027-02-20]\n") == []


def test_an_adjusted_workday_on_a_weekday_is_a_warning():
    found = calendar_lines(HEAD + "    holidays: [2027-01-01]\n    workdays:\n      - 2027-02-17\n")
    assert found == ["site_config/calendar.yaml:6:9: 警告 W004 调休上班日期 2027-02-17 是星期三，本来就要上班（填写的是 2027-02-17）。"
                     "提示：调休上班日是调到周六、周日上班的日子：对照通知核对日期，或删去这一行"]


def test_years_out_of_range_quoted_or_not_under_years():
    found = calendar_lines("years:\n  20277:\n    source: 通知\n")
    assert found[0].startswith("site_config/calendar.yaml:2:3: 错误 C001 年份 20277 超出范围（应在 1949 至 2199 之间）")
    found = calendar_lines("years:\n  '2027':\n    source: 通知\n")
    assert found[0].startswith("site_config/calendar.yaml:2:3: 错误 F003 「年份」(years)下的「2027」应是年份（填写的是 2027）。"
                               "提示：写成不加引号的四位数字")
    found = calendar_lines("2027:\n  source: 通知\n")
    assert found == ["site_config/calendar.yaml:1:1: 错误 F002 未知字段「2027」。提示：年份要写在 `years:` 下面，缩进两格"]
    found = calendar_lines(HEAD + "    holidays: 2027-01-01\n")
    assert found[0].startswith("site_config/calendar.yaml:4:15: 错误 F003 「放假日期」(holidays)应为列表，这里写成了日期")
    found = calendar_lines(HEAD + "    holidays: [9999-12-31]\n")
    assert found[0].startswith("site_config/calendar.yaml:4:16: 错误 T003 「放假日期」(holidays)第1项的日期超出范围")


def test_a_warning_alone_still_builds_but_fails_strict(tree, capsys):
    from generator.cli import main

    root = tree("minimal")
    (root / "site_config/calendar.yaml").write_text(
        HEAD + "    holidays: [2027-01-01]\n    workdays: [2027-02-17]\n", encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert " W004 " in capsys.readouterr().err
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
