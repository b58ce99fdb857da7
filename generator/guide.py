"""The staff guide's generated parts: field tables, import column names, the deadline rules in force.

The guide pages (templates/docs/guide/) are written by hand; where they show
something the code defines, they hold a marker that is filled in at build
time, so the guide cannot drift from what the tool does.
"""

from __future__ import annotations

import html
import re
import typing

from pydantic import BaseModel

from . import kinds
from .importer import KINDS, field_title
from .model import allowed
from .rules import DECISION_SECTIONS, SECTION_TITLES, RuleBook
from .scaffold import inner, model_in

MARKER = re.compile(r"<!-- disclose:([a-z-]+)(?: ([a-z]+))? -->")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _field_rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
        name = info.alias or name
        required = "必填" if info.is_required() else ""
        text = info.description or ""
        options = allowed(info.annotation)
        if options:
            text += ("。" if text else "") + "可填：" + "、".join(dict.fromkeys(options))
        rows.append(f"| `{prefix}{name}` | {_cell(info.title or name)} | {required} | {_cell(text)} |")
        nested = model_in(info.annotation)
        if nested is not None:
            mark = "[]." if typing.get_origin(inner(info.annotation)) is list else "."
            rows += _field_rows(nested, f"{prefix}{name}{mark}")
    return rows


def fields(kind: str) -> str:
    head = ["| 字段 | 名称 | 必填 | 说明 |", "|---|---|---|---|"]
    return "\n".join(head + _field_rows(kinds.KINDS[kind].model))


def import_columns() -> str:
    out = []
    for what, kind in KINDS.items():
        out += [f"### {kind.label}（`disclose import {what}`）", "", "| 字段 | 认得的列名 |", "|---|---|"]
        for column in kind.columns:
            label = column.label or field_title(kind, column.field)  # helper columns carry their own label
            out.append(f"| {_cell(label)} | {'、'.join(column.names)} |")
        out.append("")
    from .import_decisions import COLUMNS, column_title

    out += ["### 执法决定（双公示格式，`disclose import decisions`）", "", "| 字段 | 认得的列名 |", "|---|---|"]
    out += [f"| {_cell(column_title(c))} | {'、'.join(c.names)} |" for c in COLUMNS]
    out.append("")
    return "\n".join(out)


def plan_columns() -> str:
    from .plan_import import COLUMNS, TITLES

    rows = ["| 字段 | 认得的列名 |", "|---|---|"]
    rows += [f"| {_cell(TITLES[name])}（`{name}`） | {'、'.join(names)} |" for name, names in COLUMNS.items()]
    return "\n".join(rows)


def rules(book: RuleBook) -> str:
    """Every rule version in force or once in force, national then local, as an HTML table, every cell escaped.

    Rule names, conditions and basis texts come from site_config/rules.yaml, written by staff: they
    are shown as text. Python-Markdown passes a block of raw HTML through untouched, so nothing in
    them is read as Markdown (no `[x](javascript:…)` link, whatever extensions a project turns on)
    and, escaped, nothing is read as HTML either."""
    rows = []
    for layer, ruleset in book.layers():
        for section, title in SECTION_TITLES.items():
            for rule in ruleset.section(section):
                everything = "所有决定" if section in DECISION_SECTIONS else "所有适用的记录"
                rows.append((f"{title}（{layer}）", rule.label(), rule.when.describe() or everything, rule.describe(),
                             rule.window(), rule.basis))
    if not any(r.section("public_until") for _, r in book.layers()):
        rows.append(("公示期限", "—", "所有决定", "长期公示", "—", "没有设定公示期限"))
    # One line per row and no blank line: a blank line would end Markdown's raw HTML block.
    out = ["<table>", "<thead><tr><th>期限</th><th>规则</th><th>适用于</th><th>长度</th><th>施行期</th><th>依据</th></tr>"
           "</thead>", "<tbody>"]
    out += ["<tr>" + "".join(f"<td>{_html(cell)}</td>" for cell in row) + "</tr>" for row in rows]
    out += ["</tbody>", "</table>", "",
            f"决定没有填写失信程度 `credit_class` 时，公示期限按“{_html(book.assume_credit_class)}”失信信息计算"
            "（`assume_credit_class`）。"]
    return "\n".join(out)


def _html(text: object) -> str:
    """Staff text for an HTML table cell: escaped, on one line (full-width spaces kept)."""
    return html.escape(" ".join(str(text).splitlines()), quote=True)


def fill(markdown: str, rules_in_force: RuleBook | None) -> str:
    """Replace each marker of a guide page with what it stands for."""

    def one(m: re.Match) -> str:
        what, arg = m.group(1), m.group(2)
        if what == "fields" and arg in kinds.KINDS:
            return fields(arg)
        if what == "import-columns":
            return import_columns()
        if what == "plan-columns":
            return plan_columns()
        if what == "rules" and rules_in_force is not None:
            return rules(rules_in_force)
        raise ValueError(f"unknown guide marker: {m.group(0)}")

    return MARKER.sub(one, markdown)
