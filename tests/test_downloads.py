"""The 数据下载 page, read back from a real build: every export listed with its true size and rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.downloads import COLLECTIONS, columns, describe

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def site(example_built):
    return example_built / "site"


def test_every_export_is_listed_with_its_rows(site):
    html = (site / "downloads/index.html").read_text(encoding="utf-8")
    for name in COLLECTIONS:
        for fmt in ("csv", "json"):
            assert f'href="../data/{name}.{fmt}"' in html, (name, fmt)
        rows = len(json.loads((site / f"data/{name}.json").read_text(encoding="utf-8")))
        label = COLLECTIONS[name][0]
        assert re.search(rf"<th scope=\"row\">{label}</th><td>{rows}</td>", html), (label, rows)
    for aid in ("zonghe", "scjg", "xinglong-town"):
        assert f'href="../data/{aid}/decisions.csv"' in html
    assert "xzcf.csv" in html and "xzxk.csv" in html
    assert "数据截至 2026-11-23" in html


def test_agency_files_add_up_to_the_site_wide_ones(site):
    for name in ("decisions", "officers", "powers", "benchmarks"):
        total = json.loads((site / f"data/{name}.json").read_text(encoding="utf-8"))
        parts = sum(len(json.loads(p.read_text(encoding="utf-8"))) for p in site.glob(f"data/*/{name}.json")
                    if p.parent.name not in ("certificates", "shuanggongshi"))
        assert parts == len(total), name


def test_every_column_has_a_chinese_meaning(site):
    html = (site / "downloads/index.html").read_text(encoding="utf-8")
    for name, (_label, model) in COLLECTIONS.items():
        for column in columns(site / f"data/{name}.csv"):
            meaning = describe(model, column)
            assert re.search(r"[\u4e00-\u9fff]", meaning) and column.split(".")[-1] not in meaning, (name, column)
            assert f"<code>{column}</code>" in html


def test_row_count_reads_quoted_line_breaks_and_cells_past_the_csv_field_limit(tmp_path):
    import csv
    import io

    from generator.downloads import row_count

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([["编号", "内容"], ["1", "第一行\r\n第二行"], ["2", '他说"好"'], ["3", "长" * 200_000], ["4", ""]])
    path = tmp_path / "x.csv"
    path.write_text("\ufeff" + buf.getvalue(), encoding="utf-8")
    assert row_count(path) == 4
    path.write_text("\ufeff" + buf.getvalue().rstrip("\r\n"), encoding="utf-8")  # no final line break
    assert row_count(path) == 4
    path.write_text("", encoding="utf-8")
    assert row_count(path) == 0


def test_a_list_of_long_texts_joined_into_one_cell_still_builds(tmp_path):
    """Each text is within its limit, but a power's responsibilities are joined into one CSV cell
    longer than Python's csv field limit (131,072 characters): the downloads page must still count it."""
    import shutil

    from generator.cli import main

    root = tmp_path / "p"
    shutil.copytree(ROOT / "tests/fixtures/minimal", root)
    powers = root / "content/town/powers.yaml"
    step = "受理：对群众举报的焚烧秸秆行为，执法人员应当及时赶赴现场，制止违法行为并固定证据。" * 450
    items = "".join(f"    - 第{i}步　{step}\n" for i in range(1, 9))
    text = powers.read_text(encoding="utf-8").replace(
        "- code: TOWN-JC001", "  responsibilities:\n" + items + "- code: TOWN-JC001", 1)
    powers.write_text(text, encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    site = root / "site"
    csv_text = (site / "data/powers.csv").read_text(encoding="utf-8-sig")
    assert max(len(cell) for cell in csv_text.split('"')) > 131_072
    html = (site / "downloads/index.html").read_text(encoding="utf-8")
    assert re.search(r'<th scope="row">权责清单</th><td>2</td>', html)
