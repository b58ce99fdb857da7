"""整改方案 (supervision/plans/): problems with measures, each due on a date or 长期坚持 / 持续推进."""

from __future__ import annotations

from supervision_helpers import edit, problems

from generator.cli import main
from generator.kinds.plan import Plan

PLAN = "supervision/plans/town-2026-zgfa.yaml"


def test_a_deadline_that_is_not_a_date_is_explained(tree):
    root = tree("supervision")
    edit(root, PLAN, "due: 2026-12-31", "due: 12月底")
    [p] = problems(root)
    assert p.startswith(f"{PLAN}:19:14: 错误 F003 「整改时限」(due)")
    assert "“长期坚持”“持续推进”" in p and "2026-12-31" in p and "（填写的是 12月底）" in p


def test_responsible_sections_are_text_or_a_list_and_ongoing_measures_have_no_date():
    plan = Plan.model_validate({
        "id": "x", "title": "t", "owner": "o", "source": "s", "adopted_on": "2026-01-05",
        "problems": [{"title": "p", "measures": [
            {"text": "a", "responsible": "办公室", "due": "持续推进"},
            {"text": "b", "responsible": ["办公室", "执法队"], "due": "2026-06-30"}]}]})
    a, b = plan.problems[0].measures
    assert (a.responsible, a.due) == (["办公室"], "持续推进")
    assert b.responsible == ["办公室", "执法队"] and b.due.isoformat() == "2026-06-30"


def test_owner_and_dates_are_checked(tree):
    root = tree("supervision")
    edit(root, PLAN, "owner: town", "owner: twon")
    edit(root, PLAN, "done_on: 2026-09-20", "done_on: 2026-04-20")
    found = problems(root)
    assert any(p.startswith(f"{PLAN}:3:") and "R012" in p and "twon" in p for p in found), found
    assert any(p.startswith(f"{PLAN}:15:18:") and "T002 完成日期早于印发日期 2026-05-10" in p for p in found), found
    assert len(found) == 2


def test_new_plan_is_named_for_its_owner_and_year(tree):
    root = tree("supervision")
    assert main(["new", "plan", "--agency", "town", "--project", str(root), "--today", "2026-11-23"]) == 0
    text = (root / "supervision/plans/town-2026-zgfa-2.yaml").read_text(encoding="utf-8")  # town-2026-zgfa is taken
    assert "id: town-2026-zgfa-2" in text and "owner: town" in text and "due: 长期坚持" in text
    assert "disclose import plan" in text


# ---------------------------------------------------------------- progress and findings


def test_completion_rate_counts_dated_measures_due_by_today(tree):
    from conftest import TODAY
    from supervision_helpers import item

    from generator.kinds.plan import progress

    root = tree("supervision")
    plan = item(root, "plan", PLAN).record
    now = progress(plan, TODAY)
    assert (now.due, now.done, now.rate, now.total) == (1, 1, 100.0, 3)  # 12-31 not due yet; 长期坚持 never counted
    assert now.states == [["已完成", "未到期"], ["长期坚持"]]
    later = progress(plan, TODAY.replace(year=2027))
    assert (later.due, later.done, later.rate) == (2, 1, 50.0) and later.states[0][1] == "逾期未完成"


def test_a_measure_past_its_deadline(tree):
    from supervision_helpers import codes, found

    root = tree("supervision")
    assert codes(root) == []
    edit(root, PLAN, "        done_on: 2026-09-20\n", "")
    [f] = found(root)
    assert (f.code, f.path, f.line, f.agency) == ("S811", PLAN, 14, "town")
    assert "“执法队伍建设亟需加强”的第 1 项措施" in f.message and "已逾期 54 天" in f.message


def test_a_measure_s_due_date_is_a_stamp_with_its_reason(tree):
    from supervision_helpers import item

    stamps = item(tree("supervision"), "plan", PLAN).stamps["measures"]
    assert sorted(stamps) == [(0, 0), (0, 1)]  # 长期坚持 has none
    assert stamps[(0, 1)].date.isoformat() == "2026-12-31" and "由整改方案载明" in stamps[(0, 1)].explain()
