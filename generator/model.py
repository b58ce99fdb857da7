"""Typed records of the content contract (../shared/design/CONTENT.md).

Each field carries its Chinese title (shown in error messages and in the
JSON Schemas editors use) and a one-line description. `extra="forbid"`
turns a typo in a field name into an error instead of silently dropped data;
`strict=True` keeps `certificate_no: 010` from quietly becoming the number 10.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Any, Literal

import markupsafe
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
)
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
# 《信用修复管理办法》（国家发展改革委令第36号）: the class of 失信信息 sets the publicity period from 2026-04-01.
CREDIT_CLASSES = ("轻微", "一般", "严重")
# Supervision and coordination (CONTENT.md "Supervision and coordination"); the rules' conditions name them too.
NOTICE_KINDS = ("监督建议书", "监督通知书", "监督决定书")
NOTICE_STATUSES = ("整改中", "已整改", "不予整改", "已销号")
COORDINATION_KINDS = ("案件移送", "信息告知", "协助请求", "联合执法", "争议协调")
ONGOING = ("长期坚持", "持续推进")  # a rectification measure without a deadline

# What each allowed value means: shown by editors beside completions (JSON Schema
# enumDescriptions) and in the staff guide. A value shared by two lists means the same in both.
MEANINGS = {
    "行政机关": "依法设立、以自己名义行使行政执法权的机关，例如 县市场监督管理局",
    "法律法规授权组织": "法律、法规授权行使行政执法权的组织，以自己名义作出决定",
    "受委托组织": "受行政机关委托执法的组织，以委托机关的名义作出决定，须填写委托机关",
    "乡镇人民政府": "依法或经赋权行使行政执法权的乡镇人民政府",
    "街道办事处": "依法或经赋权行使行政执法权的街道办事处",
    "在岗": "证件有效，持证人可以从事执法活动",
    "暂扣": "证件被暂扣，暂扣期间不得从事执法活动",
    "收回": "证件被收回（例如 调离执法岗位）",
    "注销": "证件已注销（例如 退休、离职）",
    "吊销": "证件因违法违纪被吊销",
    "行政许可": "根据申请，准予当事人从事特定活动",
    "行政处罚": "对违反行政管理秩序的当事人减损权益或增加义务的惩戒（行政处罚法第二条）",
    "行政强制": "行政强制措施（查封、扣押等）或行政强制执行",
    "行政检查": "对当事人遵守法律法规情况的监督检查",
    "行政征收": "依法征收税费或财产",
    "行政给付": "依法给予物质帮助，例如 救助金、抚恤金",
    "行政确认": "对法律事实或法律关系的认定，例如 工伤认定",
    "行政奖励": "对有突出贡献者给予的奖励",
    "行政裁决": "对与行政管理相关的民事纠纷作出裁决",
    "其他行政权力": "不属于以上类别的其他行政权力",
    "不予处罚": "违法情节轻微并及时改正、没有危害后果等，依法不予处罚",
    "减轻处罚": "在法定最低限以下处罚",
    "从轻处罚": "在法定幅度内选择较轻的处罚",
    "一般处罚": "在法定幅度内选择中间的处罚",
    "从重处罚": "在法定幅度内选择较重的处罚",
    "其他": "不属于以上各项",
    "自然人": "公民个人；网站上只显示姓，名字以“某”代替（张三 → 张某）",
    "个体工商户": "登记的个体工商户，填写其统一社会信用代码",
    "法人": "企业法人、机关法人、事业单位法人、社会团体法人等",
    "非法人组织": "个人独资企业、合伙企业、不具有法人资格的专业服务机构等",
    "警告": "书面警告",
    "通报批评": "公开通报批评",
    "罚款": "处以一定金额的罚款，须同时填写罚款金额 fine",
    "没收违法所得": "没收当事人因违法行为取得的款项",
    "没收非法财物": "没收违禁品或用于违法的工具、物品",
    "暂扣许可证件": "在一定期限内暂扣许可证或执照",
    "降低资质等级": "降低当事人的资质等级",
    "吊销许可证件": "吊销许可证或执照",
    "限制开展生产经营活动": "在一定期限内限制开展生产经营活动",
    "责令停产停业": "责令在一定期限内停产停业",
    "责令关闭": "责令关闭",
    "限制从业": "在一定期限内限制从事特定职业或担任特定职务",
    "行政拘留": "由公安机关依法作出的行政拘留",
    "有效": "决定有效，按期公开",
    "变更": "决定已被依法变更：3 个工作日内撤下原决定并说明理由",
    "撤销": "决定已被依法撤销：3 个工作日内撤下并说明理由",
    "确认违法": "决定被确认违法：3 个工作日内撤下并说明理由",
    "确认无效": "决定被确认无效：3 个工作日内撤下并说明理由",
    "轻微": "轻微失信信息：原则上不予公示，确有必要公示的最长 3 个月（信用修复管理办法）",
    "一般": "一般失信信息：公示期最短 3 个月、最长 1 年（信用修复管理办法）",
    "严重": "严重失信信息：公示期最短 1 年、最长 3 年（信用修复管理办法）",
    "作出决定之日": "期限自作出决定之日起算",
    "公开之日": "期限自公开之日起算（例如 市场监管总局令第45号的公示期）",
}


def allowed(annotation: Any) -> list[str]:
    """The values a Literal field allows (found inside `| None` and list[...] too), in order."""
    found: list[str] = []
    for arg in typing.get_args(annotation):
        found += [arg] if isinstance(arg, str) else allowed(arg)
    return found


def _iso_date(value: Any) -> Any:
    # A quoted date is still a date: staff often quote values "to be safe".
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
        try:
            y, m, d = (int(p) for p in value.split("-"))
            return dt.date(y, m, d)
        except ValueError:
            raise PydanticCustomError("date_impossible", "日期不存在") from None
    return value


# Dates a record can carry. A placeholder like 9999-12-31 ("valid forever") is refused here, with a
# located message, so that no deadline arithmetic downstream ever steps past the year 9999.
EARLIEST, LATEST = dt.date(1949, 10, 1), dt.date(2199, 12, 31)


def _in_range(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise PydanticCustomError("date_range", "日期超出范围")
    return value


# Length limits, generous for real records (a long 违法事实 runs to a few thousand characters) and
# listed in the staff guide (errors.md, F011). Identifiers are shorter: a power's code names a page
# file, and file names stop at 255 bytes.
MAX_TEXT = 20_000  # characters in one text field
MAX_CODE = 100  # characters in one identifier: 编号、文号、证号
MAX_ITEMS = 1_000  # items in one list

Day = Annotated[dt.date, BeforeValidator(_iso_date), AfterValidator(_in_range)]
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]
Note = Annotated[str, Field(max_length=MAX_TEXT)]  # optional free text
Code = Annotated[str, Field(min_length=1, max_length=MAX_CODE)]
# Yuan. The largest administrative fines on record are in the tens of billions (1e10); a figure past a
# trillion is a slip (1.7e308, a row of nines) that would print 309-digit totals in the statistics.
MAX_MONEY = 1_000_000_000_000


def _sane_money(value: float) -> float:
    if value > MAX_MONEY:
        raise PydanticCustomError("money_range", "金额超过一万亿元")
    return value


Money = Annotated[float, Field(ge=0, allow_inf_nan=False), AfterValidator(_sane_money)]


def _no_repeats(items: list) -> list:
    """A list that is a set in law (处罚种类, 承办执法人员): an item written twice is a slip, and a
    certificate listed twice would pass for the two officers a decision needs."""
    seen = set()
    for i, item in enumerate(items):
        if item in seen:
            raise PydanticCustomError("repeated_item", "「{item}」写了两次", {"item": item, "index": i})
        seen.add(item)
    return items

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
    return zh(text, description, default=None, **kwargs)


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=False)
    # Where the record came from: set by the loader, used for line:col in messages.
    _src: Any = PrivateAttr(default=None)


# ---------------------------------------------------------------- agency


class Complaints(Record, title="投诉举报渠道"):
    phone: Note | None = opt("投诉电话", "受理投诉举报的电话，例如 0571-12345678 或 12345")
    email: Note | None = opt("投诉邮箱", "受理投诉举报的电子邮箱")
    address: Note | None = opt("投诉地址", "信函或来访地址")


class Agency(Record, title="执法主体（agency.yaml）"):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$", max_length=MAX_CODE)] = zh("主体编号", "等于所在文件夹名，只用小写字母、数字和连字符")
    name: Text = zh("执法主体名称", "完整的法定名称，例如 示例县综合行政执法局")
    kind: Literal[AGENCY_KINDS] = zh("主体类别", "执法主体的法律地位，决定它能以谁的名义作出决定")  # type: ignore[valid-type]
    credit_code: CreditCode = zh("统一社会信用代码", "18位，按 GB 32100-2015 校验")
    basis: Note | None = opt("主体资格依据", "设立或授权本主体行使执法权的文件，例如 编办批复的文号")
    address: Note | None = opt("办公地址", "当事人可以前来办事或查阅的地址")
    phone: Note | None = opt("办公电话", "对外公开的办公电话，网站上原样显示")
    complaints: Complaints = zh("投诉举报渠道", "电话、邮箱、地址至少填一项")
    reconsideration_body: Text = zh("行政复议机关", "受理对本主体决定的行政复议申请的机关")
    reconsideration_address: Note | None = opt("行政复议机关地址", "递交行政复议申请的地址，显示在主体页和每份决定的期限旁")
    reconsideration_phone: Note | None = opt("行政复议机关电话", "行政复议咨询电话，网站上可以点击拨打")
    court: Text = zh("管辖法院", "受理对本主体决定提起的行政诉讼的法院")
    court_address: Note | None = opt("管辖法院地址", "法院诉讼服务中心的地址")
    court_phone: Note | None = opt("管辖法院电话", "法院诉讼服务电话，网站上可以点击拨打")
    entrusted_by: Note | None = opt("委托机关", "受委托组织填写委托它的机关（编号或名称）")
    supervisor: Note | None = opt("监督机关", "负责执法监督的司法局或司法所（编号或名称）")


# ---------------------------------------------------------------- officers


class Officer(Record, title="执法人员"):
    name: Text = zh("姓名", "执法人员姓名依法公开")
    certificate_no: Code = zh("执法证号", "全站唯一；执法决定用它引用执法人员。全是数字时加引号，例如 '33070012345'")
    field: Text = zh("执法类别", "执法领域或类别")
    unit: Note | None = opt("所在科室或中队", "执法人员所在的内设机构，不填则不显示")
    valid_from: Day = zh("证件有效期起", "执法证上载明的有效期开始日期，YYYY-MM-DD")
    valid_until: Day = zh("证件有效期止", "执法证上载明的有效期结束日期；过期后网站显示“已过期”，disclose check 会提示")
    status: Literal[OFFICER_STATUSES] = zh("证件状态", "在岗、暂扣、收回、注销、吊销")  # type: ignore[valid-type]
    status_since: Day | None = opt("状态变更日期", "状态不是“在岗”时必填")


# ---------------------------------------------------------------- powers


class LegalBasis(Record, title="执法依据"):
    law: Text = zh("法律法规名称", "带书名号的全称，例如 《中华人民共和国食品安全法》")
    article: Text = zh("条款", "例如 第三十二条第一款")
    text: Note | None = opt("条文内容", "所引条款的原文")


class ExtraInfo(Record, title="其他信息"):
    label: Text = zh("项目", "权责清单上这一栏的名称，例如 行使主体、承办机构、收费依据、诉求渠道、主项名称")
    text: Text = zh("内容", "这一栏的内容，照录权责清单")


class Power(Record, title="权责事项"):
    code: Code = zh("事项编码", "全站唯一")
    name: Text = zh("事项名称", "与权责清单上一致的事项名称，例如 对未取得食品经营许可从事食品经营活动的处罚")
    category: Literal[POWER_CATEGORIES] = zh("事项类别", "权力类别；执法决定的类别应与它一致")  # type: ignore[valid-type]
    basis: Annotated[list[LegalBasis], Field(min_length=1, max_length=MAX_ITEMS)] = zh("执法依据", "至少一条，每条写明法律法规名称和条款")
    responsibilities: list[Text] = zh("责任事项", "受理、审查、决定、送达、执行等", default_factory=list, max_length=MAX_ITEMS)
    accountability: list[Text] = zh("追责情形", "不履行或不正确履行职责时应当追责的情形", default_factory=list, max_length=MAX_ITEMS)
    process: list[Text] = zh("执法程序", "按顺序写出各个步骤", default_factory=list, max_length=MAX_ITEMS)
    time_limit: Note | None = opt("办理时限", "例如 自立案之日起九十日内作出决定")
    supervisor_department: Note | None = opt("业务主管部门", "事项划转或下放后仍负责源头监管的部门（1+X）")
    delegated_from: Note | None = opt("下放或委托机关", "把本事项下放或委托给本主体的机关")
    random_inspection: bool = zh("纳入双随机抽查", "是否列入“双随机、一公开”抽查事项清单，true 或 false", default=False)
    major_decision_review: bool = zh("需重大执法决定法制审核", "true 时，适用本事项的决定必须填写法制审核（legal_review）", default=False)
    # Optional, outside the contract's fixed list: what an agency's own 权责清单 has columns for and the
    # contract has no field for (行使主体, 承办机构, 实施层级, 收费依据, 诉求渠道 …), kept rather than dropped.
    extra: list[ExtraInfo] | None = opt("其他信息", "权责清单上其他栏目的内容（行使主体、承办机构、收费依据、诉求渠道等），"
                                        "每项写 label（栏目名称）和 text（内容）")


# ---------------------------------------------------------------- benchmarks


class Tier(Record, title="裁量阶次"):
    level: Literal[TIER_LEVELS] = zh("裁量阶次", "从轻到重：不予处罚、减轻处罚、从轻处罚、一般处罚、从重处罚")  # type: ignore[valid-type]
    circumstances: Text = zh("适用情形", "违法情节")
    penalty: Text = zh("处罚标准", "处罚内容的文字说明")
    fine_min: Money | None = opt("罚款下限（元）", "本阶次罚款的最低金额，只写数字；没有罚款时不填")
    fine_max: Money | None = opt("罚款上限（元）", "本阶次罚款的最高金额，只写数字；决定的罚款超出范围时 disclose check 会提示")


class Benchmark(Record, title="裁量基准"):
    id: Code = zh("基准编号", "全站唯一，建议以主体编号开头，例如 scjg-B012")
    power: Code = zh("对应事项编码", "一个“行政处罚”类权责事项的编码")
    violation: Text = zh("违法行为", "基准所针对的违法行为，例如 随意倾倒建筑垃圾")
    violated_provision: Note | None = opt("违法依据", "规定该行为违法的条款，例如 《城市市容和环境卫生管理条例》第十六条")
    penalty_provision: Text = zh("处罚依据", "规定如何处罚的条款")
    tiers: Annotated[list[Tier], Field(min_length=1, max_length=MAX_ITEMS)] = zh("裁量阶次表", "至少一个阶次")
    effective_from: Day | None = opt("施行日期", "基准开始适用的日期；决定早于它时 disclose check 会提示")
    effective_until: Day | None = opt("废止日期", "基准停止适用的日期（修订或废止）")


# ---------------------------------------------------------------- decisions


class Party(Record, title="当事人"):
    type: Literal[PARTY_TYPES] = zh("当事人类别", "自然人的姓名会被隐去；法人、非法人组织、个体工商户须填统一社会信用代码")  # type: ignore[valid-type]
    name: Text = zh("当事人名称", "自然人的姓名在网站上自动隐去名字，只留姓")
    credit_code: CreditCode | None = opt("统一社会信用代码", "当事人不是自然人时必填")


class AppliedBenchmark(Record, title="适用的裁量基准"):
    id: Code = zh("适用的裁量基准编号", "benchmarks.yaml 里某一基准的 id")
    level: Literal[TIER_LEVELS] = zh("适用的裁量阶次", "该基准里的一个阶次；罚款应在这一阶次的上下限之间")  # type: ignore[valid-type]
    explanation: Note | None = opt("裁量说明", "为什么适用这一阶次")


class LegalReview(Record, title="法制审核"):
    reviewer: Text = zh("审核机构或人员", "进行法制审核的机构或法制审核人员")
    date: Day = zh("审核日期", "法制审核意见作出的日期，应早于或等于作出决定日期")
    conclusion: Text = zh("审核意见", "法制审核的结论，例如 同意")


class Withheld(Record, title="不予公开"):
    reason: Text = zh("不予公开的理由", "国家秘密、商业秘密、个人隐私等")


class Decision(Record, title="执法决定"):
    case_no: Code = zh("决定书文号", "全站唯一，例如 示综执罚决字〔2025〕第12号")
    kind: Literal[DECISION_KINDS] = zh("决定类别", "决定的种类，决定公开期限：行政许可、行政处罚 7 个工作日，其他 20 个工作日")  # type: ignore[valid-type]
    party: Party = zh("当事人", "决定针对的公民、法人或其他组织")
    power: Code = zh("适用的权责事项编码", "本主体 powers.yaml 里某一事项的 code")
    benchmark: AppliedBenchmark | None = opt("适用的裁量基准", "行政处罚必填")
    facts: Text = zh("违法事实或认定事实", "决定书认定的事实，写清时间、地点、行为；不要写身份证号、手机号")
    basis: Text = zh("决定依据", "作出决定所依据的法律、法规、规章条款")
    outcome: Text = zh("决定内容", "处罚内容或决定内容")
    penalty_types: Annotated[list[Literal[PENALTY_TYPES]], AfterValidator(_no_repeats)] = zh(  # type: ignore[valid-type]
        "处罚种类", "行政处罚必填（行政处罚法第九条）", default_factory=list, max_length=MAX_ITEMS)
    fine: Money | None = opt("罚款金额（元）", "处罚种类含“罚款”时必填")
    confiscation: Money | None = opt("没收金额（元）", "没收违法所得或非法财物的金额")
    officers: Annotated[list[Code], Field(min_length=1, max_length=MAX_ITEMS), AfterValidator(_no_repeats)] = zh(
        "承办执法人员", "执法证号列表")
    legal_review: LegalReview | None = opt("法制审核", "适用需法制审核的事项时必填")
    decided_on: Day = zh("作出决定日期", "决定书落款日期；公开期限从这一天起按工作日计算")
    served_on: Day | None = opt("送达日期", "决定书送达当事人的日期；复议、诉讼期限从这一天起算，不填则从作出日期起算")
    published_on: Day | None = opt("公开日期", "一般不填：自动取文件首次提交到 content/ 的日期")
    status: Literal[DECISION_STATUSES] = zh("决定状态", "决定被变更、撤销或确认违法、无效时改写，并填写状态变更日期和理由", default="有效")  # type: ignore[valid-type]
    status_changed_on: Day | None = opt("状态变更日期", "状态不是“有效”时必填")
    status_reason: Note | None = opt("变更或撤销理由", "状态不是“有效”时必填")
    withdrawn_on: Day | None = opt("撤下日期", "公示记录实际撤下的日期")
    credit_class: Literal[CREDIT_CLASSES] | None = opt(  # type: ignore[valid-type]
        "失信程度", "行政处罚信息属于轻微、一般还是严重失信信息（信用修复管理办法，2026-04-01 起施行），决定公示期限；"
        "不填按期限规则的 assume_credit_class（默认“一般”）计算，页面上会注明是按默认值计算的")
    remedies_informed: bool = zh(
        "已告知复议权利和期限", "决定书是否告知了申请行政复议的权利和申请期限；写 false 时，"
        "复议期限按行政复议法第二十条第三款最长一年计算", default=True)
    withheld: Withheld | None = opt("不予公开", "依法不予公开时填写理由；只计数，不展示")
    privacy_exempt: dict[Code, Text] | None = opt(
        "个人信息检查豁免", "某个字段里的号码被误认为身份证号、手机号或银行卡号时，写 `字段名: 理由`；"
        "豁免会列入 disclose check 的监督结果")


# ---------------------------------------------------------------- site_config


# http(s)://host[:port][/path]: a host of letters, digits, dots and hyphens; nothing that ends an
# attribute or an XML value (quotes, <, >, backslash, backtick, spaces, control characters).
_WEB_URL = re.compile(r"https?://[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?(?::[0-9]{1,5})?(?:/[^\s\x00-\x1f\x7f\"'<>\\`]*)?",
                      re.IGNORECASE | re.ASCII)


_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+",
                    re.IGNORECASE | re.ASCII)

# The images a site may carry as its logo and favicon, by file ending, with their content types.
LOGO_TYPES = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
              ".gif": "image/gif", ".webp": "image/webp"}
FAVICON_TYPES = {".ico": "image/x-icon", ".png": "image/png", ".svg": "image/svg+xml"}
MAX_IMAGE = 1024 * 1024


def local_file_problem(value: str, types: dict[str, str]) -> str | None:
    """Why a logo/favicon path is not a relative path inside the project with an allowed ending (None when fine)."""
    if "\\" in value:
        return "路径用 / 分隔，例如 site_config/logo.png"
    if value.startswith("/") or re.match(r"^[A-Za-z]:", value) or "://" in value:
        return "只能写项目里的文件，路径相对于项目目录（例如 site_config/logo.png），不能是绝对路径或网址"
    if any(part == ".." for part in value.split("/")):
        return "只能写项目里的文件，路径中不能有 .."
    ending = "." + value.rsplit(".", 1)[-1].lower() if "." in value.rsplit("/", 1)[-1] else ""
    if ending not in types:
        return "文件类型只能是 " + "、".join(sorted({t.lstrip(".").upper() for t in types}))
    return None


def site_file_problems(site: Site, root: Any) -> list[tuple[str, str, str]]:
    """(field, message, hint) for a logo or favicon that is missing, outside the project (a symlink out of it),
    not a file or too large. The model checks the shape; this needs the project folder."""
    from pathlib import Path

    out = []
    base = Path(root).resolve()
    for name in ("logo", "favicon"):
        value = getattr(site, name)
        if value is None:
            continue
        path = (base / value).resolve()
        if not path.is_relative_to(base):
            out.append((name, f"文件在项目目录以外（{value} 指向项目外）", "把图片复制到项目里，例如 site_config/ 下，再写它的路径"))
        elif not path.is_file():
            out.append((name, f"找不到文件 {value}", "路径相对于项目目录（含 content/ 和 site_config/ 的目录），例如 site_config/logo.png"))
        elif path.stat().st_size > MAX_IMAGE:
            out.append((name, f"文件太大（{path.stat().st_size // 1024} KB）", "请换一个不超过 1 MB 的图片"))
        else:
            why = image_problem(path.read_bytes(), path.suffix.lower())
            if why:
                out.append((name, why, "在图片软件里重新导出为普通的 PNG（或 ICO）图片，再写它的路径"))
    return out


# The bytes each ending starts with. An SVG is text that a browser runs as a page when opened on its
# own: served from the site's own address, a script in it would run as the site (no Pages host sends
# the nginx config's CSP). Only plain drawings are accepted.
_MAGIC = {".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
          ".gif": (b"GIF87a", b"GIF89a"), ".ico": (b"\x00\x00\x01\x00",), ".webp": (b"RIFF",)}
_SVG_ACTIVE = re.compile(rb"<\s*(script|foreignobject|iframe|embed|object|handler|animate|set)\b|\son[a-z]+\s*=|"
                         rb"javascript:|<!entity|<!doctype|(?:xlink:)?href\s*=\s*[\"']?\s*(?!#)|@import|url\(\s*[\"']?\s*(?!#)",
                         re.IGNORECASE)


def image_problem(data: bytes, ending: str) -> str | None:
    """Why a logo or favicon file is not the plain image its ending says (None when it is)."""
    if ending == ".svg":
        text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not (text.startswith(b"<svg") or text.startswith(b"<?xml")) or b"<svg" not in text[:4096]:
            return "文件不是 SVG 图片"
        found = _SVG_ACTIVE.search(data)
        if found:
            return f"SVG 图片里有脚本、事件、链接或外部引用（{found.group().decode('utf-8', 'replace')[:20]}），不能作为网站图片"
        return None
    magic = _MAGIC.get(ending)
    if magic and not data.startswith(magic):
        return f"文件内容不是 {ending.lstrip('.').upper()} 图片（扩展名与内容不符）"
    return None


class Site(Record, title="网站设置（site_config/site.yaml）"):
    title: Text = zh("网站标题", "显示在页头和浏览器标签上，例如 示例县行政执法公示平台")
    region: Note | None = opt("地区", "显示在页头，例如 示例省示例市示例县")
    operator: Note | None = opt("网站运营单位", "显示在页脚的网站主办或运维单位")
    contact: Note | None = opt("联系方式", "网站的联系电话或邮箱，显示在页脚")
    base_url: Note | None = opt("网站地址", "用于订阅源和站点地图，例如 https://zfgs.example.gov.cn/")
    language: Literal["zh"] = zh("语言", "网站语言，目前只支持 zh（中文）", default="zh")
    supervision_page: bool = zh("显示执法监督页", "true 时网站多一页“执法监督”，公开 disclose check 的统计结果", default=False)
    # Identity shown in every page's footer, as Chinese government sites carry it (all optional, all text).
    sponsor: Note | None = opt("主办单位", "网站的主办单位，显示在每页页脚，例如 示例县人民政府")
    organizer: Note | None = opt("承办单位", "网站的承办单位，显示在每页页脚，例如 示例县司法局")
    site_code: Note | None = opt("网站标识码", "政府网站标识码，显示在每页页脚，例如 3307020001")
    icp: Note | None = opt("ICP 备案号", "例如 浙ICP备12345678号-1；页脚链接到工业和信息化部的备案查询网站")
    police_record: Note | None = opt("公安机关备案号", "例如 浙公网安备33070202000001号；页脚链接到公安机关的备案查询网站")
    feedback: Note | None = opt("纠错与意见反馈", "网址（http:// 或 https:// 开头）或电子邮箱；页脚的“纠错 / 意见反馈”指向它")
    logo: Note | None = opt("网站标识图片", "项目里的图片文件，路径相对于项目目录，例如 site_config/logo.png；"
                            "PNG、SVG、JPG、GIF、WebP，不超过 1 MB。不填时显示天平图标")
    favicon: Note | None = opt("浏览器标签图标", "项目里的图标文件，路径相对于项目目录，例如 site_config/favicon.ico；"
                               "ICO、PNG、SVG，不超过 1 MB")

    @field_validator("feedback")
    @classmethod
    def _web_or_mail(cls, value: str | None) -> str | None:
        # It becomes a link (href or mailto:) on every page: a web address or an e-mail address only.
        if value is not None and not (_WEB_URL.fullmatch(value) or _EMAIL.fullmatch(value)):
            raise PydanticCustomError(
                "feedback", "只能是 http:// 或 https:// 开头的网址，或者电子邮箱，例如 jiucuo@example.gov.cn")
        return value

    @field_validator("logo", "favicon")
    @classmethod
    def _local_file(cls, value: str | None, info: Any) -> str | None:
        # Only the shape here (the project folder is not known to the model): site_file_problems checks
        # that the file exists inside the project once the project is loaded.
        if value is None:
            return None
        why = local_file_problem(value, LOGO_TYPES if info.field_name == "logo" else FAVICON_TYPES)
        if why:
            raise PydanticCustomError("local_file", "{why}", {"why": why})
        return value

    @field_validator("base_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        # base_url lands in feeds, the sitemap and every page's canonical link: only a web address,
        # never javascript:, data:, ftp: or text that could leave an attribute.
        if value is not None and not _WEB_URL.fullmatch(value):
            raise PydanticCustomError(
                "web_url", "只能是 http:// 或 https:// 开头的网站地址，例如 https://zfgs.example.gov.cn/")
        port = re.match(r"[^:]+://[^:/]+:([0-9]+)", value or "")
        if port and not 1 <= int(port[1]) <= 65535:
            raise PydanticCustomError("web_url", "端口号 {port} 不存在（应在 1 至 65535 之间）；一般不写端口号，"
                                      "例如 https://zfgs.example.gov.cn/", {"port": port[1]})
        return value

    def for_theme(self) -> dict[str, Any]:
        """Every field as the MkDocs theme should see it: text HTML-escaped once, as Markup.

        MkDocs' Jinja environment does not autoescape and Material prints config.site_name raw
        in most places (<title>, header, drawer) but with `|e` in a few attributes. A Markup value
        is printed as is by a raw `{{ }}` and passed through unchanged by `|e`, so it comes out
        escaped exactly once either way. One mechanism for every field, those added later too."""
        return {name: markupsafe.escape(value) if isinstance(value, str) else value
                for name, value in self.model_dump().items()}


class CalendarYear(Record, title="一年的节假日安排"):
    source: Text = zh("依据", "国务院办公厅节假日安排通知的名称和网址")
    holidays: list[Day] = zh("放假日期", "法定节假日及调休放假的日期", default_factory=list, max_length=MAX_ITEMS)
    workdays: list[Day] = zh("调休上班日期", "调到周六、周日上班的日期", default_factory=list, max_length=MAX_ITEMS)


class CalendarFile(Record, title="节假日安排（site_config/calendar.yaml）"):
    years: dict[int, CalendarYear] = zh("年份", "按年份列出节假日安排，例如 2026: {source: …, holidays: […], workdays: […]}", default_factory=dict)
