"""`disclose import plan`: a 荥阳-style rectification plan from Excel into supervision/plans/<id>.yaml."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from supervision_helpers import problems

from generator.cli import main
from generator.plan_import import due
from generator.sheets import CellError
from generator.yamlio import read_yaml


def xingyang_sheet(path):
    """Laid out as plans are kept: a title row, headers with line breaks and marks, each problem merged
    down over its measures, numbering in the cells, a problem with no measure of its own, two bad rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改任务清单"
    ws.append(["关于县司法局行政执法监督反馈问题的整改任务清单"])
    ws.merge_cells("A1:F1")
    ws.append(["序号", "存在问题", "整改措施", "牵头\n科室", "责任科室（必填）", "整改时限*"])
    rows = [
        (1, "（一）领导干部思想认识有待进一步提升。个别领导干部对法治建设存在模糊认识。",
         "1.将习近平法治思想纳入“第一议题”学习制度", "党政办公室", "各办、中心", "12月底"),
        (None, None, "2.主要负责人定期听取法治工作汇报", "党政办公室", "各办、中心", "长期坚持"),
        (None, None, "3.因执法过错导致败诉的案件予以追责", "司法所", "综合行政执法队", "9月底前"),
        (2, "（二）执法部门主体责任履行不到位。建立定期研究行政执法重大问题制度。", None, None, "综合行政执法队", "持续推进"),
        (3, "（七）执法队伍建设亟需加强", "1.落实执法人员持证上岗制度", "党政办公室", "综合行政执法队", "10月中旬"),
        (None, None, "2.执法人员每人每年培训不少于60学时", "党政办公室", "综合行政执法队", "尽快"),
        (None, None, "3.法制审核人员轮训交流", "司法所", None, "2026年12月31日"),
    ]
    for row in rows:
        ws.append(list(row))
    for span in ("A3:A5", "B3:B5", "A7:A9", "B7:B9"):
        ws.merge_cells(span)
    wb.save(path)
    return path


def run(root, *args):
    return main(["import", "plan", *args, "--project", str(root), "--today", "2026-11-23"])


def test_month_deadlines_are_read_as_dates_of_the_plan_s_year():
    assert due("12月底", 2023) == dt.date(2023, 12, 31)
    assert due("9月底前", 2023) == dt.date(2023, 9, 30)
    assert due("2月底", 2024) == dt.date(2024, 2, 29)
    assert due("10月中旬", 2023) == dt.date(2023, 10, 20)
    assert due("年底", 2023) == dt.date(2023, 12, 31)
    assert due("2024年3月15日", 2023) == dt.date(2024, 3, 15)
    assert due("长期坚持", 2023) == "长期坚持" and due("持续推进", 2023) == "持续推进"
    assert due("长期", 2023) == "长期坚持"
    with pytest.raises(CellError):
        due("尽快", 2023)
    with pytest.raises(CellError):
        due("13月底", 2023)


def test_a_plan_is_imported_with_every_bad_row_located(tree, tmp_path, capsys):
    root = tree("supervision")
    book = xingyang_sheet(tmp_path / "整改方案.xlsx")
    assert run(root, str(book), "--agency", "town", "--id", "town-2026-sfj", "--adopted-on", "2026-05-10",
               "--title", "关于县司法局行政执法监督反馈问题的整改方案") == 1  # two rows could not be read
    out, err = capsys.readouterr()
    assert "整改方案.xlsx[整改任务清单]:8:6: 错误 I003 F8 单元格：「整改时限」读不出整改时限（填写的是 尽快）" in err
    assert "整改方案.xlsx[整改任务清单]:9:5: 错误 I004 E9 单元格：这一行没有写责任科室" in err
    assert "已导入 3 个问题、5 项整改措施（3 项有截止日期，2 项长期坚持或持续推进）" in out
    path = root / "supervision/plans/town-2026-sfj.yaml"
    doc, found = read_yaml(path, path.name)
    assert found == []
    plan = doc.data
    assert (plan["owner"], plan["adopted_on"], plan["public"]) == ("town", dt.date(2026, 5, 10), False)
    first, second, third = plan["problems"]
    assert first["title"] == "领导干部思想认识有待进一步提升"  # numbering and the sentence after it split off
    assert first["description"] == "个别领导干部对法治建设存在模糊认识。"
    assert [m["due"] for m in first["measures"]] == [dt.date(2026, 12, 31), "长期坚持", dt.date(2026, 9, 30)]
    assert first["measures"][0] == {"text": "将习近平法治思想纳入“第一议题”学习制度", "lead": "党政办公室",
                                    "responsible": ["各办", "中心"], "due": dt.date(2026, 12, 31)}
    assert second["measures"] == [{"text": "建立定期研究行政执法重大问题制度。", "responsible": "综合行政执法队",
                                   "due": "持续推进"}]
    assert third["measures"][0]["due"] == dt.date(2026, 10, 20)
    assert problems(root) == []  # the written plan is valid in the project


def test_dry_run_writes_nothing_and_an_existing_plan_is_never_replaced(tree, tmp_path, capsys):
    root = tree("supervision")
    book = xingyang_sheet(tmp_path / "plan.xlsx")
    assert run(root, str(book), "--agency", "town", "--id", "town-2026-sfj", "--dry-run") == 1
    assert "试运行" in capsys.readouterr().out
    assert not (root / "supervision/plans/town-2026-sfj.yaml").exists()
    existing = root / "supervision/plans/town-2026-zgfa.yaml"
    before = existing.read_bytes()
    assert run(root, str(book), "--agency", "town", "--id", "town-2026-zgfa") == 1
    assert "整改方案 town-2026-zgfa 已存在（supervision/plans/town-2026-zgfa.yaml）" in capsys.readouterr().err
    assert existing.read_bytes() == before
    assert run(root, str(book), "--agency", "town", "--id", "计划一") == 1
    assert "方案编号只用小写字母、数字和连字符" in capsys.readouterr().err
    assert run(root, str(tmp_path / "missing.xlsx"), "--agency", "town", "--id", "x") == 1
    assert "找不到这个文件" in capsys.readouterr().err
    assert run(root, str(book), "--agency", "twn", "--id", "twn-2026-sfj") == 1  # a typo, refused before validate
    assert "执法主体 twn 不存在" in capsys.readouterr().err
    assert not (root / "supervision/plans/twn-2026-sfj.yaml").exists()


def _book(path, header, rows, title="关于省司法厅执法监督反馈问题的整改落实台账"):
    """A plan sheet as an office keeps it: a title row above the header, nothing merged."""
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def _imported(root, plan_id):
    doc, found = read_yaml(root / f"supervision/plans/{plan_id}.yaml", f"{plan_id}.yaml")
    assert found == []
    return doc.data["problems"]


def test_a_month_before_the_plan_s_own_month_is_next_year_s_and_said_so(tree, tmp_path, capsys):
    """A plan adopted in December that says 1月底前 means the January after it, never ten months before;
    a day of its own month before its adoption is kept, and said."""
    root = tree("supervision")
    book = _book(tmp_path / "台账.xlsx", ["序号", "存在问题", "整改措施", "责任单位", "整改时限"], [
        (1, "案卷归档不及时", "1.年底前完成积存案卷归档", "综合行政执法队", "12月底"),
        (2, "执法证件管理不规范", "1.清理过期执法证件", "党政办公室", "1月底前"),
        (3, "制度建设滞后", "1.修订重大执法决定法制审核目录", "司法所", "2026年3月10日"),
        (4, "立行立改", "1.撤下过期公示信息", "司法所", "12月1日前"),
    ])
    assert run(root, str(book), "--agency", "town", "--id", "town-dec", "--adopted-on", "2025-12-05") == 0
    err = capsys.readouterr().err
    assert ("台账.xlsx[整改台账]:4:5: 警告 I008 E4 单元格：「整改时限」没有写年份：方案 2025-12-05 印发，1月底前 按 "
            "2026-01-31 导入") in err
    assert ("台账.xlsx[整改台账]:6:5: 警告 I008 E6 单元格：「整改时限」没有写年份：12月1日前 按 2025-12-01 导入，"
            "早于方案印发日期 2025-12-05") in err
    assert err.count("I008") == 2  # 12月底 is this December's; a date with its year is as written
    assert [p["measures"][0]["due"] for p in _imported(root, "town-dec")] == [
        dt.date(2025, 12, 31), dt.date(2026, 1, 31), dt.date(2026, 3, 10), dt.date(2025, 12, 1)]


def test_nothing_a_plan_sheet_holds_is_dropped_without_a_word(tree, tmp_path, capsys):
    root = tree("supervision")
    header = ["序号", "存在问题", "问题描述", "整改措施", "责任单位", "整改时限", "完成时间", "整改情况", "佐证材料"]
    book = _book(tmp_path / "台账.xlsx", header, [
        # a title with its findings after the first 。 beside a description column: both kept
        (1, "执法程序不规范。2025年抽查案卷42卷，其中7卷未制作询问笔录。", "集中在农业执法领域", "1.开展案卷评查",
         "综合行政执法队", "9月底", "2026-09-20", "已评查案卷42卷", "评查通报"),
        # the problem cell left blank below (not merged): the same problem
        (None, None, None, "3.15消费者权益保护日前开展普法宣传", "市场监管所（食品科、药品科）", "3月15日前", None, None, None),
        # two problems opening with one sentence stay two
        (2, "执法不规范。部分案件未告知陈述申辩权利。", None, "2.1 建立告知书范本", "党政办公室、司法所", "长期坚持", None, None, None),
        (3, "执法不规范。部分执法人员执法证过期。", None, "1、清理过期证件", "党政办公室", "持续推进", None, None, None),
    ])
    assert run(root, str(book), "--agency", "town", "--id", "town-keep", "--adopted-on", "2026-03-01") == 0
    first, second, third = _imported(root, "town-keep")
    assert first["title"] == "执法程序不规范"
    assert first["description"] == "2025年抽查案卷42卷，其中7卷未制作询问笔录。\n集中在农业执法领域"
    assert first["measures"][0] == {"text": "开展案卷评查", "responsible": "综合行政执法队", "due": dt.date(2026, 9, 30),
                                    "done_on": dt.date(2026, 9, 20), "evidence": "已评查案卷42卷；评查通报"}
    assert first["measures"][1] == {"text": "3.15消费者权益保护日前开展普法宣传", "responsible": "市场监管所（食品科、药品科）",
                                    "due": dt.date(2026, 3, 15)}
    assert (second["title"], second["description"]) == ("执法不规范", "部分案件未告知陈述申辩权利。")
    assert second["measures"][0]["text"] == "建立告知书范本"
    assert second["measures"][0]["responsible"] == ["党政办公室", "司法所"]
    assert (third["title"], third["description"]) == ("执法不规范", "部分执法人员执法证过期。")
    assert problems(root) == []


def test_a_repeated_column_is_reported_not_dropped_in_silence(tree, tmp_path, capsys):
    root = tree("supervision")
    book = _book(tmp_path / "台账.xlsx", ["存在问题", "整改措施", "责任科室", "责任单位", "整改时限"], [
        ("案卷归档不及时", "完成积存案卷归档", "综合行政执法队", "司法所", "12月底"),
    ])
    assert run(root, str(book), "--agency", "town", "--id", "town-rep", "--adopted-on", "2026-03-01") == 0
    assert ("台账.xlsx[整改台账]:2:4: 警告 I001 D2 单元格：列「责任单位」与「责任科室」都是责任科室，只导入了「责任科室」这一列"
            in capsys.readouterr().err)


def test_bad_cells_are_located_errors_and_the_other_rows_are_imported(tree, tmp_path, capsys):
    """A formula without a stored result, a year out of range, a cell past the length limit: each a located
    Chinese error, never a traceback; then a --id or --title the plan cannot take."""
    root = tree("supervision")
    book = _book(tmp_path / "台账.xlsx", ["存在问题", "整改措施", "责任科室", "整改时限"], [
        ("问题甲", '=HYPERLINK("http://example.invalid","措施")', "司法所", "12月底"),
        ("问题乙", "措施乙", "司法所", "2200年1月底"),
        ("问题丙", "措" * 20_001, "司法所", "12月底"),
        ("问题丁", "措施丁", "司法所", "12月底"),
    ])
    assert run(root, str(book), "--agency", "town", "--id", "town-bad", "--adopted-on", "2026-03-01") == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "内部错误" not in err
    assert "台账.xlsx[整改台账]:3:2: 错误 I003 B3 单元格：「整改措施」是公式，文件里没有它的计算结果" in err
    located = [line.split("台账.xlsx[整改台账]:", 1)[1] for line in err.splitlines() if "台账.xlsx[整改台账]:" in line]
    assert [line.split(": ")[0] for line in located] == ["3:2", "4:4", "5:2"]
    assert all("这一行没有导入" in line for line in located)
    assert "已导入 1 个问题、1 项整改措施" in out
    assert "其余已写入 supervision/plans/town-bad.yaml" in err
    assert [p["title"] for p in _imported(root, "town-bad")] == ["问题丁"]
    assert run(root, str(book), "--agency", "town", "--id", "x" * 101, "--adopted-on", "2026-03-01") == 1
    assert "最多 100 个字符" in capsys.readouterr().err
    assert run(root, str(book), "--agency", "town", "--id", "town-long", "--title", "题" * 20_001) == 1
    err = capsys.readouterr().err
    assert "命令行给出的方案信息不能用（--title：" in err and "Traceback" not in err
    assert not (root / "supervision/plans/town-long.yaml").exists()


def test_a_problem_written_on_its_own_row_heads_the_measures_below_it(tree, tmp_path, capsys):
    """Offices write a problem alone on its row (numbered, or merged across the sheet) with its measures
    below: each row goes to its own problem, and a problem with no measure below is said."""
    root = tree("supervision")
    path = tmp_path / "台账.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["存在问题", "整改措施", "责任科室", "整改时限", "备注"])
    ws.append(["一、公示不及时", "措施甲一", "党政办公室", "12月底", None])
    ws.append([None, "一、二季度开展专项检查", "党政办公室", "6月底", "延期至2027年6月"])
    ws.append(["二、审核不到位", None, None, None, None])
    ws.append([None, "措施乙一", "司法所", "长期坚持", None])
    ws.append([None, "措施乙二", "司法所", "持续推进，12月底前取得明显成效", None])
    ws.append(["执法证件管理不规范"] * 5)
    ws.merge_cells("A7:E7")
    ws.append([None, "措施丙一", "司法所", "12月底", "已完成"])
    ws.append(["三、没有措施的问题", None, None, None, None])
    wb.save(path)
    assert run(root, str(path), "--agency", "town", "--id", "town-rows", "--adopted-on", "2026-03-01") == 1
    out, err = capsys.readouterr()
    first, second, third = _imported(root, "town-rows")
    assert (first["title"], [m["text"] for m in first["measures"]]) == ("公示不及时", ["措施甲一", "一、二季度开展专项检查"])
    assert (second["title"], [m["text"] for m in second["measures"]]) == ("审核不到位", ["措施乙一"])
    assert (third["title"], [m["text"] for m in third["measures"]]) == ("执法证件管理不规范", ["措施丙一"])
    assert ("台账.xlsx[整改台账]:6:4: 错误 I003 D6 单元格：「整改时限」既写了“长期坚持”“持续推进”又写了日期" in err)
    assert "台账.xlsx[整改台账]:9:1: 错误 I004 A9 单元格：问题「没有措施的问题」下面没有整改措施，没有导入" in err
    assert "台账.xlsx[整改台账]:1:5: 警告 I001 E1 单元格：「备注」列有 2 格内容没有导入（第 3、8 行）" in err
    assert "分组标题行" not in out  # read as problems, not skipped


def test_completion_dates_are_checked_as_validate_checks_them(tree, tmp_path, capsys):
    """A written plan that validate refuses would block a second import: refused here, at the cell."""
    root = tree("supervision")
    book = _book(tmp_path / "台账.xlsx", ["存在问题", "整改措施", "责任科室", "整改时限", "完成日期"], [
        ("问题甲", "措施甲", "司法所", "12月底", "2026-02-01"),
        ("问题乙", "措施乙", "司法所", "12月底", "2026-12-05"),
        ("问题丙", "措施丙", "司法所", "12月底", "2026-03-05"),
    ])
    assert run(root, str(book), "--agency", "town", "--id", "town-dates", "--adopted-on", "2026-03-01") == 1
    err = capsys.readouterr().err
    assert "台账.xlsx[整改台账]:3:5: 错误 T002 E3 单元格：完成日期早于方案印发日期 2026-03-01（这一行没有导入）" in err
    assert "台账.xlsx[整改台账]:4:5: 错误 T001 E4 单元格：完成日期晚于今天（2026-11-23）（这一行没有导入）" in err
    assert [p["title"] for p in _imported(root, "town-dates")] == ["问题丙"]
    assert problems(root) == []
    assert run(root, str(book), "--agency", "town", "--id", "town-later", "--adopted-on", "2026-12-01") == 1
    assert "印发日期 2026-12-01 晚于今天（2026-11-23）" in capsys.readouterr().err


def test_a_hidden_sheet_is_not_imported_and_said(tree, tmp_path, capsys):
    """Offices keep the old version of a plan in a hidden sheet (旧版（作废）): what is not shown is not
    imported, and the output says why."""
    root = tree("supervision")
    path = tmp_path / "台账.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账"
    ws.append(["存在问题", "整改措施", "责任科室", "整改时限"])
    ws.append(["案卷归档不及时", "完成积存案卷归档", "司法所", "12月底"])
    old = wb.create_sheet("旧版（作废）")
    old.append(["存在问题", "整改措施", "责任科室", "整改时限"])
    old.append(["作废的问题", "作废的措施", "司法所", "12月底"])
    old.sheet_state = "hidden"
    wb.save(path)
    assert run(root, str(path), "--agency", "town", "--id", "town-hidden", "--adopted-on", "2026-03-01") == 0
    assert "工作表「旧版（作废）」是隐藏的，没有导入" in capsys.readouterr().out
    assert [p["title"] for p in _imported(root, "town-hidden")] == ["案卷归档不及时"]


def test_a_plan_sheet_with_a_hidden_row_is_not_imported(tree, tmp_path, capsys):
    """A hidden problem row would hand its measures to the problem above it: the sheet is refused,
    the row named, and nothing is written until it is shown or deleted."""
    root = tree("supervision")
    path = _book(tmp_path / "台账.xlsx", ["存在问题", "整改措施", "责任科室", "整改时限"], [
        ["案卷归档不及时", "完成积存案卷归档", "司法所", "12月底"],
        ["已经整改完的问题", "旧措施", "司法所", "6月底"],
        [None, "建立归档台账", "司法所", "12月底"],
    ])
    wb = load_workbook(path)
    wb.active.row_dimensions[4].hidden = True
    wb.save(path)
    assert run(root, str(path), "--agency", "town", "--id", "town-hid", "--adopted-on", "2026-03-01") == 1
    err = capsys.readouterr().err
    assert "[整改台账]:4:1: 错误 I010 A4 单元格：这一行是隐藏的" in err
    assert not (root / "supervision/plans/town-hid.yaml").exists()


def test_a_hidden_problem_written_alone_on_its_row_is_refused_too(tree, tmp_path, capsys):
    """二、… alone on a hidden row heads the measures below it on screen under the problem above."""
    root = tree("supervision")
    path = _book(tmp_path / "台账.xlsx", ["存在问题", "整改措施", "责任科室", "整改时限"], [
        ["一、案卷归档不及时"], [None, "完成积存案卷归档", "司法所", "12月底"],
        ["二、已经整改完的问题"], [None, "建立归档台账", "司法所", "12月底"],
    ])
    wb = load_workbook(path)
    wb.active.row_dimensions[5].hidden = True
    wb.save(path)
    assert run(root, str(path), "--agency", "town", "--id", "town-hid2", "--adopted-on", "2026-03-01") == 1
    assert "[整改台账]:5:1: 错误 I010 A5 单元格：这一行是隐藏的" in capsys.readouterr().err
    assert not (root / "supervision/plans/town-hid2.yaml").exists()
