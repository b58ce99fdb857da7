"""`disclose import`: the powers, benchmarks and officers sheets agencies keep, into the YAML lists.

Each row becomes a record checked by the same model as the YAML; a row that
cannot be mapped is reported with its sheet, row and column and left out.
Against the agency's existing file every record is either new (appended),
unchanged, or changed. Changed records are only rewritten with `--update`,
and then only the fields that differ, spliced into the file so that the
staff's comments and layout elsewhere stay as they were. Nothing is ever
deleted: an empty cell never clears a field.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode

from . import sheets, yamlwrite
from .messages import problems_from_error
from .model import TIER_LEVELS, Benchmark, Officer, Power, Tier
from .problems import WARNING, Problem
from .scaffold import agency_id
from .yamlio import Positions, parse_text

# ---------------------------------------------------------------- what each column may be called


@dataclass(frozen=True)
class Column:
    field: str  # the record field, or a helper name starting with "_"
    names: tuple[str, ...]  # header variants, normalised (no spaces, half-width brackets)
    read: Callable[[Any], Any] = sheets.text


def _per(header: str) -> int:
    return 10000 if "万元" in header else 1


OFFICER_COLUMNS = (
    Column("name", ("姓名", "执法人员姓名", "执法人员", "名字")),
    Column("certificate_no", ("执法证号", "执法证件号", "执法证件号码", "执法证编号", "证件号", "证件编号", "证号",
                              "执法证号码")),
    Column("field", ("执法类别", "执法领域", "执法门类", "执法种类", "执法范围", "执法区域类别")),
    Column("unit", ("所在科室或中队", "所在科室", "科室", "中队", "所在单位", "所在部门", "部门", "科室中队")),
    Column("valid_from", ("证件有效期起", "有效期起", "有效期开始", "有效期自", "发证日期", "起始日期"), sheets.date),
    Column("valid_until", ("证件有效期止", "有效期止", "有效期至", "有效期截止", "截止日期", "有效期截至", "到期日期"),
           sheets.date),
    Column("_validity", ("有效期", "证件有效期", "有效期限")),
    Column("status", ("证件状态", "状态", "持证状态")),
    Column("status_since", ("状态变更日期", "状态日期"), sheets.date),
)

POWER_COLUMNS = (
    Column("code", ("事项编码", "权力编码", "事项代码", "权力事项编码", "职权编码", "编码", "基本编码", "事项编号")),
    Column("name", ("事项名称", "权力名称", "权力事项名称", "职权名称", "名称", "权责事项名称", "事项")),
    Column("category", ("事项类别", "权力类别", "权力类型", "事项类型", "职权类别", "类别", "类型")),
    Column("_basis", ("执法依据", "设定依据", "实施依据", "法律依据", "依据", "设定和实施依据")),
    Column("_law", ("法律法规名称", "依据名称", "法律法规")),
    Column("_article", ("条款", "条款号", "依据条款")),
    Column("responsibilities", ("责任事项", "责任事项内容"), sheets.items),
    Column("accountability", ("追责情形", "问责情形", "责任追究", "追责对象范围"), sheets.items),
    Column("process", ("执法程序", "办理流程", "流程", "运行流程"), sheets.items),
    Column("time_limit", ("办理时限", "时限", "法定时限")),
    Column("supervisor_department", ("业务主管部门", "主管部门")),
    Column("delegated_from", ("下放或委托机关", "委托机关", "下放机关")),
    Column("random_inspection", ("纳入双随机抽查", "双随机", "是否纳入双随机抽查"), sheets.flag),
    Column("major_decision_review", ("需重大执法决定法制审核", "重大执法决定法制审核", "法制审核", "是否需法制审核",
                                     "是否重大执法决定"), sheets.flag),
)

BENCHMARK_COLUMNS = (
    Column("id", ("基准编号", "裁量基准编号", "编号")),
    Column("power", ("对应事项编码", "事项编码", "权力编码", "职权编码")),
    Column("_power_name", ("事项名称", "权力名称", "职权名称")),
    Column("violation", ("违法行为", "违法行为名称", "违法行为表现")),
    Column("violated_provision", ("违法依据", "违反条款", "违法条款")),
    Column("penalty_provision", ("处罚依据", "处罚条款")),
    Column("level", ("裁量阶次", "阶次", "裁量等次", "裁量档次", "违法程度", "处罚阶次", "裁量等级")),
    Column("circumstances", ("适用情形", "违法情节", "情节", "具体情形", "裁量情形", "适用条件")),
    Column("penalty", ("处罚标准", "裁量标准", "处罚幅度", "处罚裁量基准", "具体标准")),
    Column("fine_min", ("罚款下限(元)", "罚款下限", "罚款下限(万元)", "最低罚款", "罚款最低额", "罚款金额(元)下限",
                        "罚款金额下限", "罚款幅度(元)下限", "罚款幅度下限", "罚款金额(万元)下限")),
    Column("fine_max", ("罚款上限(元)", "罚款上限", "罚款上限(万元)", "最高罚款", "罚款最高额", "罚款金额(元)上限",
                        "罚款金额上限", "罚款幅度(元)上限", "罚款幅度上限", "罚款金额(万元)上限")),
    Column("effective_from", ("施行日期", "生效日期", "实施日期"), sheets.date),
    Column("effective_until", ("废止日期", "失效日期"), sheets.date),
)


@dataclass(frozen=True)
class Kind:
    label: str  # 权责清单 …
    file: str  # in content/<agency>/
    model: type[BaseModel]
    key: str
    columns: tuple[Column, ...]
    required: tuple[str, ...]  # fields whose column must be present (or derivable)


KINDS = {
    "powers": Kind("权责清单", "powers.yaml", Power, "code", POWER_COLUMNS, ("code", "name", "category")),
    "benchmarks": Kind("裁量基准", "benchmarks.yaml", Benchmark, "id", BENCHMARK_COLUMNS,
                       ("violation", "penalty_provision", "level", "circumstances", "penalty")),
    "officers": Kind("执法人员", "officers.yaml", Officer, "certificate_no", OFFICER_COLUMNS,
                     ("name", "certificate_no", "field")),
}

IGNORED = {"序号", "备注", "说明", "序", "编号序号", "行号"}

_LEVELS = {
    **{lv: lv for lv in TIER_LEVELS},
    "不予": "不予处罚", "免予处罚": "不予处罚", "免罚": "不予处罚", "减轻": "减轻处罚", "从轻": "从轻处罚",
    "较轻": "从轻处罚", "一般": "一般处罚", "从重": "从重处罚", "较重": "从重处罚", "严重": "从重处罚",
}
_CATEGORY = re.compile(r"^(行政[\u4e00-\u9fff]{2}|其他行政权力)类?$")
_BASIS = re.compile(r"(《[^》]+》)\s*([^《；;\n]*)")
_VALIDITY = re.compile(r"^(.+?)\s*(?:至|到|—|–|~|～|-{1,2})\s*(\d{4}.+)$")


# ---------------------------------------------------------------- rows → records


@dataclass
class Record:
    key: str
    data: dict[str, Any]
    where: Positions  # field path → (row, column) in the sheet
    path: str  # 文件.xlsx[工作表]
    row: int
    supplied: set[str] = field(default_factory=set)  # fields the sheet gave a value for


@dataclass
class Outcome:
    kind: Kind
    target: Path
    added: list[Record] = field(default_factory=list)
    changed: list[tuple[Record, list[tuple[str, Any, Any]]]] = field(default_factory=list)
    unchanged: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets_used: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False


def _problem(path: str, row: int, col: int, code: str, message: str, hint: str, given: Any = None,
             severity: str = "错误") -> Problem:
    return Problem(path, row, col, code, message, hint, severity=severity,
                   given=None if given is None else sheets.text(given))


def _map_headers(headers: dict[int, str], kind: Kind) -> tuple[dict[str, Column], list[str]]:
    """canonical field → Column for the headers present; and headers nobody understands."""
    found: dict[str, Column] = {}
    unknown = []
    for h in headers.values():
        col = next((c for c in kind.columns if h in c.names), None)
        if col is None:
            if h not in IGNORED:
                unknown.append(h)
        elif col.field not in found:
            found[col.field] = col
    return found, unknown


def _read_cell(row: sheets.Row, header: str, column: Column, path: str, problems: list[Problem]) -> Any:
    value = row.cells.get(header)
    if value is sheets.UNCALCULATED:
        problems.append(_problem(path, row.number, row.columns[header], "I003", f"「{header}」是公式，文件里没有它的计算结果",
                                 "用 Excel 或 WPS 打开工作簿并保存一次（会存下计算结果），再导入"))
        return _BAD
    try:
        if column.field in ("fine_min", "fine_max"):
            return sheets.amount(value, _per(header))
        return column.read(value)
    except sheets.CellError as exc:
        col = row.columns[header]
        problems.append(_problem(path, row.number, col, "I003", f"「{header}」{exc}", _HINTS.get(column.read, "改正后重新导入"),
                                 value))
        return _BAD


_BAD = object()
_HINTS = {
    sheets.date: "写成 2025-03-08 或 2025年3月8日，或在 Excel 里把单元格设为日期格式",
    sheets.flag: "填写“是”或“否”",
    sheets.amount: "只写数字，单位是元，例如 5000；“万元”列写 0.5",
}


def _header_for(row: sheets.Row, column: Column) -> str | None:
    return next((h for h in column.names if h in row.cells), None)


def _basis(text: str) -> list[dict[str, str]] | None:
    found = [{"law": law, "article": article.strip(" ，,。、")} for law, article in _BASIS.findall(text)]
    return found or None


def _row_values(row: sheets.Row, cols: dict[str, Column], path: str, problems: list[Problem]
                ) -> tuple[dict[str, Any], dict[str, int]]:
    """field → value for one row, and field → column number; bad cells are reported and left out."""
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for name, column in cols.items():
        header = _header_for(row, column)
        if header is None:
            continue
        value = _read_cell(row, header, column, path, problems)
        if value is _BAD:
            values[name] = _BAD
        elif value not in (None, []):
            values[name] = value
        where[name] = row.columns[header]
    return values, where


def _officer(values: dict[str, Any], where: dict[str, int], row: sheets.Row, path: str,
             problems: list[Problem]) -> dict[str, Any]:
    if "_validity" in values:
        validity = values.pop("_validity")
        m = _VALIDITY.match(validity)
        try:
            start, end = (sheets.date(m[1]), sheets.date(m[2])) if m else (None, None)
        except sheets.CellError:
            start = end = None
        if start is None:
            problems.append(_problem(path, row.number, where["_validity"], "I003", "「有效期」读不出起止日期",
                                     "写成 2022-01-01至2027-12-31，或分成“有效期起”“有效期止”两列", validity))
            values["_bad"] = True
        else:
            values.setdefault("valid_from", start)
            values.setdefault("valid_until", end)
            where.setdefault("valid_from", where["_validity"])
            where.setdefault("valid_until", where["_validity"])
    values.setdefault("status", "在岗")
    return values


def _power(values: dict[str, Any], where: dict[str, int], row: sheets.Row, path: str,
           problems: list[Problem]) -> dict[str, Any]:
    category = values.get("category")
    if isinstance(category, str) and (m := _CATEGORY.match(category.strip())):
        values["category"] = m[1]
    law, article, text = values.pop("_law", None), values.pop("_article", None), values.pop("_basis", None)
    if law:
        values["basis"] = [{"law": law if law.startswith("《") else f"《{law}》", "article": article or ""}]
        where["basis"] = where["_law"]
    elif text:
        parsed = _basis(text)
        if parsed is None:
            problems.append(_problem(path, row.number, where["_basis"], "I006", "「执法依据」里找不到带书名号的法律法规名称",
                                     "写成《法律法规名称》第X条，多条依据用分号或换行隔开", text))
            values["_bad"] = True
        else:
            values["basis"] = parsed
            where["basis"] = where["_basis"]
    return values


def _records(kind: Kind, sheet: sheets.Sheet, cols: dict[str, Column], path: str, agency_powers: dict[str, str],
             problems: list[Problem]) -> list[Record]:
    out: list[Record] = []
    groups: dict[tuple, Record] = {}
    for row in sheet.rows:
        before = len(problems)
        values, where = _row_values(row, cols, path, problems)
        if any(v is _BAD for v in values.values()):
            continue
        if kind.model is Officer:
            values = _officer(values, where, row, path, problems)
        elif kind.model is Power:
            values = _power(values, where, row, path, problems)
        if values.pop("_bad", False) or len(problems) > before:
            continue
        missing = [f for f in kind.required if f not in values and f in cols]
        if kind.model is Benchmark:
            _benchmark_power(values, where, row, path, agency_powers, problems)
            if "power" not in values:
                continue
        if missing:
            titles = "、".join(f"「{field_title(kind, f)}」" for f in missing)
            problems.append(_problem(path, row.number, where.get(missing[0], 1), "I004", f"这一行没有填写{titles}",
                                     "补上后重新导入；这一行暂未导入"))
            continue
        if kind.model is Benchmark:
            tier = {k: values.pop(k) for k in ("level", "circumstances", "penalty", "fine_min", "fine_max") if k in values}
            level = str(tier.get("level", "一般处罚")).strip()
            tier["level"] = _LEVELS.get(level, level)
            ident = (values.get("id"),) if values.get("id") else (values["power"], values["violation"])
            rec = groups.get(ident)
            if rec is None:
                rec = Record(str(values.get("id") or ""), {**values, "tiers": []}, Positions(), path, row.number,
                             set(values) | {"tiers"})
                for f, c in where.items():
                    rec.where.values[(f,)] = (row.number, c)
                groups[ident] = rec
                out.append(rec)
            i = len(rec.data["tiers"])
            rec.data["tiers"].append(tier)
            for f in ("level", "circumstances", "penalty", "fine_min", "fine_max"):
                if f in where:
                    rec.where.values[("tiers", i, f)] = (row.number, where[f])
            rec.where.values[("tiers", i)] = (row.number, where.get("level", 1))
            continue
        rec = Record(str(values.get(kind.key, "")), values, Positions(), path, row.number, set(values))
        rec.where.values[()] = (row.number, 1)
        for f, c in where.items():
            rec.where.values[(f,)] = (row.number, c)
        out.append(rec)
    return out


def _benchmark_power(values: dict[str, Any], where: dict[str, int], row: sheets.Row, path: str,
                     agency_powers: dict[str, str], problems: list[Problem]) -> None:
    name = values.pop("_power_name", None)
    if "power" in values:
        return
    if name and name in agency_powers:
        values["power"] = agency_powers[name]
        where["power"] = where["_power_name"]
        return
    col = where.get("_power_name", 1)
    problems.append(_problem(
        path, row.number, col, "I007",
        f"找不到事项名称为「{name}」的权责事项" if name else "这一行既没有“事项编码”也没有“事项名称”",
        "加一列“事项编码”填写 powers.yaml 里的 code，或先导入权责清单，使事项名称一致", name))


def field_title(kind: Kind, name: str) -> str:
    """The Chinese name of a field a column maps to; a benchmark sheet's tier columns are Tier fields."""
    info = kind.model.model_fields.get(name) or (Tier.model_fields.get(name) if kind.model is Benchmark else None)
    return (info.title if info else None) or name


def _check(kind: Kind, rec: Record, problems: list[Problem]) -> bool:
    try:
        kind.model.model_validate(rec.data)
    except ValidationError as exc:
        found = problems_from_error(exc, kind.model, rec.path, rec.where)
        problems += [Problem(p.path, p.line, p.col, p.code, p.message + "（这一行暂未导入）",
                             _sheet_hint(p), given=p.given) for p in found]
        return False
    return True


def _sheet_hint(p: Problem) -> str:
    # The YAML-flavoured hints ("添加一行 `name: …`") mean little in a sheet.
    if p.code == "F001":
        return "在这一列填写内容"
    if p.code == "F002":
        return "删掉这一列或改成认得的列名"
    return p.hint


# ---------------------------------------------------------------- the agency's existing file


def _plain(value: Any) -> Any:
    """A record's fields compared by meaning: 500 and 500.0 are one amount, an empty list is no list."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v not in (None, [], "")}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _normal(kind: Kind, data: dict) -> dict:
    """As the site reads it: defaults filled in (an absent flag is false), numbers by value."""
    # an existing item with its own errors is compared as written; validate reports those errors
    with contextlib.suppress(ValidationError):
        data = kind.model.model_validate(data).model_dump()
    return _plain(data)


def _shown(target: Path, root: Path) -> str:
    try:
        return target.relative_to(root).as_posix()
    except ValueError:
        return str(target)


def _existing(target: Path) -> tuple[str, bytes, list[dict]]:
    """The file's text as saved, its BOM, and its items."""
    try:
        text, bom = yamlwrite.read_file(target, str(target))
    except yamlwrite.WriteError as exc:
        raise ImportAbort(f"{target} 本身有错误，先改正再导入：{exc}") from None
    doc, problems = parse_text(text, str(target))
    if problems or doc is None or not isinstance(doc.data, list | type(None)):
        raise ImportAbort(f"{target} 本身有错误，先改正再导入：" + "；".join(p.format() for p in problems[:3]))
    return text, bom, doc.data or []


class ImportAbort(Exception):
    pass


def _next_benchmark_id(agency: str, taken: set[str]) -> str:
    numbers = [int(m[1]) for t in taken if (m := re.fullmatch(rf"{re.escape(agency)}-B(\d+)", t))]
    n = max(numbers, default=0) + 1
    while f"{agency}-B{n:03d}" in taken:
        n += 1
    return f"{agency}-B{n:03d}"


# ---------------------------------------------------------------- writing


def _edits(text: str, item: Node, changes: list[tuple[str, Any]], data: dict) -> list[tuple[int, int, str]]:
    """(start, end, replacement) splices that set each changed field of one list item; `data` is the
    item as read, and is updated to what the file will hold."""
    starts = yamlwrite.line_starts(text)
    for name, new in changes:
        data[name] = new
    if not isinstance(item, MappingNode) or item.flow_style:
        # `- {code: A, name: B}`: the item is written out again as a block, its comments after it
        start, end = yamlwrite.offset(starts, item.start_mark), yamlwrite.offset(starts, item.end_mark)
        indent = item.start_mark.column
        nl = yamlwrite.newline(text)
        body = yamlwrite.dump(data).rstrip("\n").replace("\n", nl + " " * indent)
        comments = yamlwrite.flow_comments(text, starts, item)
        return [(start, end, body + "".join(f"{nl}{' ' * indent}{c.strip()}" for c in comments))]
    keys = {k.value: (k, v) for k, v in item.value}
    indent = item.value[0][0].start_mark.column
    out = []
    nl = yamlwrite.newline(text)
    for name, new in changes:
        block = isinstance(new, list | dict)
        if name in keys:
            k, v = keys[name]
            if isinstance(v, ScalarNode) and not block and v.style not in ("|", ">"):
                start = yamlwrite.offset(starts, v.start_mark)
                gap = " " if text[start - 1] == ":" else ""  # `time_limit:` with nothing after it
                out.append((start, yamlwrite.offset(starts, v.end_mark), gap + yamlwrite.scalar(new)))
                continue
            end = yamlwrite.line_end(text, yamlwrite.last_offset(text, starts, v))
            body = yamlwrite.dump({name: new}).rstrip("\n")
            out.append((yamlwrite.offset(starts, k.start_mark), end, body.replace("\n", nl + " " * indent)))
        else:
            end = yamlwrite.line_end(text, yamlwrite.last_offset(text, starts, item))
            body = yamlwrite.dump({name: new}).rstrip("\n").replace("\n", nl + " " * indent)
            out.append((end, end, nl + " " * indent + body))
    return out


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


# ---------------------------------------------------------------- the command


def run(root: Path, what: str, workbook: Path, agency: str, *, today: dt.date, shown_path: str,
        dry_run: bool = False, update: bool = False) -> Outcome:
    outcome = _run(root, what, workbook, agency, today=today, shown_path=shown_path, dry_run=dry_run, update=update)
    # Excel users find a cell by its name (D8), not by row and column numbers
    outcome.problems = [Problem(p.path, p.line, p.col, p.code, f"{sheets.column_letter(p.col)}{p.line} 单元格：{p.message}",
                                p.hint, p.severity, p.given) for p in outcome.problems]
    return outcome


def _run(root: Path, what: str, workbook: Path, agency: str, *, today: dt.date, shown_path: str,
         dry_run: bool = False, update: bool = False) -> Outcome:
    kind = KINDS[what]
    try:
        agency_id(agency)  # the CLI checks it too; here it guards every other caller
    except ValueError as exc:
        raise ImportAbort(str(exc)) from None
    folder = root / "content" / agency
    if not (folder / "agency.yaml").is_file():
        raise ImportAbort(f"执法主体 {agency} 不存在：先运行 disclose new agency --agency {agency}")
    target = folder / kind.file
    outcome = Outcome(kind, target)
    try:
        wb = sheets.open_workbook(workbook)
    except sheets.WorkbookError as exc:
        raise ImportAbort(f"{shown_path}：{exc}") from None
    missing = sheets.uncalculated(workbook, wb)
    text, bom, existing = _existing(target)
    by_key = {str(item.get(kind.key)): (i, item) for i, item in enumerate(existing) if isinstance(item, dict)}
    agency_powers = _power_names(folder) if kind.model is Benchmark else {}
    known = {name for c in kind.columns for name in c.names}
    records: list[Record] = []
    for ws in wb.worksheets:
        path = f"{shown_path}[{ws.title}]"
        sheet = sheets.read_sheet(ws, known, missing.get(ws.title, set()))
        if sheet is None:
            outcome.notes.append(f"工作表「{ws.title}」：没有找到{kind.label}的表头，已跳过")
            continue
        cols, unknown = _map_headers(sheet.headers, kind)
        lacking = _lacking(kind, cols)
        other = next((k for k in KINDS.values() if k is not kind and not _lacking(k, _map_headers(sheet.headers, k)[0])),
                     None)
        if lacking and other is not None:
            outcome.notes.append(f"工作表「{ws.title}」是{other.label}，不是{kind.label}，已跳过")
            continue
        if lacking:
            names = "、".join(f"「{field_title(kind, f)}」（可写作：{'、'.join(_names(kind, f)[:3])}）" for f in lacking)
            outcome.problems.append(_problem(path, sheet.header_row, 1, "I002", f"表头缺少{names}",
                                             "在表头加上这些列，或把已有的列改成这些名字；这张表暂未导入"))
            continue
        outcome.sheets_used.append(ws.title)
        if kind.model is Officer and "status" not in cols:
            outcome.notes.append(f"工作表「{ws.title}」里没有“证件状态”列：导入的人员按“在岗”处理")
        for h in unknown:
            col = next(c for c, name in sheet.headers.items() if name == h)
            outcome.problems.append(_problem(path, sheet.header_row, col, "I001", f"不认得的列「{h}」，这一列没有导入",
                                             "如果它对应某个字段，把列名改成 使用说明 里列出的名字", severity=WARNING))
        for number, why in sheet.skipped:
            outcome.notes.append(f"{path} 第 {number} 行是{why}，已跳过")
        records += _records(kind, sheet, cols, path, agency_powers, outcome.problems)
    taken = set(by_key)
    seen: dict[str, Record] = {}
    for rec in records:
        if kind.model is Benchmark and not rec.key:
            match = next((k for k, (_, item) in by_key.items()
                          if item.get("power") == rec.data["power"] and item.get("violation") == rec.data["violation"]),
                         None)
            rec.key = match or _next_benchmark_id(agency, taken)
            rec.data["id"] = rec.key
            taken.add(rec.key)
        if rec.key in seen:
            first = seen[rec.key]
            line, col = rec.where.at((kind.key,))
            outcome.problems.append(_problem(rec.path, line, col, "I005",
                                             f"「{rec.key}」与 {first.path} 第 {first.row} 行重复，这一行没有导入",
                                             "同一编号只能出现一次：删掉重复的行或改正编号", rec.key))
            continue
        if not _check(kind, rec, outcome.problems):
            continue
        seen[rec.key] = rec
        if rec.key not in by_key:
            outcome.added.append(rec)
            continue
        old = by_key[rec.key][1]
        new_plain, old_plain = _normal(kind, rec.data), _normal(kind, old)
        diff = [(f, old_plain.get(f), new_plain[f]) for f in new_plain
                if f in rec.supplied and new_plain[f] != old_plain.get(f)]
        if diff:
            outcome.changed.append((rec, diff))
        else:
            outcome.unchanged.append(rec)
    absent = [k for k in by_key if k not in seen and k not in {r.key for r in records}]
    if absent and outcome.sheets_used:
        outcome.notes.append(f"{target.name} 里另有 {len(absent)} 项不在表中，保持不变（导入从不删除）："
                             + "、".join(absent[:10]) + ("…" if len(absent) > 10 else ""))
    if dry_run or not (outcome.added or (update and outcome.changed)):
        return outcome
    shown = _shown(target, root)
    # A flow list ([], [{...}]) becomes a block list first: edits and appends then land in block context.
    text = yamlwrite.to_block(text, shown) if text.strip() else ""
    expected = copy.deepcopy(existing)  # what the file must read back as
    if update and outcome.changed:
        node = yamlwrite.nodes(text)
        edits = []
        for rec, diff in outcome.changed:
            index = by_key[rec.key][0]
            edits += _edits(text, node.value[index], [(f, rec.data[f]) for f, _, _ in diff], expected[index])
        text = _apply(text, edits)
    if outcome.added:
        new_items = [_plain(kind.model.model_validate(r.data).model_dump(exclude_defaults=True)) for r in outcome.added]
        source = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", workbook.name)  # the comment stays one line
        header = f"# 以下 {len(new_items)} 项由 disclose import 从 {source} 导入（{today.isoformat()}）\n"
        text = yamlwrite.append_items(text, header + yamlwrite.dump(new_items), shown)
        expected += new_items
    yamlwrite.check_written(text, shown, expected)
    yamlwrite.write_file(target, text, bom)
    outcome.written = True
    return outcome


def _lacking(kind: Kind, cols: dict[str, Column]) -> list[str]:
    """Fields the sheet has no column for although every record needs them."""
    lacking = [f for f in kind.required if f not in cols]
    if kind.model is Benchmark and "power" not in cols and "_power_name" not in cols:
        lacking.append("power")
    if kind.model is Officer and "_validity" not in cols:
        lacking += [f for f in ("valid_from", "valid_until") if f not in cols]
    if kind.model is Power and not ({"_basis", "_law"} & set(cols)):
        lacking.append("basis")
    return lacking


def _names(kind: Kind, name: str) -> tuple[str, ...]:
    col = next((c for c in kind.columns if c.field == name), None)
    if name == "basis":
        col = next(c for c in kind.columns if c.field == "_basis")
    if name == "power":
        return ("对应事项编码", "事项编码", "事项名称")
    return col.names if col else (name,)


def _power_names(folder: Path) -> dict[str, str]:
    path = folder / "powers.yaml"
    if not path.exists():
        return {}
    doc, _ = parse_text(path.read_text(encoding="utf-8"), str(path))
    items = doc.data if doc and isinstance(doc.data, list) else []
    return {str(p["name"]): str(p["code"]) for p in items if isinstance(p, dict) and "name" in p and "code" in p}


def report(outcome: Outcome, *, root: Path, dry_run: bool, update: bool) -> list[str]:
    """What happened (or would happen), in Chinese, one line per fact."""
    kind = outcome.kind
    try:
        target = outcome.target.relative_to(root).as_posix()
    except ValueError:
        target = str(outcome.target)
    verb = "将" if dry_run else "已"
    lines = [f"{kind.label} → {target}" + ("（试运行，没有写入任何文件）" if dry_run else "")]
    if outcome.sheets_used:
        lines.append(f"  读取的工作表：{'、'.join(outcome.sheets_used)}")

    def name(rec: Record) -> str:
        label = rec.data.get("name") or rec.data.get("violation") or ""
        return f"{rec.key} {label}".strip()

    lines.append(f"  {verb}新增 {len(outcome.added)} 项" + ("：" + "、".join(name(r) for r in outcome.added[:20])
                                                         + ("…" if len(outcome.added) > 20 else "")
                                                         if outcome.added else ""))
    if outcome.changed:
        how = f"{verb}更新以下字段" if update else "与现有内容不同，未改动（加 --update 才会更新这些字段）"
        lines.append(f"  {len(outcome.changed)} 项{how}：")
        for rec, diff in outcome.changed:
            parts = [f"{field_title(kind, f)}：{_brief(old)} → {_brief(new)}" for f, old, new in diff]
            lines.append(f"    {name(rec)}（{rec.path} 第 {rec.row} 行）：" + "；".join(parts))
    lines.append(f"  不变 {len(outcome.unchanged)} 项")
    lines += [f"  {note}" for note in outcome.notes]
    return lines


def _brief(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, list):
        return f"{len(value)} 项"
    return sheets.text(value) or "（空）"
