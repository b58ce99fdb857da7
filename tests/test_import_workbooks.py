"""A county's first day: the 权责清单, 执法人员名单 and 裁量基准 it already has, in the layouts agencies publish.

The workbooks are built here the way offices make them: old .xls (one of them named .xlsx), title rows,
header cells with line breaks and spaces, a column repeated, no item codes, 子项 under a merged 事项名称 or
left blank below the first, one sheet per category named 行政处罚（3项）, group title rows, several laws in
one 实施依据 cell, full-width spaces inside names. Each import must take every good row, report every
other row with its sheet, row and reason, and leave a project that validates.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
import xlwt
from openpyxl import Workbook
from openpyxl.styles import Alignment

from generator import sheets
from generator.cli import main
from generator.importer import item_code, parse_basis
from generator.project import load
from generator.yamlio import read_yaml

TODAY = dt.date(2026, 11, 23)

SAFETY_LAW = ("【法律】《中华人民共和国安全生产法》（2021年修正）第九十七条　生产经营单位有下列行为之一的，"
              "责令限期改正，处十万元以下的罚款……\n【地方性法规】《示例省安全生产条例》第五十一条")


def run(root: Path, what: str, book: Path, *extra: str, agency: str = "yjgl") -> int:
    return main(["import", what, str(book), "--agency", agency, "--project", str(root), "--today", TODAY.isoformat(),
                 *extra])


def validate(root: Path) -> list[str]:
    assert main(["validate", "--project", str(root), "--today", TODAY.isoformat()]) == 0
    return [p.format() for p in load(root, TODAY, use_git=False).problems if p.is_error]


def items(path: Path) -> list[dict]:
    doc, problems = read_yaml(path, path.name)
    assert problems == []
    return doc.data or []


# ---------------------------------------------------------------- an .xls 权责清单, one sheet per category


def _xls_sheet(wb: xlwt.Workbook, title: str, rows: list[list], merges: list[tuple[int, int, int, int]] = ()):
    """rows are written from the top; merges are (first_row, last_row, first_col, last_col), 0-based as xlwt has it."""
    ws = wb.add_sheet(title)
    wrap = xlwt.easyxf("align: wrap on")
    merged = {(r0, c0): (r1, c1) for r0, r1, c0, c1 in merges}
    covered = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in merged:
                r1, c1 = merged[(r, c)]
                ws.write_merge(r, r1, c, c1, value, wrap)
            elif (r, c) not in covered and value is not None:
                ws.write(r, c, value, wrap)
    return ws


POWER_HEADER_A = ["序号", "事 项\n名 称", "子项\n名称", "权力\n类型", "实施依据", "行使主体", "承办机构", "实施层级及权限",
                  "部门职责", "责任事项内容", "责任事项依据", "追责对象范围", "追责情形", "备注", "备注"]


def powers_xls(path: Path, *, edited: bool = False) -> Path:
    """The layout of the city's 22 workbooks: no code column, 事项 over 子项, a sheet per category."""
    wb = xlwt.Workbook(encoding="utf-8")
    _xls_sheet(wb, "填表说明", [["1. 每个子项单独一行；2. 事项名称合并单元格；3. 依据写明条款"]])
    first = "对生产经营单位未按规定履行安全生产管理职责的处罚"
    second = "对未按规定对从业人员进行安全生产教育和培训的处罚"
    rows = [
        ["示例县应急管理局权责清单"] + [None] * 14,
        ["（行政处罚类）", None, None, None, None, None, None, None, None, None, None, None, "填报时间：2025年6月"]
        + [None] * 2,
        POWER_HEADER_A,
        [1, first, "1.对生产经营单位的决策机构、主要负责人不依照本法规定保证安全生产所必需的资金投入的处罚",
         None, SAFETY_LAW, "示例县应急管理局", "执法大队", "县级：全部", "负责辖区安全生产监督管理",
         "1.立案责任：对发现的违法行为予以审查，决定是否立案。\n2.调查责任：全面、客观、公正地调查。",
         "《中华人民共和国行政处罚法》第五十四条", "承办人员、审核人员", "1.对违法行为不予制止、处罚的；\n2.违反法定程序实施处罚的",
         "无", "含乡镇委托事项"],
        [None, None, "2.对单位主要负责人", None,
         "【法律】《中华人民共和国安全生产法》（2021年修正）第九十三条 生产经营单位的决策机构、主要负责人……",
         "示例县应急管理局", "执法大队", "县级：全部", None, "同上", None, None, "同上", None, None],
        [2, second if not edited else second.replace("教育和培训", "教育　和　培训"), "1.对未如实记录安全生产教育和培训情况的处罚",
         None, "《中华人民共和国安全生产法》第九十七条第一款第（三）项" if not edited
         else "《中华人民共和国安全生产法》第九十七条第一款第（三）项；《示例省安全生产条例》第五十一条",
         "示例县应急管理局", "执法大队", "县级：全部", None, "1.立案责任\n2.调查责任", None, None, "不履行职责的", None, None],
        [None, None, "2.对未按规定进行安全培训考核的处罚", None, None, None, None, None, None, None, None, None, None,
         None, None],
        [3, "对危险化学品经营单位违规经营的处罚", None, None, "安全生产法第一百条", "示例县应急管理局", None, None, None,
         None, None, None, None, None, None],
        [4, "对违规储存烟花爆竹的处罚", None, None, "【行政法规】《烟花爆竹安全管理条例》", "示例县应急管理局", None, None,
         None, None, None, None, None, None, None],
    ]
    if edited:
        rows.append([5, "对矿山企业未按规定设置安全生产管理机构的处罚", None, None,
                     "《中华人民共和国矿山安全法》第四十条", "示例县应急管理局", None, None, None, None, None, None, None,
                     None, None])
    _xls_sheet(wb, "行政处罚（3项）", rows, [(0, 0, 0, 14), (3, 4, 1, 1), (3, 4, 0, 0)])
    _xls_sheet(wb, "行政检查（1项）", [
        ["示例县应急管理局权责清单（行政检查）"],
        POWER_HEADER_A,
        [1, "对生产经营单位执行安全生产法律法规情况的监督检查", None, "行政检查",
         "【法律】《中华人民共和国安全生产法》第六十五条 应急管理部门和其他负有安全生产监督管理职责的部门依法开展安全生产行政执法工作",
         "示例县应急管理局", "执法大队", "县级", None, "检查责任", None, None, "未依法检查的", None, None],
    ])
    wb.save(str(path))
    return path


def test_an_xls_named_xlsx_with_subitems_one_sheet_per_category_imports_and_validates(tree, tmp_path, capsys):
    root = tree("first-day")
    book = powers_xls(tmp_path / "应急局权责清单（2025版）.xlsx")  # an .xls under an .xlsx name
    assert book.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert run(root, "powers", book) == 1  # two rows cannot be imported
    captured = capsys.readouterr()
    err, out = captured.err, captured.out
    where = f"{book}[行政处罚（3项）]"
    assert f"{where}:8:5: 错误 I006 E8 单元格：「执法依据」里找不到带书名号的法律法规名称" in err
    assert f"{where}:9:5: 错误 I006 E9 单元格：「执法依据」里《烟花爆竹安全管理条例》没有写明条款" in err
    assert "Traceback" not in err and err.count("错误 ") == 2
    assert "工作表「填表说明」：没有找到权责清单的表头，已跳过" in out
    assert "其中 5 项表中没有事项编码：编码由主体、类别和事项名称生成" in out
    got = {p["name"]: p for p in items(root / "content/yjgl/powers.yaml")}
    assert len(got) == 5  # four 子项 and one 检查事项
    sub = got["对生产经营单位的决策机构、主要负责人不依照本法规定保证安全生产所必需的资金投入的处罚"]
    assert sub["category"] == "行政处罚"  # from the sheet's name
    assert sub["code"] == item_code("yjgl", "行政处罚", sub["name"]) and sub["code"].startswith("yjgl-CF-")
    assert sub["basis"] == [
        {"law": "《中华人民共和国安全生产法》（2021年修正）", "article": "第九十七条",
         "text": "生产经营单位有下列行为之一的，责令限期改正，处十万元以下的罚款……"},
        {"law": "《示例省安全生产条例》", "article": "第五十一条"}]
    assert sub["responsibilities"] == ["立案责任：对发现的违法行为予以审查，决定是否立案", "调查责任：全面、客观、公正地调查"]
    assert sub["accountability"] == ["对违法行为不予制止、处罚的", "违反法定程序实施处罚的"]
    extra = {e["label"]: e["text"] for e in sub["extra"]}
    assert extra == {"主项名称": "对生产经营单位未按规定履行安全生产管理职责的处罚", "行使主体": "示例县应急管理局",
                     "承办机构": "执法大队", "实施层级及权限": "县级：全部", "部门职责": "负责辖区安全生产监督管理",
                     "责任事项依据": "《中华人民共和国行政处罚法》第五十四条", "追责对象范围": "承办人员、审核人员",
                     "备注": "无\n含乡镇委托事项"}  # the repeated 备注 column: both cells kept
    # a short 子项 name says little alone: it is named with its 事项; the merged 事项名称 covered it
    short = got["对生产经营单位未按规定履行安全生产管理职责的处罚（对单位主要负责人）"]
    assert short["basis"][0]["article"] == "第九十三条" and "extra" in short
    assert short["responsibilities"] == sub["responsibilities"]  # 「同上」: the cell above
    # 子项 below a blank 事项名称: the blank cells of the row are the 事项's (“same as above”)
    blank_below = got["对未按规定进行安全培训考核的处罚"]
    assert blank_below["basis"] == [{"law": "《中华人民共和国安全生产法》", "article": "第九十七条第一款第（三）项"}]
    assert blank_below["responsibilities"] == ["立案责任", "调查责任"]
    check = got["对生产经营单位执行安全生产法律法规情况的监督检查"]
    assert check["category"] == "行政检查" and check["code"].startswith("yjgl-JC-")
    assert validate(root) == []


def test_reimporting_an_edited_workbook_updates_instead_of_duplicating(tree, tmp_path, capsys):
    root = tree("first-day")
    target = root / "content/yjgl/powers.yaml"
    run(root, "powers", powers_xls(tmp_path / "清单.xls"))
    before = {p["code"]: p for p in items(target)}
    capsys.readouterr()
    # a year later: a law added to one item, an item added, spaces typed into a name
    assert run(root, "powers", powers_xls(tmp_path / "清单（修订）.xls", edited=True), "--update") == 1
    out = capsys.readouterr().out
    after = {p["code"]: p for p in items(target)}
    assert len(after) == len(before) + 1 and set(before) < set(after)
    assert "已新增 1 项" in out and "2 项已更新以下字段" in out and "不变 3 项" in out
    assert out.count("：执法依据：1 项 → 2 项") == 2  # the 子项 below inherits the 事项's cells
    new = next(p for code, p in after.items() if code not in before)
    assert new["name"] == "对矿山企业未按规定设置安全生产管理机构的处罚"
    changed = next(p for p in after.values() if p["name"].startswith("对未如实记录"))
    assert [b["law"] for b in changed["basis"]] == ["《中华人民共和国安全生产法》", "《示例省安全生产条例》"]
    assert target.read_text(encoding="utf-8").count("code: ") == len(after)
    assert validate(root) == []


# ---------------------------------------------------------------- an .xlsx in the 项目 / 职权类型 / 职权编码 layout


def powers_xlsx_b(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "权力清单"
    rows = [
        ["示例县综合行政执法局权力清单"],
        ["序号", "职权编码", "项目", "职权类型", "实施对象", "设定依据", "法定期限\n（工作日）", "承诺期限\n（工作日）", "收费依据",
         "责任事项", "责任主体", "诉求渠道"],
        ["一、行政许可（2项）"],
        [1, "330702XK001", "城市建筑垃圾处置核准", "行政许可", "法人、其他组织",
         "《城市建筑垃圾管理规定》第七条；《示例省城市市容和环境卫生管理条例》第二十八条", 20, 5, "不收费",
         "1.受理阶段责任：公示应当提交的材料\n2.审查阶段责任：对申请材料进行审查", "县综合行政执法局审批科",
         "监督电话：0571-12345678"],
        [2, None, "临时占用城市道路审批", "行政许可", "公民、法人、其他组织", "《城市道路管理条例》第三十一条", 20, 3, "不收费",
         None, "审批科", "12345"],
        ["二、行政处罚（1项）"],
        [3, None, "对擅自占用城市道路的处罚", None, "公民、法人、其他组织", "《城市道路管理条例》第四十二条", 90, None,
         None, None, "执法大队", "值班手机 13812345678"],
        [4, None, "对擅自在城市道路上设置户外广告的处罚", None, "公民、法人、其他组织", "《示例省户外广告管理条例》第三十条",
         None, None, None, None, "执法大队", None],
    ]
    for row in rows:
        ws.append(row)
    ws.merge_cells("A1:L1")
    for cell in ws[2]:
        cell.alignment = Alignment(wrap_text=True)
    wb.save(path)
    return path


def test_the_xiangmu_layout_with_group_rows_and_time_limits(tree, tmp_path, capsys):
    root = tree("first-day")
    book = powers_xlsx_b(tmp_path / "权力清单.xlsx")
    assert run(root, "powers", book, agency="zhzf") == 1
    err = capsys.readouterr().err
    # a mobile number in a public column: validate would refuse it, so the row is not written
    assert f"{book}[权力清单]:7:12: 错误 P001 L7 单元格：公开文本里有手机号码（这一行暂未导入）" in err
    got = {p["name"]: p for p in items(root / "content/zhzf/powers.yaml")}
    assert set(got) == {"城市建筑垃圾处置核准", "临时占用城市道路审批", "对擅自在城市道路上设置户外广告的处罚"}
    assert got["对擅自在城市道路上设置户外广告的处罚"]["category"] == "行政处罚"  # from the group title row above it
    first = got["城市建筑垃圾处置核准"]
    assert first["code"] == "330702XK001" and first["category"] == "行政许可"
    assert first["time_limit"] == "法定期限：20个工作日；承诺期限：5个工作日"
    assert first["responsibilities"] == ["受理阶段责任：公示应当提交的材料", "审查阶段责任：对申请材料进行审查"]
    assert {e["label"]: e["text"] for e in first["extra"]} == {
        "实施对象": "法人、其他组织", "收费依据": "不收费", "责任主体": "县综合行政执法局审批科",
        "诉求渠道": "监督电话：0571-12345678"}
    assert got["临时占用城市道路审批"]["code"] == item_code("zhzf", "行政许可", "临时占用城市道路审批")
    assert validate(root) == []


def test_an_ods_sheet_reads_a_covered_cell_as_blank_below_the_first(tree, tmp_path):
    """.ods: calamine gives no merged ranges, a covered cell reads empty; the 子项 still finds its 事项."""
    root = tree("first-day")
    rows = [
        ["事项名称", "子项名称", "权力类型", "实施依据"],
        ["对违反消防安全规定行为的处罚", "对单位的处罚", "行政处罚", "《中华人民共和国消防法》第六十条"],
        [None, "对个人的处罚", None, None],
    ]
    book = tmp_path / "清单.xlsx"  # an .ods under an .xlsx name
    write_ods(book, "行政处罚", rows, spans={(1, 0): 2})
    assert run(root, "powers", book) == 0
    names = [p["name"] for p in items(root / "content/yjgl/powers.yaml")]
    assert names == ["对违反消防安全规定行为的处罚（对单位的处罚）", "对违反消防安全规定行为的处罚（对个人的处罚）"]
    assert validate(root) == []


def write_ods(path: Path, title: str, rows: list[list], spans: dict[tuple[int, int], int] = (),
              hidden_rows: set[int] = frozenset(), hidden_cols: set[int] = frozenset()) -> None:
    """A minimal OpenDocument spreadsheet, as LibreOffice writes it (no writer is installed here).
    hidden_rows, hidden_cols: 0-based, written as LibreOffice writes a hidden row (visibility="collapse")
    and a filtered-out one (visibility="filter"), each column as its own element."""
    spans = dict(spans)
    body = []
    covered = {(r + i, c) for (r, c), n in spans.items() for i in range(1, n)}
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                cells.append("<table:covered-table-cell/>")
            elif value is None:
                cells.append("<table:table-cell/>")
            else:
                span = f' table:number-rows-spanned="{spans[(r, c)]}"' if (r, c) in spans else ""
                cells.append(f'<table:table-cell office:value-type="string"{span}><text:p>{escape(str(value))}'
                             "</text:p></table:table-cell>")
        shown = "" if r not in hidden_rows else f' table:visibility="{"filter" if r % 2 else "collapse"}"'
        body.append(f"<table:table-row{shown}>" + "".join(cells) + "</table:table-row>")
    width = max(len(row) for row in rows)
    columns = "".join('<table:table-column table:visibility="collapse"/>' if c in hidden_cols else "<table:table-column/>"
                      for c in range(width))
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="{escape(title)}">' + columns
               + "".join(body) + "</table:table></office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------- officers and benchmarks


def officers_xls(path: Path) -> Path:
    wb = xlwt.Workbook(encoding="utf-8")
    _xls_sheet(wb, "Sheet1", [
        ["示例县行政执法人员名单（2025年度）"] + [None] * 6,
        ["序号", "姓　名", "性别", "单　位", "执法类别", "执法证号", "有效期"],
        [1, "王　伟", "男", "示例县应急管理局", "安全生产", 33070100101.0, "2022.01.01-2027.12.31"],
        [2, "欧阳　修", "男", "示例县应急管理局执法大队", "安全生产", "33070100102", "2023.03.01—2028.02.29"],
        [3, "李　娜", "女", "示例县综合行政执法局", "综合行政执法", "33070200103", "2022.01.01-2027.12.31"],
        [4, "赵　六", "女", "示例县应急管理局", "安全生产", "33070100104", "长期"],
    ], [(0, 0, 0, 6)])
    _xls_sheet(wb, "Sheet2", [])
    wb.save(str(path))
    return path


def test_an_officer_roster_in_xls_with_validity_in_one_cell(tree, tmp_path, capsys):
    root = tree("first-day")
    book = officers_xls(tmp_path / "执法人员名单.xls")
    assert run(root, "officers", book) == 1
    captured = capsys.readouterr()
    assert f"{book}[Sheet1]:6:7: 错误 I003 G6 单元格：「有效期」读不出起止日期" in captured.err
    assert f"{book}[Sheet1]:2:3: 提示 I001 C2 单元格：「性别」是个人信息，这一列没有导入" in captured.err
    assert f"{book}[Sheet1] 第 5 行是示例县综合行政执法局（zhzf）的执法人员，不属于本主体，已跳过" in captured.out
    assert "没有“证件状态”列：导入的人员按“在岗”处理" in captured.out
    got = {o["certificate_no"]: o for o in items(root / "content/yjgl/officers.yaml")}
    assert set(got) == {"33070100101", "33070100102"}
    assert got["33070100101"] == {"name": "王伟", "certificate_no": "33070100101", "field": "安全生产",
                                  "valid_from": dt.date(2022, 1, 1), "valid_until": dt.date(2027, 12, 31), "status": "在岗"}
    assert got["33070100102"]["name"] == "欧阳修" and got["33070100102"]["unit"] == "执法大队"
    assert validate(root) == []


def benchmarks_xlsx(path: Path, power_name: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "裁量基准"
    rows = [
        ["示例县应急管理局行政处罚裁量基准"],
        ["（2025年修订）"],
        ["序号", "事项名称", "违法行为", "法律依据", "处罚依据", "裁量\n阶次", "违法情节", "处罚标准", "罚款下限\n（万元）",
         "罚款上限\n（万元）"],
        [1, power_name, "未如实记录安全生产教育和培训情况", "《中华人民共和国安全生产法》第二十八条第四款",
         "《中华人民共和国安全生产法》第九十七条", "从轻", "首次发现且及时改正的", "责令限期改正，处一万元以下罚款", 0, 1],
        [None, None, None, None, None, "一般", "逾期未改正的", "处一万元以上五万元以下罚款", 1, 5],
        [None, None, None, None, None, "从重", "造成后果的", "处五万元以上十万元以下罚款", 5, 10],
        [2, "对不存在的事项的处罚", "某违法行为", None, "《某法》第一条", "一般", "一般情形", "罚款", None, None],
    ]
    for row in rows:
        ws.append(row)
    for rng in ("A1:J1", "A2:J2", "A4:A6", "B4:B6", "C4:C6", "D4:D6", "E4:E6"):
        ws.merge_cells(rng)
    wb.save(path)
    return path


def test_a_benchmark_table_with_merged_violations_finds_its_item_by_name(tree, tmp_path, capsys):
    root = tree("first-day")
    run(root, "powers", powers_xls(tmp_path / "清单.xls"))
    name = "对未如实记录安全生产教育和培训情况的处罚"
    book = benchmarks_xlsx(tmp_path / "裁量基准.xlsx", name.replace("安全生产", "安全　生产"))
    capsys.readouterr()
    assert run(root, "benchmarks", book) == 1
    err = capsys.readouterr().err
    assert f"{book}[裁量基准]:7:2: 错误 I007 B7 单元格：找不到事项名称为「对不存在的事项的处罚」的权责事项" in err
    (bench,) = items(root / "content/yjgl/benchmarks.yaml")
    assert bench["id"] == "yjgl-B001" and bench["power"] == item_code("yjgl", "行政处罚", name)
    assert bench["violated_provision"] == "《中华人民共和国安全生产法》第二十八条第四款"  # 法律依据 beside 处罚依据
    assert [(t["level"], t["fine_min"], t["fine_max"]) for t in bench["tiers"]] == [
        ("从轻处罚", 0, 10000), ("一般处罚", 10000, 50000), ("从重处罚", 50000, 100000)]
    assert validate(root) == []


# ---------------------------------------------------------------- the pieces


@pytest.mark.parametrize(("cell", "expected", "lacking"), [
    ("《中华人民共和国行政许可法》第十二条；《国务院对确需保留的行政审批项目设定行政许可的决定》附件第101项",
     [{"law": "《中华人民共和国行政许可法》", "article": "第十二条"},
      {"law": "《国务院对确需保留的行政审批项目设定行政许可的决定》", "article": "附件第101项"}], []),
    ("1.《中华人民共和国消防法》第十五条、第十六条\n2.《示例省消防条例》第二十条第二款",
     [{"law": "《中华人民共和国消防法》", "article": "第十五条、第十六条"},
      {"law": "《示例省消防条例》", "article": "第二十条第二款"}], []),
    # a law cited inside the quoted provision is not an entry of its own
    ("【法律】《中华人民共和国食品安全法》第一百二十二条：“违反本法规定，依照《中华人民共和国行政处罚法》处罚。”",
     [{"law": "《中华人民共和国食品安全法》", "article": "第一百二十二条",
       "text": "违反本法规定，依照《中华人民共和国行政处罚法》处罚。"}], []),
    ("【部门规章】《示例办法》（国家市场监督管理总局令第1号）第十条之一第二款",
     [{"law": "《示例办法》（国家市场监督管理总局令第1号）", "article": "第十条之一第二款"}], []),
    ("《示例条例》有关规定。", [], ["《示例条例》"]),
])
def test_basis_cells_split_into_law_article_and_text(cell, expected, lacking):
    assert parse_basis(cell) == (expected, lacking)


def test_item_codes_do_not_change_with_spaces_or_bracket_widths():
    a = item_code("yjgl", "行政处罚", "对违反《安全生产法》（2021年）规定的处罚")
    assert a == item_code("yjgl", "行政处罚", " 对违反　《安全生产法》(2021年)规定的处罚 ")
    assert a != item_code("yjgl", "行政检查", "对违反《安全生产法》（2021年）规定的处罚")
    assert a != item_code("zhzf", "行政处罚", "对违反《安全生产法》（2021年）规定的处罚")


@pytest.mark.parametrize(("data", "kind"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "xls"),
    (b"<html><body><table><tr><td>1</td></tr></table>", "html"),
    (b"%PDF-1.7", "pdf"),
    ("序号,事项名称\n1,对某某的处罚\n".encode("gb18030"), "csv"),
    ("\ufeff行政相对人名称,行政相对人类别\n".encode(), "csv"),
    ("只是一段说明文字".encode(), "text"),
])
def test_formats_are_told_apart_by_their_bytes(data, kind):
    assert sheets.sniff(data) == kind


def test_a_web_page_saved_as_xls_says_what_it_is(tree, tmp_path, capsys):
    root = tree("first-day")
    page = tmp_path / "导出.xls"
    page.write_text("<html><table><tr><td>事项名称</td></tr></table></html>", encoding="utf-8")
    assert run(root, "powers", page) == 1
    assert "其实是网页（HTML）格式的表格" in capsys.readouterr().err


def test_rows_validate_would_refuse_across_files_are_reported_not_written(tree, tmp_path, capsys):
    """A certificate another agency already lists; a benchmark of an item that does not exist or is not a 处罚."""
    root = tree("first-day")
    (root / "content/zhzf/officers.yaml").write_text(
        "- name: 李娜\n  certificate_no: '33070200103'\n  field: 综合行政执法\n  valid_from: 2022-01-01\n"
        "  valid_until: 2027-12-31\n  status: 在岗\n", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.title = "人员"
    for row in (["姓名", "执法证号", "执法类别", "有效期起", "有效期止", "证件状态"],
                ["李娜", "33070200103", "安全生产", "2023-01-01", "2028-01-01", "在岗"],
                ["周强", "33070100105", "安全生产", "2023-01-01", "2022-01-01", "在岗"],
                ["吴敏", "33070100106", "安全生产", "2023-01-01", "2028-01-01", "注销"],
                ["郑洁", "33070100107", "安全生产", "2023-01-01", "2028-01-01", "有效"]):
        ws.append(row)
    wb.save(book := tmp_path / "人员.xlsx")
    assert run(root, "officers", book) == 1
    err = capsys.readouterr().err
    assert f"{book}[人员]:2:2: 错误 D002 B2 单元格：「33070200103」已是执法主体 zhzf 的执法证号，全站只能出现一次" in err
    assert f"{book}[人员]:3:5: 错误 F009 E3 单元格：证件有效期止早于有效期起" in err
    assert f"{book}[人员]:4:6: 错误 F008 F4 单元格：证件状态为“注销”，没有状态变更日期" in err
    assert [o["name"] for o in items(root / "content/yjgl/officers.yaml")] == ["郑洁"]  # 有效 is 在岗
    run(root, "powers", powers_xls(tmp_path / "清单.xls"))
    check = next(p["code"] for p in items(root / "content/yjgl/powers.yaml") if p["category"] == "行政检查")
    wb = Workbook()
    ws = wb.active
    for row in (["事项编码", "违法行为", "处罚依据", "裁量阶次", "适用情形", "处罚标准"],
                [check, "未接受检查", "《中华人民共和国安全生产法》第一百零八条", "一般", "一般情形", "罚款"],
                ["yjgl-CF-00000000", "某行为", "《某法》第一条", "一般", "一般情形", "罚款"]):
        ws.append(row)
    wb.save(book := tmp_path / "基准.xlsx")
    capsys.readouterr()
    assert run(root, "benchmarks", book) == 1
    err = capsys.readouterr().err
    assert ":2:1: 错误 R005 A2 单元格：对应的事项类别是“行政检查”，不是行政处罚" in err
    assert ":3:1: 错误 R002 A3 单元格：对应的事项编码不存在" in err
    assert not (root / "content/yjgl/benchmarks.yaml").exists()
    assert validate(root) == []


def test_control_characters_in_cells_are_dropped_not_the_import(tree, tmp_path, capsys):
    """A pasted bell in an .xls cell, Excel's _x0007_ escape in an .xlsx: the reader refuses them in YAML
    (Y008), so they are dropped from the cell and the rows still import and validate."""
    root = tree("first-day")
    wb = xlwt.Workbook(encoding="utf-8")
    _xls_sheet(wb, "Sheet1", [
        ["序号", "姓名", "单位", "执法类别", "执法证号", "有效期"],
        [1, "王\x07伟", "示例县应急管理局", "安全\x0c生产", "33070100101", "2022.01.01-2027.12.31"],
        [2, "欧阳修_x0007_", "示例县应急管理局", "安全生产", "33070100102", "2023.03.01-2028.02.29"],
    ])
    book = tmp_path / "名单.xls"
    wb.save(str(book))
    assert run(root, "officers", book) == 0, capsys.readouterr().err
    got = {o["certificate_no"]: o for o in items(root / "content/yjgl/officers.yaml")}
    assert got["33070100101"]["name"] == "王伟" and got["33070100101"]["field"] == "安全生产"
    assert got["33070100102"]["name"] == "欧阳修"
    assert validate(root) == []


def test_a_large_csv_with_a_bom_is_recognised_as_csv():
    """The sniffer decodes a 4 KB sample: a Chinese character cut at its end used to read as binary with a BOM."""
    row = "示例县应急管理局,对未按规定进行安全培训的处罚,行政处罚\r\n"
    data = ("\ufeff" + "实施主体,事项名称,事项类别\r\n" + row * 200).encode("utf-8")
    for cut in range(4090, 4100):  # wherever the 4,096-byte sample ends
        assert sheets.sniff(data[:cut] + data[4100:]) == "csv"


# ---------------------------------------------------------------- hidden rows and columns

HIDDEN_ROWS = [
    ["行政处罚类权责清单"],
    ["事项名称", "子项名称", "权力类型", "实施依据", "内部说明"],
    ["对违反消防安全规定行为的处罚", "对单位的处罚", "行政处罚", "《中华人民共和国消防法》第六十条", None],
    ["对已经取消的事项的处罚", None, "行政处罚", "《中华人民共和国消防法》第六十一条", "2025年取消"],
    [None, "对个人的处罚", None, None, None],
    ["对占用消防车通道的处罚", None, "行政处罚", "《中华人民共和国消防法》第六十条", None],
]


def _hidden_book(fmt: str, path: Path, rows: list[int], cols: list[int]) -> Path:
    """HIDDEN_ROWS with `rows` and `cols` (0-based) hidden, as Excel, WPS (an .xls) and LibreOffice write it."""
    if fmt == "xlsx":
        wb = Workbook()
        ws = wb.active
        ws.title = "行政处罚"
        for row in HIDDEN_ROWS:
            ws.append(row)
        for r in rows:
            ws.row_dimensions[r + 1].hidden = True
        for c in cols:
            ws.column_dimensions["ABCDE"[c]].hidden = True
        wb.save(path)
    elif fmt == "xls":
        wb = xlwt.Workbook(encoding="utf-8")
        ws = _xls_sheet(wb, "行政处罚", HIDDEN_ROWS)
        for r in rows:
            ws.row(r).hidden = True
        for c in cols:
            ws.col(c).hidden = True
        wb.save(str(path))
    else:
        write_ods(path, "行政处罚", HIDDEN_ROWS, hidden_rows=set(rows), hidden_cols=set(cols))
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_sheet_with_hidden_rows_is_not_imported_and_each_hidden_row_is_located(tree, tmp_path, capsys, fmt):
    """A row hidden in the sheet (a withdrawn item kept out of sight, a filter left on) is read like any
    other: imported, it would publish what no one checked; skipped, the 子项 below it would be read
    under the 事项 above. The sheet is not imported, and every hidden row is named."""
    root = tree("first-day")
    book = _hidden_book(fmt, tmp_path / "清单.xlsx", rows=[3, 4], cols=[])  # misnamed .xlsx whatever it holds
    assert run(root, "powers", book) == 1
    err = capsys.readouterr().err
    assert "I010" in err and "工作表「行政处罚」有 2 行是隐藏的：这张表暂未导入" in err
    assert ":4:1: 错误 I010 A4 单元格：这一行是隐藏的" in err and ":5:1: 错误 I010 A5 单元格：这一行是隐藏的" in err
    assert not (root / "content/yjgl/powers.yaml").exists() or "对已经取消的事项的处罚" not in (
        root / "content/yjgl/powers.yaml").read_text(encoding="utf-8")
    # Shown again (nothing hidden): every row is imported, the 子项 under its own 事项.
    book = _hidden_book(fmt, tmp_path / "清单.xlsx", rows=[], cols=[])
    assert run(root, "powers", book) == 0
    names = [p["name"] for p in items(root / "content/yjgl/powers.yaml")]
    assert "对已经取消的事项的处罚（对个人的处罚）" in names and "对占用消防车通道的处罚" in names


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_hidden_column_the_import_reads_stops_the_sheet_and_one_it_ignores_does_not(tree, tmp_path, capsys, fmt):
    root = tree("first-day")
    book = _hidden_book(fmt, tmp_path / f"清单.{fmt}", rows=[], cols=[3])  # 实施依据
    assert run(root, "powers", book) == 1
    err = capsys.readouterr().err
    assert "有 1 列是隐藏的" in err and ":2:4: 错误 I010 D2 单元格：「实施依据」列是隐藏的" in err
    book = _hidden_book(fmt, tmp_path / f"清单.{fmt}", rows=[], cols=[4])  # 内部说明: read by no importer
    assert run(root, "powers", book) == 0
    assert "I010" not in capsys.readouterr().err


def test_hidden_rows_are_found_when_an_xlsx_leaves_out_row_numbers(tmp_path):
    """Row numbers are optional in a sheet's XML (a row without one follows the row before), and
    offices hide every unused column to the right (max 16384): both read as Excel shows them."""
    import re as re_

    source = _hidden_book("xlsx", tmp_path / "a.xlsx", rows=[3], cols=[])
    target = tmp_path / "b.xlsx"
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for name in z.namelist():
            data = z.read(name)
            if name.startswith("xl/worksheets/sheet"):
                text = re_.sub(r'(<row)([^>]*?) r="\d+"', r"\1\2", data.decode("utf-8"))
                text = text.replace("<sheetData>", '<cols><col min="6" max="16384" hidden="1"/></cols><sheetData>', 1)
                data = text.encode("utf-8")
                assert ' r="4"' not in text.split("<sheetData>")[1].split("<c ")[0]
            out.writestr(name, data)
    grid = sheets.open_workbook(target)[0]
    assert grid.hidden_rows == [(4, 4)] and grid.hidden_cols == [(6, 16384)]


def _rewrite_sheet(source: Path, target: Path, change) -> Path:
    """The .xlsx at `source` with each part passed through change(name, text)."""
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w") as out:
        for name in z.namelist():
            out.writestr(name, change(name, z.read(name).decode("utf-8")).encode("utf-8"))
    return target


def test_hidden_rows_are_found_however_the_xlsx_hides_them(tree, tmp_path, capsys):
    """Excel's Strict Open XML namespaces, a row 0 high, a control character a business system left in
    a cell (which stops an XML parser): each still hides row 4 from the import."""
    plain = _hidden_book("xlsx", tmp_path / "plain.xlsx", rows=[], cols=[])
    strict = {"http://schemas.openxmlformats.org/spreadsheetml/2006/main": "http://purl.oclc.org/ooxml/spreadsheetml/main",
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
                  "http://purl.oclc.org/ooxml/officeDocument/relationships"}

    def strict_hidden(name, text):
        for old, new in strict.items():
            text = text.replace(old, new)
        return text.replace('<row r="4"', '<row r="4" hidden="1"', 1) if name.startswith("xl/worksheets/") else text

    def zero_high(name, text):
        return text.replace('<row r="4"', '<row r="4" ht="0" customHeight="1"', 1) if name.startswith("xl/worksheets/") else text

    def control(name, text):
        if not name.startswith("xl/worksheets/"):
            return text
        return text.replace('<row r="4"', '<row r="4" hidden="1"', 1).replace("行政处罚类权责清单", "行政处罚类\x0b权责清单")

    def char_reference(name, text):  # &#49; is 1 to any XML reader; a quoted > does not end the tag
        if not name.startswith("xl/worksheets/"):
            return text
        return text.replace('<row r="4"', '<row note="a>b" r="4" hidden=" &#49; "', 1)

    def tags_in_text(name, text):  # a comment and a CDATA cell holding row tags count no row, hide none
        if not name.startswith("xl/worksheets/"):
            return text
        text = text.replace('<row r="4"', '<!-- <row r="100"> --><row r="4" hidden="1"', 1)
        text = re.sub(r'(<row)([^>]*?) r="\d+"', r"\1\2", text)  # rows numbered by their order only
        return text.replace("</sheetData>", '<row><c r="A7" t="inlineStr"><is><t><![CDATA[<row r="6" hidden="1">]]>'
                            "</t></is></c></row></sheetData>", 1)

    def instructions(name, text):  # processing instructions hold no rows, even ones written like tags
        if not name.startswith("xl/worksheets/"):
            return text
        text = text.replace('<row r="3"', '<?x <row r="3" hidden="1"?><row r="3"', 1)
        return text.replace('<row r="4"', '<?a <row x="?><row r="4" hidden="1"', 1).replace('<row r="5"', '<?b "?><row r="5"', 1)

    for change in (strict_hidden, zero_high, control, char_reference, tags_in_text, instructions):
        book = _rewrite_sheet(plain, tmp_path / f"{change.__name__}.xlsx", change)
        assert [(g.hidden_rows, g.hidden_unchecked) for g in sheets.open_workbook(book)] == [([(4, 4)], False)], change
    root = tree("first-day")
    assert run(root, "powers", tmp_path / "zero_high.xlsx") == 1
    assert ":4:1: 错误 I010 A4 单元格：这一行是隐藏的" in capsys.readouterr().err


def test_a_column_0_wide_is_hidden_and_a_row_is_located_in_the_table_s_first_column(tree, tmp_path, capsys):
    root = tree("first-day")
    wb = Workbook()
    ws = wb.active
    ws.title = "行政处罚"
    for row in HIDDEN_ROWS:
        ws.append([None, None, *row])  # the table starts in column C
    ws.row_dimensions[4].hidden = True
    wb.save(tmp_path / "c.xlsx")
    book = _rewrite_sheet(tmp_path / "c.xlsx", tmp_path / "d.xlsx", lambda name, text: text.replace(
        "<sheetData>", '<cols><col min="6" max="6" width="0" customWidth="1"/></cols><sheetData>', 1)
        if name.startswith("xl/worksheets/") else text)
    assert run(root, "powers", book) == 1
    err = capsys.readouterr().err
    assert ":4:3: 错误 I010 C4 单元格：这一行是隐藏的" in err and ":2:6: 错误 I010 F2 单元格：「实施依据」列是隐藏的" in err


def test_a_hidden_group_title_heads_no_rows(tree, tmp_path, capsys):
    """A hidden 二、行政处罚 would still decide the category of the visible rows below it, which the
    sheet shows under 一、行政许可: it is a hidden row like any other."""
    root = tree("first-day")
    wb = Workbook()
    ws = wb.active
    for row in (["示例县应急管理局权责清单"], ["序号", "事项名称", "实施依据"], ["一、行政许可"],
                [1, "危险化学品经营许可", "《危险化学品安全管理条例》第三十三条"], ["二、行政处罚"],
                [2, "烟花爆竹经营许可", "《烟花爆竹安全管理条例》第三条"]):
        ws.append(row)
    ws.row_dimensions[5].hidden = True
    wb.save(tmp_path / "g.xlsx")
    assert run(root, "powers", tmp_path / "g.xlsx") == 1
    assert ":5:1: 错误 I010 A5 单元格：这一行是隐藏的" in capsys.readouterr().err


def test_a_sheet_whose_hidden_rows_cannot_be_told_is_imported_with_a_word(tree, tmp_path, capsys, monkeypatch):
    """An .xlsb, or XML no parser reads: the import goes on as before, and says what it could not check."""
    root = tree("first-day")
    book = _hidden_book("xlsx", tmp_path / "清单.xlsx", rows=[], cols=[])

    def cannot(data):
        raise ValueError("unreadable")

    monkeypatch.setattr(sheets, "_hidden_xlsx", cannot)
    assert run(root, "powers", book) == 0
    assert "工作表「行政处罚」：无法判断其中有没有隐藏的行或列" in capsys.readouterr().out


def test_a_hidden_row_under_the_header_is_no_second_header_row(tmp_path):
    """罚款金额 over a hidden （万元）: the unit no one sees would multiply every fine by 10,000."""
    wb = Workbook()
    ws = wb.active
    for row in (["事项名称", "权力类型", "实施依据"], [None, "（类别）", None],
                ["对违反消防安全规定行为的处罚", "行政处罚", "《中华人民共和国消防法》第六十条"]):
        ws.append(row)
    ws.row_dimensions[2].hidden = True
    wb.save(tmp_path / "h.xlsx")
    grid = sheets.open_workbook(tmp_path / "h.xlsx")[0]
    sheet = sheets.read_sheet(grid, {"事项名称", "权力类型", "实施依据"})
    assert sheet.header_row == 1 and sheet.hidden_rows == [2]


def test_xls_rows_hidden_unless_given_a_height(tmp_path):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = _xls_sheet(wb, "行政处罚", HIDDEN_ROWS)
    ws.row_default_hidden = 1
    for r in (0, 1, 2, 4, 5):
        ws.row(r).height_mismatch = True
        ws.row(r).height = 300
    wb.save(str(tmp_path / "d.xls"))
    assert sheets.open_workbook(tmp_path / "d.xls")[0].hidden_rows == [(4, 4)]


def test_a_hidden_header_row_refuses_the_sheet_instead_of_reading_it_from_lower_down(tree, tmp_path, capsys):
    """A sheet pasted from printed pages repeats its header: with the first one hidden, the rows
    between the two must not vanish under the second."""
    root = tree("first-day")
    wb = Workbook()
    ws = wb.active
    ws.title = "行政处罚"
    for row in (["权责清单"], HIDDEN_ROWS[1], HIDDEN_ROWS[2], HIDDEN_ROWS[5], HIDDEN_ROWS[1], HIDDEN_ROWS[3]):
        ws.append(row)
    ws.row_dimensions[2].hidden = True
    wb.save(tmp_path / "h.xlsx")
    assert run(root, "powers", tmp_path / "h.xlsx") == 1
    err = capsys.readouterr().err
    assert ":2:1: 错误 I010 A2 单元格：这一行是隐藏的" in err
