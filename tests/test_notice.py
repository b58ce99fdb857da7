"""监督文书 (supervision/notices/): read to the contract, every mistake located, all at once."""

from __future__ import annotations

import re

from supervision_helpers import edit, problems

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
        (SECOND, 1, "D006", "测司所监建〔2026〕第1号"), (SECOND, 11, "F008", None),
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
