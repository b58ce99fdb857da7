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
