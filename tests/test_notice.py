"""监督文书 (supervision/notices/): read to the contract, every mistake located, all at once."""

from __future__ import annotations

import datetime as dt
import re

from conftest import TODAY
from supervision_helpers import codes, edit, found, item, problems

from generator import checks
from generator import project as project_mod
from generator.cli import main

FIRST = "supervision/notices/2026/jianyi-1.yaml"
SECOND = "supervision/notices/2026/jianyi-2.yaml"


def test_the_fixture_reads_without_a_problem(tree):
    assert problems(tree("supervision")) == []


def test_every_wrong_reference_is_a_located_error_all_at_once(tree):
    root = tree("supervision")
    edit(root, FIRST, "issued_to: town", "issued_to: tonw")
    edit(root, FIRST, "  - decision: 测兴政罚决字〔2025〕第1号", "  - decision: 测兴政罚决字〔2025〕第9号\n  - power: TOWN-XX")
    edit(root, FIRST, "  - officer: '33070100002'", "  - officer: '33070100009'")
    edit(root, FIRST, "issued_by: 测试县测试司法所", "issued_by: sifasuo")  # an id that names no agency
    edit(root, SECOND, "id: 测司所监建〔2026〕第2号", "id: 测司所监建〔2026〕第1号")
    edit(root, SECOND, "status: 整改中", "status: 已整改")
    found = problems(root)
    expect = [
        (FIRST, 3, "R012", "sifasuo"), (FIRST, 4, "R012", "tonw"), (FIRST, 10, "R013", "测兴政罚决字〔2025〕第9号"),
        (FIRST, 11, "R002", "TOWN-XX"), (FIRST, 12, "R001", "33070100009"),
        (SECOND, 1, "D008", "测司所监建〔2026〕第1号"), (SECOND, 11, "F008", None),
    ]
    for path, line, code, given in expect:
        assert any(p.startswith(f"{path}:{line}:") and f" {code} " in p and (given is None or given in p)
                   for p in found), (path, line, code, found)
    assert len(found) == len(expect), found


def test_a_name_outside_the_site_is_fine_but_the_body_supervised_must_be_an_agency(tree):
    root = tree("supervision")
    edit(root, FIRST, "issued_to: town", "issued_to: 测试县市场监督管理局")
    [p] = problems(root)
    assert re.match(rf"{FIRST}:4:\d+: 错误 R012 执法主体编号不存在（填写的是 测试县市场监督管理局）", p), p


def test_shape_mistakes_speak_chinese(tree):
    root = tree("supervision")
    edit(root, FIRST, "status: 已销号", "status: 已完成\nremark: 备注")
    edit(root, SECOND, "  - power: TOWN-JC001", "  - {power: TOWN-JC001, officer: '33070100001'}")
    found = problems(root)
    assert any(f"{FIRST}:17:9: 错误 F004 「状态」(status)的值不在允许范围内（填写的是 已完成）" in p
               and "整改中、已整改、不予整改、已销号" in p for p in found), found
    assert any(f"{FIRST}:18:1: 错误 F002 未知字段「remark」" in p for p in found), found
    assert any(p.startswith(f"{SECOND}:9:") and "只写一个引用" in p for p in found), found


def test_dates_out_of_order_or_in_the_future(tree):
    root = tree("supervision")
    edit(root, FIRST, "closed_on: 2026-09-28", "closed_on: 2026-08-28")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2026-12-02")
    found = problems(root)
    assert any(p.startswith(f"{FIRST}:18:") and "T002 办结日期早于制发日期 2026-09-01" in p for p in found), found
    assert any(p.startswith(f"{SECOND}:5:") and "T001 制发日期晚于今天" in p for p in found), found


def test_a_closing_date_on_a_notice_still_being_rectified_is_a_contradiction(tree):
    """Counted open, and reported overdue, though the clerk wrote when it was done: said at the status."""
    root = tree("supervision")
    edit(root, SECOND, "status: 整改中", "status: 整改中\nclosed_on: 2026-11-10")
    [p] = problems(root)
    assert p.startswith(f"{SECOND}:11:9: 错误 F008 写了办结日期 closed_on，状态却是“整改中”（填写的是 2026-11-10）"), p
    edit(root, SECOND, "status: 整改中", "status: 不予整改")  # not rectified: escalated, never closed
    [p] = problems(root)
    assert p.startswith(f"{SECOND}:11:9: 错误 F008 写了办结日期 closed_on，状态却是“不予整改”"), p


def test_new_notice_proposes_the_next_number_and_is_valid_once_filled(tree, capsys):
    root = tree("supervision")
    assert main(["new", "notice", "--agency", "town", "--project", str(root), "--today", "2026-11-23"]) == 0
    path = root / "supervision/notices/2026/2026-11-23-003.yaml"
    text = path.read_text(encoding="utf-8")
    assert "id: 测司所监建〔2026〕第3号" in text and "issued_to: town" in text and "kind: 监督建议书" in text
    for line in text.splitlines():
        if re.match(r"^\s*(# )?\s*(- )?[a-z_]+:", line):
            assert re.search(r"#\s*[\u4e00-\u9fff]", line.split(":", 1)[1]), line
    unfilled = problems(root)
    assert any("2026-11-23-003.yaml" in p and "F001" in p and "制发机关" in p for p in unfilled), unfilled
    text = (text.replace('issued_by: ""', "issued_by: 测试县测试司法所").replace('problems: [""]', "problems: [裁量说明不充分]")
            .replace('basis: ""', "basis: 《测试县乡镇行政执法协调监督工作实施方案》"))
    path.write_text(text, encoding="utf-8")
    assert problems(root) == []
    # a kind that is not a notice's is refused, naming the ones allowed
    assert main(["new", "notice", "--kind", "案件移送", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert "监督建议书、监督通知书、监督决定书" in capsys.readouterr().err


# ---------------------------------------------------------------- stamps



def test_rectify_by_from_the_rule_rolls_past_the_national_day_holiday(tree):
    root = tree("supervision")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2026-09-05")  # + 30 days = 10-05, a holiday
    count = item(root, "notice", SECOND).stamps["rectify_by"]
    assert count.date.isoformat() == "2026-10-08"
    text = count.explain()
    assert "期满日 2026-10-05 不是工作日，顺延至 2026-10-08" in text
    assert "适用本地规则“监督建议书的整改期限”" in text and "测政办发〔2025〕9号" in text


def test_rectify_by_as_written_is_not_computed(tree):
    stamps = item(tree("supervision"), "notice", FIRST).stamps
    assert stamps["rectify_by"].date.isoformat() == "2026-10-09"
    assert "由监督建议书载明" in stamps["rectify_by"].explain()
    assert stamps["escalate_by"] is None  # 已销号 on 2026-09-28, before the deadline


def test_escalate_by_counts_three_working_days_across_the_holiday(tree):
    root = tree("supervision")
    edit(root, SECOND, "status: 整改中", "rectify_by: 2026-09-29\nstatus: 整改中")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2026-09-10")
    count = item(root, "notice", SECOND).stamps["escalate_by"]
    assert count.date.isoformat() == "2026-10-09"  # 09-30, 10-08, 10-09
    text = count.explain()
    assert "2026-10-01至2026-10-07" in text and "整改期限届满之日 2026-09-29" in text
    assert "江委法办发〔2022〕1号" in text


def test_a_notice_no_rule_covers_has_no_computed_deadline(tree):
    root = tree("supervision")
    edit(root, SECOND, "kind: 监督建议书", "kind: 监督通知书")  # the rectify rule is for 建议书 only
    stamps = item(root, "notice", SECOND).stamps
    assert stamps["rectify_by"] is None and stamps["escalate_by"] is None


# ---------------------------------------------------------------- findings: each raised by one edit


def test_the_clean_fixture_has_no_finding(tree):
    assert codes(tree("supervision")) == []


def test_rectification_overdue(tree):
    root = tree("supervision")
    edit(root, SECOND, "status: 整改中", "rectify_by: 2026-11-20\nstatus: 整改中")
    [f] = found(root)
    assert (f.code, f.path, f.line, f.agency, f.case_no) == ("S801", SECOND, 11, "town", "测司所监建〔2026〕第2号")
    assert "已逾期 3 天" in f.message and "国务院令第825号" in f.citation


def test_rectified_late(tree):
    root = tree("supervision")
    edit(root, FIRST, "closed_on: 2026-09-28", "closed_on: 2026-10-12")
    [f] = found(root)
    assert (f.code, f.line) == ("S802", 18) and "晚 3 天" in f.message


def test_escalation_missing_and_escalation_late(tree):
    root = tree("supervision")
    edit(root, SECOND, "status: 整改中", "rectify_by: 2026-11-16\nstatus: 整改中")
    missing = {f.code: f for f in found(root)}
    assert set(missing) == {"S801", "S803"}
    assert "最迟 2026-11-19（含当日）向上级报告" in missing["S803"].message
    assert "应在3个工作日内向司法局报告备" in missing["S803"].citation  # the local rule's source, quoted
    edit(root, SECOND, "status: 整改中", "status: 整改中\nescalated_on: 2026-11-20")
    late = {f.code: f for f in found(root)}
    assert set(late) == {"S801", "S804"} and "晚 1 天" in late["S804"].message
    edit(root, SECOND, "escalated_on: 2026-11-20", "escalated_on: 2026-11-19")
    assert codes(root) == ["S801"]  # escalated in time: only the overdue rectification remains


def test_a_follow_up_that_does_not_exist(tree):
    root = tree("supervision")
    edit(root, FIRST, "public: true", "follow_up: 测司监通〔2026〕第1号\npublic: true")
    [f] = found(root)
    assert (f.code, f.line) == ("S805", 19) and "测司监通〔2026〕第1号" in f.message
    follow = root / "supervision/notices/2026/tongzhi-1.yaml"
    follow.write_text((root / FIRST).read_text(encoding="utf-8").replace("id: 测司所监建〔2026〕第1号", "id: 测司监通〔2026〕第1号")
                      .replace("kind: 监督建议书", "kind: 监督通知书").replace("follow_up: 测司监通〔2026〕第1号\n", ""),
                      encoding="utf-8")
    assert codes(root) == []


def test_the_regulation_is_cited_only_once_in_force(tree):
    root = tree("supervision")
    edit(root, SECOND, "issued_on: 2026-11-02", "issued_on: 2025-11-03")
    edit(root, SECOND, "status: 整改中", "rectify_by: 2025-12-01\nstatus: 整改中")
    project = project_mod.load(root, TODAY, use_git=False)
    before = {f.code: f for f in checks.findings(project, dt.date(2026, 1, 20))}  # the regulation in force 2026-02-01
    after = {f.code: f for f in checks.findings(project, TODAY)}
    assert "第二条" not in before["S801"].citation and "第二条" in after["S801"].citation

