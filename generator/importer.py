"""`disclose import`: the powers, benchmarks and officers sheets agencies keep, into the YAML lists.

Each row becomes a record checked by the same model as the YAML; a row that
cannot be mapped is reported with its sheet, row and column and left out.
Against the agency's existing file every record is either new (appended),
unchanged, or changed. Changed records are only rewritten with `--update`,
and then only the fields that differ, spliced into the file so that the
staff's comments and layout elsewhere stay as they were. Nothing is ever
deleted: an empty cell never clears a field.

The layouts agencies publish (README, “从 Excel 导入”): a 权责清单 with or
without an item-code column, one item per 子项 (the 事项名称 merged over its
子项 or left blank below the first), the category in a column, in a group
title row or in the sheet's name (行政处罚（5项）), several laws in one 实施依据
cell; 执法人员名单 with the validity in one cell; 裁量基准 with a violation
merged over its tiers. Items without a code get one derived from the agency,
the category and the name, so importing the sheet again finds them again.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode

from . import guard, sheets, yamlwrite
from .messages import problems_from_error
from .model import POWER_CATEGORIES, TIER_LEVELS, Benchmark, Officer, Power, Tier
from .problems import NOTICE, WARNING, Problem
from .scaffold import agency_id
from .yamlio import Positions, parse_text

# ---------------------------------------------------------------- what each column may be called


@dataclass(frozen=True)
class Column:
    field: str  # the record field; a helper name starting with "_"; "extra.<label>" for 其他信息
    names: tuple[str, ...]  # header variants, normalised (no spaces, half-width brackets)
    read: Callable[[Any], Any] = sheets.text
    label: str | None = None  # what the guide calls a helper column


def _per(header: str) -> int:
    return 10000 if "万元" in header else 1


OFFICER_COLUMNS = (
    Column("name", ("姓名", "执法人员姓名", "执法人员", "名字"), sheets.name),
    Column("certificate_no", ("执法证号", "执法证件号", "执法证件号码", "执法证编号", "证件号", "证件编号", "证号",
                              "执法证号码", "执法证件编号")),
    Column("field", ("执法类别", "执法领域", "执法门类", "执法种类", "执法范围", "执法区域类别", "执法证类别")),
    Column("unit", ("所在科室或中队", "所在科室", "科室", "中队", "所在部门", "部门", "科室中队", "内设机构")),
    Column("_agency", ("单位", "所在单位", "工作单位", "单位名称", "所属单位", "执法单位", "执法主体", "所属执法主体",
                       "执法机关"),
           label="单位（本主体的名称，或其他主体的名称：那一行跳过；其他内容作为所在科室或中队）"),
    Column("valid_from", ("证件有效期起", "有效期起", "有效期开始", "有效期自", "发证日期", "起始日期"), sheets.date),
    Column("valid_until", ("证件有效期止", "有效期止", "有效期至", "有效期截止", "截止日期", "有效期截至", "到期日期"),
           sheets.date),
    Column("_validity", ("有效期", "证件有效期", "有效期限", "执法证有效期"),
           label="有效期（起止写在一格，如 2022.01.01-2027.12.31 或 2022-01-01至2027-12-31）"),
    Column("status", ("证件状态", "状态", "持证状态")),
    Column("status_since", ("状态变更日期", "状态日期"), sheets.date),
)

# Columns of a 权责清单 the contract has no field for: kept under `extra` with the label shown here.
EXTRA_COLUMNS = (
    ("主项名称", ()),  # not a column: the 事项名称 a 子项 belongs to, when its own name does not say it
    ("行使主体", ("行使主体", "实施主体", "行使部门")),
    ("承办机构", ("承办机构", "承办科室", "承办处室", "责任科室", "责任处室", "内设机构", "实施机构")),
    ("实施层级及权限", ("实施层级及权限", "实施层级", "行使层级", "层级及权限", "行使层级及权限")),
    ("部门职责", ("部门职责", "职责")),
    ("责任事项依据", ("责任事项依据",)),
    ("追责对象范围", ("追责对象范围", "追责对象", "责任对象")),
    ("实施对象", ("实施对象", "服务对象", "行政相对人")),
    ("收费依据", ("收费依据", "收费标准及依据", "收费标准", "是否收费", "收费情况")),
    ("责任主体", ("责任主体", "责任单位", "责任部门")),
    ("诉求渠道", ("诉求渠道", "监督投诉渠道", "投诉渠道", "监督渠道", "咨询投诉电话", "监督电话")),
    ("备注", ("备注", "说明")),
)

POWER_COLUMNS = (
    Column("code", ("事项编码", "权力编码", "事项代码", "权力事项编码", "职权编码", "编码", "基本编码", "事项编号",
                    "权责事项编码", "职权代码")),
    Column("name", ("事项名称", "权力名称", "权力事项名称", "职权名称", "名称", "权责事项名称", "事项", "项目",
                    "主项名称", "主项", "项目名称"), sheets.name),
    Column("_sub", ("子项名称", "子项", "子项事项名称", "子项目名称", "子项目"), sheets.name,
           label="子项名称（每个子项导入为一项；它上面合并的或留空的事项名称是它的主项）"),
    Column("category", ("事项类别", "权力类别", "权力类型", "事项类型", "职权类别", "职权类型", "类别", "类型")),
    Column("_basis", ("执法依据", "设定依据", "实施依据", "法律依据", "依据", "设定和实施依据", "法定依据"),
           label="执法依据（《法律名称》第X条，可写多部法律：【法律】《…》第十五条 条文…【行政法规】《…》第…条）"),
    Column("_law", ("法律法规名称", "依据名称", "法律法规"), label="执法依据的法律法规名称（与“条款”列一起用）"),
    Column("_article", ("条款", "条款号", "依据条款"), label="执法依据的条款"),
    Column("responsibilities", ("责任事项", "责任事项内容"), sheets.items),
    Column("accountability", ("追责情形", "问责情形", "责任追究", "追责情形及依据"), sheets.items),
    Column("process", ("执法程序", "办理流程", "流程", "运行流程"), sheets.items),
    Column("time_limit", ("办理时限", "时限", "办理期限", "期限")),
    Column("_legal_limit", ("法定期限", "法定时限", "法定办结时限", "法定办理时限"),
           label="法定期限（写入办理时限：“法定期限：…”）"),
    Column("_promised_limit", ("承诺期限", "承诺时限", "承诺办结时限", "承诺办理时限"),
           label="承诺期限（写入办理时限：“承诺期限：…”）"),
    Column("supervisor_department", ("业务主管部门", "主管部门")),
    Column("delegated_from", ("下放或委托机关", "委托机关", "下放机关")),
    Column("random_inspection", ("纳入双随机抽查", "双随机", "是否纳入双随机抽查"), sheets.flag),
    Column("major_decision_review", ("需重大执法决定法制审核", "重大执法决定法制审核", "法制审核", "是否需法制审核",
                                     "是否重大执法决定"), sheets.flag),
    *(Column(f"extra.{label}", names, label=f"其他信息：{label}") for label, names in EXTRA_COLUMNS if names),
)

BENCHMARK_COLUMNS = (
    Column("id", ("基准编号", "裁量基准编号", "编号")),
    Column("power", ("对应事项编码", "事项编码", "权力编码", "职权编码")),
    Column("_power_name", ("事项名称", "权力名称", "职权名称", "权力事项名称"), sheets.name,
           label="事项名称（没有事项编码列时，用它到权责清单里找编码）"),
    Column("violation", ("违法行为", "违法行为名称", "违法行为表现", "违法行为描述"), sheets.name),
    Column("violated_provision", ("违法依据", "违反条款", "违法条款", "违反的法律条款")),
    Column("penalty_provision", ("处罚依据", "处罚条款", "法律依据")),
    Column("level", ("裁量阶次", "阶次", "裁量等次", "裁量档次", "违法程度", "处罚阶次", "裁量等级")),
    Column("circumstances", ("适用情形", "违法情节", "情节", "具体情形", "裁量情形", "适用条件", "情节描述")),
    Column("penalty", ("处罚标准", "裁量标准", "处罚幅度", "处罚裁量基准", "具体标准", "裁量基准", "处罚基准")),
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
    required: tuple[str, ...]  # fields every row must have a value for


KINDS = {
    "powers": Kind("权责清单", "powers.yaml", Power, "code", POWER_COLUMNS, ("name", "category")),
    "benchmarks": Kind("裁量基准", "benchmarks.yaml", Benchmark, "id", BENCHMARK_COLUMNS,
                       ("violation", "penalty_provision", "level", "circumstances", "penalty")),
    "officers": Kind("执法人员", "officers.yaml", Officer, "certificate_no", OFFICER_COLUMNS,
                     ("name", "certificate_no", "field")),
}

IGNORED = {"序号", "备注", "说明", "序", "编号序号", "行号", "排序"}
# Columns an officers roster often has that must not be published (or are not part of the roster's purpose).
PERSONAL = {"性别", "身份证号", "身份证号码", "公民身份号码", "出生年月", "出生日期", "民族", "政治面貌", "手机号",
            "手机号码", "联系电话", "电话", "照片", "学历", "年龄", "职务", "职级", "籍贯"}

_LEVELS = {
    **{lv: lv for lv in TIER_LEVELS},
    "不予": "不予处罚", "免予处罚": "不予处罚", "免罚": "不予处罚", "减轻": "减轻处罚", "从轻": "从轻处罚",
    "较轻": "从轻处罚", "一般": "一般处罚", "从重": "从重处罚", "较重": "从重处罚", "严重": "从重处罚",
}
_STATUSES = {"有效": "在岗", "正常": "在岗", "在用": "在岗", "持证": "在岗", "在职": "在岗", "持证在岗": "在岗"}
_VALIDITY = re.compile(r"^(.+?)\s*(?:至|到|—|–|~|～|-{1,2})\s*(\d{4}.+)$")

# ---------------------------------------------------------------- categories and item codes

_SHORT = {"许可": "行政许可", "处罚": "行政处罚", "强制": "行政强制", "强制措施": "行政强制", "强制执行": "行政强制",
          "检查": "行政检查", "监督检查": "行政检查", "征收": "行政征收", "给付": "行政给付", "确认": "行政确认",
          "奖励": "行政奖励", "裁决": "行政裁决", "其他": "其他行政权力", "其他权力": "其他行政权力",
          "其他职权": "其他行政权力", "其他行政权力": "其他行政权力"}
_IN_TITLE = re.compile(r"行政(许可|处罚|强制(?:措施|执行)?|(?:监督)?检查|征收|给付|确认|奖励|裁决)|其他(?:行政)?(?:权力|职权)")


def category(value: str | None) -> str | None:
    """A category cell as the contract names it: 行政处罚类 / 处罚 / 行政强制措施 → 行政处罚 …; None if unknown."""
    if not value:
        return None
    s = re.sub(r"\s+", "", value).replace("（", "(").replace("）", ")")
    s = re.sub(r"\(\d+项?\)$|\d+项$", "", s)
    s = re.sub(r"^(?:[一二三四五六七八九十]+[、.．]|\d+[、.．]|\([一二三四五六七八九十\d]+\))", "", s)
    s = re.sub(r"(?:类|事项|权|类事项)$", "", s)
    if s in POWER_CATEGORIES:
        return s
    return _SHORT.get(s.removeprefix("行政"))


def category_in_title(title: str | None) -> str | None:
    """The category a sheet name or group title names: 「行政处罚（5项）」「二、行政检查类」 → 行政处罚, 行政检查."""
    if not title:
        return None
    m = _IN_TITLE.search(re.sub(r"\s+", "", title))
    return category(m[0]) if m else None


_ABBR = {"行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政检查": "JC", "行政征收": "ZS", "行政给付": "JF",
         "行政确认": "QR", "行政奖励": "JL", "行政裁决": "CJ", "其他行政权力": "QT"}


def item_code(agency: str, category_: str, name: str) -> str:
    """A stable code for an item whose sheet has none: agency, category initials, 8 hex digits of the name.

    The name is compared as sheets.name_key spells it, so spaces and bracket widths do not change the code;
    renaming the item does (it is then another item: the old one stays, listed as not in the sheet).
    """
    digest = hashlib.sha256(f"{agency}\n{category_}\n{sheets.name_key(name)}".encode()).hexdigest()[:8].upper()
    return f"{agency}-{_ABBR[category_]}-{digest}"


# ---------------------------------------------------------------- 执法依据 cells

_NUM = r"[零一二三四五六七八九十百千〇两\d]+"
_ONE = rf"(?:(?:附件|附表|目录){_NUM}?)?(?:第[（(]?{_NUM}[)）]?[条款项目](?:之{_NUM})?)+"
_ARTICLES = re.compile(rf"{_ONE}(?:\s*[、，,和及与或]\s*{_ONE})*")
_LABEL = re.compile(r"【[^】]{0,12}】\s*$")  # 【法律】【行政法规】【地方性法规】【部门规章】 …
_NUMBERING = re.compile(r"(?:\d+[.、．)]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*$")
_EDITION = re.compile(r"^\s*([（(][^（）()《》]{0,30}(?:修正|修订|修改|公布|施行|发布|令|号)[^（）()《》]{0,10}[)）])")
_LAW = re.compile(r"《[^《》\n]{1,80}》")


def _starts_entry(text: str, at: int) -> bool:
    """Whether the 《…》 at `at` begins a new basis entry rather than being cited inside a quoted provision."""
    before = text[:at]
    if before.count("“") > before.count("”"):
        return False  # inside the quotation of a provision
    before = before.rstrip()
    stripped = _LABEL.sub("", before).rstrip()
    if stripped != before:
        return True
    stripped = _NUMBERING.sub("", before).rstrip()
    if stripped != before:
        return True
    before = re.sub(r"(?:^|(?<=[\n】]))(?:依据|根据|依照|按照)$", "", before)
    return not before or before[-1] in "】。；;\n、"


def parse_basis(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """{law, article, text} entries of a 执法依据 cell, and the laws in it whose article cannot be found.

    「【法律】《中华人民共和国消防法》（2021年修正）第十五条 公众聚集场所……【行政法规】《…》第…条」
    → one entry per law: the law with its edition note, the article(s), the quoted provision as text.
    """
    starts = [m.start() for m in _LAW.finditer(text) if _starts_entry(text, m.start())]
    entries: list[dict[str, str]] = []
    lacking: list[str] = []
    for i, start in enumerate(starts):
        chunk = text[start: starts[i + 1] if i + 1 < len(starts) else len(text)]
        chunk = _LABEL.sub("", chunk.rstrip()).rstrip()
        chunk = _NUMBERING.sub("", chunk).rstrip().rstrip("；;、，,").rstrip()
        law = _LAW.match(chunk)[0]  # type: ignore[index]
        rest = chunk[len(law):]
        if edition := _EDITION.match(rest):
            law += edition[1].replace("(", "（").replace(")", "）")
            rest = rest[edition.end():]
        rest = rest.lstrip(" ：:，,\n")
        entry = {"law": law}
        m = _ARTICLES.match(rest)
        if m:
            entry["article"] = m[0].strip()
            quoted = rest[m.end():].strip(" ：:，,\n").rstrip("；;").strip()
            if quoted.startswith("“") and quoted.endswith("”") and quoted.count("“") == 1:
                quoted = quoted[1:-1].strip()
            if quoted:
                entry["text"] = quoted
        elif rest and len(rest) <= 20 and not re.search(r"[。；;：:“”\n]", rest):
            entry["article"] = rest  # written in a way of its own (例如 “全文”): kept as written
        else:
            lacking.append(law)
            continue
        entries.append(entry)
    return entries, lacking


def split_provisions(text: str) -> tuple[str | None, str | None]:
    """「违法依据：《…》第X条；处罚依据：《…》第Y条」 in one cell → (violated, penalty); (None, None) otherwise."""
    m = re.search(r"(?:违法依据|违反条款|违法条款)[:：]\s*(.*?)\s*[；;。]?\s*(?:处罚依据|处罚条款)[:：]\s*(.*)$", text, re.S)
    if not m:
        return None, None
    return m[1].strip() or None, m[2].strip().rstrip("；;") or None


# ---------------------------------------------------------------- rows → records


@dataclass
class Record:
    key: str
    data: dict[str, Any]
    where: Positions  # field path → (row, column) in the sheet
    path: str  # 文件.xlsx[工作表]
    row: int
    supplied: set[str] = field(default_factory=set)  # fields the sheet gave a value for
    generated: bool = False  # its code was derived from its name (the sheet had none)


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
    generated_codes: int = 0  # items whose code was derived (the sheet had none)


@dataclass
class Context:
    """What rows are read against: the agency, its neighbours, the items it already has."""

    agency: str
    name: str  # the agency's own name, from agency.yaml
    others: dict[str, str]  # name of every other agency → its id
    powers_by_name: dict[str, str]  # name_key of an existing power → its code (benchmarks look items up by name)
    codes_by_name: dict[tuple[str, str], str]  # (category, name_key) → code of an existing power
    elsewhere: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → key used by another agency → its id
    categories: dict[str, str] = field(default_factory=dict)  # code of every item of the site → its category


def _problem(path: str, row: int, col: int, code: str, message: str, hint: str, given: Any = None,
             severity: str = "错误") -> Problem:
    return Problem(path, row, col, code, message, hint, severity=severity,
                   given=None if given is None else sheets.text(given))


Mapped = dict[str, tuple[Column, str]]  # field → (column, the header it is read from)


def _map_headers(headers: dict[int, str], kind: Kind) -> tuple[Mapped, list[str]]:
    """field → (Column, header) for the headers present; and headers nobody understands."""
    present = set(headers.values())
    found: Mapped = {}
    unknown = []
    for h in dict.fromkeys(headers.values()):
        col = next((c for c in kind.columns if h in c.names), None)
        if col is None:
            if h not in IGNORED and h not in unknown:
                unknown.append(h)
        elif col.field not in found:
            found[col.field] = (col, next(n for n in col.names if n in present))  # the most specific name wins
    if kind.model is Benchmark and "法律依据" in present and found.get("penalty_provision", (None, ""))[1] != "法律依据" \
            and "violated_provision" not in found:
        # 违法行为｜法律依据｜处罚依据: beside a 处罚依据 column, 法律依据 is the provision violated
        found["violated_provision"] = (next(c for c in kind.columns if c.field == "violated_provision"), "法律依据")
    return found, unknown


def _read_cell(row: sheets.Row, header: str, column: Column, path: str, problems: list[Problem],
               unit: str | None = None) -> Any:
    value = row.cells.get(header)
    if value is sheets.UNCALCULATED:
        problems.append(_problem(path, row.number, row.columns[header], "I003", f"「{header}」{sheets.UNCALCULATED_SAID}",
                                 sheets.UNCALCULATED_HINT))
        return _BAD
    try:
        if column.field in ("fine_min", "fine_max"):
            return sheets.amount(value, _per(header + (unit or "")))
        out = column.read(value)
    except sheets.CellError as exc:
        col = row.columns[header]
        problems.append(_problem(path, row.number, col, "I003", f"「{header}」{exc}", _HINTS.get(column.read, "改正后重新导入"),
                                 value))
        return _BAD
    if unit and isinstance(out, str) and re.fullmatch(r"\d+(?:\.\d+)?", out):
        out += ("个" if unit in ("工作日", "自然日") else "") + unit  # 法定期限（工作日）: 20 → 20个工作日
    return out


_BAD = object()
_HINTS = {
    sheets.date: "写成 2025-03-08 或 2025年3月8日，或在 Excel 里把单元格设为日期格式",
    sheets.flag: "填写“是”或“否”",
    sheets.amount: "只写数字，单位是元，例如 5000；“万元”列写 0.5",
}


def _row_values(row: sheets.Row, cols: Mapped, path: str, problems: list[Problem], units: dict[str, str]
                ) -> tuple[dict[str, Any], dict[str, int]]:
    """field → value for one row, and field → column number; bad cells are reported and left out."""
    values: dict[str, Any] = {}
    where: dict[str, int] = {}
    for name, (column, header) in cols.items():
        value = _read_cell(row, header, column, path, problems, units.get(header))
        if value is _BAD:
            values[name] = _BAD
        elif value not in (None, []):
            values[name] = value
        where[name] = row.columns[header]
    return values, where


def _officer(values: dict[str, Any], where: dict[str, int], row: sheets.Row, path: str,
             problems: list[Problem], ctx: Context) -> dict[str, Any] | str:
    """The officer's fields; or, for a row of another agency's officer, why it is skipped."""
    unit = values.pop("_agency", None)
    if unit:
        key = sheets.name_key(unit)
        if key == sheets.name_key(ctx.name):
            unit = None
        elif key.startswith(sheets.name_key(ctx.name)):
            unit = unit[len(ctx.name):].strip() if unit.startswith(ctx.name) else unit
        else:
            other = next((aid for n, aid in ctx.others.items() if key.startswith(sheets.name_key(n))), None)
            if other:
                return f"是{unit}（{other}）的执法人员"
        if unit:
            values.setdefault("unit", unit)
            where.setdefault("unit", where["_agency"])
    if "_validity" in values:
        validity = values.pop("_validity")
        m = _VALIDITY.match(validity)
        try:
            start, end = (sheets.date(m[1]), sheets.date(m[2])) if m else (None, None)
        except sheets.CellError:
            start = end = None
        if start is None:
            problems.append(_problem(path, row.number, where["_validity"], "I003", "「有效期」读不出起止日期",
                                     "写成 2022.01.01-2027.12.31 或 2022-01-01至2027-12-31，或分成“有效期起”“有效期止”两列",
                                     validity))
            values["_bad"] = True
        else:
            values.setdefault("valid_from", start)
            values.setdefault("valid_until", end)
            where.setdefault("valid_from", where["_validity"])
            where.setdefault("valid_until", where["_validity"])
    if isinstance(values.get("status"), str):
        values["status"] = _STATUSES.get(values["status"], values["status"])
    values.setdefault("status", "在岗")
    return values


def _sub_name(main: str | None, sub: str) -> str:
    """A 子项's item name: its own when it names the item in full (it contains the 事项's name, or it is a
    whole 「对……的处罚」 of some length), else 主项（子项）: 「对单位的处罚」 alone would say little."""
    sub = re.sub(r"^\s*(?:\d+[.、．)]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)\s*", "", sub)
    if not main or sheets.name_key(main) in sheets.name_key(sub) or (sub.startswith("对") and len(sub) >= 15):
        return sub
    return f"{main}（{sub}）"


def _power(values: dict[str, Any], where: dict[str, int], row: sheets.Row, path: str, problems: list[Problem],
           sheet_category: str | None, order: list[str]) -> dict[str, Any]:
    extra: list[dict[str, str]] = []
    sub = values.pop("_sub", None)
    main = values.get("name")
    if sub:
        values["name"] = _sub_name(main, sub)
        where["name"] = where["_sub"]
        if main and sheets.name_key(main) not in sheets.name_key(values["name"]):
            extra.append({"label": "主项名称", "text": main})
    given = values.get("category")
    if isinstance(given, str) and (known := category(given)):
        values["category"] = known
    elif given is None and (found := category_in_title(row.group) or sheet_category):
        values["category"] = found
    law, article, text = values.pop("_law", None), values.pop("_article", None), values.pop("_basis", None)
    if law:
        values["basis"] = [{"law": law if law.startswith("《") else f"《{law}》", "article": article or ""}]
        where["basis"] = where["_law"]
    elif text:
        parsed, lacking = parse_basis(text)
        if not parsed and not lacking:
            problems.append(_problem(path, row.number, where["_basis"], "I006", "「执法依据」里找不到带书名号的法律法规名称",
                                     "写成《法律法规名称》第X条，多条依据用分号或换行隔开", text))
            values["_bad"] = True
        elif lacking:
            problems.append(_problem(path, row.number, where["_basis"], "I006",
                                     f"「执法依据」里{'、'.join(lacking)}没有写明条款",
                                     "在书名号后写明第几条，例如 《中华人民共和国消防法》第十五条；这一行暂未导入",
                                     text))
            values["_bad"] = True
        else:
            values["basis"] = parsed
            where["basis"] = where["_basis"]
    legal, promised = values.pop("_legal_limit", None), values.pop("_promised_limit", None)
    if "time_limit" not in values and (legal or promised):
        values["time_limit"] = "；".join(f"{label}：{v}" for label, v in (("法定期限", legal), ("承诺期限", promised)) if v)
        where["time_limit"] = where["_legal_limit" if legal else "_promised_limit"]
    for name in order:
        if name.startswith("extra.") and name in values:
            extra.append({"label": name.removeprefix("extra."), "text": values.pop(name)})
            where.setdefault("extra", where[name])
    if extra:
        values["extra"] = extra
    return values


def _subitems(sheet: sheets.Sheet, cols: Mapped, path: str, notes: list[str]) -> list[sheets.Row]:
    """One row per 子项: a 事项名称 left blank below its first row is that 事项's; so are the other blank
    cells of the row (“same as above”). A 事项's own row, followed by its 子项 rows, is not an item."""
    if "_sub" not in cols or "name" not in cols:
        return sheet.rows
    main_h, sub_h = cols["name"][1], cols["_sub"][1]
    keep: list[sheets.Row] = []
    first: sheets.Row | None = None  # the group's first row
    for i, row in enumerate(sheet.rows):
        main, sub = row.cells.get(main_h), row.cells.get(sub_h)
        if main is None and sub is not None and first is not None:
            for h, v in first.cells.items():
                if row.cells.get(h) is None and v is not None and h not in (sub_h, "序号", "序"):
                    row.cells[h] = v
                    row.inherited.add(h)
        elif main is not None:
            first = row
            if sub is None:
                following = sheet.rows[i + 1] if i + 1 < len(sheet.rows) else None
                if following is not None and following.cells.get(sub_h) is not None and (
                        following.cells.get(main_h) in (None, main)):
                    notes.append(f"{path} 第 {row.number} 行是事项「{sheets.text(main)}」本身，它的子项各自导入为一项")
                    continue
        keep.append(row)
    return keep


def _records(kind: Kind, sheet: sheets.Sheet, cols: Mapped, path: str, ctx: Context,
             problems: list[Problem], notes: list[str]) -> list[Record]:
    out: list[Record] = []
    groups: dict[tuple, Record] = {}
    rows = _subitems(sheet, cols, path, notes) if kind.model is Power else sheet.rows
    sheet_category = category_in_title(sheet.name)
    first_col = {h: c for c, h in reversed(sheet.headers.items())}
    order = sorted(cols, key=lambda f: first_col[cols[f][1]])  # 其他信息 in the sheet's column order
    skipped: dict[str, list[int]] = {}
    for row in rows:
        before = len(problems)
        values, where = _row_values(row, cols, path, problems, sheet.units)
        if any(v is _BAD for v in values.values()):
            continue
        if kind.model is Officer:
            result = _officer(values, where, row, path, problems, ctx)
            if isinstance(result, str):
                skipped.setdefault(result, []).append(row.number)
                continue
            values = result
        elif kind.model is Power:
            values = _power(values, where, row, path, problems, sheet_category, order)
        elif kind.model is Benchmark:
            _benchmark_provisions(values)
        if values.pop("_bad", False) or len(problems) > before:
            continue
        if kind.model is Benchmark:
            _benchmark_power(values, where, row, path, ctx, problems)
            if "power" not in values:
                continue
        missing = [f for f in kind.required if f not in values]
        if missing:
            titles = "、".join(f"「{field_title(kind, f)}」" for f in missing)
            hint = "补上后重新导入；这一行暂未导入"
            if missing == ["category"]:
                hint = "填写“权力类型”，或把工作表命名为类别（例如 行政处罚），或在这些行上面加一行“一、行政处罚”；这一行暂未导入"
            problems.append(_problem(path, row.number, where.get(missing[0], 1), "I004", f"这一行没有填写{titles}", hint))
            continue
        if kind.model is Power and "code" not in values:
            known = ctx.codes_by_name.get((values["category"], sheets.name_key(values["name"])))
            # with a category the model refuses the row fails anyway: any code lets it report just that
            values["code"] = known or item_code(ctx.agency, values["category"] if values["category"] in _ABBR
                                                else "其他行政权力", values["name"])
            where["code"] = where["name"]
            values["_generated"] = known is None
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
        generated = values.pop("_generated", False)
        rec = Record(str(values.get(kind.key, "")), values, Positions(), path, row.number, set(values))
        rec.generated = generated
        rec.where.values[()] = (row.number, 1)
        for f, c in where.items():
            rec.where.values[(f,)] = (row.number, c)
        if "extra" in values:
            for i, item in enumerate(values["extra"]):
                col = where.get(f"extra.{item['label']}", where.get("name", 1))
                rec.where.values[("extra", i)] = (row.number, col)
        out.append(rec)
    for why, numbers in skipped.items():
        notes.append(f"{path} {_rows_text(numbers)}{why}，不属于本主体，已跳过")
    return out


def _rows_text(numbers: list[int]) -> str:
    """第 3-5、9 行（共 4 行）"""
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = "、".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)
    return f"第 {text} 行" + (f"（共 {len(numbers)} 行）" if len(numbers) > 1 else "")


def _benchmark_provisions(values: dict[str, Any]) -> None:
    """One cell holding both provisions, labelled, is split into the two fields."""
    for name in ("penalty_provision", "violated_provision"):
        text = values.get(name)
        if isinstance(text, str):
            violated, penalty = split_provisions(text)
            if penalty:
                values["penalty_provision"] = penalty
                if violated:
                    values["violated_provision"] = violated
                return


def _benchmark_power(values: dict[str, Any], where: dict[str, int], row: sheets.Row, path: str,
                     ctx: Context, problems: list[Problem]) -> None:
    name = values.pop("_power_name", None)
    if "power" in values:
        return
    code = ctx.powers_by_name.get(sheets.name_key(name)) if name else None
    if code:
        values["power"] = code
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


class _SheetSrc:
    """Where a record's fields sit in the sheet, for the personal-data guard's problems."""

    what = "记录"  # what the hint calls the published record

    def __init__(self, rec: Record):
        self.rec = rec

    def problem(self, loc: tuple, code: str, message: str, hint: str, *, given: Any = None,
                severity: str = "错误") -> Problem:
        line, col = self.rec.where.at(loc)
        return Problem(self.rec.path, line, col, code, message + "（这一行暂未导入）",
                       f"删去或改写这一格里的个人信息（公开的{self.what}里不能出现个人的证件号、电话、银行卡、邮箱）",
                       severity=severity, given=given)


def _check(kind: Kind, rec: Record, problems: list[Problem], ctx: Context) -> bool:
    """Whether the record is one `disclose validate` accepts; if not, why, at its cell."""
    try:
        record = kind.model.model_validate(rec.data)
    except ValidationError as exc:
        found = problems_from_error(exc, kind.model, rec.path, rec.where)
        problems += [Problem(p.path, p.line, p.col, p.code, p.message + "（这一行暂未导入）",
                             _sheet_hint(p), given=p.given) for p in found]
        return False
    found = guard.check(record, _SheetSrc(rec))  # validate would refuse it: never write it
    found += _project_rules(kind, record, rec, ctx)
    problems += found
    return not found


def _project_rules(kind: Kind, record: Any, rec: Record, ctx: Context) -> list[Problem]:
    """The checks validate makes across records (project._cross_check), for one imported record."""
    out: list[Problem] = []

    def bad(loc: tuple, code: str, message: str, hint: str, given: Any = None) -> None:
        line, col = rec.where.at(loc)
        out.append(_problem(rec.path, line, col, code, message + "（这一行暂未导入）", hint, given))

    what = next(w for w, k in KINDS.items() if k is kind)
    other = ctx.elsewhere.get(what, {}).get(rec.key)
    if other:
        bad((kind.key,), {"officers": "D002", "powers": "D003", "benchmarks": "D004"}[what],
            f"「{rec.key}」已是执法主体 {other} 的{field_title(kind, kind.key)}，全站只能出现一次", "核对后改正其中一处", rec.key)
    if isinstance(record, Officer):
        if record.status != "在岗" and record.status_since is None:
            bad(("status",), "F008", f"证件状态为“{record.status}”，没有状态变更日期", "加一列“状态变更日期”并填写")
        if record.valid_until < record.valid_from:
            bad(("valid_until",), "F009", "证件有效期止早于有效期起", "核对证件上的有效期", record.valid_until)
    if isinstance(record, Benchmark):
        category_ = ctx.categories.get(record.power)
        if category_ is None:
            bad(("power",), "R002", "对应的事项编码不存在", "填写某个 powers.yaml 里事项的 code，或先导入权责清单", record.power)
        elif category_ != "行政处罚":
            bad(("power",), "R005", f"对应的事项类别是“{category_}”，不是行政处罚", "裁量基准只对应行政处罚事项", record.power)
        for i, tier in enumerate(record.tiers):
            if tier.fine_min is not None and tier.fine_max is not None and tier.fine_min > tier.fine_max:
                bad(("tiers", i, "fine_min"), "F009", "罚款下限大于上限", "核对该阶次的罚款幅度",
                    f"{tier.fine_min:g} > {tier.fine_max:g}")
    return out


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


def _normal(model: type[BaseModel], data: dict) -> dict:
    """As the site reads it: defaults filled in (an absent flag is false), numbers by value."""
    # an existing item with its own errors is compared as written; validate reports those errors
    with contextlib.suppress(ValidationError):
        data = model.model_validate(data).model_dump()
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


def _items(path: Path) -> list[dict]:
    if not path.exists():
        return []
    doc, _ = parse_text(path.read_text(encoding="utf-8-sig"), str(path))
    items = doc.data if doc and isinstance(doc.data, list) else []
    return [i for i in items if isinstance(i, dict)]


def context(root: Path, agency: str) -> Context:
    """The agency's name, the other agencies' names, and its items by name."""
    def agency_name(folder: Path) -> str | None:
        doc, _ = parse_text((folder / "agency.yaml").read_text(encoding="utf-8-sig"), "agency.yaml")
        name = doc.data.get("name") if doc and isinstance(doc.data, dict) else None
        return str(name) if name else None

    content = root / "content"
    others = {}
    elsewhere: dict[str, dict[str, str]] = {what: {} for what in KINDS}
    categories: dict[str, str] = {}
    for folder in sorted(p for p in content.iterdir() if (p / "agency.yaml").is_file()):
        for what, kind in KINDS.items():
            for item in _items(folder / kind.file):
                if folder.name != agency and kind.key in item:
                    elsewhere[what][str(item[kind.key])] = folder.name
                if what == "powers" and "code" in item:
                    categories[str(item["code"])] = str(item.get("category"))
        if folder.name != agency and (name := agency_name(folder)):
            others[name] = folder.name
    powers = _items(content / agency / "powers.yaml")
    by_name = {sheets.name_key(str(p["name"])): str(p["code"]) for p in powers if "name" in p and "code" in p}
    codes = {(str(p.get("category")), sheets.name_key(str(p["name"]))): str(p["code"])
             for p in powers if "name" in p and "code" in p}
    return Context(agency, agency_name(content / agency) or agency, others, by_name, codes, elsewhere, categories)


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
    outcome.problems = [located(p) for p in outcome.problems]
    return outcome


def located(p: Problem) -> Problem:
    """Excel users find a cell by its name (D8), not by row and column numbers."""
    return Problem(p.path, p.line, p.col, p.code, f"{sheets.column_letter(p.col)}{p.line} 单元格：{p.message}",
                   p.hint, p.severity, p.given)


def sheet_path(shown_path: str, grid: sheets.Grid) -> str:
    return shown_path if grid.whole_file else f"{shown_path}[{grid.title}]"


def open_book(workbook: Path, shown_path: str) -> list[sheets.Grid]:
    try:
        return sheets.open_workbook(workbook)
    except sheets.WorkbookError as exc:
        raise ImportAbort(f"{shown_path}：{exc}") from None


def check_agency(root: Path, agency: str) -> Path:
    try:
        agency_id(agency)  # the CLI checks it too; here it guards every other caller
    except ValueError as exc:
        raise ImportAbort(str(exc)) from None
    folder = root / "content" / agency
    if not (folder / "agency.yaml").is_file():
        raise ImportAbort(f"执法主体 {agency} 不存在：先运行 disclose new agency --agency {agency}")
    return folder


def _run(root: Path, what: str, workbook: Path, agency: str, *, today: dt.date, shown_path: str,
         dry_run: bool = False, update: bool = False) -> Outcome:
    kind = KINDS[what]
    folder = check_agency(root, agency)
    target = folder / kind.file
    outcome = Outcome(kind, target)
    grids = open_book(workbook, shown_path)
    text, bom, existing = _existing(target)
    by_key = {str(item.get(kind.key)): (i, item) for i, item in enumerate(existing) if isinstance(item, dict)}
    ctx = context(root, agency)
    known = {name for c in kind.columns for name in c.names} | {"法律依据"}
    records: list[Record] = []
    for grid in sheets.shown(grids, outcome.notes):
        path = sheet_path(shown_path, grid)
        sheet = sheets.read_sheet(grid, known)
        if sheet is None:
            outcome.notes.append(f"工作表「{grid.title}」：没有找到{kind.label}的表头，已跳过")
            continue
        cols, unknown = _map_headers(sheet.headers, kind)
        lacking = _lacking(kind, cols, sheet)
        other = _other_kind(kind, sheet, cols, lacking)
        if other is not None:
            outcome.notes.append(f"工作表「{grid.title}」是{other.label}，不是{kind.label}，已跳过")
            continue
        hidden = sheets.hidden_problems(sheet)
        if hidden:
            outcome.problems += [_problem(path, r, c, "I010", said, sheets.HIDDEN_HINT) for r, c, said in hidden]
            continue
        if lacking:
            names = "、".join(f"「{field_title(kind, f)}」（可写作：{'、'.join(_names(kind, f)[:3])}）" for f in lacking)
            outcome.problems.append(_problem(path, sheet.header_row, 1, "I002", f"表头缺少{names}",
                                             "在表头加上这些列，或把已有的列改成这些名字；这张表暂未导入"))
            continue
        outcome.sheets_used.append(grid.title)
        if kind.model is Officer and "status" not in cols:
            outcome.notes.append(f"工作表「{grid.title}」里没有“证件状态”列：导入的人员按“在岗”处理")
        for h in unknown:
            col = next(c for c, name in sheet.headers.items() if name == h)
            if h in PERSONAL:
                outcome.problems.append(_problem(path, sheet.header_row, col, "I001", f"「{h}」是个人信息，这一列没有导入",
                                                 "执法人员名单只公开姓名、执法证号、执法类别、单位和有效期", severity=NOTICE))
                continue
            outcome.problems.append(_problem(path, sheet.header_row, col, "I001", f"不认得的列「{h}」，这一列没有导入",
                                             "如果它对应某个字段，把列名改成 使用说明 里列出的名字", severity=WARNING))
        for number, why in sheet.skipped:
            outcome.notes.append(f"{path} 第 {number} 行是{why}，已跳过")
        records += _records(kind, sheet, cols, path, ctx, outcome.problems, outcome.notes)
    if not outcome.sheets_used and not outcome.problems:
        raise ImportAbort(f"{shown_path}：没有找到{kind.label}的表头。" + "；".join(outcome.notes)
                          + f"。提示：表头应在前 {sheets.HEADER_SCAN_ROWS} 行里，列名见网站“使用说明 → 从 Excel 导入”")
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
            same = "事项名称相同，生成的编码" if rec.generated else ""
            outcome.problems.append(_problem(rec.path, line, col, "I005",
                                             f"{same}「{rec.key}」与 {first.path} 第 {first.row} 行重复，这一行没有导入",
                                             "同一编号只能出现一次：删掉重复的行或改正编号", rec.key))
            continue
        if not _check(kind, rec, outcome.problems, ctx):
            continue
        seen[rec.key] = rec
        outcome.generated_codes += rec.generated
        if rec.key not in by_key:
            outcome.added.append(rec)
            continue
        old = by_key[rec.key][1]
        new_plain, old_plain = _normal(kind.model, rec.data), _normal(kind.model, old)
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


def _other_kind(kind: Kind, sheet: sheets.Sheet, cols: Mapped, lacking: list[str]) -> Kind | None:
    """The kind a sheet really is, when it is not `kind`: it lacks what `kind` needs, or it is a
    complete sheet of a kind that explains more of its columns (a 裁量基准 also has 事项名称 and 依据)."""
    for other in KINDS.values():
        if other is kind:
            continue
        theirs = _map_headers(sheet.headers, other)[0]
        if not _lacking(other, theirs, sheet) and (lacking or len(theirs) > len(cols)):
            return other
    return None


def _lacking(kind: Kind, cols: Mapped, sheet: sheets.Sheet) -> list[str]:
    """Fields the sheet has no column for although every record needs them."""
    if kind.model is Power:
        lacking = [] if {"name", "_sub"} & set(cols) else ["name"]
        if "category" not in cols and not category_in_title(sheet.name) \
                and not any(category_in_title(r.group) for r in sheet.rows):
            lacking.append("category")
        if not ({"_basis", "_law"} & set(cols)):
            lacking.append("basis")
        return lacking
    lacking = [f for f in kind.required if f not in cols]
    if kind.model is Benchmark and "power" not in cols and "_power_name" not in cols:
        lacking.append("power")
    if kind.model is Officer and "_validity" not in cols:
        lacking += [f for f in ("valid_from", "valid_until") if f not in cols]
    return lacking


def _names(kind: Kind, name: str) -> tuple[str, ...]:
    col = next((c for c in kind.columns if c.field == name), None)
    if name == "basis":
        col = next(c for c in kind.columns if c.field == "_basis")
    if name == "power":
        return ("对应事项编码", "事项编码", "事项名称")
    if name == "category" and kind.model is Power:
        return ("权力类型", "职权类型", "或把工作表命名为 行政处罚")
    return col.names if col else (name,)


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
    if outcome.generated_codes:
        lines.append(f"  其中 {outcome.generated_codes} 项表中没有事项编码：编码由主体、类别和事项名称生成"
                     "（再次导入同名事项时对应到同一项；改了事项名称则视为新事项）")
    lines += [f"  {note}" for note in outcome.notes]
    return lines


def _brief(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, list):
        return f"{len(value)} 项"
    return sheets.text(value) or "（空）"
