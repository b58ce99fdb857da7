import datetime as dt

from generator.calendar import WorkCalendar
from generator.deadlines import LATE, MISSING, ON_TIME, PENDING, compute
from generator.project import load
from generator.rules import Rules, default_rules_text
from generator.yamlio import parse_text

D = dt.date


def rules():
    doc, problems = parse_text(default_rules_text(), "rules.yaml")
    assert not problems
    return Rules.model_validate(doc.data)


def stamps(**kw):
    base = dict(kind="行政处罚", party_type="法人", penalty_types=["罚款"], decided_on=D(2025, 9, 30),
                served_on=None, published_on=None, status="有效", status_changed_on=None)
    base.update(kw)
    return compute(WorkCalendar(), rules(), D(2026, 11, 23), **base)


def test_publish_by_penalty_seven_working_days_other_twenty():
    assert stamps().publish_by.date == D(2025, 10, 16)
    other = stamps(kind="行政许可", penalty_types=[])
    assert other.publish_by.rule == "20个工作日"
    assert "118号" in other.publish_by.basis


def test_publication_status():
    assert stamps(published_on=D(2025, 10, 16)).publication == ON_TIME
    assert stamps(published_on=D(2025, 10, 17)).publication == LATE
    assert stamps().publication == MISSING
    recent = compute(WorkCalendar(), rules(), D(2025, 10, 1), kind="行政处罚", party_type="法人",
                     penalty_types=["罚款"], decided_on=D(2025, 9, 30), served_on=None, published_on=None,
                     status="有效", status_changed_on=None)
    assert recent.publication == PENDING


def test_reconsider_and_sue_roll_to_next_workday():
    # served 2025-08-02 + 60 days = 10-01 (National Day) → first workday 10-09
    s = stamps(served_on=D(2025, 8, 2))
    assert s.reconsider_by.date == D(2025, 10, 9)
    assert s.reconsider_by.rolled_from == D(2025, 10, 1)
    # decided 2025-08-31 + 6 months = 2026-02-28, an adjusted Saturday workday: no roll
    assert stamps(decided_on=D(2025, 8, 31)).sue_by.date == D(2026, 2, 28)
    # 2025-04-05 + 6 months = 10-05 (holiday) → 10-09
    assert stamps(decided_on=D(2025, 4, 5)).sue_by.date == D(2025, 10, 9)


def test_public_until_rules():
    assert stamps(penalty_types=["警告"]).public_until.date == D(2025, 12, 30)
    assert stamps().public_until.date == D(2028, 9, 30)
    assert stamps(kind="行政许可", penalty_types=[]).public_until is None


def test_withdraw_by_three_working_days():
    s = stamps(status="撤销", status_changed_on=D(2025, 9, 30))
    assert s.withdraw_by.date == D(2025, 10, 11)  # 10-09, 10-10, 10-11 (调休 Saturday)
    assert s.as_dict()["withdraw_by"] == "2025-10-11"


def test_provisional_stamp_warns_with_year_and_file(tree):
    root = tree("minimal")
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("2025-09-30", "2026-12-28").replace(
        "published_on: 2025-10-15", "published_on: 2026-12-29").replace("〔2025〕", "〔2026〕"), encoding="utf-8")
    path.rename(root / "content/town/decisions/2025/late.yaml")
    project = load(root, D(2026, 12, 31), use_git=False)
    warnings = [p for p in project.problems if p.code == "W001"]
    assert warnings and "2027" in warnings[0].message and warnings[0].path == "site_config/calendar.yaml"
    entry = next(e for e in project.entries() if e.decision.decided_on == D(2026, 12, 28))
    assert entry.stamps.provisional and entry.stamps.as_dict()["provisional"] is True
