"""双公示 CSVs read back from a real build: national columns, exact 万元, masking, public view only."""

from __future__ import annotations

import csv
import io

from generator.cli import main
from generator.shuanggongshi import XZCF, XZXK, wan

DECISION = "content/town/decisions/2025/national-day.yaml"


def read(path) -> list[dict[str, str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_wan_is_exact():
    assert wan(1234.5) == "0.12345"
    assert wan(22500) == "2.25"
    assert wan(100000) == "10"
    assert wan(0.01) == "0.000001"
    assert wan(None) == ""


def test_xzcf_rows_are_the_public_penalties(tree):
    root = tree("minimal")
    path = root / DECISION
    path.write_text(path.read_text(encoding="utf-8").replace("fine: 1000", "fine: 1234.5\nconfiscation: 300"),
                    encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    out = root / "site/data/shuanggongshi"
    header = (out / "xzcf.csv").read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == XZCF
    rows = read(out / "xzcf.csv")
    assert len(rows) == 1  # the revoked decision is withdrawn: not in the export
    row = rows[0]
    assert row["行政相对人名称"] == "张某某" and row["行政相对人类别"] == "自然人" and row["统一社会信用代码"] == ""
    assert row["罚款金额（万元）"] == "0.12345"
    assert row["没收违法所得、没收非法财物的金额（万元）"] == "0.03"
    assert row["处罚决定日期"] == "2025-09-30" and row["公示截止期"] == "2028-09-30"
    assert row["违法行为类型"] == "违反规定焚烧秸秆" and row["处罚类别"] == "罚款"
    assert row["处罚机关"] == row["数据来源单位"] and len(row["处罚机关统一社会信用代码"]) == 18
    assert "张三丰" not in (out / "xzcf.csv").read_text(encoding="utf-8-sig")
    assert "测兴政罚决字〔2025〕第2号" not in (out / "xzcf.csv").read_text(encoding="utf-8-sig")
    assert read(out / "xzxk.csv") == []
    assert (out / "xzxk.csv").read_bytes().decode("utf-8-sig").splitlines()[0].split(",") == XZXK


def test_example_counts_match_the_decisions_export(example_built):
    import json

    rows = json.loads((example_built / "site/data/decisions.json").read_text(encoding="utf-8"))
    out = example_built / "site/data/shuanggongshi"
    penalties = [r for r in rows if r["kind"] == "行政处罚" and r["status"] == "有效"]
    licences = [r for r in rows if r["kind"] == "行政许可" and r["status"] == "有效"]
    xzcf, xzxk = read(out / "xzcf.csv"), read(out / "xzxk.csv")
    assert len(xzcf) == len(penalties) > 0 and len(xzxk) == len(licences) > 0
    assert {r["行政处罚决定书文号"] for r in xzcf} == {r["case_no"] for r in penalties}
    for r in xzcf:
        for column in ("处罚决定日期", "公示截止期"):
            assert len(r[column]) == 10 and r[column][4] == "-" and r[column][7] == "-", r[column]
