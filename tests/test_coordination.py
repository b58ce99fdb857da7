"""1+X 协作记录 (coordination/): both bodies by id or name, references checked, the joint action planned ahead."""

from __future__ import annotations

from supervision_helpers import edit, problems

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
    assert any(p.startswith(f"{TRANSFER}:1:5: 错误 D006 协作文书文号重复，已在 {JOINT}:1") for p in found), found
    assert len(found) == 3


def test_a_joint_action_is_applied_for_before_its_date(tree):
    root = tree("supervision")
    assert problems(root) == []  # lianhe-1: action on 2026-12-08 (after today), applied 2026-11-20
    edit(root, TRANSFER, "done_on: 2026-10-09", "done_on: 2026-09-20")
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
