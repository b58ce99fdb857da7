"""Typed records of the content contract (../shared/design/CONTENT.md).

Each field carries its Chinese title (shown in error messages and in the
JSON Schemas editors use) and a one-line description. `extra="forbid"`
turns a typo in a field name into an error instead of silently dropped data;
`strict=True` keeps `certificate_no: 010` from quietly becoming the number 10.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr
from pydantic_core import PydanticCustomError

AGENCY_KINDS = ("行政机关", "法律法规授权组织", "受委托组织", "乡镇人民政府", "街道办事处")
OFFICER_STATUSES = ("在岗", "暂扣", "收回", "注销", "吊销")
POWER_CATEGORIES = (
    "行政许可", "行政处罚", "行政强制", "行政检查", "行政征收",
    "行政给付", "行政确认", "行政奖励", "行政裁决", "其他行政权力",
)
TIER_LEVELS = ("不予处罚", "减轻处罚", "从轻处罚", "一般处罚", "从重处罚")
DECISION_KINDS = ("行政处罚", "行政许可", "行政强制", "行政检查", "行政征收", "行政确认", "其他")
PARTY_TYPES = ("自然人", "个体工商户", "法人", "非法人组织")
PENALTY_TYPES = (
    "警告", "通报批评", "罚款", "没收违法所得", "没收非法财物", "暂扣许可证件", "降低资质等级",
    "吊销许可证件", "限制开展生产经营活动", "责令停产停业", "责令关闭", "限制从业", "行政拘留", "其他",
)
DECISION_STATUSES = ("有效", "变更", "撤销", "确认违法", "确认无效")


def _iso_date(value: Any) -> Any:
    # A quoted date is still a date: staff often quote values "to be safe".
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        try:
            y, m, d = (int(p) for p in value.split("-"))
            return dt.date(y, m, d)
        except ValueError:
            raise PydanticCustomError("date_impossible", "日期不存在") from None
    return value


Day = Annotated[dt.date, BeforeValidator(_iso_date)]
Text = Annotated[str, Field(min_length=1)]
Money = Annotated[float, Field(ge=0, allow_inf_nan=False)]

_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_problem(code: str) -> str | None:
    """Why a 统一社会信用代码 is invalid under GB 32100-2015, or None when valid."""
    if len(code) != 18:
        return f"应为18位，实际{len(code)}位"
    bad = [c for c in code if c not in _CREDIT_CHARS]
    if bad:
        return f"含有不允许的字符「{bad[0]}」（不使用 I、O、Z、S、V 及小写字母）"
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return f"校验位不符（按前17位计算应为 {expected}）"
    return None


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def _valid_credit_code(code: str) -> str:
    why = credit_code_problem(code)
    if why:
        raise PydanticCustomError("credit_code", "统一社会信用代码无效：{why}", {"why": why})
    return code


CreditCode = Annotated[str, AfterValidator(_valid_credit_code)]


def zh(text: str, description: str = "", **kwargs: Any) -> Any:
    return Field(title=text, description=description or None, **kwargs)


def opt(text: str, description: str = "", **kwargs: Any) -> Any:
    """An optional field: absent means None."""
    return Field(default=None, title=text, description=description or None, **kwargs)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)
    # Where the record came from: set by the loader, used for line:col in messages.
    _src: Any = PrivateAttr(default=None)


# ---------------------------------------------------------------- agency


class Complaints(Record):
    phone: str | None = opt("投诉电话")
    email: str | None = opt("投诉邮箱")
    address: str | None = opt("投诉地址", "信函或来访地址")


class Agency(Record):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")] = zh("主体编号", "等于所在文件夹名，只用小写字母、数字和连字符")
    name: Text = zh("执法主体名称", "完整的法定名称，例如 示例县综合行政执法局")
    kind: Literal[AGENCY_KINDS] = zh("主体类别")  # type: ignore[valid-type]
    credit_code: CreditCode = zh("统一社会信用代码", "18位，按 GB 32100-2015 校验")
    basis: str | None = opt("主体资格依据")
    address: str | None = opt("办公地址")
    phone: str | None = opt("办公电话")
    complaints: Complaints = zh("投诉举报渠道", "电话、邮箱、地址至少填一项")
    reconsideration_body: Text = zh("行政复议机关", "受理对本主体决定的行政复议申请的机关")
    court: Text = zh("管辖法院", "受理对本主体决定提起的行政诉讼的法院")
    entrusted_by: str | None = opt("委托机关", "受委托组织填写委托它的机关（编号或名称）")
    supervisor: str | None = opt("监督机关", "负责执法监督的司法局或司法所（编号或名称）")


# ---------------------------------------------------------------- officers


class Officer(Record):
    name: Text = zh("姓名", "执法人员姓名依法公开")
    certificate_no: Text = zh("执法证号", "全站唯一；执法决定用它引用执法人员")
    field: Text = zh("执法类别", "执法领域或类别")
    unit: str | None = opt("所在科室或中队")
    valid_from: Day = zh("证件有效期起")
    valid_until: Day = zh("证件有效期止")
    status: Literal[OFFICER_STATUSES] = zh("证件状态", "在岗、暂扣、收回、注销、吊销")  # type: ignore[valid-type]
    status_since: Day | None = opt("状态变更日期", "状态不是“在岗”时必填")


# ---------------------------------------------------------------- powers


class LegalBasis(Record):
    law: Text = zh("法律法规名称")
    article: Text = zh("条款", "例如 第三十二条第一款")
    text: str | None = opt("条文内容")


class Power(Record):
    code: Text = zh("事项编码", "全站唯一")
    name: Text = zh("事项名称")
    category: Literal[POWER_CATEGORIES] = zh("事项类别")  # type: ignore[valid-type]
    basis: Annotated[list[LegalBasis], Field(min_length=1)] = zh("执法依据", "至少一条，每条写明法律法规名称和条款")
    responsibilities: list[Text] = zh("责任事项", "受理、审查、决定、送达、执行等", default_factory=list)
    accountability: list[Text] = zh("追责情形", default_factory=list)
    process: list[Text] = zh("执法程序", "按顺序写出各个步骤", default_factory=list)
    time_limit: str | None = opt("办理时限", "例如 自立案之日起九十日内作出决定")
    supervisor_department: str | None = opt("业务主管部门", "事项划转或下放后仍负责源头监管的部门（1+X）")
    delegated_from: str | None = opt("下放或委托机关", "把本事项下放或委托给本主体的机关")
    random_inspection: bool = zh("纳入双随机抽查", default=False)
    major_decision_review: bool = zh("需重大执法决定法制审核", default=False)


# ---------------------------------------------------------------- benchmarks


class Tier(Record):
    level: Literal[TIER_LEVELS] = zh("裁量阶次")  # type: ignore[valid-type]
    circumstances: Text = zh("适用情形", "违法情节")
    penalty: Text = zh("处罚标准", "处罚内容的文字说明")
    fine_min: Money | None = opt("罚款下限（元）")
    fine_max: Money | None = opt("罚款上限（元）")


class Benchmark(Record):
    id: Text = zh("基准编号", "全站唯一，建议以主体编号开头，例如 scjg-B012")
    power: Text = zh("对应事项编码", "一个“行政处罚”类权责事项的编码")
    violation: Text = zh("违法行为")
    violated_provision: str | None = opt("违法依据")
    penalty_provision: Text = zh("处罚依据")
    tiers: Annotated[list[Tier], Field(min_length=1)] = zh("裁量阶次表", "至少一个阶次")
    effective_from: Day | None = opt("施行日期", "基准开始适用的日期；决定早于它时 disclose check 会提示")
    effective_until: Day | None = opt("废止日期", "基准停止适用的日期（修订或废止）")


# ---------------------------------------------------------------- decisions


class Party(Record):
    type: Literal[PARTY_TYPES] = zh("当事人类别")  # type: ignore[valid-type]
    name: Text = zh("当事人名称", "自然人的姓名在网站上自动隐去名字，只留姓")
    credit_code: CreditCode | None = opt("统一社会信用代码", "当事人不是自然人时必填")


class AppliedBenchmark(Record):
    id: Text = zh("适用的裁量基准编号")
    level: Literal[TIER_LEVELS] = zh("适用的裁量阶次")  # type: ignore[valid-type]
    explanation: str | None = opt("裁量说明", "为什么适用这一阶次")


class LegalReview(Record):
    reviewer: Text = zh("审核机构或人员")
    date: Day = zh("审核日期")
    conclusion: Text = zh("审核意见")


class Withheld(Record):
    reason: Text = zh("不予公开的理由", "国家秘密、商业秘密、个人隐私等")


class Decision(Record):
    case_no: Text = zh("决定书文号", "全站唯一，例如 示综执罚决字〔2025〕第12号")
    kind: Literal[DECISION_KINDS] = zh("决定类别")  # type: ignore[valid-type]
    party: Party = zh("当事人")
    power: Text = zh("适用的权责事项编码")
    benchmark: AppliedBenchmark | None = opt("适用的裁量基准", "行政处罚必填")
    facts: Text = zh("违法事实或认定事实")
    basis: Text = zh("决定依据")
    outcome: Text = zh("决定内容", "处罚内容或决定内容")
    penalty_types: list[Literal[PENALTY_TYPES]] = zh(  # type: ignore[valid-type]
        "处罚种类", "行政处罚必填（行政处罚法第九条）", default_factory=list)
    fine: Money | None = opt("罚款金额（元）", "处罚种类含“罚款”时必填")
    confiscation: Money | None = opt("没收金额（元）", "没收违法所得或非法财物的金额")
    officers: Annotated[list[Text], Field(min_length=1)] = zh("承办执法人员", "执法证号列表")
    legal_review: LegalReview | None = opt("法制审核", "适用需法制审核的事项时必填")
    decided_on: Day = zh("作出决定日期")
    served_on: Day | None = opt("送达日期")
    published_on: Day | None = opt("公开日期", "一般不填：自动取文件首次提交到 content/ 的日期")
    status: Literal[DECISION_STATUSES] = zh("决定状态", default="有效")  # type: ignore[valid-type]
    status_changed_on: Day | None = opt("状态变更日期", "状态不是“有效”时必填")
    status_reason: str | None = opt("变更或撤销理由", "状态不是“有效”时必填")
    withdrawn_on: Day | None = opt("撤下日期", "公示记录实际撤下的日期")
    withheld: Withheld | None = opt("不予公开", "依法不予公开时填写理由；只计数，不展示")
    privacy_exempt: dict[str, Text] | None = opt(
        "个人信息检查豁免", "某个字段里的号码被误认为身份证号、手机号或银行卡号时，写 `字段名: 理由`；"
        "豁免会列入 disclose check 的监督结果")


# ---------------------------------------------------------------- site_config


class Site(Record):
    title: Text = zh("网站标题")
    region: str | None = opt("地区", "显示在页头，例如 示例省示例市示例县")
    operator: str | None = opt("网站运营单位")
    contact: str | None = opt("联系方式")
    base_url: str | None = opt("网站地址", "用于订阅源和站点地图，例如 https://zfgs.example.gov.cn/")
    language: Literal["zh"] = zh("语言", default="zh")
    supervision_page: bool = zh("显示执法监督页", default=False)


class CalendarYear(Record):
    source: Text = zh("依据", "国务院办公厅节假日安排通知的名称和网址")
    holidays: list[Day] = zh("放假日期", "法定节假日及调休放假的日期", default_factory=list)
    workdays: list[Day] = zh("调休上班日期", "调到周六、周日上班的日期", default_factory=list)


class CalendarFile(Record):
    years: dict[int, CalendarYear] = zh("年份", default_factory=dict)


RECORD_TYPES = {
    "agency": Agency,
    "officer": Officer,
    "power": Power,
    "benchmark": Benchmark,
    "decision": Decision,
}
