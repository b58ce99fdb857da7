"""Write the example county's sample workbooks (templates/workbooks/) from its YAML.

<agency>.xlsx (or .xls) holds the agency's 权责清单, 裁量基准 and 执法人员 the way
agencies' own sheets are laid out: a title row above the header, the header
names they use (权力名称, 设定依据, 执法门类 …), a 序号 column, a violation
merged down over its tiers. The township's is an old .xls, as townships still
keep them. <agency>-decisions.xlsx is a migration file for its past decisions:
the 双公示 columns plus the ones the 双公示 layout lacks and a migration must
have (决定类别, 事项编码, 裁量基准编号, 裁量阶次, 执法证号, 公示日期 …).
tests/test_importer.py imports them back and expects the example county's
content exactly, so they cannot go stale.

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
OLD_EXCEL = {"xinglong-town"}  # written as .xls

POWER_HEADERS = ["序号", "权力编码", "权力名称", "权力类别", "设定依据", "责任事项", "追责情形", "办理流程", "办理时限",
                 "业务主管部门", "下放或委托机关", "是否纳入双随机抽查", "是否需法制审核", "备注"]
BENCHMARK_HEADERS = ["序号", "基准编号", "事项编码", "违法行为", "违法依据", "处罚依据", "裁量阶次", "适用情形", "处罚标准",
                     "罚款下限（元）", "罚款上限（元）"]
OFFICER_HEADERS = ["序号", "姓名", "执法证号", "执法门类", "所在科室", "有效期起", "有效期止", "证件状态", "状态变更日期"]
DECISION_HEADERS = ["序号", "决定书文号", "决定类别", "行政相对人名称", "行政相对人类别", "统一社会信用代码", "事项编码",
                    "裁量基准编号", "裁量阶次", "裁量说明", "违法事实", "决定依据", "决定内容", "处罚类别", "罚款金额（元）",
                    "没收金额（元）", "执法证号", "法制审核机构", "法制审核日期", "法制审核意见", "作出决定日期", "送达日期",
                    "公示日期", "决定状态", "状态变更日期", "变更或撤销理由", "撤下日期"]


def _yes(value: bool | None) -> str:
    return "是" if value else "否"


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None


def sheets(agency: Path) -> list[tuple[str, str, list[str], list[list], list[tuple[int, int, int]]]]:
    """(sheet name, title, header, rows, merges) where a merge is (first row, last row, column), 0-based in rows."""
    name = _load(agency / "agency.yaml")["name"]
    powers = _load(agency / "powers.yaml") or []
    benchmarks = _load(agency / "benchmarks.yaml") or []
    officers = _load(agency / "officers.yaml") or []
    power_rows = [[i, p["code"], p["name"], p["category"], "；".join(f"{b['law']}{b['article']}" for b in p["basis"]),
                   "\n".join(p.get("responsibilities", [])), "\n".join(p.get("accountability", [])),
                   "\n".join(p.get("process", [])), p.get("time_limit"), p.get("supervisor_department"),
                   p.get("delegated_from"), _yes(p.get("random_inspection")), _yes(p.get("major_decision_review")), None]
                  for i, p in enumerate(powers, 1)]
    bench_rows: list[list] = []
    merges = []
    for i, b in enumerate(benchmarks, 1):
        first = len(bench_rows)
        for t in b["tiers"]:
            bench_rows.append([i, b["id"], b["power"], b["violation"], b.get("violated_provision"), b["penalty_provision"],
                               t["level"], t["circumstances"], t["penalty"], t.get("fine_min"), t.get("fine_max")])
        if len(bench_rows) - first > 1:  # the benchmark's own columns span its tier rows, as printed sheets do
            merges += [(first, len(bench_rows) - 1, col) for col in range(6)]
    officer_rows = [[i, o["name"], o["certificate_no"], o["field"], o.get("unit"), o["valid_from"], o["valid_until"],
                     o["status"], o.get("status_since")] for i, o in enumerate(officers, 1)]
    return [("权责清单", f"{name}权责清单", POWER_HEADERS, power_rows, []),
            ("裁量基准", f"{name}行政处罚裁量基准", BENCHMARK_HEADERS, bench_rows, merges),
            ("执法人员", f"{name}行政执法人员名单", OFFICER_HEADERS, officer_rows, [])]


def decision_rows(agency: Path) -> list[list]:
    rows = []
    paths = sorted((agency / "decisions").rglob("*.yaml"))
    for i, path in enumerate(paths, 1):
        d = _load(path)
        bench, review, party = d.get("benchmark") or {}, d.get("legal_review") or {}, d["party"]
        rows.append([i, d["case_no"], d["kind"], party["name"], party["type"], party.get("credit_code"), d["power"],
                     bench.get("id"), bench.get("level"), bench.get("explanation"), d["facts"], d["basis"], d["outcome"],
                     ";".join(d.get("penalty_types", [])), d.get("fine"), d.get("confiscation"), "、".join(d["officers"]),
                     review.get("reviewer"), review.get("date"), review.get("conclusion"), d["decided_on"],
                     d.get("served_on"), d.get("published_on"), d.get("status"), d.get("status_changed_on"),
                     d.get("status_reason"), d.get("withdrawn_on")])
    return rows


def xlsx(parts) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    for title, caption, headers, rows, merges in parts:
        ws = wb.create_sheet(title)
        ws.append([caption])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(1, 1).font = Font(bold=True, size=14)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.append(headers)
        for c in range(1, len(headers) + 1):
            ws.cell(2, c).font = Font(bold=True)
        for row in rows:
            ws.append(row)
            for c, value in enumerate(row, 1):
                if hasattr(value, "isoformat"):
                    ws.cell(ws.max_row, c).number_format = "yyyy-mm-dd"
        for first, last, col in merges:
            ws.merge_cells(start_row=first + 3, start_column=col + 1, end_row=last + 3, end_column=col + 1)
    return wb


def xls(parts, path: Path) -> None:
    import xlwt  # a dev dependency: only this script and the tests write .xls

    wb = xlwt.Workbook(encoding="utf-8")
    title_style = xlwt.easyxf("font: bold on, height 280; align: horiz center")
    bold, day = xlwt.easyxf("font: bold on"), xlwt.easyxf(num_format_str="yyyy-mm-dd")
    wrap = xlwt.easyxf("align: wrap on")
    for title, caption, headers, rows, merges in parts:
        ws = wb.add_sheet(title)
        ws.write_merge(0, 0, 0, len(headers) - 1, caption, title_style)
        for c, h in enumerate(headers):
            ws.write(1, c, h, bold)
        starts = {(first, col): last for first, last, col in merges}
        covered = {(r, col) for first, last, col in merges for r in range(first + 1, last + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                style = day if hasattr(value, "isoformat") else wrap
                if (r, c) in starts:
                    ws.write_merge(r + 2, starts[(r, c)] + 2, c, c, value, style)
                elif (r, c) not in covered and value is not None:
                    ws.write(r + 2, c, value, style)
    wb.save(str(path))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for agency in sorted((ROOT / "content").iterdir()):
        if not (agency / "agency.yaml").is_file():
            continue
        parts = sheets(agency)
        for stale in OUT.glob(f"{agency.name}.xls*"):
            stale.unlink()
        if agency.name in OLD_EXCEL:
            path = OUT / f"{agency.name}.xls"
            xls(parts, path)
        else:
            path = OUT / f"{agency.name}.xlsx"
            xlsx(parts).save(path)
        print(path.relative_to(ROOT))
        name = _load(agency / "agency.yaml")["name"]
        path = OUT / f"{agency.name}-decisions.xlsx"
        xlsx([("执法决定", f"{name}以往执法决定（迁移用）", DECISION_HEADERS, decision_rows(agency), [])]).save(path)
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
