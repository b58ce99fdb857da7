"""The register of legal sources (法律依据登记册): every text a rule or a finding cites, quoted once.

National sources ship in generator/sources.yaml; a project adds its own local
ones in site_config/sources.yaml. Rules and findings cite a passage as
"source-id#passage-id"; this module resolves those references and says which
sources are in force on a given day. Pure: nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from .model import Day, Record, Text, opt, zh
from .problems import Problem

ID = r"^[a-z0-9][a-z0-9-]*$"
NATIONAL_PATH = "generator/sources.yaml"
LOCAL_PATH = "site_config/sources.yaml"


def _http(value: str) -> str:
    # The page links to it: anything but a plain web address (javascript:, data:) could run in a visitor's browser.
    if not re.fullmatch(r"https?://[^\s<>\"']+", value):
        raise PydanticCustomError("http_url", "网址只能以 http:// 或 https:// 开头，不能有空格和引号")
    return value


class Passage(Record, title="条款"):
    id: Annotated[str, Field(pattern=ID)] = zh("条款编号", "在本依据内唯一，只用小写字母、数字和连字符，例如 a48-2（第四十八条第二款）")
    article: str | None = opt("条款", "条、款、项，例如 第四十八条第二款；没有条号的写所在部分的标题")
    text: Text = zh("原文", "逐字引用的条文；省略的部分用……标出")
    verified: bool = zh("已核对原文", "true：字句已与原文或可靠的转载逐字核对；false：未能核对，网站会如实标出", default=False)
    checked: str | None = opt("核对来源", "在哪里核对的：网址或文献名")
    note: str | None = opt("说明", "核对情况或适用上的说明，显示在“法律依据”页")


class Source(Record, title="法律依据"):
    id: Annotated[str, Field(pattern=ID)] = zh("依据编号", "全站唯一，只用小写字母、数字和连字符，例如 xzcff-2021")
    title: Text = zh("标题", "法律、法规、规章或文件的全称，不带书名号")
    number: str | None = opt("文号", "例如 国办发〔2018〕118号、国务院令第825号；法律没有文号的不填")
    issuer: Text = zh("发布机关", "例如 国务院办公厅、全国人民代表大会常务委员会、某县人民政府办公室")
    kind: str | None = opt("类别", "例如 法律、行政法规、部门规章、国务院文件、地方规范性文件")
    region: str | None = opt("适用地区", "本地规定写明适用的地区，例如 兴隆县；国家规定不填")
    promulgated: Day | None = opt("发布日期", "公布或印发的日期")
    effective: Day | None = opt("施行日期", "开始施行的日期；不填则自发布之日起施行")
    repealed: Day | None = opt("废止或失效日期", "自这一天起不再适用（被废止，或被修订后的文本取代）")
    replaced_by: str | None = opt("取代它的依据", "取代它的依据的编号")
    url: Annotated[str, AfterValidator(_http)] | None = opt("网址", "原文的网址，以 http:// 或 https:// 开头")
    note: str | None = opt("说明", "显示在“法律依据”页，例如 哪些日期未能核对")
    passages: Annotated[list[Passage], Field(min_length=1)] = zh("引用的条款", "至少一条：规则和监督发现引用的每一处原文")

    def starts(self) -> dt.date | None:
        return self.effective or self.promulgated

    def in_force(self, day: dt.date) -> bool:
        start = self.starts()
        return (start is None or start <= day) and (self.repealed is None or day < self.repealed)

    def cite_title(self) -> str:
        return f"《{self.title}》" + (f"（{self.number}）" if self.number else "")


@dataclass
class Register:
    """Every source by id; local ones flagged. References are "source#passage"."""

    sources: dict[str, Source] = field(default_factory=dict)
    local: set[str] = field(default_factory=set)
    broken: set[str] = field(default_factory=set)  # ids of entries already reported as invalid

    def resolve(self, ref: str) -> tuple[Source, Passage] | None:
        sid, _, pid = ref.partition("#")
        source = self.sources.get(sid)
        if source is None:
            return None
        passage = next((p for p in source.passages if p.id == pid), None) if pid else source.passages[0]
        return (source, passage) if passage is not None else None

    def text(self, ref: str) -> str:
        """《title》（number）article：quotation — the citation as shown beside a stamp or a finding."""
        found = self.resolve(ref)
        if found is None:
            return ref
        source, passage = found
        article = passage.article or ""
        return f"{source.cite_title()}{article}：{passage.text}"

    def is_local(self, source: Source) -> bool:
        return source.id in self.local


def national_text() -> str:
    return resources.files("generator").joinpath("sources.yaml").read_text(encoding="utf-8")


def load(reader, local_doc) -> Register:
    """National register plus the project's own sources (a Document or None). Problems go to the reader."""
    from .yamlio import parse_text

    register = Register()
    doc, problems = parse_text(national_text(), NATIONAL_PATH)
    reader.problems.extend(problems)
    if doc is not None:
        _add(register, reader, doc, local=False)
    if local_doc is not None:
        _add(register, reader, local_doc, local=True)
    return register


def _add(register: Register, reader, doc, *, local: bool) -> None:
    if doc.data is None:
        return
    if not isinstance(doc.data, list):
        reader.problems.append(Problem(doc.path, 1, 1, "Y007", "法律依据文件应是一个列表",
                                       "每条依据以“- id: 编号”开头，格式见 generator/sources.yaml"))
        return
    for i, item in enumerate(doc.data):
        source = reader.one(Source, doc, item, (i,))
        if source is None:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                register.broken.add(item["id"])
            continue
        line, col = doc.pos.at((i, "id"))
        if source.id in register.sources:
            where = "国家登记册（generator/sources.yaml）" if source.id not in register.local else "本文件"
            reader.problems.append(Problem(doc.path, line, col, "L006", f"依据编号与{where}里的一条重复",
                                           "本地依据换一个编号，例如加上地名前缀", given=source.id))
            continue
        seen: set[str] = set()
        for j, passage in enumerate(source.passages):
            if passage.id in seen:
                pl, pc = doc.pos.at((i, "passages", j, "id"))
                reader.problems.append(Problem(doc.path, pl, pc, "L006", "同一依据里条款编号重复",
                                               "每个条款换一个编号", given=passage.id))
            seen.add(passage.id)
        if source.repealed is not None and source.starts() is not None and source.repealed <= source.starts():
            rl, rc = doc.pos.at((i, "repealed"))
            reader.problems.append(Problem(doc.path, rl, rc, "F009", "废止日期不晚于施行日期", "核对两个日期",
                                           given=source.repealed))
        register.sources[source.id] = source
        if local:
            register.local.add(source.id)
    for i, item in enumerate(doc.data):
        sid = item.get("replaced_by") if isinstance(item, dict) else None
        if isinstance(sid, str) and sid not in register.sources:
            line, col = doc.pos.at((i, "replaced_by"))
            reader.problems.append(Problem(doc.path, line, col, "L001", "取代它的依据不在登记册里",
                                           "填写 generator/sources.yaml 或 site_config/sources.yaml 里某条依据的 id",
                                           given=sid))
