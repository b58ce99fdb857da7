"""The staff guide's generated parts: field tables, import column names, the deadline rules in force.

The guide pages (templates/docs/guide/) are written by hand; where they show
something the code defines, they hold a marker that is filled in at build
time, so the guide cannot drift from what the tool does.
"""

from __future__ import annotations

import re
import typing

from pydantic import BaseModel

from .importer import KINDS, field_title
from .model import RECORD_TYPES, allowed
from .rules import ConditionalPeriod, Rules
from .scaffold import inner, model_in

MARKER = re.compile(r"<!-- disclose:([a-z-]+)(?: ([a-z]+))? -->")


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _field_rows(model: type[BaseModel], prefix: str = "") -> list[str]:
    rows = []
    for name, info in model.model_fields.items():
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
    return "\n".join(head + _field_rows(RECORD_TYPES[kind]))


def import_columns() -> str:
    out = []
    for what, kind in KINDS.items():
        out += [f"### {kind.label}（`disclose import {what}`）", "", "| 字段 | 认得的列名 |", "|---|---|"]
        for column in kind.columns:
            name = column.field
            if name.startswith("_"):
                label = {"_validity": "有效期（起止写在一格，如 2022-01-01至2027-12-31）",
                         "_basis": "执法依据（《法律名称》第X条，多条用；隔开）",
                         "_law": "执法依据的法律法规名称（与“条款”列一起用）", "_article": "执法依据的条款",
                         "_power_name": "事项名称（没有事项编码列时，用它到权责清单里找编码）"}[name]
            else:
                label = field_title(kind, name)
            out.append(f"| {_cell(label)} | {'、'.join(column.names)} |")
        out.append("")
    return "\n".join(out)


def _when(rule: ConditionalPeriod) -> str:
    w = rule.when
    parts = []
    if w.kinds:
        parts.append("、".join(w.kinds))
    if w.party_types:
        parts.append("当事人为" + "、".join(w.party_types))
    if w.penalty_types_within:
        parts.append("处罚种类仅限" + "、".join(w.penalty_types_within))
    return "；".join(parts) or "其他决定"


def rules(r: Rules) -> str:
    rows = ["| 期限 | 适用于 | 长度 | 依据 |", "|---|---|---|---|"]
    for rule in r.publish:
        rows.append(f"| 公开期限（自作出决定之日起） | {_cell(_when(rule))} | {rule.describe()} | {_cell(rule.basis)} |")
    rows.append(f"| 撤回期限（自决定被变更、撤销等之日起） | 所有决定 | {r.withdraw.describe()} | {_cell(r.withdraw.basis)} |")
    rows.append(f"| 申请行政复议 | 所有决定 | {r.reconsider.describe()} | {_cell(r.reconsider.basis)} |")
    rows.append(f"| 提起行政诉讼 | 所有决定 | {r.sue.describe()} | {_cell(r.sue.basis)} |")
    for rule in r.public_until:
        rows.append(f"| 公示期限（期满撤下） | {_cell(_when(rule))} | {rule.describe()} | {_cell(rule.basis)} |")
    if not r.public_until:
        rows.append("| 公示期限 | 所有决定 | 长期公示 | 没有设定公示期限 |")
    return "\n".join(rows)


def fill(markdown: str, rules_in_force: Rules | None) -> str:
    """Replace each marker of a guide page with what it stands for."""

    def one(m: re.Match) -> str:
        what, arg = m.group(1), m.group(2)
        if what == "fields" and arg in RECORD_TYPES:
            return fields(arg)
        if what == "import-columns":
            return import_columns()
        if what == "rules" and rules_in_force is not None:
            return rules(rules_in_force)
        raise ValueError(f"unknown guide marker: {m.group(0)}")

    return MARKER.sub(one, markdown)
