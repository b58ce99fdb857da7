"""disclose check: each supervision finding, and the personal-data guard, on a small tree named for it.

Each tree is the `minimal` fixture with one edit (named in the test), so what
the finding needs is visible in the test itself. The `clean` tree has no
findings at all: it proves the edits, not the fixture, cause them.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import TODAY

from generator import checks
from generator import project as project_mod
from generator.cli import main

DECISION = "content/town/decisions/2025/national-day.yaml"
REVOKED = "content/town/decisions/2025/revoked.yaml"


def edit(root, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def clean(tree):
    """minimal, with the two things in it that are findings made right."""
    root = tree("minimal")
    edit(root, "content/town/officers.yaml", "valid_until: 2026-12-31", "valid_until: 2028-12-31")
    edit(root, REVOKED, "status_reason: 经行政复议决定撤销", "status_reason: 经行政复议决定撤销\nwithdrawn_on: 2025-08-04")
    return root


def found(root, today=TODAY) -> list[checks.Finding]:
    project = project_mod.load(root, today)
    assert project.ok, [p.format() for p in project.problems]
    return checks.findings(project, today)


def codes(root, today=TODAY) -> list[str]:
    return [f.code for f in found(root, today)]


def test_clean_tree_has_no_findings_and_check_exits_0(clean, capsys):
    assert codes(clean) == []
    assert main(["check", "--project", str(clean), "--today", "2026-11-23"]) == 0
    assert "0 项监督发现" in capsys.readouterr().out


def test_late_publication(clean):
    edit(clean, DECISION, "published_on: 2025-10-15", "published_on: 2025-10-20")
    [f] = found(clean)
    assert (f.code, f.path) == ("S101", DECISION)
    assert "最迟 2025-10-16（含当日）公开" in f.message and "实际 2025-10-20 公开" in f.message
    assert "国办发〔2018〕118号" in f.citation


def test_draft_past_its_deadline(clean):
    draft = clean / "drafts/town/decisions/2026/pending.yaml"
    draft.parent.mkdir(parents=True)
    text = (clean / DECISION).read_text(encoding="utf-8")
    draft.write_text(text.replace("测兴政罚决字〔2025〕第1号", "测兴政罚决字〔2026〕第9号")
                     .replace("decided_on: 2025-09-30\npublished_on: 2025-10-15", "decided_on: 2026-10-09"),
                     encoding="utf-8")
    [f] = found(clean)
    assert f.code == "S102" and "草稿" in f.message and f.path == "drafts/town/decisions/2026/pending.yaml"


def test_withdrawal_after_its_deadline(clean):
    edit(clean, REVOKED, "withdrawn_on: 2025-08-04", "withdrawn_on: 2025-08-20")
    [f] = found(clean)
    assert f.code == "S103" and "最迟 2025-08-06（含当日）撤回" in f.message and "第四十八条" in f.citation


def test_withdrawal_never_recorded(tree):
    root = tree("minimal")  # revoked.yaml has no withdrawn_on, and its deadline passed long ago
    assert "S104" in codes(root)


def test_officer_without_a_valid_certificate_that_day(clean):
    edit(clean, "content/town/officers.yaml", "valid_from: 2022-01-01", "valid_from: 2025-10-01")
    found_ = [f for f in found(clean) if f.code == "S201"]
    assert {f.path for f in found_} == {DECISION, REVOKED}
    assert "2025-10-01 才生效" in found_[0].message


def test_officer_whose_status_ended_before_the_decision(clean):
    edit(clean, "content/town/officers.yaml", "  status: 在岗\n- name: 李娜",
         "  status: 注销\n  status_since: 2025-09-01\n- name: 李娜")
    assert [f.code for f in found(clean)] == ["S201"]  # only the decision after 2025-09-01


def test_fewer_than_two_officers(clean):
    edit(clean, DECISION, "officers: ['33070100001', '33070100002']", "officers: ['33070100001']")
    [f] = found(clean)
    assert f.code == "S202" and "第四十二条" in f.citation


def test_fine_outside_the_tier(clean):
    edit(clean, DECISION, "fine: 1000", "fine: 3000")
    [f] = found(clean)
    assert f.code == "S301" and "3,000 元" in f.message and "500 元 至 2,000 元" in f.message
    line, _ = f.line, f.col
    assert (clean / DECISION).read_text(encoding="utf-8").splitlines()[line - 1].startswith("fine:")


def test_a_penalty_under_a_tier_that_imposes_none(clean):
    """A decision citing the 不予处罚 tier (行政处罚法第三十三条) while imposing a fine: S304 at the level
    cited. A 不予行政处罚决定 imposes none: no finding, and no F010 for its empty penalty_types."""
    edit(clean, "content/town/benchmarks.yaml", "  tiers:\n", "  tiers:\n    - level: 不予处罚\n"
         "      circumstances: 初次违法且及时改正\n      penalty: 不予处罚，予以教育\n")
    edit(clean, DECISION, "  level: 一般处罚", "  level: 不予处罚")
    [f] = found(clean)
    assert f.code == "S304" and "给予了罚款" in f.message and "第三十三条" in f.citation
    assert (clean / DECISION).read_text(encoding="utf-8").splitlines()[f.line - 1].strip().startswith("level:")
    edit(clean, DECISION, "penalty_types: [罚款]\nfine: 1000", "penalty_types: []")
    assert "S304" not in codes(clean)


def test_benchmark_not_in_effect(clean):
    edit(clean, "content/town/benchmarks.yaml", "  tiers:", "  effective_from: 2026-01-01\n  tiers:")
    assert set(codes(clean)) == {"S303"}


def test_major_decision_without_legal_review(clean):
    edit(clean, "content/town/powers.yaml", "  category: 行政处罚\n", "  category: 行政处罚\n  major_decision_review: true\n")
    assert codes(clean) == ["S401", "S401"]


def test_legal_review_after_the_decision(clean):
    edit(clean, "content/town/powers.yaml", "  category: 行政处罚\n", "  category: 行政处罚\n  major_decision_review: true\n")
    edit(clean, DECISION, "decided_on: 2025-09-30",
         "legal_review: {reviewer: 测试县司法局, date: 2025-10-02, conclusion: 同意}\ndecided_on: 2025-09-30")
    assert sorted(codes(clean)) == ["S401", "S402"]  # the revoked one still has none


def test_expired_certificate_still_on_duty_and_one_expiring_soon(clean):
    edit(clean, "content/town/officers.yaml", "valid_until: 2027-12-31", "valid_until: 2026-11-01")
    edit(clean, "content/town/officers.yaml", "valid_until: 2028-12-31", "valid_until: 2027-01-31")
    assert sorted(codes(clean)) == ["S501", "S502"]


def test_next_years_calendar_missing_from_december(clean):
    assert "S601" not in codes(clean, TODAY)
    december = TODAY.replace(month=12, day=1)
    assert "S601" in codes(clean, december)
    (clean / "site_config/calendar.yaml").write_text(
        "years:\n  2027:\n    source: 测试用通知\n    holidays: [2027-01-01]\n    workdays: []\n", encoding="utf-8")
    assert "S601" not in codes(clean, december)


def test_check_json_for_ci(tree, capsys):
    root = tree("minimal")
    assert main(["check", "--project", str(root), "--today", "2026-11-23", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {f["code"] for f in data["findings"]} == {"S104", "S502"}
    assert data["publication"]["town"] == {"due": 2, "on_time": 2, "rate": 100.0}
    first = data["findings"][0]
    assert set(first) == {"agency", "path", "line", "col", "code", "rule", "message", "citation", "case_no"}
    by_code = {f["code"]: f for f in data["findings"]}
    assert by_code["S104"]["case_no"] == "测兴政罚决字〔2025〕第2号"  # supervisors write to agencies by 文号
    assert by_code["S502"]["case_no"] is None  # about an officer, not a decision


def test_text_output_names_each_decision_by_its_case_number(tree, capsys):
    root = tree("minimal")
    assert main(["check", "--project", str(root), "--today", "2026-11-23"]) == 1
    out = capsys.readouterr().out
    assert f"{REVOKED}:" in out and "S104 撤回未记录（测兴政罚决字〔2025〕第2号）：" in out


def test_supervision_regulation_is_cited_from_its_effective_date(clean):
    edit(clean, DECISION, "published_on: 2025-10-15", "published_on: 2025-10-20")
    [before] = found(clean, dt.date(2026, 1, 31))
    [after] = found(clean, dt.date(2026, 2, 1))
    assert "国务院令第825号" not in before.citation and "国办发〔2018〕118号" in before.citation
    assert "《行政执法监督条例》（国务院令第825号）第二条" in after.citation and "第六条第一款" in after.citation
    assert after.case_no == "测兴政罚决字〔2025〕第1号"


# ---------------------------------------------------------------- personal-data guard

@pytest.mark.parametrize(("text", "kind"), [
    ("身份证号11010519491231002X", "身份证号"),
    ("旧身份证号110105491231002", "身份证号"),
    ("联系电话13812345678", "手机号码"),
    ("账户6222021234567890128", "银行卡号"),
    ("邮箱 zhangsan@example.com", "电子邮箱"),
])
def test_personal_data_in_public_text_stops_the_build(clean, capsys, text, kind):
    edit(clean, DECISION, "在农田焚烧秸秆。", f"在农田焚烧秸秆。{text}")
    assert main(["validate", "--project", str(clean), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert f"{DECISION}:11:" in err and f"P001 公开文本里有{kind}" in err
    assert text[-6:] not in err  # the number itself is not repeated in the log


def test_numbers_that_are_not_personal_data_pass(clean):
    edit(clean, DECISION, "在农田焚烧秸秆。", "在农田焚烧秸秆（信用代码91330000MA0005211T，证号33070100001，"
                                            "金额12345678901234567元不校验）。")
    assert codes(clean) == []


def test_exemption_lets_it_through_and_is_listed_by_check(clean):
    edit(clean, DECISION, "在农田焚烧秸秆。", "在农田焚烧秸秆（举报电话13812345678为单位值班电话）。")
    edit(clean, DECISION, "decided_on:", "privacy_exempt: {facts: 13812345678 是单位值班电话，不是个人号码}\ndecided_on:")
    [f] = found(clean)
    assert f.code == "S701" and "单位值班电话" in f.message


def test_exemption_for_an_unknown_field_is_an_error(clean, capsys):
    edit(clean, DECISION, "decided_on:", "privacy_exempt: {remarks: 随便}\ndecided_on:")
    assert main(["validate", "--project", str(clean), "--today", "2026-11-23"]) == 1
    assert "P002" in capsys.readouterr().err


def test_supervision_page_only_when_switched_on(tree):
    root = tree("minimal")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert not (root / "site/supervision").exists()
    (root / "site_config/site.yaml").write_text("title: 测试县行政执法公示\nsupervision_page: true\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    html = (root / "site/supervision/index.html").read_text(encoding="utf-8")
    assert "S104 撤回未记录" in html and "S502 执法证即将到期" in html and "第四十八条" in html
    assert "国务院令第825号" in html
    # the finding names the decision by its 文号, linked to its notice; never by its file
    assert re.search(r'S104 撤回未记录</strong>：<a href="[^"]+">测兴政罚决字〔2025〕第2号</a>', html)
    assert ".yaml" not in html
    assert ('<td class="dc-num" data-label="已到期限">2 份</td><td class="dc-num" data-label="按时公开">2 份</td>'
            '<td class="dc-num" data-label="按时公开率">100.0%</td>') in html  # on-time rate per agency, in a table
    assert "supervision/" in (root / "site/index.html").read_text(encoding="utf-8")
