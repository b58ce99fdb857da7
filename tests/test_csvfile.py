"""Every CSV the site writes: BOM, CRLF, and no cell that Excel would run as a formula."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from generator import csvfile
from generator.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("value", ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=", "-"])
def test_a_cell_that_starts_a_formula_gets_a_quote(value):
    assert csvfile.cell(value) == "'" + value


@pytest.mark.parametrize("value", ["张三", "2025-10-16", "1000", "0.12345", "'=x", " =1", "a=b", "", "（-1）"])
def test_other_cells_are_left_as_they_are(value):
    assert csvfile.cell(value) == value


def test_none_numbers_and_flags_become_text():
    assert [csvfile.cell(v) for v in (None, 0, 12.5, True)] == ["", "0", "12.5", "True"]
    assert csvfile.cell(-3) == "'-3"  # by the first character, whatever the value is


def test_to_bytes_writes_bom_crlf_and_neutralises_header_and_rows():
    data = csvfile.to_bytes(["name", "=x"], [{"name": "@a", "=x": 'say "hi", \nbye'}, {"name": "b"}, ["+c", 1]])
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.count("\r\n") == 4  # three rows and the header; the \n inside is quoted
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["name", "'=x"], ["'@a", 'say "hi", \nbye'], ["b", ""], ["'+c", "1"]]


def cells(path: Path) -> list[str]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), path
    text = raw.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", ""), path  # CRLF only (no cell here holds a line break)
    return [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]


def test_no_csv_in_the_built_site_holds_a_live_formula(tmp_path):
    """Agency, party, power, benchmark, officer and decision text beginning with = + - @ in the
    content: every CSV file the site writes shows it with a quote in front, and no cell anywhere
    starts a formula."""
    root = tmp_path / "formula-in-cells"
    shutil.copytree(FIXTURES / "formula-in-cells", root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    data = root / "site" / "data"
    files = sorted(data.rglob("*.csv"))
    names = {p.relative_to(data).as_posix() for p in files}
    assert {"agencies.csv", "decisions.csv", "officers.csv", "powers.csv", "benchmarks.csv",
            "town/decisions.csv", "town/officers.csv", "town/powers.csv", "town/benchmarks.csv",
            "shuanggongshi/xzcf.csv", "shuanggongshi/xzxk.csv", "statistics/2025.csv"} <= names
    for path in files:
        found = cells(path)
        live = [c for c in found if c.startswith(FORMULA_START)]
        assert not live, (path, live)
        assert any(c.startswith("'") for c in found), f"{path}: the fixture's formula text did not reach it"
    decisions = cells(data / "decisions.csv")
    assert "'=HYPERLINK(\"http://x\",\"点我\")张某某在农田焚烧秸秆。" in decisions  # fact, masked, quoted
    assert "'-1+2经行政复议决定撤销" in decisions
    assert "'+1测试县兴旺建材有限公司" not in decisions  # revoked: its party is no longer shown
    assert "'-1+2对违反规定焚烧秸秆的处罚" in cells(data / "powers.csv")
    assert "'@SUM(A1)李娜" in cells(data / "town/officers.csv")
    assert "'@SUM(A1)违反规定焚烧秸秆" in cells(data / "shuanggongshi/xzcf.csv")
    xzxk = cells(data / "shuanggongshi/xzxk.csv")
    assert "'@某某" in xzxk and "'=测兴政许字〔2025〕第3号" in xzxk  # party name (masked) and case number
    stats = list(csv.reader(io.StringIO((data / "statistics/2025.csv").read_text(encoding="utf-8-sig"), newline="")))
    assert stats[1][0] == "'=HYPERLINK(\"http://x\",\"测试县测试镇人民政府\")" and stats[2][0] == "合计"
