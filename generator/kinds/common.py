"""What the supervision and coordination kinds share: bodies named by id or name, references, dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from ..model import MAX_CODE, Code, Record, opt
from ..problems import Problem

AGENCY_ID = re.compile(r"[a-z0-9-]+")


def as_list(value: Any) -> Any:
    """One reference may be written without the list around it (`related: {decision: …}`); a key left
    empty (the scaffold's `concerns:` above its commented example) means none."""
    return [value] if isinstance(value, dict) else [] if value is None else value


class Ref(Record, title="所涉记录"):
    decision: Code | None = opt("执法决定", "决定书文号 case_no，例如 示综执罚决字〔2025〕第12号")
    officer: Code | None = opt("执法人员", "执法证号 certificate_no")
    power: Code | None = opt("权责事项", "事项编码 code")

    def which(self) -> list[tuple[str, str]]:
        return [(name, value) for name in ("decision", "officer", "power") if (value := getattr(self, name))]


def one_ref(ref: Ref, allowed: tuple[str, ...]) -> Ref:
    from pydantic_core import PydanticCustomError

    if len(ref.which()) != 1:
        raise PydanticCustomError("one_ref", "每一项只写一个引用：" + "、".join(allowed) + " 中的一个")
    return ref


def body(project: Any, value: str) -> str:
    """A body as shown: an agency's name for its id, else the name as written."""
    data = project.agencies.get(value) if project is not None else None
    return data.agency.name if data is not None else value


def body_key(project: Any, value: str) -> str:
    """A body as counted: an agency of the site by its id, whether staff wrote the id or its full name
    (a summary \"by: 示例县市场监督管理局\" is scjg's); any other body by its name as written."""
    if project is None or value in project.agencies:
        return value
    return next((aid for aid, data in project.agencies.items() if data.agency.name == value), value)


def check_body(project: Any, src: Any, loc: tuple, value: str | None, *, must_be_agency: bool = False) -> list[Problem]:
    """An agency id that is not an agency of the site is a typo; a name (司法所, 公安机关) is fine unless an
    agency is required (the body supervised)."""
    if value is None or value in project.agencies:
        return []
    if must_be_agency or AGENCY_ID.fullmatch(value):
        known = "、".join(project.agencies) or "（尚无执法主体）"
        return [src.problem(loc, "R012", "执法主体编号不存在",
                            f"填写 content/ 下某个执法主体的文件夹名：{known}"
                            + ("" if must_be_agency else "；本站以外的机关写全称，例如 示例县公安局"), given=value)]
    return []


@dataclass
class Lookups:
    """Every key a reference may name, built once per check (thousands of coordination records)."""

    decisions: set
    officers: set
    powers: set

    @classmethod
    def of(cls, project: Any) -> Lookups:
        return cls({e.decision.case_no for e in (*project.entries(), *project.drafts)},
                   {o.certificate_no for a in project.agencies.values() for o, _ in a.officers},
                   {p.code for a in project.agencies.values() for p, _ in a.powers})


def check_refs(project: Any, src: Any, field: str, refs: list[Ref], known: Lookups) -> list[Problem]:
    out: list[Problem] = []
    decisions, officers, powers = known.decisions, known.officers, known.powers
    for i, ref in enumerate(refs):
        for name, value in ref.which():
            loc = (field, i, name)
            if name == "decision" and value not in decisions:
                out.append(src.problem(loc, "R013", "决定书文号不存在", "填写某份执法决定的 case_no（决定书文号），"
                                       "与决定文件里写的一字不差", given=value))
            elif name == "officer" and value not in officers:
                out.append(src.problem(loc, "R001", "执法证号不存在", "填写某个 officers.yaml 里登记的 certificate_no",
                                       given=value))
            elif name == "power" and value not in powers:
                out.append(src.problem(loc, "R002", "权责事项编码不存在", "填写某个执法主体 powers.yaml 里事项的 code",
                                       given=value))
    return out


def check_dates(src: Any, today: dt.date, start: tuple[str, str, dt.date], later: list[tuple[tuple, str, Any]],
                *, future_ok: tuple = ()) -> list[Problem]:
    """Dates after the start date and not after today. start: (field, title, date); later: (loc, title, date)."""
    out: list[Problem] = []
    name, title, first = start
    if first > today and (name,) not in future_ok:
        out.append(src.problem((name,), "T001", f"{title}晚于今天（{today.isoformat()}）", "核对日期", given=first))
    for loc, what, value in later:
        if value is None:
            continue
        if value < first:
            out.append(src.problem(loc, "T002", f"{what}早于{title} {first.isoformat()}", "核对日期", given=value))
        elif value > today and loc not in future_ok:
            out.append(src.problem(loc, "T001", f"{what}晚于今天（{today.isoformat()}）", "核对日期", given=value))
    return out


def refs_schema(allowed: tuple[str, ...]) -> dict:
    """The editor schema of `concerns` / `related`: one reference, or a list of them; each names one record."""
    props = {k: v for k, v in Ref.model_json_schema()["properties"].items() if k in allowed}
    for prop in props.values():
        prop.pop("default", None)
        prop.pop("anyOf", None)
        prop.update(type="string", minLength=1, maxLength=MAX_CODE)
    one = {"type": "object", "title": "所涉记录", "properties": props, "additionalProperties": False,
           "minProperties": 1, "maxProperties": 1}
    return {"anyOf": [one, {"type": "array", "items": one}]}
