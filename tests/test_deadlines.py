"""Deadline stamps under the national rules: each on both sides of every effective date in the defaults."""

import datetime as dt

from generator.calendar import WorkCalendar
from generator.deadlines import LATE, MISSING, ON_TIME, PENDING, compute
from generator.project import load
from generator.rules import defaults

D = dt.date
BOOK = defaults()
TODAY = D(2026, 11, 23)


def stamps(today=TODAY, **kw):
    base = dict(kind="行政处罚", party_type="法人", penalty_types=["罚款"], decided_on=D(2025, 9, 30),
                served_on=None, published_on=None, status="有效", status_changed_on=None)
    base.update(kw)
    return compute(WorkCalendar(), BOOK, today, **base)


def test_penalty_and_licence_seven_working_days_other_kinds_twenty():
    assert stamps().publish_by.date == D(2025, 10, 16)
    other = stamps(kind="行政强制", penalty_types=[])
    assert other.publish_by.rule == "20个工作日" and "国办发〔2018〕118号" in other.publish_by.basis


def test_licence_decided_just_before_national_day_2026_gets_seven_working_days_across_it():
    licence = stamps(kind="行政许可", penalty_types=[], decided_on=D(2026, 9, 29)).publish_by
    # 09-30 is day 1; 10-01..10-07 off; 10-08, 10-09, 10-10 (adjusted Saturday), 10-12, 10-13, 10-14.
    assert licence.date == D(2026, 10, 14) and licence.rule == "7个工作日"
    text = licence.explain()
    assert "2026-10-01至2026-10-07（国庆节，7天）" in text and "2026-10-10（国庆节）" in text
    assert "适用国家规则“行政许可、行政处罚决定的公开期限”（没有限定施行期，依据国办发〔2018〕118号）" in text
    assert "作出决定之日 2026-09-29" in text
    assert "行政许可、行政处罚的执法决定信息要在执法决定作出之日起7个工作日内公开" in licence.basis
    assert [s.id for s, _ in licence.citations()] == ["gbf-2018-118"]


def test_publication_status():
    assert stamps(published_on=D(2025, 10, 16)).publication == ON_TIME
    assert stamps(published_on=D(2025, 10, 17)).publication == LATE
    assert stamps().publication == MISSING
    assert stamps(today=D(2025, 10, 1)).publication == PENDING


def test_reconsider_and_sue_roll_to_next_workday():
    # served 2025-08-02 + 60 days = 10-01 (National Day) → first workday 10-09
    s = stamps(served_on=D(2025, 8, 2))
    assert s.reconsider_by.date == D(2025, 10, 9)
    assert s.reconsider_by.rolled_from == D(2025, 10, 1)
    assert "送达之日 2025-08-02" in s.reconsider_by.explain()
    # decided 2025-08-31 + 6 months = 2026-02-28, an adjusted Saturday workday: no roll
    assert stamps(decided_on=D(2025, 8, 31)).sue_by.date == D(2026, 2, 28)
    # 2025-04-05 + 6 months = 10-05 (holiday) → 10-09
    assert stamps(decided_on=D(2025, 4, 5)).sue_by.date == D(2025, 10, 9)
    assert "第四十六条第一款" in stamps().sue_by.basis


def test_reconsideration_law_before_and_after_its_2023_revision():
    old = stamps(decided_on=D(2023, 12, 29), served_on=D(2023, 12, 31)).reconsider_by
    new = stamps(decided_on=D(2023, 12, 29), served_on=D(2024, 1, 1)).reconsider_by
    assert "第九条第一款" in old.basis and "（1999年通过，2009年、2017年修正）" in old.basis
    assert "施行至 2023-12-31 的版本" in old.explain()
    assert "第二十条第一款" in new.basis and "2024-01-01 起施行的版本" in new.explain()
    assert old.date == D(2024, 2, 29) and new.date == D(2024, 3, 1)  # 60 days each


def test_one_year_cap_when_the_decision_did_not_inform_of_the_right_and_the_deadline():
    informed = stamps(decided_on=D(2026, 3, 2), served_on=D(2026, 3, 5)).reconsider_by
    uninformed = stamps(decided_on=D(2026, 3, 2), served_on=D(2026, 3, 5), remedies_informed=False).reconsider_by
    assert informed.date == D(2026, 5, 6)  # 60 days: 05-04, a Monday holiday of 劳动节 → 05-06
    assert uninformed.date == D(2027, 3, 5) and uninformed.rule == "1年"
    assert "第二十条第三款" in uninformed.basis and "决定未告知复议权利和期限" in uninformed.explain()
    # The cap came with the 2023 revision: an uninformed decision served in 2023 keeps the old 60 days.
    assert stamps(decided_on=D(2023, 6, 1), remedies_informed=False).reconsider_by.rule == "60日"


def test_publicity_period_58_until_2026_03_31_and_36_from_2026_04_01():
    before = stamps(decided_on=D(2026, 3, 31)).public_until
    after = stamps(decided_on=D(2026, 4, 1)).public_until
    assert before.date == D(2029, 3, 31) and "国家发展改革委令2023年第58号" in before.basis
    assert before.assumed is None and "失信程度" not in before.explain()
    assert after.date == D(2027, 4, 1) and "国家发展改革委令第36号" in after.basis
    assert after.assumed == "一般" and "决定没有填写失信程度，按“一般”失信信息计算" in after.explain()
    assert "2026-04-01 起施行的版本" in after.explain()
    warning_before = stamps(decided_on=D(2026, 3, 31), penalty_types=["警告"]).public_until
    warning_after = stamps(decided_on=D(2026, 4, 1), penalty_types=["警告"]).public_until
    assert warning_before.date == D(2026, 6, 30) and warning_after.date == D(2027, 4, 1)


def test_each_publicity_class_and_no_period_for_other_kinds():
    on = D(2026, 5, 8)
    light = stamps(decided_on=on, credit_class="轻微").public_until
    general = stamps(decided_on=on, credit_class="一般").public_until
    serious = stamps(decided_on=on, credit_class="严重").public_until
    assert (light.date, general.date, serious.date) == (D(2026, 8, 8), D(2027, 5, 8), D(2029, 5, 8))
    assert light.assumed is general.assumed is serious.assumed is None
    assert "轻微失信信息的公示期" in light.explain() and "严重失信信息的公示期" in serious.explain()
    assert stamps(kind="行政许可", penalty_types=[], decided_on=on).public_until is None


def test_withdraw_by_three_working_days_from_the_status_change():
    s = stamps(status="撤销", status_changed_on=D(2025, 9, 30))
    assert s.withdraw_by.date == D(2025, 10, 11)  # 10-09, 10-10, 10-11 (调休 Saturday)
    assert s.as_dict()["withdraw_by"] == "2025-10-11"
    assert "状态变更之日 2025-09-30" in s.withdraw_by.explain() and "第四十八条第二款" in s.withdraw_by.basis


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


def test_lateness_is_counted_in_working_days_of_the_agency():
    # due 2025-10-16 (Thursday); published Monday 10-20: Friday 17th and Monday 20th are two working days late
    late = stamps(published_on=D(2025, 10, 20))
    assert late.publication == LATE and late.late_days == 2
    # across the weekend and no further: published on Saturday 18th counts Friday only
    assert stamps(published_on=D(2025, 10, 18)).late_days == 1
    assert stamps(published_on=D(2025, 10, 16)).late_days is None  # on the last day: on time
    # not published yet: overdue as of the build date, in working days (10-17 … 10-24: six)
    missing = stamps(today=D(2025, 10, 24))
    assert missing.publication == MISSING and missing.late_days == 6


def test_days_left_counts_to_the_last_day_which_itself_counts():
    from generator.deadlines import days_left

    s = stamps(served_on=D(2025, 10, 9))
    assert days_left(s.reconsider_by, s.reconsider_by.date) == 0  # the last day: still open
    assert days_left(s.reconsider_by, s.reconsider_by.date - dt.timedelta(days=3)) == 3
    assert days_left(s.reconsider_by, s.reconsider_by.date + dt.timedelta(days=1)) < 0  # 已届满


def test_a_memo_shares_counts_between_decisions_alike_and_changes_no_stamp():
    """Across the 2026 National Day holiday: counts made once per day and rule, read alike by all."""
    cases = [dict(kind="行政许可", penalty_types=[], decided_on=D(2026, 9, 29)),
             dict(kind="行政许可", penalty_types=[], decided_on=D(2026, 9, 29), party_type="自然人"),
             dict(decided_on=D(2026, 9, 29), served_on=D(2026, 9, 30)),
             dict(decided_on=D(2026, 9, 29), status="撤销", status_changed_on=D(2026, 9, 30)),
             dict(decided_on=D(2026, 9, 29), credit_class="严重", published_on=D(2026, 10, 9)),
             dict(decided_on=D(2026, 9, 29), published_on=D(2026, 10, 9))]
    memo: dict = {}
    shared = [stamps(memo=memo, **kw) for kw in cases]
    alone = [stamps(**kw) for kw in cases]
    for a, b in zip(shared, alone, strict=True):
        assert a == b  # every field of every count, the working (holidays skipped, days adjusted) included
        assert {k: c.explain() for k, c in a.counts().items()} == {k: c.explain() for k, c in b.counts().items()}
    # The two licences differ only in the party: one count; reconsideration from different days: two.
    assert shared[0].publish_by is shared[1].publish_by and alone[0].publish_by is not alone[1].publish_by
    assert shared[0].publish_by.date == D(2026, 10, 14) and shared[0].publish_by.skipped
    assert shared[2].reconsider_by is not shared[3].reconsider_by
    # 3 working days from 09-30: 10-08, 10-09 and the adjusted Saturday 10-10.
    assert shared[3].withdraw_by.date == D(2026, 10, 10) and shared[3].withdraw_by.adjusted
    # The publicity period by credit class: a class given and one assumed never share a count.
    assert shared[4].public_until is not shared[5].public_until
    assert shared[5].public_until.assumed and not shared[4].public_until.assumed
    assert len(memo) < sum(len(s.counts()) for s in shared)
