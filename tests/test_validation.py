"""Each content mistake ends as path:line:col with a Chinese message and a hint, all in one run."""

import datetime as dt

from generator.cli import main
from generator.project import load

TODAY = dt.date(2026, 11, 23)
DECISION = "content/town/decisions/2025/national-day.yaml"


def edit(root, rel, old, new):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(root):
    return [p.format() for p in load(root, TODAY, use_git=False).problems if p.is_error]


def test_clean_fixture_has_no_errors(tree):
    assert problems(tree("minimal")) == []


def test_every_mistake_reported_in_one_run_with_positions(tree, capsys):
    root = tree("minimal")
    edit(root, DECISION, "decided_on: 2025-09-30", "decided_on: 2025-02-30")
    edit(root, DECISION, "fine: 1000", "fine: 1000\nfien: 3")
    edit(root, "content/town/officers.yaml", "certificate_no: '33070100002'", "certificate_no: 33070100002")
    edit(root, "content/town/agency.yaml", "credit_code: 11330000MB0000001L", "credit_code: 11330000MB0000001X")
    edit(root, "content/town/powers.yaml", "category: 行政检查", "category: 检查")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert f"{DECISION}:18:13: 错误 Y006 日期不存在（填写的是 2025-02-30）。提示：" in err
    assert f"{DECISION}:16:1: 错误 F002 未知字段「fien」。提示：是不是想写「fine」？" in err
    assert "content/town/officers.yaml:8:19: 错误 F003 「执法证号」(certificate_no)应为文字，这里写成了数字（填写的是 33070100002）" in err
    assert "content/town/agency.yaml:4:14: 错误 F006 统一社会信用代码无效：校验位不符（按前17位计算应为 L）" in err
    assert "content/town/powers.yaml:9:13: 错误 F004 「事项类别」(category)的值不在允许范围内（填写的是 检查）。提示：只能填写：行政许可" in err
    # the badly typed certificate also leaves revoked.yaml citing an unknown officer (R001): 6 in all
    assert lines[-1].startswith("共 6 个错误")
    assert "Traceback" not in err


def test_duplicate_yaml_key_and_cross_references(tree):
    root = tree("minimal")
    edit(root, DECISION, "kind: 行政处罚", "kind: 行政处罚\nkind: 行政许可")
    edit(root, DECISION, "officers: ['33070100001', '33070100002']", "officers: ['33070100001', '99999']")
    edit(root, DECISION, "level: 一般处罚", "level: 从重处罚")
    edit(root, "content/town/decisions/2025/revoked.yaml", "power: TOWN-CF001", "power: TOWN-JC001")
    edit(root, "content/town/decisions/2025/revoked.yaml", "第2号", "第1号")
    found = problems(root)
    assert f"{DECISION}:3:1: 错误 Y002 字段「kind」重复出现（填写的是 kind）。提示：同一层里每个字段只能写一次，请删除或合并重复的一行" in found
    assert any(f.startswith(f"{DECISION}:17:27: 错误 R001 执法证号不存在（填写的是 99999）") for f in found)
    assert any(f.startswith(f"{DECISION}:10:10: 错误 R004 该裁量基准没有“从重处罚”这一阶次") for f in found)
    assert any("revoked.yaml:7:8: 错误 R005 行政处罚决定引用的事项类别是“行政检查”" in f for f in found)
    assert any("revoked.yaml:1:10: 错误 D001 决定书文号重复，已在 content/town/decisions/2025/national-day.yaml:1 用过" in f
               for f in found)


def test_decision_after_today_and_alias_bomb(tree):
    root = tree("minimal")
    edit(root, DECISION, "decided_on: 2025-09-30", "decided_on: 2026-12-01")
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(9))
    (root / "content/town/decisions/2025/bomb.yaml").write_text(bomb, encoding="utf-8")
    found = problems(root)
    assert any(f.startswith(f"{DECISION}:17:13: 错误 T001 作出决定日期晚于今天（2026-11-23）") for f in found)
    assert any("bomb.yaml:1:4: 错误 Y003 不支持 YAML 锚点与别名" in f for f in found)


def test_yaml_syntax_and_encoding_errors(tree):
    root = tree("minimal")
    (root / "content/town/decisions/2025/gbk.yaml").write_bytes("case_no: 测试".encode("gbk"))
    (root / "content/town/decisions/2025/tab.yaml").write_text("party:\n\tname: x\n", encoding="utf-8")
    (root / "content/town/decisions/2025/colon.yaml").write_text("facts: 甲: 乙: 丙\n", encoding="utf-8")
    found = problems(root)
    assert any("gbk.yaml:1:10: 错误 Y004 文件不是 UTF-8 编码" in f for f in found)
    assert any("tab.yaml:2:1: 错误 Y001 行首用了 Tab 缩进" in f for f in found)
    assert any("colon.yaml:1:9: 错误 Y001 YAML 格式错误" in f and "冒号" in f for f in found)


def test_bom_and_windows_line_endings_are_accepted(tree):
    root = tree("minimal")
    path = root / DECISION
    path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))
    assert problems(root) == []
