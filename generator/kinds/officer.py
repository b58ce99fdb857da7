"""执法人员: content/<agency>/officers.yaml, a list; cited by decisions (and notices) by certificate_no."""

from __future__ import annotations

import datetime as dt

from ..finding import Finding
from ..model import Officer
from ..problems import Problem
from .base import AGENCY, LIST, Files, Kind

EXPIRY_WARNING_DAYS = 90


def check(project) -> list[Problem]:
    out: list[Problem] = []
    for data in project.agencies.values():
        for officer, src in data.officers:
            if officer.status != "在岗" and officer.status_since is None:
                out.append(src.problem(("status",), "F008", f"证件状态为“{officer.status}”，缺少状态变更日期 status_since",
                                       "添加 `status_since: YYYY-MM-DD`，写明状态改变的日期"))
            if officer.valid_until < officer.valid_from:
                out.append(src.problem(("valid_until",), "F009", "证件有效期止早于有效期起", "核对证件上的有效期",
                                       given=officer.valid_until))
    return out


def findings(project, today: dt.date, cite) -> list[Finding]:
    out: list[Finding] = []
    for aid, data in project.agencies.items():
        for officer, src in data.officers:
            if officer.status != "在岗":
                continue
            line, col = src.at("valid_until")
            if today > officer.valid_until:
                out.append(Finding(aid, src.path, line, col, "S501", "执法证已过期仍在岗",
                                   f"{officer.name}（{officer.certificate_no}）的执法证 {officer.valid_until} 已到期，"
                                   "状态仍为“在岗”：应停止执法并换证，或更新状态", cite("S501")))
            elif (officer.valid_until - today).days <= EXPIRY_WARNING_DAYS:
                out.append(Finding(aid, src.path, line, col, "S502", "执法证即将到期",
                                   f"{officer.name}（{officer.certificate_no}）的执法证将于 {officer.valid_until} 到期，"
                                   f"还有 {(officer.valid_until - today).days} 天", cite("S502")))
    return out


KIND = Kind(
    name="officer", title="执法人员", model=Officer, files=Files(AGENCY, "officers.yaml", LIST), attr="officers",
    key="certificate_no", key_title="执法证号", dup_code="D002",
    masked=("field", "unit"), guarded=("name", "certificate_no", "field", "unit"),
    schema="officers", schema_title="执法人员清单",
    schema_note="content/<主体编号>/officers.yaml：每项一名持证执法人员", collection="officers", collection_title="执法人员",
    finding_cites={"S501": ("执法证已过期仍在岗", ["xzcff-2021#a42", "gbf-2018-118#lzzf"]),
                   "S502": ("执法证即将到期", ["xzcff-2021#a42", "gbf-2018-118#lzzf"])},
    check=check, findings=findings,
)
