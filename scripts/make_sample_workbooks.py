"""Write the example county's sample workbooks (templates/workbooks/<agency>.xlsx) from its YAML.

Laid out the way agencies' own sheets are: a title row above the header, the
header names they use (权力名称, 设定依据, 执法门类 …), a 序号 column, a
violation merged down over its tiers. tests/test_importer.py imports them back
and expects the example county's content exactly, so they cannot go stale.

    .venv/bin/python scripts/make_sample_workbooks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "templates" / "workbooks"

POWER_HEADERS = ["序号", "权力编码", "权力名称", "权力类别", "设定依据", "责任事项", "追责情形", "办理流程", "办理时限",
                 "业务主管部门", "下放或委托机关", "是否纳入双随机抽查", "是否需法制审核", "备注"]
BENCHMARK_HEADERS = ["序号", "基准编号", "事项编码", "违法行为", "违法依据", "处罚依据", "裁量阶次", "适用情形", "处罚标准",
                     "罚款下限（元）", "罚款上限（元）"]
OFFICER_HEADERS = ["序号", "姓名", "执法证号", "执法门类", "所在科室", "有效期起", "有效期止", "证件状态", "状态变更日期"]


def _sheet(wb, title: str, caption: str, headers: list[str]):
    ws = wb.create_sheet(title)
    ws.append([caption])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(headers)
    for c in range(1, len(headers) + 1):
        ws.cell(2, c).font = Font(bold=True)
    return ws


def _yes(value: bool | None) -> str:
    return "是" if value else "否"


def workbook(agency: Path) -> Workbook:
    name = yaml.safe_load((agency / "agency.yaml").read_text(encoding="utf-8"))["name"]
    powers = yaml.safe_load((agency / "powers.yaml").read_text(encoding="utf-8")) or []
    benchmarks = yaml.safe_load((agency / "benchmarks.yaml").read_text(encoding="utf-8")) or []
    officers = yaml.safe_load((agency / "officers.yaml").read_text(encoding="utf-8")) or []
    wb = Workbook()
    wb.remove(wb.active)

    ws = _sheet(wb, "权责清单", f"{name}权责清单", POWER_HEADERS)
    for i, p in enumerate(powers, 1):
        ws.append([i, p["code"], p["name"], p["category"],
                   "；".join(f"{b['law']}{b['article']}" for b in p["basis"]),
                   "\n".join(p.get("responsibilities", [])), "\n".join(p.get("accountability", [])),
                   "\n".join(p.get("process", [])), p.get("time_limit"), p.get("supervisor_department"),
                   p.get("delegated_from"), _yes(p.get("random_inspection")), _yes(p.get("major_decision_review")),
                   None])

    ws = _sheet(wb, "裁量基准", f"{name}行政处罚裁量基准", BENCHMARK_HEADERS)
    for i, b in enumerate(benchmarks, 1):
        first = ws.max_row + 1
        for t in b["tiers"]:
            ws.append([i, b["id"], b["power"], b["violation"], b.get("violated_provision"), b["penalty_provision"],
                       t["level"], t["circumstances"], t["penalty"], t.get("fine_min"), t.get("fine_max")])
        for col in range(1, 7):  # the benchmark's own columns span its tier rows, as printed sheets do
            ws.merge_cells(start_row=first, start_column=col, end_row=ws.max_row, end_column=col)

    ws = _sheet(wb, "执法人员", f"{name}行政执法人员名单", OFFICER_HEADERS)
    for i, o in enumerate(officers, 1):
        ws.append([i, o["name"], o["certificate_no"], o["field"], o.get("unit"), o["valid_from"], o["valid_until"],
                   o["status"], o.get("status_since")])
        for col in (6, 7, 9):
            ws.cell(ws.max_row, col).number_format = "yyyy-mm-dd"
    return wb


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for agency in sorted((ROOT / "content").iterdir()):
        if (agency / "agency.yaml").is_file():
            path = OUT / f"{agency.name}.xlsx"
            workbook(agency).save(path)
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
