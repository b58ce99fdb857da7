"""`disclose import plan`: a 荥阳-style rectification plan from Excel into supervision/plans/<id>.yaml."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
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
