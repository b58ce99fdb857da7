"""`disclose import`: the sample workbooks round-trip; messy sheets import what they can and report the rest."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from generator.cli import main
from generator.importer import KINDS, _apply, _edits
from generator.project import load
from generator.yamlio import parse_text, read_yaml
from generator.yamlwrite import nodes

REPO = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 23)
MINIMAL = REPO / "tests/fixtures/minimal"
AGENCIES = ("scjg", "zonghe", "xinglong-town")


def run(root, what, book, *extra):
    return main(["import", what, str(book), "--agency", "town", "--project", str(root),
                 "--today", TODAY.isoformat(), *extra])


def errors(root):
    return [p.format() for p in load(root, TODAY, use_git=False).problems if p.is_error]


def read(path: Path):
    """A file as the project reads it (YAML 1.2): 330702E001 unquoted would be a float here."""
    doc, problems = read_yaml(path, path.name)
    assert problems == [], problems
    return doc.data


def records(path: Path, kind: str) -> dict:
    """Records by key, read through the model: what the site would show."""
    model, key = KINDS[kind].model, KINDS[kind].key
    return {str(i[key]): model.model_validate(i).model_dump() for i in read(path) or []}


def sheet(wb: Workbook, title: str, rows: list[list], merges: tuple[str, ...] = ()):
    ws = wb.create_sheet(title)
    for row in rows:
        ws.append(row)
    for rng in merges:
        ws.merge_cells(rng)
    return ws


def sample(agency: str) -> Path:
    """The agency's sample workbook: the township's is an old .xls, the others .xlsx."""
    (path,) = (REPO / "templates/workbooks").glob(f"{agency}.xls*")
    return path


def book(tmp_path: Path, name: str, *sheets) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for args in sheets:
        sheet(wb, *args)
    path = tmp_path / name
    wb.save(path)
    return path


# ---------------------------------------------------------------- the sample workbooks


@pytest.mark.parametrize("agency", AGENCIES)
def test_sample_workbook_rebuilds_the_example_agency_exactly(tmp_path, agency):
    """Import each shipped workbook into an empty copy of its agency: the same records come out, valid."""
    root = tmp_path / "county"
    shutil.copytree(REPO / "site_config", root / "site_config")
    shutil.copytree(REPO / "content" / agency, root / "content" / agency,
                    ignore=shutil.ignore_patterns("decisions", "powers.yaml", "benchmarks.yaml", "officers.yaml"))
    for what in ("powers", "benchmarks", "officers"):
        code = main(["import", what, str(sample(agency)), "--agency", agency,
                     "--project", str(root), "--today", TODAY.isoformat()])
        assert code == 0
        file = KINDS[what].file
        assert records(root / "content" / agency / file, what) == records(REPO / "content" / agency / file, what)
    assert errors(root) == []


@pytest.mark.parametrize("agency", AGENCIES)
def test_importing_the_sample_into_its_own_agency_changes_nothing(tmp_path, agency, capsys):
    root = tmp_path / "county"
    shutil.copytree(REPO / "content" / agency, root / "content" / agency, ignore=shutil.ignore_patterns("decisions"))
    before = {p.name: p.read_bytes() for p in (root / "content" / agency).glob("*.yaml")}
    for what in ("powers", "benchmarks", "officers"):
        assert main(["import", what, str(sample(agency)), "--agency", agency,
                     "--project", str(root), "--update"]) == 0
        out = capsys.readouterr().out
        assert "新增 0 项" in out and "不变" in out and "更新" not in out
    assert {p.name: p.read_bytes() for p in (root / "content" / agency).glob("*.yaml")} == before


def test_the_township_sample_is_an_old_xls():
    assert sample("xinglong-town").read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize("agency", AGENCIES)
def test_sample_migration_file_rebuilds_the_example_agency_decisions_exactly(tmp_path, agency):
    """<agency>-decisions.xlsx: the 双公示 columns plus what a migration must add; every decision comes back."""
    from generator.model import Decision

    root = tmp_path / "county"
    shutil.copytree(REPO / "site_config", root / "site_config")
    for other in AGENCIES:
        shutil.copytree(REPO / "content" / other, root / "content" / other, ignore=shutil.ignore_patterns("decisions"))
    assert main(["import", "decisions", str(REPO / "templates/workbooks" / f"{agency}-decisions.xlsx"), "--agency",
                 agency, "--project", str(root), "--today", TODAY.isoformat()]) == 0

    def decisions(base: Path) -> dict:
        found = {}
        for path in (base / "content" / agency / "decisions").rglob("*.yaml"):
            d = Decision.model_validate(read(path))
            found[d.case_no] = (path.relative_to(base).as_posix(), d.model_dump())
        return found

    original = decisions(REPO)
    assert len(original) > 10
    assert decisions(root) == original  # the same records, in files of the same names
    assert errors(root) == []


# ---------------------------------------------------------------- messy sheets


def messy_powers(tmp_path):
    return book(tmp_path, "权责清单（报送版）.xlsx",
                ("填表说明", [["本表由各单位填报，请勿修改表头"], ["联系人：张三"]]),
                ("权责清单", [
                    ["测试镇人民政府权责清单"],
                    ["填报单位：测试镇人民政府", None, None, None, None, "填报日期：2026年1月"],
                    ["序号", "事项名称\n（必填）", "权力编码*", "权力类型", "实施依据", "责任事项", "联系人"],
                    [None, None, None, None, None, None, None],
                    ["一、行政处罚"] * 7,
                    [1, "对在禁止区域露天烧烤的处罚", "TOWN-CF010", "行政处罚类",
                     "《中华人民共和国大气污染防治法》第一百一十八条第三款", "1.受理责任：立案\n2.审查责任：调查取证", "王五"],
                    [2, "对乱倒垃圾的处罚", 330703, "行政处罚", "《测试省市容条例》第二十条；《测试县规定》第五条", None, None],
                    [3, "对占道经营的处罚", "TOWN-CF012", "行政处理", "《测试省市容条例》第十八条", None, None],
                    [4, None, "TOWN-CF013", "行政处罚", "《测试省市容条例》第十九条", None, None],
                    [5, "对违规张贴的处罚", "TOWN-CF014", "行政处罚", "市容条例第二十一条", None, None],
                    ["序号", "事项名称", "权力编码", "权力类型", "实施依据", "责任事项", "联系人"],
                    [6, "对露天烧烤的处罚（重复）", "TOWN-CF010", "行政处罚", "《测试省市容条例》第二十二条", None, None],
                    [None] * 7,
                    [7, "对违规搭建的检查", "TOWN-JC011", "行政检查", "《测试省村庄规划建设管理条例》第三十条", None, None],
                ], ("A1:G1", "A5:G5")))


def test_messy_powers_sheet_imports_the_good_rows_and_reports_each_bad_one(tree, tmp_path, capsys):
    root = tree("minimal")
    path = messy_powers(tmp_path)
    target = root / "content/town/powers.yaml"
    before = target.read_text(encoding="utf-8")
    assert run(root, "powers", path) == 1  # some rows could not be imported
    err = capsys.readouterr().err
    where = f"{path}[权责清单]"
    assert f"{where}:8:4: 错误 F004 D8 单元格：「事项类别」(category)的值不在允许范围内（这一行暂未导入）（填写的是 行政处理）" in err
    assert f"{where}:9:2: 错误 I004 B9 单元格：这一行没有填写「事项名称」" in err
    assert f"{where}:10:5: 错误 I006 E10 单元格：「执法依据」里找不到带书名号的法律法规名称（填写的是 市容条例第二十一条）" in err
    assert f"{where}:12:3: 错误 I005 C12 单元格：「TOWN-CF010」与 {where} 第 6 行重复" in err
    assert f"{where}:3:7: 警告 I001 G3 单元格：不认得的列「联系人」" in err
    assert "Traceback" not in err
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before)  # appended, never rewritten
    imported = records(target, "powers")
    assert set(imported) - set(records(MINIMAL / "content/town/powers.yaml", "powers")) == {
        "TOWN-CF010", "330703", "TOWN-JC011"}
    assert imported["TOWN-CF010"]["category"] == "行政处罚"  # 行政处罚类
    assert imported["TOWN-CF010"]["responsibilities"] == ["受理责任：立案", "审查责任：调查取证"]
    assert [b["law"] for b in imported["330703"]["basis"]] == ["《测试省市容条例》", "《测试县规定》"]
    assert imported["330703"]["basis"][1]["article"] == "第五条"
    assert errors(root) == []


def test_messy_benchmarks_sheet_unmerges_tiers_and_reads_amounts_written_as_text(tree, tmp_path, capsys):
    root = tree("minimal")  # TOWN-CF001 对违反规定焚烧秸秆的处罚
    path = book(tmp_path, "基准.xlsx", ("裁量基准", [
        ["测试镇行政处罚裁量基准"],
        ["事项名称", "违法行为", "处罚依据", "裁量阶次", "适用情形", "处罚标准", "罚款下限（元）", "罚款上限（万元）"],
        ["对违反规定焚烧秸秆的处罚", "违规焚烧秸秆（新）", "《中华人民共和国大气污染防治法》第一百一十九条",
         "从轻", "初次", "处五百元以上一千元以下罚款", "500", "0.1"],
        [None, None, None, "一般", "再次", "处一千元以上一千五百元以下罚款", "1,000元", 0.15],
        [None, None, None, "较重", "多次", "处一千五百元以上两千元以下罚款", "1500", "0.2万元"],
        [None, None, None, None, None, None, None, None],
        ["对违反规定焚烧秸秆的处罚", "在禁烧区焚烧", "《中华人民共和国大气污染防治法》第一百一十九条",
         "轻微", "初次", "批评教育", None, None],
        ["对不存在事项的处罚", "某行为", "某依据", "一般", "一般情形", "罚款", None, None],
    ], ("A1:H1", "A3:A5", "B3:B5", "C3:C5")))
    assert run(root, "benchmarks", path) == 1
    err = capsys.readouterr().err
    where = f"{path}[裁量基准]"
    assert f"{where}:7:4: 错误 F004 D7 单元格：「裁量阶次」(level)的值不在允许范围内" in err and "（填写的是 轻微）" in err
    assert f"{where}:8:1: 错误 I007 A8 单元格：找不到事项名称为「对不存在事项的处罚」的权责事项" in err
    new = {k: v for k, v in records(root / "content/town/benchmarks.yaml", "benchmarks").items() if k != "town-B001"}
    assert list(new) == ["town-B002"]  # numbered after the agency's own
    b = new["town-B002"]
    assert b["power"] == "TOWN-CF001" and b["violation"] == "违规焚烧秸秆（新）"
    assert [(t["level"], t["fine_min"], t["fine_max"]) for t in b["tiers"]] == [
        ("从轻处罚", 500, 1000), ("一般处罚", 1000, 1500), ("从重处罚", 1500, 2000)]
    assert errors(root) == []


def test_messy_officers_sheet_reads_numbers_dates_and_a_combined_validity(tree, tmp_path, capsys):
    root = tree("minimal")
    path = book(tmp_path, "人员.xlsx", ("执法人员名单", [
        ["序号", "姓名", "执法证件号", "执法门类", "有效期"],
        [1, "赵六", 33070100009, "乡镇综合执法", "2022.01.01至2027.12.31"],
        [2, "钱七", "33070100010", "乡镇综合执法", "2023年3月1日-2028年2月29日"],
        [3, "孙八", "33070100011", "乡镇综合执法", "2023-02-30至2028-01-01"],
    ]))
    assert run(root, "officers", path) == 1
    captured = capsys.readouterr()
    assert f"{path}[执法人员名单]:4:5: 错误 I003 E4 单元格：「有效期」读不出起止日期" in captured.err
    assert "工作表「执法人员名单」里没有“证件状态”列：导入的人员按“在岗”处理" in captured.out
    imported = records(root / "content/town/officers.yaml", "officers")
    assert imported["33070100009"]["valid_from"] == dt.date(2022, 1, 1)
    assert imported["33070100010"]["valid_until"] == dt.date(2028, 2, 29)
    assert "33070100011" not in imported
    assert errors(root) == []


def test_a_file_that_is_not_a_workbook_is_a_clear_error(tree, tmp_path, capsys):
    root = tree("minimal")
    bad = tmp_path / "清单.xlsx"
    bad.write_bytes(b"not a zip")
    old = tmp_path / "清单.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert run(root, "powers", bad) == 1
    assert "这是纯文本文件，不是表格" in capsys.readouterr().err
    assert run(root, "powers", old) == 1
    assert "无法作为 .xls（或 WPS .et）工作簿打开" in capsys.readouterr().err
    assert run(root, "powers", tmp_path / "none.xlsx") == 1
    assert "找不到这个文件" in capsys.readouterr().err


# ---------------------------------------------------------------- dry run and --update


def changed_powers(tmp_path):
    return book(tmp_path, "权责清单.xlsx", ("权责清单", [
        ["事项编码", "事项名称", "事项类别", "执法依据", "办理时限"],
        ["TOWN-CF001", "对违反规定露天焚烧秸秆的处罚", "行政处罚", "《中华人民共和国大气污染防治法》第一百一十九条第一款",
         "九十日"],
        ["TOWN-JC001", "对农村建房施工现场的检查", "行政检查", "《测试省村庄规划建设管理条例》第三十条", None],
        ["TOWN-CF020", "对新事项的处罚", "行政处罚", "《测试省条例》第一条", None],
    ]))


def test_dry_run_writes_nothing_and_says_what_would_happen(tree, tmp_path, capsys):
    root = tree("minimal")
    target = root / "content/town/powers.yaml"
    before = target.read_bytes()
    assert run(root, "powers", changed_powers(tmp_path), "--dry-run", "--update") == 0
    out = capsys.readouterr().out
    assert target.read_bytes() == before
    assert "试运行，没有写入任何文件" in out
    assert "将新增 1 项：TOWN-CF020 对新事项的处罚" in out
    assert "事项名称：对违反规定焚烧秸秆的处罚 → 对违反规定露天焚烧秸秆的处罚" in out
    assert "办理时限：（空） → 九十日" in out
    assert "不变 1 项" in out


def test_without_update_existing_records_are_left_alone(tree, tmp_path, capsys):
    root = tree("minimal")
    target = root / "content/town/powers.yaml"
    before = target.read_text(encoding="utf-8")
    assert run(root, "powers", changed_powers(tmp_path)) == 0
    assert "未改动（加 --update 才会更新这些字段）" in capsys.readouterr().out
    after = target.read_text(encoding="utf-8")
    assert after.startswith(before)
    assert "对违反规定露天焚烧秸秆的处罚" not in after and "TOWN-CF020" in after


def test_update_rewrites_only_the_fields_that_differ_and_keeps_comments(tree, tmp_path, capsys):
    root = tree("minimal")
    target = root / "content/town/powers.yaml"
    original = "# 测试镇权责清单（张科长维护，勿删此行）\n" + target.read_text(encoding="utf-8").replace(
        "  category: 行政处罚\n", "  category: 行政处罚  # 2025 年调整\n", 1)
    target.write_text(original, encoding="utf-8")
    assert run(root, "powers", changed_powers(tmp_path), "--update") == 0
    after = target.read_text(encoding="utf-8")
    assert "# 测试镇权责清单（张科长维护，勿删此行）" in after and "  category: 行政处罚  # 2025 年调整" in after
    assert after.count("name: 对违反规定露天焚烧秸秆的处罚") == 1
    assert "name: 对违反规定焚烧秸秆的处罚" not in after
    got = records(target, "powers")
    assert got["TOWN-CF001"]["time_limit"] == "九十日"
    assert got["TOWN-JC001"] == records(MINIMAL / "content/town/powers.yaml", "powers")["TOWN-JC001"]
    # nothing else moved: the file differs from the original only on those lines and the appended item
    removed = set(original.splitlines()) - set(after.splitlines())
    assert removed == {"  name: 对违反规定焚烧秸秆的处罚"}
    assert errors(root) == []
    capsys.readouterr()
    assert run(root, "powers", changed_powers(tmp_path), "--update") == 0
    out = capsys.readouterr().out
    assert "新增 0 项" in out and "不变 3 项" in out


def test_update_replaces_a_changed_tier_table_in_place(tree, tmp_path):
    root = tree("minimal")
    target = root / "content/town/benchmarks.yaml"
    path = book(tmp_path, "基准.xlsx", ("基准", [
        ["基准编号", "事项编码", "违法行为", "处罚依据", "裁量阶次", "适用情形", "处罚标准", "罚款下限", "罚款上限"],
        ["town-B001", "TOWN-CF001", "违反规定焚烧秸秆", "《中华人民共和国大气污染防治法》第一百一十九条第一款",
         "一般处罚", "无从轻、从重情节的", "处五百元以上二千元以下罚款", 500, 1800],
    ]))
    assert run(root, "benchmarks", path, "--update") == 0
    got = records(target, "benchmarks")["town-B001"]
    assert got["tiers"][0]["fine_max"] == 1800
    assert errors(root) == []


def test_a_two_row_header_and_a_formula_without_its_result(tree, tmp_path, capsys):
    """罚款金额（元） merged over 下限 and 上限; a formula cell saved by a program that never computed it."""
    root = tree("minimal")
    wb = Workbook()
    ws = wb.active
    ws.title = "裁量基准"
    ws.append(["序号", "事项编码", "违法行为", "处罚依据", "裁量阶次", "适用情形", "处罚标准", "罚款金额（元）", None])
    ws.append([None, None, None, None, None, None, None, "下限", "上限"])
    ws.append([1, "TOWN-CF001", "焚烧垃圾", "《中华人民共和国大气污染防治法》第一百一十九条", "一般处罚", "初次", "罚款",
               200, 500])
    ws.append([2, "TOWN-CF001", "焚烧落叶", "《中华人民共和国大气污染防治法》第一百一十九条", "一般处罚", "初次", "罚款",
               "=I4/2", 400])
    for col in "ABCDEFG":
        ws.merge_cells(f"{col}1:{col}2")
    ws.merge_cells("H1:I1")
    path = tmp_path / "两行表头.xlsx"
    wb.save(path)
    assert run(root, "benchmarks", path) == 1
    captured = capsys.readouterr()
    assert f"{path}[裁量基准]:4:8: 错误 I003 H4 单元格：「罚款金额(元)下限」是公式，文件里没有它的计算结果" in captured.err
    got = {b["violation"]: b for b in records(root / "content/town/benchmarks.yaml", "benchmarks").values()}
    assert [(t["fine_min"], t["fine_max"]) for t in got["焚烧垃圾"]["tiers"]] == [(200, 500)]
    assert "焚烧落叶" not in got
    assert "benchmarks.yaml 里另有 1 项不在表中，保持不变（导入从不删除）：town-B001" in captured.out


# ---------------------------------------------------------------- what is written reads back as it was in the sheet

LOOKALIKES = ["330702E001", "330702e5", "1e5", "0x1F", "0o7", "010", ".inf", ".NaN", "true", "False", "null", "~",
              "2026-03-02", "#8号", "- 9", "*10", "&11", "!12", "%13", "@14", "`15", "'16", '"17', "18: 甲", "19 #乙",
              "[20]", "{21}", "? 22", "|23", ">24", "---", "..."]


def test_certificate_numbers_that_look_like_numbers_dates_or_syntax_stay_text(tree, tmp_path, capsys):
    root = tree("minimal")
    rows = [["姓名", "执法证号", "执法类别", "所在科室", "有效期起", "有效期止"]]
    rows += [[f"人员{i}", number, "乡镇综合执法", "第1中队\n（城东）" if i == 0 else "true", "2026-01-01",
              "2030-12-31"] for i, number in enumerate(LOOKALIKES)]
    path = book(tmp_path, "人员.xlsx", ("执法人员", rows))
    assert run(root, "officers", path) == 0
    items = read(root / "content/town/officers.yaml")
    got = {i["name"]: i for i in items}
    assert [got[f"人员{i}"]["certificate_no"] for i in range(len(LOOKALIKES))] == LOOKALIKES
    assert got["人员0"]["unit"] == "第1中队\n（城东）" and got["人员1"]["unit"] == "true"
    assert "certificate_no: '330702E001'" in (root / "content/town/officers.yaml").read_text(encoding="utf-8")
    assert errors(root) == []
    assert set(LOOKALIKES) <= set(load(root, TODAY, use_git=False).officers())
    capsys.readouterr()
    assert run(root, "officers", path, "--update") == 0  # read back equal: nothing to add or change
    out = capsys.readouterr().out
    assert "新增 0 项" in out and f"不变 {len(LOOKALIKES)} 项" in out and "更新" not in out


@pytest.mark.parametrize("text", [
    "[]\n",
    "# 执法人员名单\n[ ]  # 暂无\n",
    "# 执法人员名单（只有注释）\n",
    "[{name: 王伟, certificate_no: '33070100001', field: 乡镇综合执法, valid_from: 2022-01-01,\n"
    "  valid_until: 2027-12-31, status: 在岗}]  # 2025 年\n",
])
def test_import_into_a_list_file_written_in_brackets_or_only_comments(tree, tmp_path, text):
    root = tree("minimal")
    target = root / "content/town/officers.yaml"
    target.write_text(text, encoding="utf-8")
    old = read(target) or []
    path = book(tmp_path, "人员.xlsx", ("执法人员", [
        ["姓名", "执法证号", "执法类别", "有效期起", "有效期止"],
        ["赵六", "33070100009", "乡镇综合执法", "2026-01-01", "2030-12-31"],
        ["钱七", "330701E010", "乡镇综合执法", "2026-01-01", "2030-12-31"],
    ]))
    assert run(root, "officers", path) == 0
    after = target.read_text(encoding="utf-8")
    items = read(target)
    assert items[:len(old)] == old
    assert [(i["name"], i["certificate_no"]) for i in items[len(old):]] == [("赵六", "33070100009"),
                                                                            ("钱七", "330701E010")]
    for comment in ("执法人员名单", "暂无", "只有注释", "2025 年"):
        assert (comment in text) == (comment in after), comment


def test_update_after_a_block_scalar_into_an_empty_field_and_in_a_bracketed_item(tree, tmp_path):
    root = tree("minimal")
    target = root / "content/town/powers.yaml"
    original = (
        "# 测试镇权责清单\n"
        "- code: TOWN-CF001\n"
        "  name: 对违反规定焚烧秸秆的处罚\n"
        "  category: 行政处罚\n"
        "  time_limit:\n"
        "  basis:\n"
        "    - law: 《中华人民共和国大气污染防治法》\n"
        "      article: 第一百一十九条第一款\n"
        "  delegated_from: |\n"
        "    示例县\n"
        "    综合行政执法局\n"
        "- {code: TOWN-JC001, name: 对农村建房施工现场的检查, category: 行政检查,  # 检查事项\n"
        "   basis: [{law: 《测试省村庄规划建设管理条例》, article: 第三十条}]}\n"
        "# 以上两项\n"
    )
    target.write_text(original, encoding="utf-8")
    path = book(tmp_path, "权责清单.xlsx", ("权责清单", [
        ["事项编码", "事项名称", "事项类别", "执法依据", "办理时限", "下放或委托机关", "业务主管部门"],
        ["TOWN-CF001", "对违反规定焚烧秸秆的处罚", "行政处罚", "《中华人民共和国大气污染防治法》第一百一十九条第一款",
         "2026-03-02", "0x1F", "true"],
        ["TOWN-JC001", "对农村建房施工现场的检查", "行政检查", "《测试省村庄规划建设管理条例》第三十条", "1e5", None,
         "# 乡镇"],
    ]))
    assert run(root, "powers", path, "--update") == 0
    after = target.read_text(encoding="utf-8")
    first, second = read(target)
    assert (first["time_limit"], first["delegated_from"], first["supervisor_department"]) == ("2026-03-02", "0x1F",
                                                                                             "true")
    assert first["basis"] == [{"law": "《中华人民共和国大气污染防治法》", "article": "第一百一十九条第一款"}]
    assert (second["code"], second["time_limit"], second["supervisor_department"]) == ("TOWN-JC001", "1e5", "# 乡镇")
    assert second["basis"] == [{"law": "《测试省村庄规划建设管理条例》", "article": "第三十条"}]
    assert after.startswith(original[:original.index("  time_limit:")])  # the lines before the edit untouched
    assert "# 检查事项" in after and after.endswith("# 以上两项\n")
    assert errors(root) == []


UPDATE_BASE = (
    "# 测试镇权责清单（张科长维护）\n"
    "- code: TOWN-CF001\n"
    "  name: 对违反规定焚烧秸秆的处罚   # 名称以三定方案为准\n"
    "  time_limit:\n"
    "  category: 行政处罚\n"
    "- code: TOWN-JC001\n"
    "  name: 对农村建房施工现场的检查\n"
)
# What a cell may hold once sheets.text has read it: no control characters (nor what the YAML reader refuses
# with them, Y008: line separators, bidirectional controls, non-characters).
REFUSED = "\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufffe\uffff"
text_values = st.text(st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t",
                                    exclude_characters=REFUSED)) | st.sampled_from(LOOKALIKES)


@settings(max_examples=200, deadline=None)
@given(name=text_values, limit=text_values, added=text_values)
def test_update_splices_any_text_so_that_it_reads_back_as_written(name, limit, added):
    """--update's splices: a value replaced, an empty value filled, a field added; the rest byte for byte."""
    item = nodes(UPDATE_BASE).value[0]
    data = {"code": "TOWN-CF001", "name": "对违反规定焚烧秸秆的处罚", "time_limit": None, "category": "行政处罚"}
    text = _apply(UPDATE_BASE, _edits(UPDATE_BASE, item, [("name", name), ("time_limit", limit),
                                                          ("delegated_from", added)], data))
    doc, problems = parse_text(text, "powers.yaml")
    assert problems == []
    assert doc.data == [{"code": "TOWN-CF001", "name": name.strip(), "time_limit": limit.strip(), "category": "行政处罚",
                         "delegated_from": added.strip()},
                        {"code": "TOWN-JC001", "name": "对农村建房施工现场的检查"}]
    assert "   # 名称以三定方案为准\n" in text and text.endswith("- code: TOWN-JC001\n  name: 对农村建房施工现场的检查\n")


def test_an_agency_id_outside_content_is_refused(tree, tmp_path, capsys):
    root = tree("minimal")
    (tmp_path / "x").mkdir()
    (tmp_path / "x/agency.yaml").write_text("id: x\n", encoding="utf-8")  # a real agency.yaml two levels up
    with pytest.raises(SystemExit) as exit_:
        main(["import", "officers", str(tmp_path / "book.xlsx"), "--agency", "../../x", "--project", str(root)])
    assert exit_.value.code == 2
    assert "执法主体编号只能用小写字母、数字和连字符" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "x").iterdir()) == ["agency.yaml"]
    from generator import importer

    with pytest.raises(importer.ImportAbort, match="执法主体编号只能用"):
        importer.run(root, "officers", tmp_path / "book.xlsx", "../../x", today=TODAY, shown_path="book.xlsx")


def test_a_file_saved_on_windows_keeps_its_bom_and_line_endings(tree, tmp_path):
    root = tree("minimal")
    target = root / "content/town/powers.yaml"
    original = "\ufeff# 权责清单\r\n" + (MINIMAL / "content/town/powers.yaml").read_text(encoding="utf-8").replace(
        "\n", "\r\n")
    target.write_bytes(original.encode("utf-8"))
    assert run(root, "powers", changed_powers(tmp_path), "--update") == 0
    after = target.read_bytes().decode("utf-8")
    assert after.startswith("\ufeff# 权责清单\r\n- code: TOWN-CF001\r\n") and after.count("\n") == after.count("\r\n")
    assert set(original.split("\r\n")) - set(after.split("\r\n")) == {"  name: 对违反规定焚烧秸秆的处罚"}
    got = records(target, "powers")
    assert got["TOWN-CF001"]["time_limit"] == "九十日" and "TOWN-CF020" in got
    assert errors(root) == []
