"""Read the workbooks agencies already keep: find the header row, unmerge, skip the noise.

Government offices keep .xls (Excel 97-2003) as often as .xlsx, WPS users save
.et, a few use .ods, and credit-platform exports are CSV; files are often
misnamed (an .xls saved as .xlsx). So the format is read from the file's first
bytes, never from its name, and one reader, python-calamine, reads every
spreadsheet format: it is maintained, reads .xls/.xlsx/.xlsb/.ods from one
wheel, fast, and reports merged ranges for .xls and .xlsx (for .ods it does
not: there a merged cell reads as its first cell followed by blanks, which the
importer treats like a cell "left blank below the first"). openpyxl is kept
only to find formula cells an .xlsx holds without a stored result.

Real sheets have a title row or two above the header, headers with line
breaks, spaces and 「*」 marks, cells merged down over several rows (a 事项
over its 子项, a violation over its tiers), blank spacer rows, group titles
(「一、行政处罚」) merged across the width or alone in the first cell, a column
repeated, and numbers stored as text (or text stored as numbers). This module
turns a sheet into rows of {column header: value} with the sheet name and row
number kept for messages; mapping rows to records is the importers' job.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import html
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .yamlio import RAW_CONTROL

HEADER_SCAN_ROWS = 15  # titles above the header rarely take more than a few rows


class WorkbookError(Exception):
    """The file cannot be read as a workbook at all; the message is Chinese."""


@dataclass
class Grid:
    """One sheet's cells: (row, column) → value, 1-based as Excel shows them, merged ranges filled in."""

    title: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    whole_file: bool = False  # a CSV: messages name the file, not a sheet
    hidden: bool = False  # hidden in Excel or WPS (an old version kept, a list for drop-downs): not imported
    # Rows and columns hidden in the sheet (by hand, by a filter, in a collapsed group), as 1-based
    # (first, last) ranges, sorted and disjoint (see `within`): their cells read like any other, and
    # the importers do not take them unseen.
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)
    hidden_cols: list[tuple[int, int]] = field(default_factory=list)
    hidden_unchecked: bool = False  # what the sheet hides could not be told (an .xlsb, XML no parser reads)


def shown(grids: list[Grid], notes: list[str]) -> list[Grid]:
    """The sheets to import: a hidden one is not, and `notes` says so (every importer's rule)."""
    notes += [f"工作表「{g.title}」是隐藏的，没有导入（常是作废的旧表或下拉选项表）；要导入就在 Excel 或 WPS 里取消隐藏"
              for g in grids if g.hidden]
    notes += [f"工作表「{g.title}」：无法判断其中有没有隐藏的行或列（这种文件格式读不出来），已按全部显示导入；"
              "请在 Excel 或 WPS 里确认没有隐藏的行、列，也没有开着筛选" for g in grids if g.hidden_unchecked and not g.hidden]
    return [g for g in grids if not g.hidden]


@dataclass
class Row:
    sheet: str
    number: int  # 1-based, as Excel shows it
    cells: dict[str, Any]  # canonical header → value (None for empty)
    columns: dict[str, int]  # canonical header → 1-based column (the first, for a repeated column)
    group: str | None = None  # the group title above the row (「一、行政处罚（5项）」), if any
    inherited: set[str] = field(default_factory=set)  # headers whose value was taken from the row above


@dataclass
class Sheet:
    name: str
    header_row: int
    headers: dict[int, str]  # column → header text as written (normalised)
    rows: list[Row] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why) of rows left out on purpose
    groups: list[tuple[int, str]] = field(default_factory=list)  # (row, title) of the group title rows among them
    units: dict[str, str] = field(default_factory=dict)  # header → unit written after it: 法定期限（工作日）
    hidden_rows: list[int] = field(default_factory=list)  # rows of records hidden in the sheet: not read
    hidden_cols: list[tuple[int, str]] = field(default_factory=list)  # (column, header) hidden: not read
    first_col: int = 1  # the table's first column (where a row's messages point)


def normalise_header(text: Any) -> str:
    """「事项 名称\\n(必填)*」 → 「事项名称」: what staff type around a header does not change its meaning."""
    if text is None or text is UNCALCULATED:  # a formula's stand-in ("（公式）") is no header, nor a unit after one
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
UNCALCULATED_SAID = "是公式，文件里没有它的计算结果"  # after the column's name, as every importer says it
UNCALCULATED_HINT = "用 Excel 或 WPS 打开工作簿并保存一次（会存下计算结果），再导入"


# ---------------------------------------------------------------- telling formats apart by content

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF8), and WPS .et, in a compound document
_SAVE_AS = "请用 Excel 或 WPS 打开后“另存为” .xlsx 再导入"


def sniff(data: bytes) -> str:
    """What a file is, from its bytes: xls, xlsx, xlsb, ods, csv, or a name for what cannot be read."""
    if data.startswith(_OLE[:4]):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
                mimetype = z.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            return "broken"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "xl/workbook.bin" in names:
            return "xlsb"
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if "word/document.xml" in names or b"opendocument.text" in mimetype:
            return "document"
        return "broken"
    if data.startswith(b"%PDF"):
        return "pdf"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<table" in head[:1024]:
        return "html"  # many business systems export an HTML table named .xls
    if head.startswith(b"<?xml"):
        return "xml"
    sample = data[:4096].removeprefix(b"\xef\xbb\xbf")  # the BOM's 3 bytes would shift exc.start
    for encoding in ("utf-8", "gb18030"):
        try:
            head_text = sample.decode(encoding)
            break
        except UnicodeDecodeError as exc:
            if exc.start > len(sample) - 4:  # a character cut by the sample's end
                head_text = sample[:exc.start].decode(encoding)
                break
    else:
        return "binary"
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", head_text):
        return "binary"
    first = next((line for line in head_text.splitlines() if line.strip()), "")
    return "csv" if re.search(r"[,\t;，]", first) else "text"


_CANNOT = {
    "broken": "文件已损坏或不是 Excel 文件（像压缩包，却读不出工作簿）：" + _SAVE_AS,
    "pdf": "这是 PDF 文件，不是表格：请找到它的 Excel 原件再导入",
    "document": "这是 Word 或文字文档，不是表格：请把表格复制到 Excel 或 WPS 表格里，保存为 .xlsx 再导入",
    "html": "这个文件其实是网页（HTML）格式的表格（很多业务系统这样导出“.xls”）：" + _SAVE_AS,
    "xml": "这是 XML 格式的文件（例如 Excel 2003 XML 表格）：" + _SAVE_AS,
    "binary": "无法识别的文件格式：" + _SAVE_AS,
    "text": "这是纯文本文件，不是表格（CSV 文件的第一行应是用逗号隔开的列名）：" + _SAVE_AS,
}


def open_workbook(path: Path) -> list[Grid]:
    """Every worksheet of a spreadsheet or CSV file, whatever its name says it is."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise WorkbookError("找不到这个文件：检查路径和文件名") from None
    except IsADirectoryError:
        raise WorkbookError("这是一个文件夹，不是表格文件") from None
    except OSError as exc:
        raise WorkbookError(f"无法读取这个文件（{exc.strerror or type(exc).__name__}）") from None
    kind = sniff(data)
    if kind in _CANNOT:
        raise WorkbookError(_CANNOT[kind])
    if kind == "csv":
        return [_csv_grid(data, path.stem)]
    grids = _calamine(data, kind)
    if kind == "xlsx":
        _mark_uncalculated(data, grids)
    _mark_hidden(data, kind, grids)
    return grids


def _calamine(data: bytes, kind: str) -> list[Grid]:
    from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        grids = []
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart and macro sheets hold no rows
            sheet = wb.get_sheet_by_name(meta.name)
            grid = Grid(meta.name, hidden=meta.visible != SheetVisibleEnum.Visible)
            for r, row in enumerate(sheet.to_python(skip_empty_area=False), 1):
                for c, value in enumerate(row, 1):
                    if value is not None and not (isinstance(value, str) and not value.strip()):
                        grid.cells[(r, c)] = value
            try:
                merged = sheet.merged_cell_ranges or ()
            except Exception:  # a format without merged ranges (.ods): a covered cell then reads empty
                merged = ()
            for (r0, c0), (r1, c1) in merged:
                value = grid.cells.get((r0 + 1, c0 + 1))
                if value is None:
                    continue
                for r in range(r0 + 1, r1 + 2):
                    for c in range(c0 + 1, c1 + 2):
                        grid.cells[(r, c)] = value
            grids.append(grid)
        return grids
    except PasswordError:
        raise WorkbookError("工作簿设置了打开密码：请在 Excel 或 WPS 里取消密码后另存一份再导入") from None
    except WorkbookError:
        raise
    except Exception as exc:  # a damaged file: whatever the reader raises, staff get one plain sentence
        what = {"xls": ".xls（或 WPS .et）", "xlsb": ".xlsb", "ods": ".ods"}.get(kind, ".xlsx")
        raise WorkbookError(f"无法作为 {what}工作簿打开（{type(exc).__name__}）：文件可能损坏，或是 WPS 专有格式；"
                            + _SAVE_AS) from None


def _mark_hidden(data: bytes, kind: str, grids: list[Grid]) -> None:
    """The rows and columns each sheet hides, which calamine does not tell: from the sheet's own XML
    (.xlsx, .ods), and from xlrd for .xls (and WPS .et saved as one), which reads the row and column
    records of the old format. Where they cannot be told (an .xlsb, a file these cannot read), each
    sheet is marked unchecked, and the import says so (`shown`)."""
    read = {"xlsx": _hidden_xlsx, "ods": _hidden_ods, "xls": _hidden_xls}.get(kind)
    try:
        found = read(data) if read is not None else None
    except Exception:  # a second reading of a file calamine read: told, not raised
        found = None
    for g in grids:
        if found is None or g.title not in found:
            g.hidden_unchecked = True
        else:
            g.hidden_rows, g.hidden_cols = found[g.title]


def within(ranges: list[tuple[int, int]], n: int) -> bool:
    """`n` lies in one of `ranges` (sorted and disjoint, as _merge_ranges makes them): found by
    bisection, since a filtered sheet hides thousands of separate rows and each row asks."""
    i = bisect.bisect_right(ranges, n, key=lambda r: r[0]) - 1
    return i >= 0 and ranges[i][1] >= n


# Control characters a business system leaves in a cell: calamine reads past them, an XML parser
# stops. Only the rows' and columns' attributes are read here: dropped, they change nothing.
_XML_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|col|sheetFormatPr)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_TAG_ATTR = re.compile(rb"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_NOT_MARKUP = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)  # what may hold a tag's text


def _local(tag: str) -> str:
    """A tag or attribute without its namespace: Excel's Strict Open XML names the same elements
    under other namespaces than the usual (transitional) ones."""
    return tag.rsplit("}", 1)[-1]


def _attr(el: Any, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (r:id in either kind of file)."""
    for key, value in el.attrib.items():
        if _local(key) == name:
            return value
    return None


def _whole(value: str | None) -> int | None:
    """A row or column number, or None for one missing or not a number (that tag alone is passed over)."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _zero(value: str | None) -> bool:
    try:
        return value is not None and float(value) == 0
    except ValueError:
        return False


def _hidden_xlsx(data: bytes) -> dict[str, tuple[list, list]]:
    """Hidden rows and columns of each sheet of an .xlsx: marked hidden, or 0 high or wide (shown
    as hidden), and the rows of a sheet whose rows are 0 high unless they say otherwise."""
    import posixpath
    import xml.etree.ElementTree as ET  # the workbook and its links: small files

    def parse(raw: bytes) -> Any:
        return ET.fromstring(_XML_CONTROL.sub(b"", raw))

    out: dict[str, tuple[list, list]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = set(z.namelist())
        book = parse(z.read("xl/workbook.xml"))
        targets = {r.get("Id"): r.get("Target") or "" for r in parse(z.read("xl/_rels/workbook.xml.rels"))}
        for sheet in book.iter():
            if _local(sheet.tag) != "sheet":
                continue
            target = targets.get(_attr(sheet, "id"), "")
            path = posixpath.normpath(target[1:] if target.startswith("/") else "xl/" + target)
            if not target or path not in names:
                continue
            rows: list[tuple[int, int]] = []
            cols: list[tuple[int, int]] = []
            row, zero_height = 0, False
            # The tags alone, matched in the bytes: a sheet of a million rows is read in one pass and
            # little memory (a tree of it would take hundreds of MB); cell text cannot hold a tag, escaped.
            for m in _SHEET_TAG.finditer(_NOT_MARKUP.sub(b"", z.read(path))):
                # values as an XML parser reads them: &#49; is 1, and a boolean's spaces do not count
                tag, attrs = m[1], {_local(k.decode()): html.unescape((a or b).decode()).strip()
                                    for k, a, b in _TAG_ATTR.findall(m[2])}
                if tag == b"sheetFormatPr":
                    zero_height = attrs.get("zeroHeight") in ("1", "true")
                elif tag == b"row":
                    row = _whole(attrs.get("r")) or row + 1  # r may be left out: the row after the last
                    height = attrs.get("ht")
                    if attrs.get("hidden") in ("1", "true") or _zero(height) or (zero_height and not height):
                        if rows and rows[-1][1] == row - 1:  # in order as written: one range a run
                            rows[-1] = (rows[-1][0], row)
                        else:
                            rows.append((row, row))
                elif attrs.get("hidden") in ("1", "true") or _zero(attrs.get("width")):  # a col
                    first = _whole(attrs.get("min")) or 1
                    cols.append((first, _whole(attrs.get("max")) or first))
            out[sheet.get("name") or ""] = (_merge_ranges(rows), _merge_ranges(cols))
    return out


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for first, last in sorted(ranges):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return out


def _hidden_ods(data: bytes) -> dict[str, tuple[list, list]]:
    import xml.etree.ElementTree as ET

    t = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = ET.fromstring(z.read("content.xml"))
    out: dict[str, tuple[list, list]] = {}
    for table in root.iter(t + "table"):
        rows: list[tuple[int, int]] = []
        cols: list[tuple[int, int]] = []
        r = c = 0
        for el in table.iter():  # rows and columns inside header and group elements too
            if el.tag == t + "table-column":
                n = int(el.get(t + "number-columns-repeated") or 1)
                if el.get(t + "visibility", "visible") != "visible":  # collapse (hidden) or filter
                    cols.append((c + 1, c + n))
                c += n
            elif el.tag == t + "table-row":
                n = int(el.get(t + "number-rows-repeated") or 1)
                if el.get(t + "visibility", "visible") != "visible":
                    rows.append((r + 1, r + n))
                r += n
        out[table.get(t + "name") or ""] = (_merge_ranges(rows), _merge_ranges(cols))
    return out


def _hidden_xls(data: bytes) -> dict[str, tuple[list, list]]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=io.StringIO())
    out: dict[str, tuple[list, list]] = {}
    try:
        for i in range(book.nsheets):
            sheet = book.sheet_by_index(i)
            by_default = bool(getattr(sheet, "default_row_hidden", 0))  # rows hidden unless given a height

            def hidden(r: int, info: Any, by_default: bool = by_default) -> bool:
                if info is None:
                    return by_default
                return bool(info.hidden or info.height == 0 or (by_default and not info.height_mismatch))

            rows = [(r + 1, r + 1) for r in range(sheet.nrows) if hidden(r, sheet.rowinfo_map.get(r))]
            cols = [(c + 1, c + 1) for c, info in sheet.colinfo_map.items() if info.hidden or info.width == 0]
            out[sheet.name] = (_merge_ranges(rows), _merge_ranges(cols))
            book.unload_sheet(i)
    finally:
        book.release_resources()
    return out


HIDDEN_HINT = ("在 Excel 或 WPS 里取消隐藏（也看看是否开了筛选、折叠了分组），核对后重新导入；"
               "作废的行或列请删除，不要隐藏")


def hidden_problems(sheet: Sheet) -> list[tuple[int, int, str]]:
    """(row, column, message) of what a sheet hides among its records, the sheet itself first:
    such a sheet is not imported at all. What was hidden was not checked by whoever imports it (a
    withdrawn item, a filter left on), and a hidden row left out would hand its place to another:
    the 子项 below a hidden 事项 would be read under the one above."""
    if not (sheet.hidden_rows or sheet.hidden_cols):
        return []
    parts = [f"{len(sheet.hidden_rows)} 行"] if sheet.hidden_rows else []
    parts += [f"{len(sheet.hidden_cols)} 列"] if sheet.hidden_cols else []
    found = [(sheet.header_row, sheet.first_col, f"工作表「{sheet.name}」有 {'、'.join(parts)}是隐藏的：这张表暂未导入")]
    found += [(sheet.header_row, col, f"「{header}」列是隐藏的") for col, header in sheet.hidden_cols]
    return found + [(row, sheet.first_col, "这一行是隐藏的") for row in sheet.hidden_rows]


def _mark_uncalculated(data: bytes, grids: list[Grid]) -> None:
    """Formula cells an .xlsx holds without a stored result: read as values they would look empty."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if not any(b"<f" in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")):
            return  # no formula anywhere: skip the second reading
    from openpyxl import load_workbook

    try:
        formulas = load_workbook(io.BytesIO(data), read_only=True)  # the formulas, not their results
    except Exception:  # openpyxl refuses some files calamine reads: then formulas are not flagged
        return
    by_title = {g.title: g for g in grids}
    for ws in formulas.worksheets:
        grid = by_title.get(ws.title)
        if grid is None:
            continue
        for row in ws.iter_rows():
            for cell in row:
                if getattr(cell, "data_type", None) == "f" and (cell.row, cell.column) not in grid.cells:
                    grid.cells[(cell.row, cell.column)] = UNCALCULATED
    formulas.close()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what generator/csvfile.py neutralises with a leading '


def _csv_grid(data: bytes, title: str) -> Grid:
    """A CSV file as one sheet: UTF-8 (with or without BOM) or GB18030, as Excel on a Chinese Windows saves it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise WorkbookError("CSV 文件的编码无法识别：请用 Excel 或 WPS 打开后另存为 .xlsx，或存为 UTF-8 编码的 CSV")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid = Grid(title, whole_file=True)
    for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), 1):
        for c, value in enumerate(row, 1):
            # Our own exports put ' before a cell that would start a formula: that quote is not data.
            if value[:1] == "'" and value[1:2] in _FORMULA_START and len(value) > 1:
                value = value[1:]
            if value.strip():
                grid.cells[(r, c)] = value
    return grid


# ---------------------------------------------------------------- from a grid to rows under a header

# A group title: 「一、行政处罚（5项）」「（二）行政检查」「第三部分 行政强制」 standing alone in its row.
_GROUP_TITLE = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十\d]+[部分类章节])")


def _known_name(header: str, known: set[str]) -> tuple[str, str | None]:
    """The header as known, and a unit written after it: 法定期限(工作日) → (法定期限, 工作日)."""
    if header in known:
        return header, None
    m = re.fullmatch(r"(.+?)\(([^()]{1,8})\)", header)
    if m and m[1] in known:
        return m[1], m[2]
    return header, None


def read_sheet(grid: Grid, known: Iterable[str]) -> Sheet | None:
    """The sheet's rows under its header, or None when no row looks like a header.

    `known` are the header variants the caller understands; the header row is
    the first of the top rows in which at least two cells are known headers.
    A header may take two rows (罚款金额（元） merged over 下限 and 上限): a column
    whose second-row cell, alone or after its first-row cell, is a known header
    takes that name, and the data start below both rows. A column that appears
    twice is read as one: its distinct values joined by a line break.
    """
    known = set(known)
    values = grid.cells
    if not values:
        return None
    last_row = max(r for r, _ in values)
    last_col = max(c for _, c in values)
    header_row = None
    for r in range(1, min(last_row, HEADER_SCAN_ROWS) + 1):
        found = {_known_name(normalise_header(values.get((r, c))), known)[0] for c in range(1, last_col + 1)} & known
        if len(found) >= 2:
            header_row = r
            break
    if header_row is None:
        return None
    headers = {c: normalise_header(values.get((header_row, c))) for c in range(1, last_col + 1)}
    first_data = header_row + 1
    for c in range(1, last_col + 1) if not within(grid.hidden_rows, header_row + 1) else ():
        parent, child = headers.get(c, ""), normalise_header(values.get((header_row + 1, c)))
        if child and child != parent:  # a vertically merged header repeats itself: not a second row
            name = next((n for n in (parent + child, child) if _known_name(n, known)[0] in known), None)
            if name:
                headers[c] = name
                first_data = header_row + 2
    units: dict[str, str] = {}
    for c, h in list(headers.items()):
        name, unit = _known_name(h, known)
        headers[c] = name
        if unit:
            units[name] = unit
    headers = {c: h for c, h in headers.items() if h}
    hidden_cols = [(c, h) for c, h in headers.items() if within(grid.hidden_cols, c)]
    for c, _ in hidden_cols:
        del headers[c]
    hidden_cols = [(c, h) for c, h in hidden_cols if h in known]  # one not read anyway needs no word
    by_name: dict[str, list[int]] = {}
    for c, h in headers.items():
        by_name.setdefault(h, []).append(c)
    first_col = min(headers) if headers else 1
    sheet = Sheet(grid.title, header_row, headers, units=units, hidden_cols=hidden_cols, first_col=first_col)
    if within(grid.hidden_rows, header_row):  # the header itself hidden: the sheet is refused, not read from lower down
        sheet.hidden_rows.append(header_row)
    group = None
    for r in range(first_data, last_row + 1):
        cells = {h: _joined([values.get((r, c)) for c in cols]) for h, cols in by_name.items()}
        filled = [(h, v) for h, v in cells.items() if v is not None]
        if not filled:
            continue  # spacer row
        if within(grid.hidden_rows, r):  # before the group titles: a hidden one would still head the rows below
            sheet.hidden_rows.append(r)
            continue
        texts = {text(v) for _, v in filled}
        alone = len(filled) == 1 and by_name[filled[0][0]][0] == first_col
        if len(texts) == 1 and isinstance(filled[0][1], str) and (
                (len(by_name) > 2 and len(filled) == len(by_name)) or (alone and _GROUP_TITLE.match(text(filled[0][1]) or ""))):
            group = text(filled[0][1])
            sheet.skipped.append((r, f"分组标题行「{group}」"))
            sheet.groups.append((r, group))
            continue
        if all(_known_name(normalise_header(v), known)[0] == h for h, v in filled):
            sheet.skipped.append((r, "重复的表头行"))  # a sheet pasted together from printed pages
            continue
        row = Row(grid.title, r, cells, {h: cols[0] for h, cols in by_name.items()}, group)
        if sheet.rows:
            for h, v in cells.items():
                if isinstance(v, str) and v.strip() in _DITTO and sheet.rows[-1].cells.get(h) is not None:
                    row.cells[h] = sheet.rows[-1].cells[h]
                    row.inherited.add(h)
        sheet.rows.append(row)
    return sheet


_DITTO = {"同上", "同上。", "〃", "同前"}  # “same as the row above”


def _joined(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    if len(present) <= 1:
        return present[0] if present else None
    distinct: list[str] = []
    for v in present:
        t = text(v)
        if t and t not in distinct:
            distinct.append(t)
    return present[0] if len(distinct) == 1 else "\n".join(distinct)


# ---------------------------------------------------------------- cell values


class CellError(ValueError):
    """A cell whose value cannot be read as what its column holds; the message is Chinese."""


def text(value: Any) -> str | None:
    """A cell as text: 33070012345.0 (a number Excel kept) → '33070012345'."""
    if value is None or value is UNCALCULATED:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    s = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").replace("\xa0", " ")
    # Excel escapes control characters as _xHHHH_; they and raw ones (a pasted bell, a form feed) mean
    # nothing in a record and the YAML reader refuses them (Y008): dropped, not the whole import.
    s = RAW_CONTROL.sub("", _EXCEL_ESCAPE.sub(_unescape_excel, s)).strip()
    return s or None


_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_excel(m: re.Match) -> str:
    char = chr(int(m.group(1), 16))
    return "" if char == "\r" else char  # _x000D_: the CR of a CRLF whose LF follows


_CJK = r"[\u3400-\u9fff\uf900-\ufaff·]"


def name(value: Any) -> str | None:
    """A name as text, without the spaces typed to line names up: 「王　伟」 → 「王伟」."""
    s = text(value)
    if s is None:
        return None
    s = re.sub(r"\s+", " ", s)
    return re.sub(rf"(?<={_CJK}) (?={_CJK})", "", s)


def name_key(value: str) -> str:
    """What two spellings of one item name share: no spaces, half-width brackets, no leading numbering."""
    s = unicodedata.normalize("NFKC", value)
    s = re.sub(r"\s+", "", s)
    s = re.sub(r"^(?:\d+[.、)]|\(\d+\)|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\))", "", s)
    return s.rstrip("。.;；")


_DATE_TEXT = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: Any) -> dt.date | None:
    """Excel dates, 2022/1/1, 2022.01.01, 2022年1月1日, 20220101, and date serials stored as numbers or text."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    s = text(value) or ""
    if re.fullmatch(r"\d{5}(\.0+)?", s):  # a date Excel kept as its serial number
        return _EXCEL_EPOCH + dt.timedelta(days=int(float(s)))
    m = _DATE_TEXT.match(s) or _COMPACT_DATE.match(s)
    if not m:
        raise CellError("不是日期")
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CellError("日期不存在") from None


def amount(value: Any, per: int = 1) -> float | int | None:
    """A sum of money in 元: 5000, '5,000', '5000元', '0.5万元' (or a 万元 column, per=10000).

    Converted exactly (Decimal): 0.12345 万元 is 1234.5 元, never 1234.4999999.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("不是金额")
    if isinstance(value, int | float):
        number = Decimal(repr(float(value))) * per
        if number != number.quantize(Decimal("0.01")) and abs(number - round(number, 2)) < Decimal("0.000001"):
            number = round(number, 2)  # binary noise of a computed cell (0.1 + 0.2), not a real fraction of a 分
    else:
        s = (text(value) or "").replace(",", "").replace("，", "").replace(" ", "").removeprefix("¥").removeprefix("￥")
        m = re.fullmatch(r"(\d+(?:\.\d+)?)(万元|万|元)?", s)
        if not m:
            raise CellError("不是金额")
        try:
            number = Decimal(m[1]) * (10000 if m[2] in ("万", "万元") else 1 if m[2] == "元" else per)
        except InvalidOperation:
            raise CellError("不是金额") from None
    if number != number.quantize(Decimal("0.01")):
        raise CellError(f"换算成元是 {format(number.normalize(), 'f')}，不足一分")
    return int(number) if number == number.to_integral_value() else float(number)


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
