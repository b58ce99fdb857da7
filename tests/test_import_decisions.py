"""`disclose import decisions`: past decisions from the 双公示 files agencies send to the credit platform.

The round trip takes the example county's own export, adds the columns a migration file must have
(the officers, the tier applied: the 双公示 layout has neither), imports it into a project holding
only the same agencies, officers, items and benchmarks, builds, and expects the same rows byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import xlwt
import yaml

from generator import csvfile
from generator.cli import main
from generator.import_decisions import party_type, penalty_types, type_from_code
from generator.project import load
from generator.shuanggongshi import XZCF, XZXK
from generator.yamlio import read_yaml

REPO = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 23)
AGENCIES = ("scjg", "zonghe", "xinglong-town")


def run(root: Path, book: Path, *extra: str, agency: str = "scjg") -> int:
    return main(["import", "decisions", str(book), "--agency", agency, "--project", str(root),
                 "--today", TODAY.isoformat(), *extra])


def decisions(root: Path, agency: str = "scjg") -> dict[str, dict]:
    out = {}
    for path in sorted((root / "content" / agency / "decisions").rglob("*.yaml")):
        doc, problems = read_yaml(path, path.name)
        assert problems == []
        out[doc.data["case_no"]] = doc.data
    return out


def valid(root: Path) -> bool:
    return main(["validate", "--project", str(root), "--today", TODAY.isoformat()]) == 0


def read_csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


# ---------------------------------------------------------------- the round trip


def empty_county(tmp_path: Path) -> Path:
    """The example county's agencies, officers, items and benchmarks, and no decision."""
    root = tmp_path / "county"
    shutil.copytree(REPO / "site_config", root / "site_config")
    for agency in AGENCIES:
        shutil.copytree(REPO / "content" / agency, root / "content" / agency, ignore=shutil.ignore_patterns("decisions"))
    return root


def migration_file(exported: bytes, columns: list[str], key: str, extra: dict[str, str]) -> bytes:
    """The export with the columns a migration adds, taken from each decision's own record (its case file)."""
    originals = {}
    for path in (REPO / "content").rglob("decisions/*/*.yaml"):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        originals[d["case_no"]] = d
    rows = read_csv(exported)
    for row in rows:
        d = originals[row[key]]
        for column, field in extra.items():
            value = d.get(field) if field != "level" else (d.get("benchmark") or {}).get("level")
            row[column] = "、".join(value) if isinstance(value, list) else value or ""
    return csvfile.to_bytes(columns + list(extra), rows)


def test_the_shuanggongshi_export_imported_into_an_empty_county_exports_the_same_rows(example_built, tmp_path, capsys):
    exported = {name: (example_built / "site/data/shuanggongshi" / name).read_bytes() for name in ("xzcf.csv", "xzxk.csv")}
    assert len(read_csv(exported["xzcf.csv"])) > 20 and read_csv(exported["xzxk.csv"])
    root = empty_county(tmp_path)
    xzcf = tmp_path / "xzcf.csv"
    xzcf.write_bytes(migration_file(exported["xzcf.csv"], XZCF, "行政处罚决定书文号",
                                    {"执法证号": "officers", "裁量阶次": "level"}))
    xzxk = tmp_path / "xzxk.csv"
    xzxk.write_bytes(migration_file(exported["xzxk.csv"], XZXK, "行政许可决定文书号",
                                    {"执法证号": "officers", "认定事实": "facts", "许可依据": "basis"}))
    for agency in AGENCIES:  # one county file, every agency's rows: each agency takes its own
        assert run(root, xzcf, agency=agency) == 0
        assert run(root, xzxk, agency=agency) == 0
    out = capsys.readouterr().out
    assert "属于执法主体 zonghe，不是 scjg 的决定，已跳过" in out
    imported = {aid: decisions(root, aid) for aid in AGENCIES}
    assert sum(map(len, imported.values())) == len(read_csv(exported["xzcf.csv"])) + len(read_csv(exported["xzxk.csv"]))
    assert main(["build", "--project", str(root), "--today", TODAY.isoformat()]) == 0
    for name, data in exported.items():
        assert (root / "site/data/shuanggongshi" / name).read_bytes() == data, name
    # once more: everything is found again, nothing is written twice
    capsys.readouterr()
    assert run(root, xzcf) == 0
    assert "已新增 0 份" in capsys.readouterr().out
    assert decisions(root) == imported["scjg"]


def test_the_layout_alone_names_no_officer_so_nothing_is_imported_and_every_row_says_why(example_built, tmp_path,
                                                                                          capsys):
    exported = example_built / "site/data/shuanggongshi/xzcf.csv"
    rows = read_csv(exported.read_bytes())
    ours = [i + 2 for i, r in enumerate(rows) if r["处罚机关"] == "示例县市场监督管理局"]
    root = empty_county(tmp_path)
    assert run(root, exported) == 1
    err = capsys.readouterr().err
    for number in ours:
        assert f"{exported}:{number}:" in err
    assert err.count("没有承办执法人员：双公示数据里没有这一项，不能凭空填写") == len(ours)
    assert f"有 {len(ours)} 行未能导入" in err
    assert not (root / "content/scjg/decisions").exists()
    assert valid(root)


# ---------------------------------------------------------------- a file from an older platform

HEADER = ["行政相对人名称", "行政相对人类别", "行政相对人代码_1（统一社会信用代码）", "行政相对人代码_2（工商注册号）",
          "法定代表人", "法定代表人证件号码", "证件类型", "证件号码", "行政处罚决定书文号", "违法行为类型", "违法事实",
          "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）", "处罚决定日期",
          "处罚机关", "公示日期", "执法人员", "裁量\n阶次", "备注"]


def older_platform_xls(path: Path, outcome: str = "罚款人民币1234.5元", case_no: str = "示市监罚决字〔2024〕第3号",
                       owner: str = "示例县市场监督管理局", other: str = "示例县综合行政执法局") -> Path:
    rows = [
        ["示例县市场监督管理局行政处罚信息（双公示）"],
        HEADER,
        ["示例县顺达建材经营部（普通合伙）", "法人及非法人组织", "91330000MA00080014", "330700000012345", "钱某",
         "330102197001011234", None, None, case_no, "经营过期食品",
         "2024年3月，当事人销售超过保质期的饮料12瓶。", "《中华人民共和国食品安全法》第一百二十四条", "警告;罚款", outcome,
         0.12345, None, "2024-03-05", owner, "2024-03-08", "王伟、李娜", "从轻", "迁移自原平台"],
        ["张　三", "自然人", None, None, None, None, "身份证", "330102198001011234", "示市监罚决字〔2024〕第4号",
         "不明码标价", "2024年4月，当事人张三销售商品未明码标价。", "《中华人民共和国价格法》第四十二条", "罚款",
         "罚款人民币500元", "0.05", None, "2024年4月2日", "示例县市场监督管理局", "2024.04.03", "王伟（33070300001）、陈静",
         None, None],
        ["示例县百佳超市有限公司", "法人及非法人组织", "91330000MA00080027", None, None, None, None, None,
         "示市监罚决字〔2027〕第1号", "不明码标价", "当事人未明码标价。", "《中华人民共和国价格法》第四十二条", "罚款",
         "罚款人民币1000元", 0.1, None, "2027-01-05", "示例县市场监督管理局", None, "王伟、李娜", None, None],
        ["示例县好又多超市有限公司", "法人", "91330000MA00080027", None, None, None, None, None, "示市监罚决字〔2024〕第5号",
         "不明码标价", "当事人未明码标价。", "《中华人民共和国价格法》第四十二条", "罚款", "罚款人民币1000元", 0.1, None,
         "2024-05-06", "示例县市场监督管理局", None, "王伟、赵六", None, None],
        ["示例县永辉食品店", "个体工商户", "92330000MA00080037", None, None, None, None, None, "示市监罚决字〔2024〕第6号",
         "经营过期食品", "当事人销售过期食品。", "《中华人民共和国食品安全法》第一百二十四条", "暂扣或者吊销许可证",
         "暂扣食品经营许可证", None, None, "2024-06-07", "示例县市场监督管理局", None, "王伟、李娜", "从轻", None],
        ["示例县万家福超市", "法人", "91330000MA0008002X", None, None, None, None, None, "示市监罚决字〔2024〕第7号",
         "不明码标价", "当事人未明码标价。", "《中华人民共和国价格法》第四十二条", "罚款", "罚款人民币2000元", 0.2, None,
         "2024-07-08", "示例县市场监督管理局", None, "王伟、李娜", None, None],
        ["示例县城东餐馆", "个体工商户", "92330000MA00080037", None, None, None, None, None, "示综执罚决字〔2024〕第9号",
         "占道经营", "当事人占道经营。", "《城市道路管理条例》第四十二条", "罚款", "罚款人民币500元", 0.05, None,
         "2024-08-09", other, None, "赵一、钱二", None, None],
    ]
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("行政处罚")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.save(str(path))
    return path


def test_a_file_from_an_older_platform_keeps_its_dates_and_amounts_and_reports_each_bad_row(tree, tmp_path, capsys):
    root = tree("decisions-migration")
    book = older_platform_xls(tmp_path / "双公示报送数据.xls")
    assert run(root, book) == 1
    err, out = (lambda c: (c.err, c.out))(capsys.readouterr())
    where = f"{book}[行政处罚]"
    assert f"{where}:5:17: 错误 T001 Q5 单元格：「作出决定日期」晚于今天（2026-11-23）（这一行暂未导入）" in err
    assert f"{where}:6:20: 错误 R001 T6 单元格：执法人员「赵六」在执法人员名单里找不到（这一行暂未导入）" in err
    assert f"{where}:7:13: 错误 F004 M7 单元格：「处罚类别」里的「暂扣或者吊销许可证」不是行政处罚法第九条的处罚种类" in err
    assert f"{where}:8:3: 错误 F006 C8 单元格：统一社会信用代码无效：校验位不符" in err
    assert err.count(": 错误 ") == 4
    assert f"{where} 第 9 行属于执法主体 zhzf，不是 scjg 的决定，已跳过" in out
    assert f"{where}:2:6: 提示 I001 F2 单元格：「法定代表人证件号码」是个人信息，这一列不导入" in err
    assert f"{where}:2:4: 提示 I001 D2 单元格：「行政相对人代码_2(工商注册号)」没有导入：只保留统一社会信用代码" in err
    got = decisions(root)
    assert set(got) == {"示市监罚决字〔2024〕第3号", "示市监罚决字〔2024〕第4号"}
    first = got["示市监罚决字〔2024〕第3号"]
    assert first["party"] == {"type": "非法人组织", "name": "示例县顺达建材经营部（普通合伙）", "credit_code": "91330000MA00080014"}
    assert first["fine"] == 1234.5  # 0.12345 万元, exactly
    assert first["penalty_types"] == ["警告", "罚款"]
    assert first["published_on"] == dt.date(2024, 3, 8)  # kept from the older platform
    assert first["officers"] == ["33070300001", "33070300002"]  # by name, in the agency's roster
    assert first["power"] == "330703CF001" and first["benchmark"] == {"id": "scjg-B001", "level": "从轻处罚"}
    second = got["示市监罚决字〔2024〕第4号"]
    assert second["party"] == {"type": "自然人", "name": "张三"}
    assert second["decided_on"] == dt.date(2024, 4, 2) and second["fine"] == 500
    assert second["benchmark"] == {"id": "scjg-B002", "level": "一般处罚"}  # its only tier
    assert second["officers"] == ["33070300001", "33070300003"]
    written = "".join(p.read_text(encoding="utf-8") for p in (root / "content/scjg/decisions").rglob("*.yaml"))
    assert "330102" not in written and "钱某" not in written and "迁移自原平台" not in written
    assert sorted(p.relative_to(root).as_posix() for p in (root / "content/scjg/decisions").rglob("*.yaml")) == [
        "content/scjg/decisions/2024/2024-03-05-003.yaml", "content/scjg/decisions/2024/2024-04-02-004.yaml"]
    assert valid(root)
    project = load(root, TODAY, use_git=False)
    entry = next(e for e in project.entries() if e.decision.case_no == "示市监罚决字〔2024〕第3号")
    assert entry.stamps.publication == "按时公开"  # its typed published_on, not the day of the import


def test_reimporting_with_a_changed_cell_updates_that_field_only_with_update(tree, tmp_path, capsys):
    root = tree("decisions-migration")
    run(root, older_platform_xls(tmp_path / "a.xls"))
    path = root / "content/scjg/decisions/2024/2024-03-05-003.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# 已与纸质决定书核对\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    changed = older_platform_xls(tmp_path / "b.xls", outcome="给予警告，并处罚款人民币1234.5元")
    capsys.readouterr()
    run(root, changed)
    out = capsys.readouterr().out
    assert "1 份与现有内容不同，未改动（加 --update 才会更新这些字段）" in out and "不变 1 份" in out
    assert path.read_text(encoding="utf-8") == before
    run(root, changed, "--update")
    after = path.read_text(encoding="utf-8")
    assert "outcome: 给予警告，并处罚款人民币1234.5元" in after and "# 已与纸质决定书核对" in after
    assert set(before.splitlines()) - set(after.splitlines()) == {"outcome: 罚款人民币1234.5元"}
    assert len(decisions(root)) == 2
    assert valid(root)


def test_a_case_number_typed_with_other_brackets_is_the_decision_already_there(tree, tmp_path, capsys):
    """The old platform wrote [2024], the new one 〔2024〕: one decision, found and left as it is kept."""
    root = tree("decisions-migration")
    run(root, older_platform_xls(tmp_path / "a.xls"))
    path = root / "content/scjg/decisions/2024/2024-03-05-003.yaml"
    before = path.read_text(encoding="utf-8")
    capsys.readouterr()
    run(root, older_platform_xls(tmp_path / "b.xls", case_no="示市监罚决字[2024]第 3 号"), "--update")
    out = capsys.readouterr().out
    assert "已新增 0 份" in out and "不变 2 份" in out
    assert len(decisions(root)) == 2 and path.read_text(encoding="utf-8") == before
    assert valid(root)


def test_a_body_that_is_no_agency_of_the_site_is_said_its_second_name_is_the_agency(tree, tmp_path, capsys):
    """示例县市场监督管理局（示例县知识产权局） is the bureau under its second name: imported. 示例县市场监管局 may be
    it too, or another body: its rows are said at the cell (I009), never skipped in silence."""
    root = tree("decisions-migration")
    book = older_platform_xls(tmp_path / "a.xls", owner="示例县市场监督管理局（示例县知识产权局）",
                              other="示例县综合行政执法局【示例县城市管理局】")  # another agency of the site, so written
    run(root, book)
    assert "示市监罚决字〔2024〕第3号" in decisions(root)
    out, err = capsys.readouterr()
    assert f"{book}[行政处罚] 第 9 行属于执法主体 zhzf，不是 scjg 的决定，已跳过" in out and "I009" not in err
    shutil.rmtree(root / "content/scjg/decisions")
    book = older_platform_xls(tmp_path / "b.xls", owner="示例县市场监管局")
    run(root, book)
    err = capsys.readouterr().err
    assert (f"{book}[行政处罚]:3:18: 警告 I009 R3 单元格：处罚机关「示例县市场监管局」不是本站的执法主体，第 3 行没有导入"
            in err)
    assert "示市监罚决字〔2024〕第3号" not in decisions(root)


def test_a_csv_cell_neutralised_by_our_exporter_loses_its_quote(tree, tmp_path):
    root = tree("decisions-migration")
    rows = [{"行政相对人名称": "示例县百佳超市有限公司", "行政相对人类别": "法人及非法人组织",
             "统一社会信用代码": "91330000MA00080027", "行政处罚决定书文号": "示市监罚决字〔2025〕第8号",
             "违法行为类型": "不明码标价", "违法事实": "=当事人未明码标价（原文以等号开头）", "处罚依据": "《中华人民共和国价格法》第四十二条",
             "处罚类别": "罚款", "处罚内容": "-罚款人民币800元", "罚款金额（万元）": "0.08", "处罚决定日期": "2025-02-03",
             "处罚机关": "示例县市场监督管理局", "执法证号": "'33070300001、33070300002"}]
    book = tmp_path / "xzcf.csv"
    book.write_bytes(csvfile.to_bytes(list(rows[0]), rows))
    assert b"'=\xe5\xbd\x93" in book.read_bytes() and b"'-" in book.read_bytes()  # as the exporter wrote them
    assert run(root, book) == 0
    (d,) = decisions(root).values()
    assert d["facts"] == "=当事人未明码标价（原文以等号开头）" and d["outcome"] == "-罚款人民币800元"
    assert d["fine"] == 800 and d["officers"] == ["33070300001", "33070300002"]
    assert valid(root)


def test_a_permit_file_needs_its_item_named_and_power_names_it_for_every_row(tree, tmp_path, capsys):
    root = tree("decisions-migration")
    rows = [{"行政相对人名称": "示例县百佳超市有限公司", "行政相对人类别": "法人及非法人组织",
             "统一社会信用代码": "91330000MA00080027", "行政许可决定文书名称": "准予行政许可决定书",
             "行政许可决定文书号": "示市监许〔2025〕第1号", "许可内容": "准予食品经营许可", "许可决定日期": "2025/3/4",
             "认定事实": "申请材料齐全，符合法定形式。", "许可依据": "《中华人民共和国食品安全法》第三十五条",
             "许可机关": "示例县市场监督管理局", "许可机关统一社会信用代码": "11330000MB0003001A",
             "执法证号": "33070300001、33070300002", "当前状态": "有效"}]
    book = tmp_path / "xzxk.csv"
    book.write_bytes("\n".join([",".join(rows[0]), ",".join(rows[0].values())]).encode("gb18030"))  # Excel's CSV
    assert run(root, book) == 1
    assert "找不到这份决定适用的权责事项" in capsys.readouterr().err
    assert not (root / "content/scjg/decisions").exists()
    assert run(root, book, "--power", "330703XK999") == 1
    assert "--power 330703XK999：没有这个权责事项编码" in capsys.readouterr().err
    assert run(root, book, "--power", "330703XK001") == 0
    (d,) = decisions(root).values()
    assert d["kind"] == "行政许可" and d["power"] == "330703XK001" and d["decided_on"] == dt.date(2025, 3, 4)
    assert d["party"]["type"] == "法人" and "benchmark" not in d
    assert valid(root)


@pytest.mark.parametrize(("given", "name", "expected"), [
    ("法人及非法人组织", "示例县惠民有限公司", "法人"),
    ("法人及非法人组织", "示例县惠民有限公司城东分公司", "非法人组织"),
    ("法人及其他组织", "示例县张记个人独资企业", "非法人组织"),
    ("个体工商户", "示例县张记小吃店", "个体工商户"),
    ("自然人", "张三", "自然人"),
    ("事业单位", "示例县人民医院", None),
])
def test_party_types(given, name, expected):
    assert party_type(given, name) == expected


def test_a_credit_code_states_the_party_type_when_no_column_does():
    assert type_from_code("92330000MA00080037", "示例县永辉食品店") == "个体工商户"
    assert type_from_code("91330000MA00080027", "示例县百佳超市有限公司") == "法人"
    assert type_from_code("91330000MA00080027", "示例县百佳超市有限公司城东分公司") == "非法人组织"
    assert type_from_code("12330000MB0000000X", "示例县人民医院") == "法人"
    assert type_from_code("Y1330000MA0000000X", "某组织") is None and type_from_code(None, "张三") is None


def test_penalty_types_old_and_new_names():
    assert penalty_types("警告；罚款、没收违法所得、没收非法财物") == (["警告", "罚款", "没收违法所得", "没收非法财物"], [])
    assert penalty_types("吊销营业执照;法律、行政法规规定的其他行政处罚") == (["吊销许可证件", "其他"], [])
    assert penalty_types("罚款;责令改正") == (["罚款"], ["责令改正"])


def test_the_staff_guide_lists_the_columns_a_migration_file_may_use(example_built):
    from generator.import_decisions import COLUMNS

    page = (example_built / "site/guide/import/index.html").read_text(encoding="utf-8")
    assert "执法决定（双公示格式" in page
    for column in COLUMNS:
        assert "、".join(column.names) in page, column.field


def test_the_older_national_layout_with_two_penalty_columns(tree, tmp_path, capsys):
    """处罚名称, 处罚类别1 and 处罚类别2, 处罚事由, 处罚结果, 当前状态 正常: the layout before the 2021 standard."""
    root = tree("decisions-migration")
    header = ["行政处罚决定书文号", "处罚名称", "处罚类别1", "处罚类别2", "处罚事由", "处罚依据", "行政相对人名称",
              "行政相对人代码_1(统一社会信用代码)", "法定代表人姓名", "处罚结果", "罚款金额(万元)", "处罚决定日期", "处罚机关",
              "当前状态", "地方编码", "数据更新时间戳", "执法证号"]
    row = ["示市监罚决字〔2023〕第11号", "对不明码标价的处罚", "警告", "罚款", "当事人销售商品未明码标价。",
           "《中华人民共和国价格法》第四十二条", "示例县百佳超市有限公司", "91330000MA00080027", "孙某某",
           "警告，并处罚款人民币300元", "0.03", "2023/6/1", "示例县市场监督管理局", "正常", "330703", "2023-06-02 10:00:00",
           "33070300001、33070300002"]
    book = tmp_path / "行政处罚.csv"
    book.write_bytes(("\r\n".join([",".join(header), ",".join(row)]) + "\r\n").encode("gb18030"))
    assert run(root, book) == 0
    (d,) = decisions(root).values()
    assert d["penalty_types"] == ["警告", "罚款"] and d["fine"] == 300
    assert d["power"] == "330703CF002" and d["benchmark"] == {"id": "scjg-B002", "level": "一般处罚"}
    assert d["facts"] == "当事人销售商品未明码标价。" and d["outcome"] == "警告，并处罚款人民币300元"
    assert d["party"]["type"] == "法人" and "孙某某" not in str(d)
    assert valid(root)
    capsys.readouterr()
    assert main(["import", "powers", str(book), "--agency", "scjg", "--project", str(root), "--power", "x"]) == 2
    assert "--power 只用于 disclose import decisions" in capsys.readouterr().err


def test_a_decision_not_to_punish_is_imported_without_a_penalty(tree, tmp_path, capsys):
    """A 不予行政处罚决定 (行政处罚法第三十三条) cites the 不予处罚 tier and imposes nothing: imported as
    validate takes it, not refused for its empty 处罚类别 (F010)."""
    root = tree("decisions-migration")
    benchmarks = root / "content/scjg/benchmarks.yaml"
    benchmarks.write_text(benchmarks.read_text(encoding="utf-8").replace(
        "  penalty_provision: 《中华人民共和国价格法》第四十二条\n  tiers:\n",
        "  penalty_provision: 《中华人民共和国价格法》第四十二条\n  tiers:\n    - level: 不予处罚\n"
        "      circumstances: 初次违法且及时改正\n      penalty: 不予处罚，予以教育\n", 1), encoding="utf-8")
    path = tmp_path / "不予处罚.csv"
    row = ["示例县百佳超市有限公司", "法人及非法人组织", "91330000MA00080027", None, None, None, None, None,
           "示市监不罚字〔2024〕第1号", "不明码标价", "当事人未明码标价，已当场改正。", "《中华人民共和国价格法》第四十二条",
           None, "不予行政处罚", None, None, "2024-05-06", "示例县市场监督管理局", "2024-05-07", "王伟、李娜", "不予处罚", None]
    path.write_bytes(csvfile.to_bytes(HEADER, [row]))
    assert run(root, path) == 0, capsys.readouterr().err
    got = decisions(root)["示市监不罚字〔2024〕第1号"]
    assert got["benchmark"] == {"id": "scjg-B002", "level": "不予处罚"} and not got.get("penalty_types")
    assert valid(root)
