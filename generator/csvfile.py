"""Every CSV file the site writes: UTF-8 with a BOM, CRLF line ends, and no cell a spreadsheet runs.

Staff open these files in Excel. A cell beginning with = + - @, a tab or a
carriage return is read there as a formula (`=HYPERLINK(…)`, DDE), so such a
cell gets a single quote in front, as OWASP recommends for CSV injection:
Excel shows the text and does not evaluate it. The check looks only at the
first character, whatever wrote the value: numbers we write are never negative
(amounts and counts are >= 0), so no number of ours ever gains a quote.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

# What makes Excel, LibreOffice and Google Sheets read a cell as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """One cell's text, with a leading quote when it would otherwise start a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def row_text(values: Sequence[object]) -> str:
    """One row as to_bytes writes it (its CRLF included), before encoding: a file is the BOM, the
    header's row_text and each row's, encoded (the writer keeps nothing from row to row)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([cell(v) for v in values])
    return buf.getvalue()


def to_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, object] | Sequence[object]]) -> bytes:
    """A header row and one row per item: a mapping (missing columns left empty) or a sequence in column order."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([cell(c) for c in columns])
    for row in rows:
        values = [row.get(c) for c in columns] if isinstance(row, Mapping) else row
        writer.writerow([cell(v) for v in values])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8
