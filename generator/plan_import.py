"""`disclose import plan`: a rectification plan (整改方案) kept in a spreadsheet, laid out like the 荥阳 plan (seed 001).

One row per measure: the problem (merged down over its measures, or repeated),
the measure, 牵头科室, 责任科室, 整改时限. A deadline is read as the plan's year
when it names only a month (12月底, 9月底前, 10月中旬), or the next year's when
that month is before the plan's own (said with I008), 年底 is 31 December,
and 长期坚持 / 持续推进 stay as they are. A problem cell left blank below a
problem is that problem; two columns of one free-text field are joined. The plan is written as one new file,
supervision/plans/<id>.yaml, never over an existing one; rows that cannot be
read are listed with sheet, row and column, and the rest is imported.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import sheets, yamlwrite
from .kinds import common
from .kinds.common import AGENCY_ID
from .kinds.plan import KIND, Plan, PlanProblem
from .messages import problems_from_error
from .model import MAX_CODE, ONGOING
from .problems import WARNING, Problem
from .yamlio import Positions, parse_text

# canonical field → the column names plans use for it (compared after sheets.normalise_header)
COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("存在问题", "存在的问题", "问题", "反馈问题", "问题清单", "问题名称", "主要问题", "整改问题"),
    "description": ("问题描述", "具体表现", "问题表现", "问题具体表现"),
    "text": ("整改措施", "措施", "整改举措", "具体措施", "整改任务"),
    "lead": ("牵头科室", "牵头单位", "牵头部门"),
    "responsible": ("责任科室", "责任单位", "责任部门", "责任股室"),
    "due": ("整改时限", "完成时限", "整改期限", "时限", "完成时间"),
    "done_on": ("完成日期", "销号日期", "实际完成日期", "实际完成时间"),
    "evidence": ("完成情况", "整改情况", "整改成效", "佐证材料"),
}
IGNORED = {"序号", "编号", "备注", "问题序号", "措施序号"}
REQUIRED = ("title", "responsible", "due")
TITLES = {"title": "问题", "description": "问题描述", "text": "整改措施", "lead": "牵头科室", "responsible": "责任科室",
          "due": "整改时限", "done_on": "完成日期", "evidence": "完成情况"}


class PlanImportError(Exception):
    """Nothing can be imported (no such file, no sheet with a plan, the plan exists already); Chinese."""


@dataclass
class Outcome:
    target: Path
    plan: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def measures(self) -> int:
        return sum(len(p["measures"]) for p in (self.plan or {}).get("problems", []))


# ---------------------------------------------------------------- cells


# 1. 1、 (1) （一） 一、 2.1 : numbering before the text. Not 3.15 in 3.15消费者权益保护日 (a number), nor
# 一、 in 一、二季度 (an enumeration): kept whole rather than cut.
_NUMBERING = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．](?![一二三四五六七八九十百千])"
                        r"|\d+(?:[.．]\d+)+(?:[、)）]|\s)|\d+[.、．)）](?!\d))\s*")
_MONTH = re.compile(r"^(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<part>底|末|上旬|中旬|下旬|(?P<d>\d{1,2})日)?(?:前|以前|之前)?$")


def _plain(value: Any) -> str | None:
    text = sheets.text(value)
    return _NUMBERING.sub("", text).strip() if text else None


def due(value: Any, year: int, after: dt.date | None = None) -> dt.date | str:
    """整改时限 as the contract has it: a date, or 长期坚持 / 持续推进. sheets.CellError (Chinese) otherwise.
    A month without its year (1月底) in a plan adopted `after` in a later month is the next year's:
    a plan adopted in December that says 1月底前 means January after it (`rolled` tells)."""
    if isinstance(value, dt.date):
        return sheets.date(value)  # type: ignore[return-value]
    text = re.sub(r"\s", "", sheets.text(value) or "")
    if not text:
        raise sheets.CellError("为空")
    if text in ONGOING:
        return text
    if text.startswith(("长期", "持续")):
        if re.search(r"\d|[一二三四五六七八九十]+月|年底|年末|月底", text):  # 持续推进，2026年12月底前取得明显成效
            raise sheets.CellError("既写了“长期坚持”“持续推进”又写了日期：整改时限只能写一个，有日期的写日期")
        return "长期坚持" if text.startswith("长期") else "持续推进"
    if text in ("年底", "年底前", "年内", "年末", "本年底", "今年底"):
        return dt.date(year, 12, 31)
    m = _MONTH.match(text)
    if m:
        y, month = int(m["y"] or year), int(m["m"])
        if not 1 <= month <= 12:
            raise sheets.CellError("月份不存在")
        if not m["y"] and after is not None and month < after.month:
            y += 1
        last = calendar.monthrange(y, month)[1]
        part = m["part"]
        day = {"上旬": 10, "中旬": 20}.get(part or "", last)
        if m["d"]:
            day = int(m["d"])
            if day > last:
                raise sheets.CellError("日期不存在")
        return dt.date(y, month, day)
    try:
        found = sheets.date(text)
    except sheets.CellError:
        raise sheets.CellError("读不出整改时限") from None
    assert found is not None
    return found


def _month_only(value: Any) -> re.Match | None:
    """12月底, 9月10日前: a month (and day) without its year."""
    m = _MONTH.match(re.sub(r"\s", "", sheets.text(value) or "")) if not isinstance(value, dt.date) else None
    return m if m and not m["y"] else None


def rolled(value: Any, after: dt.date) -> bool:
    """Whether `due` read this month without a year as the year after the plan's (see there)."""
    m = _month_only(value)
    return bool(m and 1 <= int(m["m"]) < after.month)


class _Cells:
    """Where a row's fields are, for checks written for records (common.check_dates)."""

    def __init__(self, path: str, row: sheets.Row, columns: dict[str, int]):
        self.path, self.row, self.columns = path, row, columns

    def problem(self, loc: tuple, code: str, message: str, hint: str, *, given: Any = None,
                severity: str = "错误") -> Problem:
        return Problem(self.path, self.row.number, self.columns.get(loc[-1], 0), code, message + "（这一行没有导入）",
                       hint, severity=severity, given=None if given is None else str(given))


_OPEN, _CLOSE = "（(【〔[", "）)】〕]"


def _sections(value: Any) -> list[str]:
    """责任科室 as written: one section, or several separated by 、，; or line breaks; never inside
    brackets: 市场监管所（食品科、药品科） is one."""
    text = sheets.text(value) or ""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in "、，,；;\n":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


# ---------------------------------------------------------------- the sheet


# Free text a plan may keep in two columns (整改情况 and 佐证材料): both kept, joined.
JOINED = {"description", "evidence"}
# A second column for a field already found that means another field beside it: 完成时间 beside
# 整改时限 is when the measure was done.
BESIDE = {"完成时间": "done_on"}


def _columns(headers: dict[int, str]) -> tuple[dict[str, list[str]], list[str], list[tuple[str, str]]]:
    """field → its columns (several only for JOINED fields), unknown columns, and (column, the column
    it repeats) for a column whose field is taken: reported, never silently dropped."""
    found: dict[str, list[str]] = {}
    unknown: list[str] = []
    repeated: list[tuple[str, str]] = []
    # Distinct: sheets.read_sheet reads a header written twice as one column. Stable: 完成时间 only
    # once the others are placed.
    for h in sorted(dict.fromkeys(headers.values()), key=lambda h: h in BESIDE):
        name = next((f for f, names in COLUMNS.items() if h in names), None)
        if name is None:
            if h not in IGNORED:
                unknown.append(h)
        elif name not in found:
            found[name] = [h]
        elif name in JOINED:
            found[name].append(h)
        elif h in BESIDE and BESIDE[h] not in found:
            found[BESIDE[h]] = [h]
        else:
            repeated.append((h, found[name][0]))
    return found, unknown, repeated


def _split_title(title: str) -> tuple[str, str | None]:
    """荥阳 writes a problem as its heading sentence followed by what was found: the heading is the title."""
    head, dot, rest = title.partition("。")
    return (head, rest.strip() or None) if dot and rest.strip() else (title.rstrip("。"), None)


def read(workbook: Path, shown: str, adopted: dt.date, outcome: Outcome, today: dt.date) -> list[dict[str, Any]]:
    """The problems (with their measures) of every sheet that holds a plan."""
    try:
        grids = sheets.open_workbook(workbook)  # .xlsx, .xls, .et, .ods or .csv, by content
    except sheets.WorkbookError as exc:
        raise PlanImportError(f"{shown}：{exc}") from None
    known = {n for names in COLUMNS.values() for n in names} | IGNORED
    problems: list[dict[str, Any]] = []
    for grid in sheets.shown(grids, outcome.notes):
        path = shown if grid.whole_file else f"{shown}[{grid.title}]"  # a CSV has no sheets to name
        sheet = sheets.read_sheet(grid, known)
        if sheet is None:
            outcome.notes.append(f"工作表「{grid.title}」：没有找到整改方案的表头（存在问题、整改措施、责任科室、整改时限），已跳过")
            continue
        cols, unknown, repeated = _columns(sheet.headers)
        lacking = [f for f in REQUIRED if f not in cols]
        hidden = sheets.hidden_problems(sheet)
        if hidden:
            outcome.problems += [Problem(path, r, c, "I010", said, sheets.HIDDEN_HINT) for r, c, said in hidden]
            continue
        if lacking:
            names = "、".join(f"「{TITLES[f]}」（可写作：{'、'.join(COLUMNS[f][:3])}）" for f in lacking)
            outcome.problems.append(Problem(path, sheet.header_row, 1, "I002", f"表头缺少{names}",
                                            "在表头加上这些列，或把已有的列改成这些名字；这张表暂未导入"))
            continue
        columns = sorted(sheet.headers.items())
        for h in unknown:
            col = next(c for c, name in columns if name == h)
            outcome.problems.append(Problem(path, sheet.header_row, col, "I001", f"不认得的列「{h}」，这一列没有导入",
                                            "如果它对应某个字段，把列名改成 使用说明 里列出的名字", severity=WARNING))
        for h, first in repeated:
            col = [c for c, name in columns if name == h][-1]
            outcome.problems.append(Problem(
                path, sheet.header_row, col, "I001", f"列「{h}」与「{first}」都是{TITLES[_field(h)]}，只导入了「{first}」这一列",
                "把这一列的内容并入「" + first + "」列，或删去这一列", severity=WARNING))
        for number, why in sheet.skipped:
            if not why.startswith("分组标题行"):  # a problem written alone on its row: read as the problem (_rows)
                outcome.notes.append(f"{path} 第 {number} 行是{why}，已跳过")
        _remarks(sheet, path, outcome.problems)
        problems += _rows(sheet, cols, path, adopted, outcome.problems, today)
    return problems


def _field(header: str) -> str:
    return next(f for f, names in COLUMNS.items() if header in names)


def _joined(row: sheets.Row, headers: list[str]) -> str | None:
    parts = [t for h in headers if (t := _plain(row.cells.get(h)))]
    return "；".join(parts) or None


def _remarks(sheet: sheets.Sheet, path: str, found: list[Problem]) -> None:
    """备注 has no field in a plan: what it holds (延期至……, 已完成) is said, not dropped in silence."""
    col = next((c for c, name in sorted(sheet.headers.items()) if name == "备注"), None)
    rows = [row.number for row in sheet.rows if sheets.text(row.cells.get("备注"))] if col is not None else []
    if rows:
        shown = "、".join(str(n) for n in rows[:8]) + ("……" if len(rows) > 8 else "")
        found.append(Problem(path, sheet.header_row, col, "I001", f"「备注」列有 {len(rows)} 格内容没有导入（第 {shown} 行）",
                             "整改方案没有备注字段：要保留的内容写进“整改措施”或“完成情况”列再导入，"
                             "或导入后写进文件", severity=WARNING))


# The fields of a measure: a row with none of them, only its problem, is that problem's heading.
MEASURE_FIELDS = ("text", "lead", "responsible", "due", "done_on", "evidence")


def _rows(sheet: sheets.Sheet, cols: dict[str, list[str]], path: str, adopted: dt.date,
          found: list[Problem], today: dt.date) -> list[dict]:
    out: list[dict[str, Any]] = []
    above = None  # the problem cell of the rows above: a blank one below it (not merged) is the same problem
    used = [h for headers in cols.values() for h in headers]
    title_col = cols["title"][0]
    # A problem written alone on its row (二、审核不到位) or merged across the sheet is what the sheet
    # reader takes for a group title: the rows below it are its measures.
    groups = [(number, title) for number, title in sheet.groups if _plain(title)]
    title_at = min(c for c, h in sheet.headers.items() if h == title_col)
    for row in sheet.rows:
        while groups and groups[0][0] < row.number:
            number, title = groups.pop(0)
            above = _plain(title)
            _problem(out, above, None, number, title_at)
        formulas = [h for h in used if row.cells.get(h) is sheets.UNCALCULATED]
        for h in formulas:
            found.append(Problem(path, row.number, row.columns[h], "I003", f"「{h}」{sheets.UNCALCULATED_SAID}，这一行没有导入",
                                 sheets.UNCALCULATED_HINT))
        if formulas:
            continue
        written = _plain(row.cells.get(title_col)) or above
        if not written:
            found.append(Problem(path, row.number, row.columns[title_col], "I004", "这一行没有写问题，没有导入",
                                 "合并单元格或逐行填写它所属的问题"))
            continue
        above = written
        problem = _problem(out, written, _joined(row, cols.get("description", [])), row.number, row.columns[title_col])
        if not any(sheets.text(row.cells.get(h)) for f in MEASURE_FIELDS for h in cols.get(f, [])):
            continue  # the problem's own row, its measures below
        problem["_tried"] = True
        measure = _measure(row, cols, path, adopted, found, problem, today)
        if measure is not None:
            problem["measures"].append(measure)
    for number, title in groups:  # below the last row
        _problem(out, _plain(title), None, number, title_at)
    for p in out:
        if not p["measures"] and not p.get("_tried"):
            found.append(Problem(path, p["_at"][0], p["_at"][1], "I004", f"问题「{p['title']}」下面没有整改措施，没有导入",
                                 "在它下面的行里写整改措施、责任科室和整改时限"))
    return [{k: v for k, v in p.items() if not k.startswith("_")} for p in out if p["measures"]]


def _problem(out: list[dict[str, Any]], written: str, more: str | None, number: int, col: int) -> dict[str, Any]:
    """The problem `written` (its whole cell) as the last one opened, opened anew if another was:
    two problems may open with one sentence. `more`: its description column."""
    title, description = _split_title(written)
    description = "\n".join(t for t in (description, more) if t) or None
    if not out or out[-1]["_written"] != written:
        out.append({"_written": written, "_at": (number, col), "title": title,
                    **({"description": description} if description else {}), "measures": []})
    elif description and not out[-1].get("description"):
        out[-1]["description"] = description
    return out[-1]


def _measure(row: sheets.Row, cols: dict[str, list[str]], path: str, adopted: dt.date, found: list[Problem],
             problem: dict, today: dt.date) -> dict[str, Any] | None:
    cell = row.cells.get
    first = {f: headers[0] for f, headers in cols.items()}
    text = _plain(cell(first["text"])) if "text" in first else None
    # A problem with no separate measure (荥阳's second problem): what it says is the measure.
    measure: dict[str, Any] = {"text": text or problem.get("description") or problem["title"]}
    lead = sheets.text(cell(first["lead"])) if "lead" in first else None
    if lead:
        measure["lead"] = lead
    responsible = _sections(cell(first["responsible"]))
    if not responsible:
        found.append(Problem(path, row.number, row.columns[first["responsible"]], "I004",
                             "这一行没有写责任科室，没有导入", "填写负责落实这项措施的科室或单位"))
        return None
    measure["responsible"] = responsible[0] if len(responsible) == 1 else responsible
    value = cell(first["due"])
    try:
        measure["due"] = due(value, adopted.year, adopted)
    except sheets.CellError as exc:
        found.append(Problem(path, row.number, row.columns[first["due"]], "I003", f"「整改时限」{exc}",
                             "写成 12月底、9月底前、2023年12月31日、长期坚持 或 持续推进", given=sheets.text(value)))
        return None
    if "done_on" in first and cell(first["done_on"]) is not None:
        try:
            measure["done_on"] = sheets.date(cell(first["done_on"]))
        except sheets.CellError as exc:
            found.append(Problem(path, row.number, row.columns[first["done_on"]], "I003", f"「完成日期」{exc}",
                                 "写成 2025-03-08 或 2025年3月8日", given=sheets.text(cell(first["done_on"]))))
            return None
        # validate's rules for it (plan.check): after the plan was adopted, not after today
        at = _Cells(path, row, {"done_on": row.columns[first["done_on"]]})
        late = [p for p in common.check_dates(at, today, ("adopted_on", "方案印发日期", adopted),
                                              [(("done_on",), "完成日期", measure["done_on"])]) if p.col]
        if late:
            found.extend(late)
            return None
    evidence = _joined(row, cols.get("evidence", []))
    if evidence:
        measure["evidence"] = evidence
    if not _valid(row, cols, path, problem, measure, found):
        return None
    if rolled(value, adopted):
        found.append(Problem(path, row.number, row.columns[first["due"]], "I008",
                             f"「整改时限」没有写年份：方案 {adopted} 印发，{sheets.text(value)} 按 {measure['due']} 导入",
                             "如果指的是印发当年更早的日期，导入后在文件里改正这一项的 due", severity=WARNING,
                             given=sheets.text(value)))
    elif _month_only(value) and isinstance(measure["due"], dt.date) and measure["due"] < adopted:
        found.append(Problem(path, row.number, row.columns[first["due"]], "I008",
                             f"「整改时限」没有写年份：{sheets.text(value)} 按 {measure['due']} 导入，早于方案印发日期 {adopted}",
                             "核对这一项；如果指的是下一年，导入后在文件里改正这一项的 due", severity=WARNING,
                             given=sheets.text(value)))
    return measure


def _valid(row: sheets.Row, cols: dict[str, list[str]], path: str, problem: dict, measure: dict,
           found: list[Problem]) -> bool:
    """Whether the row makes a problem and measure that validate accepts (a date in range, text not too
    long); if not, why, at its cell."""
    data = {k: v for k, v in problem.items() if k in ("title", "description")}
    try:
        PlanProblem.model_validate({**data, "measures": [measure]})
    except ValidationError as exc:
        at = Positions(values={(): (row.number, min(row.columns.values(), default=1))})
        for f, headers in cols.items():
            place = (row.number, row.columns[headers[0]])
            at.values[(f,) if f in ("title", "description") else ("measures", 0, f)] = place
        found += [Problem(p.path, p.line, p.col, p.code, p.message + "（这一行没有导入）", p.hint, given=p.given)
                  for p in problems_from_error(exc, PlanProblem, path, at)]
        return False
    return True


# ---------------------------------------------------------------- the command


def _taken(root: Path) -> dict[str, Path]:
    """Plan ids already in the project, read with the YAML reader (a handful of files)."""
    out: dict[str, Path] = {}
    folder = root / KIND.files.path
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else ():
        doc, _ = parse_text(path.read_text(encoding="utf-8", errors="replace"), path.name)
        if doc is not None and isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            out[doc.data["id"]] = path
    return out


def run(root: Path, workbook: Path, *, plan_id: str, owner: str, adopted_on: dt.date, today: dt.date,
        title: str | None = None, source: str | None = None, shown: str | None = None, dry_run: bool = False) -> Outcome:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", plan_id) or len(plan_id) > MAX_CODE:
        raise PlanImportError(f"方案编号只用小写字母、数字和连字符（它也是文件名），最多 {MAX_CODE} 个字符，例如 "
                              f"{owner}-{adopted_on.year}-zgfa；填写的是「{plan_id}」")
    if adopted_on > today:  # validate would refuse the plan written (T001)
        raise PlanImportError(f"印发日期 {adopted_on} 晚于今天（{today}）：--adopted-on 写方案实际印发的日期")
    if AGENCY_ID.fullmatch(owner) and not (root / "content" / owner / "agency.yaml").is_file():
        # a typo: validate would refuse the plan written (R012)
        raise PlanImportError(f"执法主体 {owner} 不存在：--agency 写 content/ 下某个执法主体的文件夹名，"
                              f"或先运行 disclose new agency --agency {owner}")
    target = root / KIND.files.path / f"{plan_id}.yaml"
    taken = _taken(root)
    if plan_id in taken or target.exists():
        where = (taken.get(plan_id) or target).relative_to(root).as_posix()
        raise PlanImportError(f"整改方案 {plan_id} 已存在（{where}）：导入不会覆盖已有的方案；换一个 --id，"
                              "或在原文件里直接修改")
    outcome = Outcome(target)
    shown = shown or workbook.name
    problems = read(workbook, shown, adopted_on, outcome, today)
    # Excel users find a cell by its name (D8), not by row and column numbers
    outcome.problems = [Problem(p.path, p.line, p.col, p.code, f"{sheets.column_letter(p.col)}{p.line} 单元格：{p.message}",
                                p.hint, p.severity, p.given) for p in outcome.problems]
    if not problems:
        if not any(p.is_error for p in outcome.problems):
            outcome.notes.append("没有读到任何整改措施")
        return outcome
    plan = {"id": plan_id, "title": title or workbook.stem, "owner": owner,
            "source": source or "（请填写方案回应的监督意见）", "adopted_on": adopted_on, "public": False,
            "problems": problems}
    try:  # each row was checked as it was read: what is left is what the command line gave
        Plan.model_validate(plan)
    except ValidationError as exc:
        options = {"title": "--title", "source": "--source", "owner": "--agency", "adopted_on": "--adopted-on"}
        said = "；".join(f"{options.get(str(e['loc'][0]), e['loc'][0])}：{e['msg']}" for e in exc.errors(include_url=False))
        raise PlanImportError(f"命令行给出的方案信息不能用（{said}）：改正后重新运行") from None
    outcome.plan = plan
    if dry_run:
        return outcome
    name = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", workbook.name)  # the comment stays one line
    head = (f"# 由 disclose import plan 从 {name} 导入（印发日期 {adopted_on}）。"
            "请核对方案名称 title 和整改依据 source；措施完成后填写 done_on（销号）。\n")
    text = head + yamlwrite.dump(plan)
    doc, read_problems = parse_text(text, target.name)
    if read_problems or doc is None or Plan.model_validate(doc.data).model_dump() != Plan.model_validate(plan).model_dump():
        raise PlanImportError("内部错误：写出的整改方案读回后与表格不一致，没有写入")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:
        fh.write(text)
    outcome.written = True
    return outcome


def report(outcome: Outcome, root: Path, dry_run: bool) -> list[str]:
    target = outcome.target.relative_to(root).as_posix() if outcome.target.is_relative_to(root) else str(outcome.target)
    lines = [f"整改方案 → {target}" + ("（试运行，没有写入任何文件）" if dry_run else "")]
    if outcome.plan:
        verb = "将导入" if dry_run else "已导入"
        dated = sum(isinstance(m["due"], dt.date) for p in outcome.plan["problems"] for m in p["measures"])
        lines.append(f"  {verb} {len(outcome.plan['problems'])} 个问题、{outcome.measures} 项整改措施"
                     f"（{dated} 项有截止日期，{outcome.measures - dated} 项长期坚持或持续推进）")
        for p in outcome.plan["problems"]:
            lines.append(f"    {p['title']}：{len(p['measures'])} 项")
    lines += [f"  {note}" for note in outcome.notes]
    return lines


def cli(args: Any, root: Path, today: dt.date) -> int:
    """The `disclose import plan` branch of cli.cmd_import (printing is the CLI's: returns the exit code)."""
    import sys

    if not args.id:
        print("错误：导入整改方案要写明方案编号：--id 例如 xinglong-2026-zgfa", file=sys.stderr)
        return 2
    adopted = dt.date.fromisoformat(args.adopted_on) if args.adopted_on else today
    try:
        outcome = run(root, Path(args.file), plan_id=args.id, owner=args.agency, adopted_on=adopted, today=today,
                      title=args.title, source=args.source, shown=args.file, dry_run=args.dry_run)
    except PlanImportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for p in sorted(outcome.problems):
        print(p.format(), file=sys.stderr)
    for line in report(outcome, root, args.dry_run):
        print(line)
    errors = sum(p.is_error for p in outcome.problems)
    if errors:
        print(f"有 {errors} 行未能导入（见上方，每行标明了工作表、行号和原因）。", file=sys.stderr)
        if outcome.written:  # a second import with this --id is refused: the plan exists
            target = outcome.target.relative_to(root).as_posix() if outcome.target.is_relative_to(root) else outcome.target
            print(f"其余已写入 {target}：在这个文件里补上这几项，或删去它、改好表格后重新导入。", file=sys.stderr)
    if outcome.written:
        print("下一步：核对方案名称和整改依据，运行 disclose validate 检查，再提交。")
    return 1 if errors or outcome.plan is None else 0
