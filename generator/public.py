"""The public view of the records: what may be shown, with names masked.

Pages, exports (and later search and feeds) all go through here, so a rule
about what is public lives in one place.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .model import Decision, Officer
from .privacy import mask_in_text, mask_name
from .project import Entry

TEXT_FIELDS = ("facts", "basis", "outcome")


def is_expired(entry: Entry, today: dt.date) -> bool:
    until = entry.stamps.public_until if entry.stamps else None
    return until is not None and today > until.date


def is_public(entry: Entry, today: dt.date) -> bool:
    """Shown on the site at all (as a full record or as a withdrawal notice)."""
    return not entry.draft and entry.decision.withheld is None and not is_expired(entry, today)


def is_withdrawn(entry: Entry) -> bool:
    return entry.decision.status != "有效"


def party_name(decision: Decision) -> str:
    name = decision.party.name
    return mask_name(name) if decision.party.type == "自然人" else name


def masked_text(decision: Decision, text: str | None) -> str | None:
    if decision.party.type != "自然人":
        return text
    return mask_in_text(text, decision.party.name, mask_name(decision.party.name))


def certificate_status(officer: Officer, today: dt.date, warn_days: int = 90) -> str:
    if officer.status != "在岗":
        return "已失效"
    if today > officer.valid_until or today < officer.valid_from:
        return "已过期" if today > officer.valid_until else "未生效"
    if (officer.valid_until - today).days <= warn_days:
        return "即将到期"
    return "有效"


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def decision_row(entry: Entry) -> dict[str, Any]:
    """The exported object for a decision: contract field names, masked, with stamps."""
    d = entry.decision
    stamps = entry.stamps.as_dict() if entry.stamps else None
    if is_withdrawn(entry):
        return {"case_no": d.case_no, "agency": entry.agency, "kind": d.kind, "status": d.status,
                "status_changed_on": _iso(d.status_changed_on), "status_reason": masked_text(d, d.status_reason),
                "stamps": stamps}
    data = d.model_dump(mode="json", exclude_none=True, exclude={"withheld"})
    data["party"]["name"] = party_name(d)
    for name in TEXT_FIELDS:
        data[name] = masked_text(d, data.get(name))
    if d.benchmark and d.benchmark.explanation:
        data["benchmark"]["explanation"] = masked_text(d, d.benchmark.explanation)
    if entry.stamps:
        data["published_on"] = _iso(entry.stamps.published_on)
    data["agency"] = entry.agency
    data["stamps"] = stamps
    return data

