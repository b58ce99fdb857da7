"""Read the Excel workbooks agencies already keep: find the header row, unmerge, skip the noise.

Real sheets have a title row or two above the header, headers with line
breaks and 「*」 marks, cells merged down over several rows (a violation over
its tiers), blank spacer rows, group titles merged across the whole width,
and numbers stored as text (or text stored as numbers). This module turns a
sheet into rows of {column header: value} with the sheet name and row number
kept for messages; mapping rows to records is `importer`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEADER_SCAN_ROWS = 15  # titles above the header rarely take more than a few rows


class WorkbookError(Exception):
    """The file cannot be read as a workbook at all."""


@dataclass
class Row:
    sheet: str
    number: int  # 1-based, as Excel shows it
    cells: dict[str, Any]  # canonical header → value (None for empty)
    columns: dict[str, int]  # canonical header → 1-based column


@dataclass
class Sheet:
    name: str
    header_row: int
    headers: dict[int, str]  # column → header text as written (normalised)
    rows: list[Row] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why) of rows left out on purpose


def normalise_header(text: Any) -> str:
    """「事项 名称\\n(必填)*」 → 「事项名称」: what staff type around a header does not change its meaning."""
    if text is None:
        return ""
    s = str(text)
    s = s.replace("（", "(").replace("）", ")")
    s = re.sub(r"\((必填|选填|可选|必选|可不填)\)", "", s)
    s = re.sub(r"[\s*＊:：]", "", s)
    return s


def column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class _Uncalculated:
    """A formula cell whose result the file does not hold (written by a program, never opened in Excel)."""

    def __repr__(self) -> str:
        return "（公式）"


UNCALCULATED = _Uncalculated()


def uncalculated(path: Path, wb) -> dict[str, set[tuple[int, int]]]:
    """Per sheet, the formula cells without a stored result: read as values they would look empty."""
    from openpyxl import load_workbook

    out: dict[str, set[tuple[int, int]]] = {}
    formulas = load_workbook(path)  # the formulas themselves, not their cached results
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" and wb[ws.title].cell(cell.row, cell.column).value is None:
                    out.setdefault(ws.title, set()).add((cell.row, cell.column))
    return out


def _unmerged(ws, missing: set[tuple[int, int]] = frozenset()) -> dict[tuple[int, int], Any]:  # type: ignore[assignment]
    """Every cell's value, with a merged range's value copied into each cell it covers."""
    values: dict[tuple[int, int], Any] = dict.fromkeys(missing, UNCALCULATED)
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None and not (isinstance(cell.value, str) and not cell.value.strip()):
                values[(cell.row, cell.column)] = cell.value
    for rng in ws.merged_cells.ranges:
        value = values.get((rng.min_row, rng.min_col))
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if value is not None:
                    values[(r, c)] = value
    return values


def open_workbook(path: Path):
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    if path.suffix.lower() == ".xls":
        raise WorkbookError("这是旧版 .xls 文件：请在 Excel 或 WPS 里“另存为” .xlsx 后再导入")
    if path.suffix.lower() == ".csv":
        raise WorkbookError("这是 CSV 文件：请在 Excel 或 WPS 里打开后“另存为” .xlsx 再导入")
    try:
        # not read_only: merged ranges are only known in the full reader; sheets are small
        return load_workbook(path, data_only=True)
    except FileNotFoundError:
        raise WorkbookError("找不到这个文件：检查路径和文件名") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise WorkbookError(f"无法作为 .xlsx 工作簿打开（{type(exc).__name__}）：文件可能损坏或不是 Excel 文件；"
                            "请用 Excel 或 WPS 打开后另存为 .xlsx") from None


def read_sheet(ws, known: Iterable[str], missing: set[tuple[int, int]] = frozenset()) -> Sheet | None:  # type: ignore[assignment]
    """The sheet's rows under its header, or None when no row looks like a header.

    `known` are the header variants the caller understands; the header row is
    the first of the top rows in which at least two cells are known headers.
    A header may take two rows (罚款金额（元） merged over 下限 and 上限): a column
    whose second-row cell, alone or after its first-row cell, is a known header
    takes that name, and the data start below both rows.
    """
    known = set(known)
    values = _unmerged(ws, missing)
    if not values:
        return None
    last_row = max(r for r, _ in values)
    last_col = max(c for _, c in values)
    header_row = None
    for r in range(1, min(last_row, HEADER_SCAN_ROWS) + 1):
        found = {normalise_header(values.get((r, c))) for c in range(1, last_col + 1)} & known
        if len(found) >= 2:
            header_row = r
            break
    if header_row is None:
        return None
    headers = {c: normalise_header(values.get((header_row, c))) for c in range(1, last_col + 1)}
    first_data = header_row + 1
    for c in range(1, last_col + 1):
        parent, child = headers.get(c, ""), normalise_header(values.get((header_row + 1, c)))
        if child and child != parent:  # a vertically merged header repeats itself: not a second row
            name = next((n for n in (parent + child, child) if n in known), None)
            if name:
                headers[c] = name
                first_data = header_row + 2
    headers = {c: h for c, h in headers.items() if h}
    sheet = Sheet(ws.title, header_row, headers)
    for r in range(first_data, last_row + 1):
        cells = {h: values.get((r, c)) for c, h in headers.items()}
        filled = [v for v in cells.values() if v is not None]
        if not filled:
            continue  # spacer row
        if len(headers) > 2 and len(filled) == len(headers) and len({str(v) for v in filled}) == 1:
            sheet.skipped.append((r, f"分组标题行「{filled[0]}」"))
            continue
        if all(normalise_header(v) == h for h, v in cells.items() if v is not None):
            continue  # the header repeated (a sheet pasted together from pages)
        sheet.rows.append(Row(ws.title, r, cells, {h: c for c, h in headers.items()}))
    return sheet


# ---------------------------------------------------------------- cell values


class CellError(ValueError):
    """A cell whose value cannot be read as what its column holds; the message is Chinese."""


def text(value: Any) -> str | None:
    """A cell as text: 33070012345.0 (a number Excel kept) → '33070012345'."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).replace("\r\n", "\n").replace("\u3000", " ").strip()
    s = s.replace("_x000D_", "")
    return s or None


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date | None:
    """Excel dates, 2022/1/1, 2022.01.01, 2022年1月1日, and date serials stored as numbers or text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = text(value) or ""
    if re.fullmatch(r"\d{5}(\.0+)?", s):  # a date Excel kept as its serial number
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
    m = _DATE_TEXT.match(s)
    if not m:
        raise CellError("不是日期")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError("日期不存在") from None


def amount(value: Any, per: int = 1) -> float | None:
    """A sum of money in 元: 5000, '5,000', '5000元', '0.5万元' (or a 万元 column, per=10000)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("不是金额")
    if isinstance(value, int | float):
        number = float(value) * per
    else:
        s = (text(value) or "").replace(",", "").replace("，", "").replace(" ", "")
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(万元|万|元)?", s)
        if not m:
            raise CellError("不是金额")
        number = float(m[1]) * (10000 if m[2] in ("万", "万元") else 1 if m[2] == "元" else per)
    return int(number) if number.is_integer() else round(number, 2)


def flag(value: Any) -> bool | None:
    if value is None:
        return None
    s = text(value) or ""
    if s in ("是", "√", "✓", "Y", "y", "yes", "Yes", "true", "TRUE", "True", "1", "需要", "纳入"):
        return True
    if s in ("否", "×", "N", "n", "no", "No", "false", "FALSE", "False", "0", "不需要", "不纳入", "无"):
        return False
    raise CellError("应为“是”或“否”")


def items(value: Any) -> list[str]:
    """A cell holding a list: one item per line, or separated by ；/; (numbering like 1. 或 （一） dropped)."""
    s = text(value)
    if not s:
        return []
    parts = re.split(r"\n+|[；;]", s)
    out = []
    for part in parts:
        part = re.sub(r"^\s*(?:\d+[.、．)]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*", "", part)
        part = part.strip(" 。")
        if part:
            out.append(part)
    return out
