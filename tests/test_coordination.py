"""1+X 协作记录 (coordination/): both bodies by id or name, references checked, the joint action planned ahead."""

from __future__ import annotations

import pytest
from supervision_helpers import codes, edit, found, item, problems

from generator.cli import main

TRANSFER = "coordination/2026/yisong-1.yaml"
JOINT = "coordination/2026/lianhe-1.yaml"


def test_bodies_references_and_duplicates(tree):
    root = tree("supervision")
    edit(root, TRANSFER, "from: town", "from: twn")
    edit(root, TRANSFER, "subject: 无证经营食品摊贩案件移送",
         "subject: 无证经营食品摊贩案件移送\nrelated: {decision: 测兴政罚决字〔2025〕第7号}")
    edit(root, JOINT, "kind: 联合执法", "id: 测兴政移〔2026〕第1号\nkind: 联合执法")
    found = problems(root)
    assert any(p.startswith(f"{TRANSFER}:3:7: 错误 R012") and "twn" in p for p in found), found
    assert any(p.startswith(f"{TRANSFER}:8:") and "R013" in p for p in found), found  # one reference, no list: read
    assert any(p.startswith(f"{TRANSFER}:1:5: 错误 D008 协作文书文号重复，已在 {JOINT}:1") for p in found), found
    assert len(found) == 3


def test_a_joint_action_is_applied_for_before_its_date(tree):
    root = tree("supervision")
    assert problems(root) == []  # lianhe-1: action on 2026-12-08 (after today), applied 2026-11-20
    edit(root, TRANSFER, "done_on: 2026-10-08", "done_on: 2026-09-20")
    [p] = problems(root)
    assert p.startswith(f"{TRANSFER}:6:") and "T002 办理日期早于起算日 2026-09-28" in p


def test_from_is_written_as_from(tree, capsys):
    root = tree("supervision")
    edit(root, TRANSFER, "from: town", "form: town")
    unknown, missing = sorted(problems(root), key=lambda p: "F001" in p)
    assert "F002 未知字段「form」" in unknown and "是不是想写「from」" in unknown
    assert "F001 缺少必填字段「发起方」(from)" in missing
    assert main(["new", "coordination", "--agency", "town", "--kind", "协助请求", "--project", str(root),
                 "--today", "2026-11-23"]) == 0
    text = (root / "coordination/2026/2026-11-23.yaml").read_text(encoding="utf-8")
    assert "\nfrom: town " in text and "kind: 协助请求" in text and "from_" not in text


def test_a_public_record_on_a_site_without_the_supervision_page_is_said_to_show_nowhere(tree, capsys):
    """A coordination record is published on the 执法监督 page only: `public: true` without that page is a
    warning at the key, with the way out, never a silence; with the page, no warning."""
    root = tree("supervision")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert "W006" not in capsys.readouterr().err
    edit(root, "site_config/site.yaml", "supervision_page: true", "supervision_page: false")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0  # a warning
    err = capsys.readouterr().err
    assert f"{JOINT}:7:9: 警告 W006 这条协作记录写了 public: true，但本站没有执法监督页" in err
    assert err.count("W006") == 1  # the other records are not public
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1


# ---------------------------------------------------------------- deadlines on the working-day clock

GAOZHI = "coordination/2026/gaozhi-1.yaml"


def due_of(root, text: str) -> tuple[str, str]:
    path = root / "coordination/2026/probe.yaml"
    path.write_text(text, encoding="utf-8")
    count = item(root, "coordination", "coordination/2026/probe.yaml").stamps["due_by"]
    return (count.date.isoformat() if count else None), (count.explain() if count else "")


@pytest.mark.parametrize(("record", "due", "said"), [
    ("kind: 案件移送\nfrom: town\nto: 测试县公安局\nstarted_on: 2026-09-28",  # 09-29, 09-30, then 10-01…07 off
     "2026-10-08", "跳过节假日：2026-10-01至2026-10-07"),
    ("kind: 案件移送\nurgent: true\nfrom: town\nto: 测试县公安局\nstarted_on: 2026-09-30",  # 24 hours: never rolled
     "2026-10-01", "按1日计算"),
    ("kind: 信息告知\nfrom: 测试县住建局\nto: town\nstarted_on: 2026-09-28",  # the 10-10 Saturday is a workday
     "2026-10-16", "计入调休上班日：2026-10-10"),
    ("kind: 信息告知\nurgent: true\nfrom: 测试县住建局\nto: town\nstarted_on: 2026-10-01", "2026-10-01", "按0日计算"),
    ("kind: 协助请求\nfrom: town\nto: 测试县住建局\nstarted_on: 2026-02-12",  # 02-13, 02-14 (Sat, worked), 02-24…26
     "2026-02-26", "2026-02-15至2026-02-23（春节，9天）"),
    ("kind: 协助请求\nfrom: town\nto: 测试县司法局\nstarted_on: 2026-04-03",  # the 司法局's 3 days (seed 000), 04-06 off
     "2026-04-09", "江委法办发〔2022〕1号"),
    ("kind: 联合执法\nfrom: town\nto: 领导小组办公室\nstarted_on: 2026-10-08",  # 5 days ahead, plain dates
     "2026-10-03", "起向前推算"),
    ("kind: 争议协调\nfrom: town\nto: 测试县委编办\nstarted_on: 2026-10-08", None, ""),  # no period set
])
def test_each_kind_s_deadline_across_a_holiday(tree, record, due, said):
    got, explained = due_of(tree("supervision"), record + "\nsubject: 测试\n")
    assert got == due
    assert said in explained


def test_late_and_missing_steps(tree):
    root = tree("supervision")
    edit(root, TRANSFER, "done_on: 2026-10-08", "done_on: 2026-10-09")
    edit(root, GAOZHI, "started_on: 2026-11-10\ndone_on: 2026-11-16", "started_on: 2026-11-02")
    by_code = {f.code: f for f in found(root)}
    assert set(by_code) == {"S821", "S822"}
    late, missing = by_code["S822"], by_code["S821"]
    assert (late.path, late.agency, late.case_no) == (TRANSFER, "town", "测兴政移〔2026〕第1号")
    assert "最迟 2026-10-08（含当日）移送（3个工作日），实际 2026-10-09，晚 1 天" in late.message
    assert "应在3个工作日内移送" in late.citation  # 武政发〔2021〕15号, quoted from the register
    assert (missing.path, missing.agency) == (GAOZHI, "测试县自然资源和规划局")  # the notifying body
    assert "最迟 2026-11-16（含当日）告知" in missing.message


def test_a_request_is_the_asked_body_s_to_answer(tree):
    root = tree("supervision")
    (root / "coordination/2026/xiezhu.yaml").write_text(
        "kind: 协助请求\nfrom: 测试县住建局\nto: town\nstarted_on: 2026-11-02\nsubject: 请求出具违法建筑认定意见\n",
        encoding="utf-8")
    [f] = found(root)
    assert (f.code, f.agency) == ("S821", "town")
    (root / "coordination/2026/xiezhu.yaml").unlink()
    assert codes(root) == []
