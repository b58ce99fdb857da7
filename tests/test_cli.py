import json

import pytest

from generator.cli import main


def test_schema_writes_json_schemas_with_chinese_titles(tmp_path):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    decision = json.loads((tmp_path / "decision.schema.json").read_text(encoding="utf-8"))
    assert decision["properties"]["case_no"]["title"] == "决定书文号"
    assert decision["additionalProperties"] is False


def test_strict_turns_warnings_into_failure(tree, capsys):
    root = tree("minimal")
    path = root / "content/town/decisions/2025/national-day.yaml"
    (root / "content/town/decisions/2024").mkdir()
    path.rename(root / "content/town/decisions/2024/national-day.yaml")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert main(["validate", "--project", str(root), "--today", "2026-11-23", "--strict"]) == 1
    assert "警告 W003 决定作出于 2025 年，文件却放在 2024 文件夹" in capsys.readouterr().err


def test_bad_today_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--today", "2025-13-01"])
    assert exc.value.code == 2
    assert "日期应为 YYYY-MM-DD" in capsys.readouterr().err
