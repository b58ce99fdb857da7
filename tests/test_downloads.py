"""The 数据下载 page, read back from a real build: every export listed with its true size and rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.downloads import COLLECTIONS, columns, describe, headers
from generator.render import flatten

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
        assert re.search(rf'<th scope="row" class="dc-card__title">{label}</th><td class="dc-num" data-label="条数">{rows}\b',
                         html), (label, rows)
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


def test_every_column_has_a_chinese_header_and_meaning_mapped_to_its_json_field(site):
    """CSV headers are Chinese (Excel readers); JSON keeps the contract's field names; the data
    dictionary pairs each header with its field and says what it means."""
    html = (site / "downloads/index.html").read_text(encoding="utf-8")
    for name, (_label, model) in COLLECTIONS.items():
        header = columns(site / f"data/{name}.csv")
        rows = json.loads((site / f"data/{name}.json").read_text(encoding="utf-8"))
        fields = list(dict.fromkeys(f for row in rows for f in flatten(row)))
        assert sorted(headers(model, fields)) == sorted(header), name  # one Chinese header per JSON field
        assert len(set(header)) == len(header), name
        for column, field in zip(headers(model, fields), fields, strict=True):
            assert re.search(r"[\u4e00-\u9fff]", column) and not re.fullmatch(r"[a-z_.0-9]+", column), (name, column)
            meaning = describe(model, field)
            assert re.search(r"[\u4e00-\u9fff]", meaning) and field.split(".")[-1] not in meaning, (name, field)
            assert (f'<td class="dc-card__title" data-label="CSV 列名">{column}</td>'
                    f'<td data-label="JSON 字段"><code>{field}</code></td>') in html, (name, column, field)


def test_csv_and_json_hold_the_same_values_under_their_own_names(site):
    import csv
    import io

    rows = json.loads((site / "data/decisions.json").read_text(encoding="utf-8"))
    table = list(csv.DictReader(io.StringIO((site / "data/decisions.csv").read_text(encoding="utf-8-sig"))))
    assert len(table) == len(rows)
    first = next(r for r in rows if r.get("fine"))
    row = next(t for t in table if t["决定书文号"] == first["case_no"])
    assert row["当事人名称"] == first["party"]["name"] and float(row["罚款金额（元）"]) == first["fine"]
    assert row["应公开日期"] == first["stamps"]["publish_by"]
    powers = list(csv.DictReader(io.StringIO((site / "data/powers.csv").read_text(encoding="utf-8-sig"))))
    assert "执法依据1·法律法规名称" in powers[0] and "执法依据1·条款" in powers[0]


def test_headers_stay_unique_when_two_fields_share_a_title():
    # basis.0.law and basis.1.law share 法律法规名称: the list position tells them apart
    assert headers(COLLECTIONS["powers"][1], ["basis.0.law", "basis.1.law", "code"]) == [
        "执法依据1·法律法规名称", "执法依据2·法律法规名称", "事项编码"]
    # Two objects whose fields share a title: the whole path of titles tells them apart.
    from pydantic import BaseModel, Field

    class Unit(BaseModel):
        name: str = Field(title="名称")

    class Pair(BaseModel):
        issuer: Unit = Field(title="发证机关")
        holder: Unit = Field(title="持证单位")

    assert headers(Pair, ["issuer.name", "holder.name"]) == ["发证机关·名称", "持证单位·名称"]
    assert headers(COLLECTIONS["decisions"][1], ["party.name", "agency", "stamps.sue_by"]) == [
        "当事人名称", "执法主体编号", "提起行政诉讼截止日期"]


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
    assert re.search(r'<th scope="row" class="dc-card__title">权责清单</th><td class="dc-num" data-label="条数">2\b', html)
