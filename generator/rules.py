"""Deadline rules (site_config/rules.yaml): each period with the legal text it comes from.

The defaults ship in generator/default_rules.yaml; a project's own rules.yaml
replaces a whole section (publish, withdraw, reconsider, sue, public_until).
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from .model import DECISION_KINDS, PARTY_TYPES, PENALTY_TYPES, Record, Text, opt, zh


class Period(Record, title="期限"):
    working_days: Annotated[int, Field(ge=0, le=3650)] | None = opt("工作日数", "按工作日计算（不含节假日，含调休上班日）")
    days: Annotated[int, Field(ge=0, le=36500)] | None = opt("自然日数", "按自然日计算，届满日是节假日或周末的顺延到下一个工作日（公示期限不顺延）")
    months: Annotated[int, Field(ge=0, le=1200)] | None = opt("月数", "按月计算，例如 诉讼期限 6 个月")
    years: Annotated[int, Field(ge=0, le=100)] | None = opt("年数", "按年计算，例如 公示期限 3 年")
    basis: Text = zh("法律依据", "规则出处，显示在每个期限的计算说明里")

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        units = [u for u in ("working_days", "days", "months", "years") if getattr(self, u) is not None]
        if len(units) != 1:
            raise PydanticCustomError("one_unit", "期限只能用一种单位：working_days、days、months、years 中恰好一个")
        return self

    def describe(self) -> str:
        if self.working_days is not None:
            return f"{self.working_days}个工作日"
        if self.days is not None:
            return f"{self.days}日"
        if self.months is not None:
            return f"{self.months}个月"
        return f"{self.years}年"


class Match(Record, title="适用条件"):
    kinds: list[Literal[DECISION_KINDS]] | None = opt("适用的决定类别", "不填则适用所有类别")  # type: ignore[valid-type]
    party_types: list[Literal[PARTY_TYPES]] | None = opt("适用的当事人类别", "不填则适用所有当事人类别")  # type: ignore[valid-type]
    penalty_types_within: list[Literal[PENALTY_TYPES]] | None = opt(  # type: ignore[valid-type]
        "处罚种类仅限于", "决定的处罚种类全部在此列表内时适用")


class ConditionalPeriod(Period, title="有条件的期限"):
    when: Match = zh("适用条件", "不填则所有决定都适用这一条规则", default_factory=Match)


class Rules(Record, title="期限规则（site_config/rules.yaml）"):
    publish: Annotated[list[ConditionalPeriod], Field(min_length=1)] = zh(
        "公开期限", "自作出决定之日起；按顺序取第一条适用的规则")
    withdraw: Period = zh("撤回期限", "自决定被变更、撤销、确认违法或无效之日起")
    reconsider: Period = zh("申请行政复议期限", "自送达（未送达则自作出）之日起")
    sue: Period = zh("提起行政诉讼期限", "自送达（未送达则自作出）之日起")
    public_until: list[ConditionalPeriod] = zh(
        "公示期限", "自作出决定之日起；按顺序取第一条适用的规则；没有适用规则则长期公示", default_factory=list)


def matches(rule: ConditionalPeriod, kind: str, party_type: str, penalty_types: list[str]) -> bool:
    w = rule.when
    if w.kinds is not None and kind not in w.kinds:
        return False
    if w.party_types is not None and party_type not in w.party_types:
        return False
    return not (w.penalty_types_within is not None
                and (not penalty_types or not set(penalty_types) <= set(w.penalty_types_within)))


def first_match(rules: list[ConditionalPeriod], kind: str, party_type: str,
                penalty_types: list[str]) -> ConditionalPeriod | None:
    return next((r for r in rules if matches(r, kind, party_type, penalty_types)), None)


def default_rules_text() -> str:
    return resources.files("generator").joinpath("default_rules.yaml").read_text(encoding="utf-8")


Rule = Literal["publish", "withdraw", "reconsider", "sue", "public_until"]
