"""`disclose import decisions`: past decisions from the 双公示 files agencies send to the credit platform.

A county that adopts this tool already reports its 行政处罚 and 行政许可 to the
credit platform in the national column layout (the layout `data/shuanggongshi/
xzcf.csv` and `xzxk.csv` are exported in, generator/shuanggongshi.py), as CSV
or Excel. Each row becomes one decision file under
content/<agency>/decisions/<year>/.

That layout lacks what the contract requires of every decision and that no
one may invent: the officers who handled it, the 权责事项 applied and, for a
行政处罚, the benchmark tier applied. A migration file therefore carries a few
more columns (README, “导入以往的执法决定”): 执法证号 always; 裁量阶次 for a
行政处罚 whose benchmark has several tiers; 事项编码 unless `--power` names the
item for every row or the 违法行为类型 / 决定文书名称 names one. The rest is
found, never guessed: a benchmark whose 违法行为 is the row's 违法行为类型 (the
exporter writes exactly that), an item whose name is the 许可决定文书名称 less
“决定书”. A row that still lacks something is reported with its reason, and
nothing of it is written.

Amounts come back from 万元 exactly (Decimal); “法人及非法人组织” becomes 法人
or 非法人组织 by the name (合伙, 个人独资, 分公司 …); a 公示日期 column is kept as
published_on (records migrated from an older platform keep their date); a
natural person's 证件号码 is never read. The importer checks what validate
would refuse (unknown officer, item or tier, dates after today, personal data
in text), so that the project validates after any import.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from . import guard, sheets, textkey, yamlwrite
from . import project as project_mod
from .importer import (
    _BAD,
    _LEVELS,
    Column,
    ImportAbort,
    _apply,
    _edits,
    _normal,
    _plain,
    _problem,
    _row_values,
    _rows_text,
    _SheetSrc,
    check_agency,
    located,
    open_book,
    sheet_path,
)
from .messages import problems_from_error
from .model import DECISION_STATUSES, PENALTY_TYPES, Decision
from .problems import NOTICE, WARNING, Problem
from .scaffold import _CASE_NO, _free
from .yamlio import Positions, parse_text, read_yaml

COLUMNS = (
    Column("case_no", ("行政处罚决定书文号", "行政许可决定文书号", "决定书文号", "处罚决定书文号", "许可决定书文号",
                       "决定文书号", "行政处罚决定文书号", "文书号", "文号")),
    Column("kind", ("决定类别", "决定种类", "执法决定类别")),
    Column("party.name", ("行政相对人名称", "当事人名称", "当事人", "被处罚人", "被许可人", "相对人名称",
                          "行政管理相对人名称"), sheets.name),
    Column("party.type", ("行政相对人类别", "当事人类别", "相对人类别", "当事人类型", "行政相对人类型")),
    Column("party.credit_code", ("统一社会信用代码", "行政相对人代码_1(统一社会信用代码)", "行政相对人代码_1",
                                 "社会信用代码", "当事人统一社会信用代码", "相对人统一社会信用代码")),
    Column("facts", ("违法事实", "主要违法事实", "违法行为事实", "认定事实", "事实认定", "案件事实", "主要事实", "处罚事由")),
    Column("basis", ("处罚依据", "决定依据", "许可依据", "处罚的法律依据")),
    Column("outcome", ("处罚内容", "许可内容", "决定内容", "处罚结果", "处罚决定内容")),
    Column("penalty_types", ("处罚类别", "处罚种类", "处罚类型", "处罚类别1")),
    Column("fine", ("罚款金额(万元)", "罚款金额(元)", "罚款数额(万元)", "罚款数额(元)", "罚款金额")),
    Column("confiscation", ("没收违法所得、没收非法财物的金额(万元)", "没收违法所得、没收非法财物的金额(元)",
                            "没收违法所得没收非法财物的金额(万元)", "没收金额(万元)", "没收金额(元)",
                            "没收违法所得金额(万元)", "没收违法所得金额(元)", "没收金额")),
    Column("decided_on", ("处罚决定日期", "许可决定日期", "决定日期", "作出决定日期", "作出处罚决定日期", "处罚日期",
                          "作出决定时间"), sheets.date),
    Column("served_on", ("送达日期",), sheets.date),
    Column("published_on", ("公示日期", "公开日期", "信息公示日期", "公示时间", "公开时间", "首次公示日期"), sheets.date),
    Column("power", ("事项编码", "权力编码", "职权编码", "权责事项编码", "适用事项编码")),
    Column("_violation", ("违法行为类型", "违法行为", "违法行为名称", "处罚名称"),
           label="违法行为类型（据此找违法行为与之相同的裁量基准，或名称相同的权责事项）"),
    Column("_document", ("行政许可决定文书名称", "决定文书名称"),
           label="行政许可决定文书名称（去掉“决定书”后据此找名称相同的权责事项）"),
    Column("benchmark.id", ("裁量基准编号", "基准编号", "适用裁量基准编号")),
    Column("benchmark.level", ("裁量阶次", "适用阶次", "适用的裁量阶次")),
    Column("benchmark.explanation", ("裁量说明", "裁量理由")),
    Column("officers", ("执法证号", "执法人员执法证号", "承办人执法证号", "执法人员证号", "承办执法人员", "执法人员",
                        "承办人"), label="承办执法人员（执法证号，或本主体执法人员的姓名，多人用、隔开）"),
    Column("legal_review.reviewer", ("法制审核机构", "法制审核人员", "法制审核机构或人员")),
    Column("legal_review.date", ("法制审核日期",), sheets.date),
    Column("legal_review.conclusion", ("法制审核意见", "审核意见")),
    Column("status", ("当前状态", "决定状态")),
    Column("status_changed_on", ("状态变更日期", "撤销日期", "变更日期"), sheets.date),
    Column("status_reason", ("变更或撤销理由", "撤销理由", "变更理由")),
    Column("withdrawn_on", ("撤下日期", "撤回日期"), sheets.date),
    Column("_agency", ("处罚机关", "许可机关", "决定机关", "执法主体", "实施机关"),
           label="处罚机关、许可机关（其他执法主体的行跳过）"),
    Column("_agency_code", ("处罚机关统一社会信用代码", "许可机关统一社会信用代码", "决定机关统一社会信用代码",
                            "执法主体统一社会信用代码"), label="处罚机关、许可机关的统一社会信用代码"),
)

# In the layout but not in the contract: computed by the site, or about the permit rather than the decision.
NOT_KEPT = {"公示截止期": "由网站按公示期限规则计算", "处罚有效期": "内容约定中没有这一项",
            "数据来源单位": "", "数据来源单位统一社会信用代码": "",  # the agency itself
            "许可类别": "内容约定中没有这一项", "许可证书名称": "内容约定中没有这一项", "许可编号": "内容约定中没有这一项",
            "有效期自": "内容约定中没有这一项", "有效期至": "内容约定中没有这一项", "备注": "内容约定中没有这一项",
            "暂扣或吊销证照名称及编号": "内容约定中没有这一项（处罚内容里写明即可）", "序号": "", "地方编码": "",
            "数据更新时间戳": "", "处罚类别2": ""}  # 处罚类别2 is read with 处罚类别1
# Never read: a legal representative's or a natural person's identity and contacts.
PERSONAL = re.compile(r"法定代表人|证件类型|证件号码|身份证|手机|联系电话|住址|家庭地址")
# The older layout's other registration numbers: the 统一社会信用代码 replaced them all.
OLD_CODES = re.compile(r"行政相对人代码_[2-6]|工商注册号|组织机构代码|税务登记号|事业单位证书号|社会组织登记证号")

PUNISH_HEADERS = {"行政处罚决定书文号", "处罚决定书文号", "行政处罚决定文书号", "违法事实", "处罚类别", "处罚种类",
                  "处罚内容", "处罚决定日期", "处罚机关", "处罚依据"}
PERMIT_HEADERS = {"行政许可决定文书号", "许可决定书文号", "许可内容", "许可决定日期", "许可机关", "行政许可决定文书名称",
                  "许可类别"}

_PARTY = {"自然人": "自然人", "个人": "自然人", "公民": "自然人", "自然人(个人)": "自然人",
          "个体工商户": "个体工商户", "个体户": "个体工商户", "个体": "个体工商户",
          "法人": "法人", "企业法人": "法人", "非法人组织": "非法人组织", "其他组织": "非法人组织"}
_BOTH = {"法人及非法人组织", "法人及其他组织", "法人和其他组织", "法人或其他组织", "法人和非法人组织", "法人、非法人组织",
         "法人或非法人组织"}
# Who is a 非法人组织 among “法人及非法人组织” (民法典 第一百零二条: 个人独资企业、合伙企业, and a branch).
_NOT_A_PERSON = re.compile(r"合伙|个人独资|分公司|分厂|分店|分行|支行|分社|营业部|办事处|分部|分所|分中心|门市部")

# Names of 处罚种类 before the 2021 行政处罚法, and other spellings; each is a whole part of the cell.
_PENALTY_ALIASES = {
    "暂扣许可证": "暂扣许可证件", "暂扣执照": "暂扣许可证件", "暂扣营业执照": "暂扣许可证件",
    "吊销许可证": "吊销许可证件", "吊销执照": "吊销许可证件", "吊销营业执照": "吊销许可证件",
    "拘留": "行政拘留", "其他行政处罚": "其他", "法律行政法规规定的其他行政处罚": "其他",
}
_PENALTY_PHRASES = {"法律、行政法规规定的其他行政处罚": "其他"}  # a name with a separator inside it
_STATUS = {"有效": "有效", "正常": "有效", "生效": "有效", "正常有效": "有效", "已撤销": "撤销", "已变更": "变更",
           **{s: s for s in DECISION_STATUSES}}


@dataclass
class Row:
    case_no: str
    data: dict[str, Any]
    where: Positions
    path: str
    row: int
    supplied: set[str]


@dataclass
class Outcome:
    folder: Path  # content/<agency>/decisions
    added: list[tuple[Row, Path]] = field(default_factory=list)
    changed: list[tuple[Row, Path, list[tuple[str, Any, Any]]]] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sheets_used: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False


@dataclass
class Lookups:
    agency: str
    agency_name: str
    agency_code: str
    others: dict[str, str]  # name or credit code of every other agency → its id
    powers: dict[str, tuple[Any, str]]  # code → (Power, agency id), the whole site
    benchmarks: dict[str, tuple[Any, str]]
    officers: dict[str, tuple[Any, str]]  # certificate_no → (Officer, agency id)
    decisions: dict[str, tuple[str, str]]  # case_no (textkey.same_case_no) → (agency id, file path relative to the root)
    default_power: str | None


# ---------------------------------------------------------------- cells


def party_type(value: str | None, name: str | None) -> str | None:
    """The contract's party type for a 行政相对人类别; None when it is not one."""
    if value is None:
        return None
    s = re.sub(r"\s+", "", value).replace("（", "(").replace("）", ")")
    if s in _PARTY:
        return _PARTY[s]
    if s in _BOTH:
        return "非法人组织" if name and _NOT_A_PERSON.search(name) else "法人"
    return None


def type_from_code(code: str | None, name: str | None) -> str | None:
    """The party type a 统一社会信用代码 states (GB 32100: its second character is the kind of organisation),
    for a file without a 行政相对人类别 column: 92… 个体工商户; 91… an enterprise (法人, or 非法人组织 by
    its name); 93…, 1…, 5… 法人. None when the code does not say."""
    if not code or len(code) != 18:
        return None
    if code.startswith("92"):
        return "个体工商户"
    if code.startswith("91"):
        return "非法人组织" if name and _NOT_A_PERSON.search(name) else "法人"
    if code[:2] in ("93", "11", "12", "13", "51", "52", "53"):
        return "法人"
    return None


def penalty_types(value: str) -> tuple[list[str], list[str]]:
    """The 处罚类别 cell as the contract's list, and the parts that are not a 行政处罚 种类."""
    s = re.sub(r"\s+", ";", value.strip())
    for phrase, name in _PENALTY_PHRASES.items():
        s = s.replace(phrase, name)
    found: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[;；,，、/|]+", s):
        part = _PENALTY_ALIASES.get(part, part)
        if not part:
            continue
        if part in PENALTY_TYPES:
            if part not in found:
                found.append(part)
        else:
            unknown.append(part)
    return found, unknown


# ---------------------------------------------------------------- one row


def _set(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    for p in parents:
        data = data.setdefault(p, {})
    data[last] = value


def _err(problems: list[Problem], path: str, row: sheets.Row, col: int, code: str, message: str, hint: str,
         given: Any = None) -> None:
    problems.append(_problem(path, row.number, col, code, message + "（这一行暂未导入）", hint, given))


UNKNOWN = "?"  # a skipped key: rows of a body that is no agency of the site


def _bare(name: str) -> str:
    """An agency's name as rows may write it: 示例县综合行政执法局（示例县城市管理局） is the bureau
    under its second name."""
    return re.sub(r"[(【][^()【】]*[)】]$", "", sheets.name_key(name))


def _level(written: Any) -> str:
    """A 裁量阶次 as written in a cell (从轻, 不予…), as the benchmark names it."""
    text = str(written or "").strip()
    return _LEVELS.get(text, text)


def _decision(row: sheets.Row, cols: dict, path: str, kind_of_sheet: str | None, units: dict[str, str],
              look: Lookups, today: dt.date, problems: list[Problem], skipped: dict[str, list[int]]) -> Row | None:
    before = len(problems)
    values, where = _row_values(row, cols, path, problems, units)
    if any(v is _BAD for v in values.values()):
        return None

    def col(name: str) -> int:
        return where.get(name, 1)

    def err(name: str, code: str, message: str, hint: str, given: Any = None) -> None:
        _err(problems, path, row, col(name), code, message, hint, given)

    # another agency's row: skipped, not an error (a county file holds every agency's decisions)
    owner_code, owner_name = values.pop("_agency_code", None), values.pop("_agency", None)
    if owner_code and owner_code != look.agency_code:
        other = look.others.get(owner_code)
        skipped.setdefault(f"属于{'执法主体 ' + other if other else '统一社会信用代码为 ' + owner_code + ' 的机关'}",
                           []).append(row.number)
        return None
    if owner_name and not owner_code and _bare(owner_name) != _bare(look.agency_name):
        other = look.others.get(owner_name) or look.others.get(_bare(owner_name))
        # a body that is no agency of the site: said, as it may be this one under another name (示例县综合执法局)
        skipped.setdefault(f"属于执法主体 {other}" if other else f"{UNKNOWN}{owner_name}\0{col('_agency')}",
                           []).append(row.number)
        return None

    kind = values.pop("kind", None) or kind_of_sheet
    data: dict[str, Any] = {}
    for name in ("case_no", "kind", "party.type", "party.name", "party.credit_code", "power", "benchmark.id",
                 "benchmark.level", "benchmark.explanation", "facts", "basis", "outcome", "penalty_types", "fine",
                 "confiscation", "officers", "legal_review.reviewer", "legal_review.date", "legal_review.conclusion",
                 "decided_on", "served_on", "published_on", "status", "status_changed_on", "status_reason",
                 "withdrawn_on"):
        if name == "kind":
            data["kind"] = kind
        elif name in values:
            _set(data, name, values[name])

    party = data.get("party", {})
    if "party.type" not in cols and (derived := type_from_code(party.get("credit_code"), party.get("name"))):
        party["type"] = derived  # the older layout has no 行政相对人类别: the code says it
    raw_type = party.get("type")
    if raw_type is not None:
        mapped = party_type(raw_type, party.get("name"))
        if mapped is None:
            err("party.type", "F004", "「行政相对人类别」不是认得的类别",
                "填写 自然人、个体工商户、法人、非法人组织 或 法人及非法人组织", raw_type)
        else:
            party["type"] = mapped
    if party.get("type") == "自然人" and party.pop("credit_code", None):
        pass  # for a natural person that column can only hold an ID number: never read, never kept
    if party.get("type") in ("法人", "非法人组织", "个体工商户") and not party.get("credit_code"):
        err("party.credit_code", "F010", f"当事人是{party['type']}，缺少统一社会信用代码", "在“统一社会信用代码”列填写 18 位代码")

    if isinstance(data.get("penalty_types"), str):
        found, unknown = penalty_types(data["penalty_types"])
        if unknown:
            err("penalty_types", "F004", f"「处罚类别」里的「{'、'.join(unknown)}」不是行政处罚法第九条的处罚种类",
                "可以写：" + "、".join(PENALTY_TYPES) + "；多种用分号隔开", data["penalty_types"])
        data["penalty_types"] = found

    if isinstance(data.get("status"), str):
        status = _STATUS.get(data["status"])
        if status is None:
            err("status", "F004", "「当前状态」不是决定的状态",
                "填写 有效、变更、撤销、确认违法 或 确认无效（许可证件后来注销、到期不是决定的状态）", data["status"])
        else:
            data["status"] = status

    if data.get("status", "有效") != "有效":
        for name, column in (("status_changed_on", "状态变更日期"), ("status_reason", "变更或撤销理由")):
            if data.get(name) in (None, ""):
                err("status", "I004", f"决定状态为“{data['status']}”，没有{_title(name)}", f"加一列“{column}”并填写")
    officers = data.get("officers")
    if officers is None:
        err("officers", "I004", "没有承办执法人员：双公示数据里没有这一项，不能凭空填写",
            "加一列“执法证号”，填写承办这份决定的执法人员的执法证号（多人用、隔开），这些人员须已在 officers.yaml 里")
    else:
        data["officers"] = _officers(str(officers), look, lambda m, h, g=None: err("officers", "R001", m, h, g))

    _power_and_benchmark(data, values, look, kind, err)

    for name in ("published_on", "served_on", "status_changed_on", "withdrawn_on"):
        day = data.get(name)
        if isinstance(day, dt.date) and isinstance(data.get("decided_on"), dt.date) and day < data["decided_on"]:
            err(name, "T002", f"「{_title(name)}」早于作出决定日期", "核对日期", day)
    for name in ("decided_on", "published_on", "served_on", "status_changed_on", "withdrawn_on", "legal_review.date"):
        day = values.get(name)
        if isinstance(day, dt.date) and day > today:
            err(name, "T001", f"「{_title(name)}」晚于今天（{today.isoformat()}）", "核对日期；尚未作出的决定不要导入", day)
    # A 不予行政处罚决定 (行政处罚法第三十三条) imposes nothing, as validate allows (kinds/decision.py F010).
    if kind == "行政处罚" and "penalty_types" not in values and _level(values.get("benchmark.level")) != "不予处罚":
        err("penalty_types" if "penalty_types" in where else "case_no", "F010", "行政处罚没有处罚类别",
            "在“处罚类别”列填写，例如 罚款；多种用分号隔开；依法不予处罚的，在“裁量阶次”列写 不予处罚")
    if "罚款" in data.get("penalty_types", []) and data.get("fine") is None:
        err("penalty_types", "F010", "处罚类别含“罚款”，但没有罚款金额", "在“罚款金额（万元）”列填写金额")
    if len(problems) > before:
        return None

    pos = Positions()
    pos.values[()] = (row.number, 1)
    for name, c in where.items():
        if not name.startswith("_"):
            pos.values[tuple(name.split("."))] = (row.number, c)
    pos.values[("kind",)] = (row.number, col("case_no"))
    rec = Row(str(data.get("case_no", "")), data, pos, path, row.number, set(data))
    try:
        decision = Decision.model_validate(data)
    except ValidationError as exc:
        found = problems_from_error(exc, Decision, path, pos)
        problems.extend(Problem(p.path, p.line, p.col, p.code, p.message + "（这一行暂未导入）",
                                "在这一列填写内容" if p.code == "F001" else p.hint, given=p.given) for p in found)
        return None
    found = guard.check_decision(decision, _RowSrc(rec))
    if found:
        problems.extend(found)
        return None
    return rec


class _RowSrc(_SheetSrc):
    what = "决定"


def _title(name: str) -> str:
    from .messages import field_at

    return field_at(Decision, tuple(name.split(".")))[1]


def column_title(column: Column) -> str:
    """What the guide calls a column: its field's Chinese title, or the helper column's own label."""
    return column.label or _title(column.field)


def _officers(text: str, look: Lookups, err) -> list[str]:
    """Certificate numbers from 「33070100001、33070100002」, 「王伟（33070100001）、李娜」 or names alone."""
    out: list[str] = []
    for token in re.split(r"[,，、;；/\s]+", text.strip()):
        token = token.strip("'‘’\"")  # '33070100001: typed so that a spreadsheet keeps it as text
        if not token:
            continue
        inner = re.search(r"[（(]([^()（）]+)[)）]", token)
        number = inner[1].strip() if inner else token
        if number in look.officers:
            cert = number
        else:
            who = sheets.name(re.sub(r"[（(][^()（）]*[)）]", "", token)) or token
            ours = [c for c, (o, aid) in look.officers.items() if o.name == who and aid == look.agency]
            anyone = [c for c, (o, _) in look.officers.items() if o.name == who]
            matches = ours or anyone
            if len(matches) != 1:
                err(f"执法人员「{token}」" + ("同名的不止一人" if matches else "在执法人员名单里找不到"),
                    "写执法证号；人员须已在某个执法主体的 officers.yaml 里（可先导入执法人员名单）", token)
                continue
            cert = matches[0]
        if cert not in out:
            out.append(cert)
    return out


def _power_and_benchmark(data: dict, values: dict, look: Lookups, kind: str | None, err) -> None:
    power = data.get("power") or look.default_power
    violation = values.get("_violation")
    bench_id = data.get("benchmark", {}).get("id")
    if bench_id is None and violation and kind == "行政处罚":
        key = sheets.name_key(violation)
        found = [(bid, b) for bid, (b, _) in look.benchmarks.items()
                 if sheets.name_key(b.violation) == key and (power is None or b.power == power)]
        ours = [(bid, b) for bid, b in found if look.powers.get(b.power, (None, ""))[1] == look.agency]
        found = ours or found
        if len(found) == 1:
            bench_id = found[0][0]
            data.setdefault("benchmark", {})["id"] = bench_id
    bench = look.benchmarks.get(bench_id)[0] if bench_id in look.benchmarks else None
    if bench_id is not None and bench is None:
        err("benchmark.id", "R003", "裁量基准编号不存在", "填写某个 benchmarks.yaml 里的 id", bench_id)
    if power is None and bench is not None:
        power = bench.power
    if power is None:
        name = violation if kind == "行政处罚" else (values.get("_document") or "").removesuffix("决定书") or violation
        if name:
            key = sheets.name_key(name)
            found = [code for code, (p, aid) in look.powers.items()
                     if aid == look.agency and sheets.name_key(p.name) == key and (kind != "行政处罚" or p.category == kind)]
            if len(found) == 1:
                power = found[0]
    if power is None:
        err("power", "I007", "找不到这份决定适用的权责事项",
            "加一列“事项编码”，或用 --power 指定全部行的事项编码；违法行为类型与裁量基准的违法行为、"
            "许可决定文书名称与事项名称相同时能自动对应")
        return
    data["power"] = power
    item = look.powers.get(power)
    if item is None:
        err("power", "R002", "权责事项编码不存在", "填写某个执法主体 powers.yaml 里事项的 code", power)
        return
    if kind == "行政处罚" and item[0].category != "行政处罚":
        err("power", "R005", f"行政处罚决定适用的事项类别是“{item[0].category}”", "核对事项编码", power)
    if kind != "行政处罚" and bench is None:
        return
    if bench is None and bench_id is None:
        # the item has one benchmark only: a decision under the item applied that benchmark
        only = [(bid, b) for bid, (b, _) in look.benchmarks.items() if b.power == power]
        if len(only) == 1:
            bench_id, bench = only[0]
            data.setdefault("benchmark", {})["id"] = bench_id
    if bench is None:
        if "benchmark" not in data:
            err("benchmark.id", "F010", "找不到适用的裁量基准：行政处罚决定必须写明适用的裁量基准和阶次",
                "加一列“裁量基准编号”，或使“违法行为类型”与某条裁量基准的违法行为一致", violation)
        return
    level = data["benchmark"].get("level")
    levels = [t.level for t in bench.tiers]
    if level is None:
        if len(levels) != 1:
            err("benchmark.level", "I004", f"裁量基准 {bench.id} 有 {len(levels)} 个阶次，没有写明适用哪一个",
                "加一列“裁量阶次”，填写决定书适用的阶次（" + "、".join(levels) + "）")
            return
        data["benchmark"]["level"] = levels[0]  # the benchmark has only this tier: applying it applies the tier
    else:
        level = _level(level)
        data["benchmark"]["level"] = level
        if level not in levels:
            err("benchmark.level", "R004", f"裁量基准 {bench.id} 没有“{level}”这一阶次", "这条基准的阶次有："
                + "、".join(levels), level)


# ---------------------------------------------------------------- the command


def _lookups(root: Path, agency: str, today: dt.date, default_power: str | None) -> Lookups:
    project = project_mod.load(root, today, use_git=False)
    data = project.agencies.get(agency)
    if data is None:
        raise ImportAbort(f"content/{agency}/agency.yaml 有错误，先改正（disclose validate 会列出）再导入")
    others: dict[str, str] = {}
    for aid, other in project.agencies.items():
        if aid != agency:
            others[other.agency.name] = aid
            others[_bare(other.agency.name)] = aid  # and as rows write it with a second name (_bare)
            others[other.agency.credit_code] = aid
    # by the 文号 as duplicates are found (D001): [2026] and 〔2026〕 are one decision's number
    decisions = {textkey.same_case_no(e.decision.case_no): (e.agency, e.src.path) for e in [*project.entries(), *project.drafts]}
    look = Lookups(agency, data.agency.name, data.agency.credit_code, others, project.powers(), project.benchmarks(),
                   project.officers(), decisions, default_power)
    if default_power is not None and default_power not in look.powers:
        raise ImportAbort(f"--power {default_power}：没有这个权责事项编码（见各执法主体的 powers.yaml）")
    return look


def _sheet_kind(headers: set[str]) -> str | None:
    """行政处罚 or 行政许可, from the case number's column name, else from the columns only one of them has."""
    if headers & {"行政处罚决定书文号", "处罚决定书文号", "行政处罚决定文书号"}:
        return "行政处罚"
    if headers & {"行政许可决定文书号", "许可决定书文号"}:
        return "行政许可"
    punish, permit = len(headers & PUNISH_HEADERS), len(headers & PERMIT_HEADERS)
    return "行政处罚" if punish > permit else "行政许可" if permit > punish else None


def run(root: Path, workbook: Path, agency: str, *, today: dt.date, shown_path: str, dry_run: bool = False,
        update: bool = False, default_power: str | None = None) -> Outcome:
    outcome = _run(root, workbook, agency, today=today, shown_path=shown_path, dry_run=dry_run, update=update,
                   default_power=default_power)
    outcome.problems = [located(p) for p in outcome.problems]
    return outcome


def _run(root: Path, workbook: Path, agency: str, *, today: dt.date, shown_path: str, dry_run: bool,
         update: bool, default_power: str | None) -> Outcome:
    folder = check_agency(root, agency)
    outcome = Outcome(folder / "decisions")
    grids = open_book(workbook, shown_path)
    look = _lookups(root, agency, today, default_power)
    known = {n for c in COLUMNS for n in c.names} | set(NOT_KEPT)
    rows: list[Row] = []
    for grid in sheets.shown(grids, outcome.notes):
        path = sheet_path(shown_path, grid)
        sheet = sheets.read_sheet(grid, known)
        if sheet is None:
            outcome.notes.append(f"工作表「{grid.title}」：没有找到执法决定（双公示）的表头，已跳过")
            continue
        cols, unknown = _columns(sheet.headers)
        present = set(sheet.headers.values())
        kind = None if "kind" in cols else _sheet_kind(present)
        lacking = [t for f, t in (("case_no", "决定书文号"), ("party.name", "行政相对人名称"), ("decided_on", "决定日期"),
                                  ("outcome", "处罚内容或许可内容")) if f not in cols]
        if "kind" not in cols and kind is None:
            lacking.append("决定类别（或能看出是行政处罚还是行政许可的列名，如 行政处罚决定书文号、许可内容）")
        for name in ("fine", "confiscation"):
            if name in cols and not re.search(r"元", cols[name][1] + sheet.units.get(cols[name][1], "")):
                lacking.append(f"「{cols[name][1]}」的单位（列名写成 {cols[name][1]}（万元） 或 {cols[name][1]}（元））")
        hidden = sheets.hidden_problems(sheet)
        if hidden:
            outcome.problems += [_problem(path, r, c, "I010", said, sheets.HIDDEN_HINT) for r, c, said in hidden]
            continue
        if lacking:
            outcome.problems.append(_problem(path, sheet.header_row, 1, "I002", "表头缺少" + "、".join(lacking),
                                             "双公示文件的列名见网站“使用说明 → 从 Excel 导入”；这张表暂未导入"))
            continue
        outcome.sheets_used.append(grid.title)
        for h in unknown:
            c = next(c for c, name in sheet.headers.items() if name == h)
            if PERSONAL.search(h):
                outcome.problems.append(_problem(path, sheet.header_row, c, "I001", f"「{h}」是个人信息，这一列不导入",
                                                 "决定的公开内容里不能有个人证件号、联系方式", severity=NOTICE))
            elif OLD_CODES.search(h):
                if any(r.cells.get(h) is not None for r in sheet.rows):
                    outcome.problems.append(_problem(path, sheet.header_row, c, "I001",
                                                     f"「{h}」没有导入：只保留统一社会信用代码", "", severity=NOTICE))
            elif h in NOT_KEPT:
                if NOT_KEPT[h] and any(r.cells.get(h) is not None for r in sheet.rows):
                    outcome.problems.append(_problem(path, sheet.header_row, c, "I001", f"「{h}」没有导入：{NOT_KEPT[h]}",
                                                     "", severity=NOTICE))
            else:
                outcome.problems.append(_problem(path, sheet.header_row, c, "I001", f"不认得的列「{h}」，这一列没有导入",
                                                 "如果它对应某个字段，把列名改成 使用说明 里列出的名字", severity=WARNING))
        if "published_on" not in cols:
            outcome.notes.append(f"{path} 没有“公示日期”列：这些决定的公开日期将取它们提交进 content/ 的日期；"
                                 "若早已在原平台公开，加一列“公示日期”照录原公开日期，否则会显示为逾期公开")
        for number, why in sheet.skipped:
            outcome.notes.append(f"{path} 第 {number} 行是{why}，已跳过")
        skipped: dict[str, list[int]] = {}
        for row in sheet.rows:
            if (second := row.cells.get("处罚类别2")) is not None:  # the older layout's second 处罚类别 column
                first = row.cells.get("处罚类别1")
                row.cells["处罚类别1"] = f"{sheets.text(first)};{sheets.text(second)}" if first is not None else second
                row.columns.setdefault("处罚类别1", row.columns["处罚类别2"])
            rec = _decision(row, cols, path, kind, sheet.units, look, today, outcome.problems, skipped)
            if rec is not None:
                rows.append(rec)
        for why, numbers in skipped.items():
            if why.startswith(UNKNOWN):
                name, col = why[len(UNKNOWN):].split("\0")
                outcome.problems.append(_problem(
                    path, numbers[0], int(col), "I009",
                    f"处罚机关「{name}」不是本站的执法主体，{_rows_text(numbers)}没有导入",
                    f"如果就是 {look.agency_name}（写法不同或简称），把这些格改成 content/{agency}/agency.yaml 的 name，"
                    "或加一列“处罚机关统一社会信用代码”；确是其他机关的决定，不用理会", name, severity=WARNING))
            else:
                outcome.notes.append(f"{path} {_rows_text(numbers)}{why}，不是 {agency} 的决定，已跳过")
    if not outcome.sheets_used and not outcome.problems:
        raise ImportAbort(f"{shown_path}：没有找到执法决定（双公示）的表头。" + "；".join(outcome.notes))
    seen: dict[str, Row] = {}
    for rec in rows:
        same = textkey.same_case_no(rec.case_no)
        if same in seen:
            first = seen[same]
            line, col = rec.where.at(("case_no",))
            outcome.problems.append(_problem(rec.path, line, col, "I005",
                                             f"「{rec.case_no}」与 {first.path} 第 {first.row} 行重复，这一行没有导入",
                                             "同一文号只能出现一次：删掉重复的行或改正文号", rec.case_no))
            continue
        seen[same] = rec
        owner = look.decisions.get(same)
        if owner is None:
            outcome.added.append((rec, _new_path(outcome.folder, rec)))
            continue
        if owner[0] != agency:
            line, col = rec.where.at(("case_no",))
            outcome.problems.append(_problem(rec.path, line, col, "I005",
                                             f"文号「{rec.case_no}」已是 {owner[0]} 的决定（{owner[1]}），这一行没有导入",
                                             "核对文号和 --agency", rec.case_no))
            continue
        target = root / owner[1]
        doc, _ = read_yaml(target, owner[1])
        old = doc.data if doc and isinstance(doc.data, dict) else {}
        new_plain, old_plain = _normal(Decision, rec.data), _normal(Decision, old)
        diff = [(f, old_plain.get(f), new_plain[f]) for f in new_plain
                if f in rec.supplied and new_plain[f] != old_plain.get(f)
                and not (f == "case_no" and textkey.same_case_no(str(old_plain.get(f))) == same)]  # its brackets as kept
        if diff:
            outcome.changed.append((rec, target, diff))
        else:
            outcome.unchanged.append(rec)
    if dry_run:
        return outcome
    source = re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", workbook.name)
    for rec, target in outcome.added:
        data = _plain(Decision.model_validate(rec.data).model_dump(exclude_defaults=True))
        text = f"# 由 disclose import 从 {source} 第 {rec.row} 行导入（{today.isoformat()}）\n" + yamlwrite.dump(data)
        _check_written(text, target, data)
        target = _free(target)  # an earlier row of this run may have taken the name
        yamlwrite.write_file(target, text)
    if update:
        for rec, target, diff in outcome.changed:
            text, bom = yamlwrite.read_file(target, str(target))
            node = yamlwrite.nodes(text)
            doc, _ = parse_text(text, str(target))
            expected = copy.deepcopy(doc.data)
            text = _apply(text, _edits(text, node, [(f, rec.data[f]) for f, _, _ in diff], expected))
            _check_written(text, target, expected)
            yamlwrite.write_file(target, text, bom)
    outcome.written = bool(outcome.added or (update and outcome.changed))
    return outcome


def _columns(headers: dict[int, str]) -> tuple[dict, list[str]]:
    present = set(headers.values())
    found: dict = {}
    unknown = []
    for h in dict.fromkeys(headers.values()):
        column = next((c for c in COLUMNS if h in c.names), None)
        if column is None:
            unknown.append(h)
        elif column.field not in found:
            found[column.field] = (column, next(n for n in column.names if n in present))
    for name in ("fine", "confiscation"):
        if name in found:
            column, header = found[name]
            found[name] = (Column(name, column.names, _money(header)), header)
    return found, unknown


def _money(header: str):
    per = 10000 if "万元" in header else 1

    def read(value: Any) -> Any:
        return sheets.amount(value, per)

    return read


def _new_path(folder: Path, rec: Row) -> Path:
    """decisions/<year>/<decided_on>-<number>.yaml, as `disclose new decision` names them."""
    decided = rec.data["decided_on"]
    m = _CASE_NO.match(rec.case_no)
    name = f"{decided.isoformat()}-{int(m['n']):03d}.yaml" if m else f"{decided.isoformat()}.yaml"
    return _free(folder / str(decided.year) / name)


def _check_written(text: str, target: Path, expected: Any) -> None:
    doc, problems = parse_text(text, str(target))
    if doc is None or [p for p in problems if p.is_error] or not yamlwrite.same(doc.data, expected):
        raise RuntimeError(f"写出的 {target} 读回后与要写的内容不一致，文件没有改动（请把这一行报告给维护者）")


def report(outcome: Outcome, *, root: Path, dry_run: bool, update: bool) -> list[str]:
    try:
        folder = outcome.folder.relative_to(root).as_posix()
    except ValueError:
        folder = str(outcome.folder)
    verb = "将" if dry_run else "已"
    lines = [f"执法决定 → {folder}/<年份>/" + ("（试运行，没有写入任何文件）" if dry_run else "")]
    if outcome.sheets_used:
        lines.append(f"  读取的工作表：{'、'.join(outcome.sheets_used)}")
    added = [rec.case_no for rec, _ in outcome.added]
    lines.append(f"  {verb}新增 {len(added)} 份" + ("：" + "、".join(added[:20]) + ("…" if len(added) > 20 else "")
                                                  if added else ""))
    if outcome.changed:
        how = f"{verb}更新以下字段" if update else "与现有内容不同，未改动（加 --update 才会更新这些字段）"
        lines.append(f"  {len(outcome.changed)} 份{how}：")
        for rec, target, diff in outcome.changed:
            shown = target.relative_to(root).as_posix() if target.is_relative_to(root) else str(target)
            parts = [f"{_title(f)}：{_brief(old)} → {_brief(new)}" for f, old, new in diff]
            lines.append(f"    {rec.case_no}（{shown}）：" + "；".join(parts))
    lines.append(f"  不变 {len(outcome.unchanged)} 份")
    lines += [f"  {note}" for note in outcome.notes]
    return lines


def _brief(value: Any) -> str:
    if value is None:
        return "（空）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（空）"
    if isinstance(value, dict):
        return "，".join(f"{k}: {v}" for k, v in value.items())
    return sheets.text(value) or "（空）"
