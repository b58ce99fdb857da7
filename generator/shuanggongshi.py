"""双公示 exports: 行政处罚 and 行政许可 in the national credit platform's column layout.

Rows are exactly the public view (masked names; nothing withdrawn, expired,
withheld or drafted). Amounts are converted from 元 to 万元 with exact
decimals (1234.5 元 → 0.12345), dates are YYYY-MM-DD. The mapping is
documented in the README; fields the contract does not record are left empty.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from . import csvfile, public
from .project import Entry

if TYPE_CHECKING:
    from .render import Site

XZCF = ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据",
        "处罚类别", "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）", "处罚决定日期", "处罚有效期",
        "公示截止期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位", "数据来源单位统一社会信用代码", "备注"]
XZXK = ["行政相对人名称", "行政相对人类别", "统一社会信用代码", "行政许可决定文书名称", "行政许可决定文书号", "许可类别",
        "许可证书名称", "许可编号", "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关", "许可机关统一社会信用代码",
        "当前状态", "数据来源单位", "数据来源单位统一社会信用代码", "备注"]

# The national 行政相对人类别 codes name three kinds; ours has four.
PARTY_KIND = {"法人": "法人及非法人组织", "非法人组织": "法人及非法人组织", "个体工商户": "个体工商户", "自然人": "自然人"}


def wan(yuan: float | None) -> str:
    """元 → 万元, exact: the decimal text of the amount divided by 10,000, no float rounding."""
    if yuan is None:
        return ""
    value = Decimal(repr(float(yuan))) / Decimal(10000)
    text = format(value.normalize(), "f")
    return text


def _rows(site: Site, kind: str) -> list[Entry]:
    return [e for e in site.shown if e.decision.kind == kind and not public.is_withdrawn(e)]


def xzcf_row(site: Site, e: Entry) -> dict[str, str]:
    d = e.decision
    agency = site.agencies[e.agency].agency
    bench = site.benchmarks.get(d.benchmark.id) if d.benchmark else None
    power = site.powers.get(d.power)
    violation = bench[0].violation if bench else (power[0].name if power else "")
    until = e.stamps.public_until.date.isoformat() if e.stamps and e.stamps.public_until else ""
    return {
        "行政相对人名称": public.party_name(d),
        "行政相对人类别": PARTY_KIND[d.party.type],
        "统一社会信用代码": d.party.credit_code or "" if d.party.type != "自然人" else "",
        "行政处罚决定书文号": d.case_no,
        "违法行为类型": violation,
        "违法事实": d.facts,
        "处罚依据": d.basis,
        "处罚类别": ";".join(d.penalty_types),
        "处罚内容": d.outcome,
        "罚款金额（万元）": wan(d.fine),
        "没收违法所得、没收非法财物的金额（万元）": wan(d.confiscation),
        "处罚决定日期": d.decided_on.isoformat(),
        "处罚有效期": "",
        "公示截止期": until,
        "处罚机关": agency.name,
        "处罚机关统一社会信用代码": agency.credit_code,
        "数据来源单位": agency.name,
        "数据来源单位统一社会信用代码": agency.credit_code,
        "备注": "",
    }


def xzxk_row(site: Site, e: Entry) -> dict[str, str]:
    d = e.decision
    agency = site.agencies[e.agency].agency
    power = site.powers.get(d.power)
    return {
        "行政相对人名称": public.party_name(d),
        "行政相对人类别": PARTY_KIND[d.party.type],
        "统一社会信用代码": d.party.credit_code or "" if d.party.type != "自然人" else "",
        "行政许可决定文书名称": f"{power[0].name}决定书" if power else "行政许可决定书",
        "行政许可决定文书号": d.case_no,
        "许可类别": "普通",
        "许可证书名称": "",
        "许可编号": "",
        "许可内容": d.outcome,
        "许可决定日期": d.decided_on.isoformat(),
        "有效期自": d.decided_on.isoformat(),
        "有效期至": "",
        "许可机关": agency.name,
        "许可机关统一社会信用代码": agency.credit_code,
        "当前状态": "有效",
        "数据来源单位": agency.name,
        "数据来源单位统一社会信用代码": agency.credit_code,
        "备注": "",
    }


def _csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    return csvfile.to_bytes(columns, rows)  # BOM, CRLF, formula-looking cells neutralised


def exports(site: Site) -> dict[str, bytes]:
    return {
        "data/shuanggongshi/xzcf.csv": _csv(XZCF, [xzcf_row(site, e) for e in _rows(site, "行政处罚")]),
        "data/shuanggongshi/xzxk.csv": _csv(XZXK, [xzxk_row(site, e) for e in _rows(site, "行政许可")]),
    }
