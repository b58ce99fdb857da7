"""年度数据 read back from a real build, against an independent count of the YAML files."""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from generator.cli import main

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def site(example_built):
    return example_built / "site"


def independent(year: int) -> dict[str, dict]:
    """Straight from the YAML, not through the generator."""
    out: dict[str, dict] = {}
    for path in (ROOT / "content").glob("*/decisions/*/*.yaml"):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        if d["decided_on"].year != year:
            continue
        for key in (path.parts[-4], "合计"):
            c = out.setdefault(key, {"kinds": Counter(), "fines": Decimal(0), "withdrawn": 0, "penalties": Counter()})
            c["kinds"][d["kind"]] += 1
            c["fines"] += Decimal(str(d.get("fine") or 0))
            c["withdrawn"] += d.get("status", "有效") != "有效"
            if d["kind"] == "行政处罚":
                c["penalties"].update(d.get("penalty_types", []))
    return out


def rows(site, year) -> dict[str, dict[str, str]]:
    data = (site / f"data/statistics/{year}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return {r["执法主体"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}


@pytest.mark.parametrize("year", [2025, 2026])
def test_totals_match_an_independent_count(site, year):
    expected = independent(year)
    got = rows(site, year)
    names = {p.parent.name: yaml.safe_load(p.read_text(encoding="utf-8"))["name"]
             for p in (ROOT / "content").glob("*/agency.yaml")}
    for key, c in expected.items():
        row = got[names.get(key, key)]
        assert int(row["决定总数"]) == sum(c["kinds"].values()), key
        assert int(row["处罚决定"]) == c["kinds"]["行政处罚"] and int(row["许可决定"]) == c["kinds"]["行政许可"]
        assert int(row["检查决定"]) == c["kinds"]["行政检查"] and int(row["强制决定"]) == c["kinds"]["行政强制"]
        assert Decimal(row["罚款金额（元）"]) == c["fines"], key
        assert int(row["撤回（变更、撤销等）"]) == c["withdrawn"]
        assert int(row["处罚：罚款"]) == c["penalties"]["罚款"]


def test_year_page_has_charts_table_and_the_31_january_statement(site):
    html = (site / "statistics/2025/index.html").read_text(encoding="utf-8")
    assert html.count('<svg class="dc-chart"') >= 2 and 'role="img"' in html and "<title id=\"chart-" in html
    assert "<caption>2025年各执法主体作出的执法决定</caption>" in html
    assert "最迟 2026-01-31（含当日）公布" in html
    current = (site / "statistics/2026/index.html").read_text(encoding="utf-8")
    assert "本年度尚未结束" in current
    index = (site / "statistics/index.html").read_text(encoding="utf-8")
    assert "2025年" in index and "2026年" in index


def test_late_publication_after_31_january_is_stated(tree):
    root = tree("minimal")
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("published_on: 2025-10-15", "published_on: 2026-02-03"),
                    encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    html = (root / "site/statistics/2025/index.html").read_text(encoding="utf-8")
    assert "有 1 份本年度的决定在 2026-01-31 以后才公开" in html


def test_supervision_figures_beside_the_enforcement_ones_match_an_independent_count(site):
    """The example county's 2026 notices and coordination, counted straight from the YAML."""
    import datetime as dt
    import html
    import re

    notices = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "supervision/notices").rglob("*.yaml")]
    notices = [n for n in notices if n["issued_on"].year == 2026]
    steps = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (ROOT / "coordination/2026").glob("*.yaml")]
    closed = sum(n["status"] in ("已整改", "已销号") for n in notices)
    on_time = sum(n["status"] in ("已整改", "已销号") and n["closed_on"] <= n["rectify_by"] for n in notices)
    due = sum(n["status"] in ("已整改", "已销号") or dt.date(2026, 11, 23) > n["rectify_by"] for n in notices)
    page = (site / "statistics/2026/index.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    kinds = Counter(n["kind"] for n in notices)
    expect = (f"合计 {kinds['监督建议书']} {kinds['监督通知书']} {kinds['监督决定书']} {closed} {due} {on_time} "
              f"{round(100 * on_time / due, 1)}% {len(steps)} ")
    assert expect in text, expect
    assert "其他单位" in text and "执法监督与 1+X 协作" in text


def test_supervision_figures_only_with_the_supervision_page(tree):
    root = tree("supervision")
    notice = root / "supervision/notices/2026/jianyi-2.yaml"
    notice.write_text(notice.read_text(encoding="utf-8").replace("issued_on: 2026-11-02", "issued_on: 2025-11-03"),
                      encoding="utf-8")
    notice.rename(root / "supervision/notices/2025.yaml")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    page = (root / "site/statistics/2025/index.html").read_text(encoding="utf-8")
    assert "执法监督与 1+X 协作" in page and "<td>100.0%</td>" not in page.split("执法监督与")[1].split("</table>")[0]
    (root / "site_config/site.yaml").write_text("title: 测试县行政执法公示\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    assert "执法监督与" not in (root / "site/statistics/2025/index.html").read_text(encoding="utf-8")


def test_the_year_page_says_how_its_figures_meet_the_data_files(site):
    """179,000 元 of fines on the page against 155,000 元 in the published CSV: the page says, next to the
    table, which part is the published decisions and which the revoked ones, and the parts add up."""
    import html as htmllib
    import re

    for year in (2025, 2026):
        page = (site / f"statistics/{year}/index.html").read_text(encoding="utf-8")
        block = page[page.index('<div class="dc-reconcile">'):]
        block = htmllib.unescape(re.sub(r"<[^>]+>", "", block[:block.index("</div>")]))
        said = re.search(r"本年度作出的 (\d+) 份决定中：(.+?)。", block)
        total, counts = int(said[1]), [int(n) for n in re.findall(r"(\d+) 份", said[2])]
        assert sum(counts) == total == sum(independent(year)["合计"]["kinds"].values()), block
        amount = re.search(r"罚款合计 ([\d,.]+) 元：(.+?)。数据下载中本年度决定的罚款（罚款金额一列）合计 ([\d,.]+) 元", block)
        parts = [Decimal(x.replace(",", "")) for x in re.findall(r"决定 ([\d,.]+) 元", amount[2])]
        assert sum(parts) == Decimal(amount[1].replace(",", "")) == independent(year)["合计"]["fines"]
        # the published part is what the CSV (Chinese headers) adds up to for the year's decisions
        rows = csv.DictReader(io.StringIO((site / "data/decisions.csv").read_text(encoding="utf-8-sig")))
        in_csv = sum(Decimal(r["罚款金额（元）"] or 0) for r in rows if r["作出决定日期"].startswith(str(year)))
        assert Decimal(amount[3].replace(",", "")) == in_csv
        assert f"网站公开的决定 {in_csv:,.2f} 元" in block
    page = (site / "statistics/2026/index.html").read_text(encoding="utf-8")
    assert "已撤销、变更等只公开撤回公告的决定 24,000.00 元" in htmllib.unescape(page)


def test_no_two_figures_of_a_row_share_a_cell(site):
    """Each figure in its own cell with its own label (a phone shows the label beside it): 0 10 0 can
    never read as 100."""
    import re

    page = (site / "statistics/2026/index.html").read_text(encoding="utf-8")
    table = page[page.index('<table class="dc-table dc-cards dc-stats">'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r'<td class="dc-num" data-label="([^"]+)">([^<]*)</td>', table)
    assert len(cells) == 4 * 11  # three agencies and the total, eleven figures each
    assert all(re.fullmatch(r"[\d,.]+%?|—", value) for _label, value in cells), cells


def test_each_year_s_public_fines_add_up_the_data_file_s_fine_column_of_that_year(example_built):
    """The sentence on each year's page: what data/decisions.json shows in full of that year adds up to it."""
    import json
    import re
    from decimal import Decimal

    site = example_built / "site"
    rows = json.loads((site / "data/decisions.json").read_text(encoding="utf-8"))
    checked = 0
    for page in sorted((site / "statistics").glob("*/index.html")):
        year = page.parent.name
        found = re.search(r"罚款金额一列）合计 ([\d,]+\.\d\d) 元", page.read_text(encoding="utf-8"))
        if not found:
            continue
        total = sum((Decimal(repr(float(r["fine"]))) for r in rows
                     if r.get("decided_on", "").startswith(year) and "fine" in r and "status_reason" not in r),
                    Decimal(0))
        assert found.group(1) == f"{total:,.2f}", year
        checked += 1
    assert checked >= 1
