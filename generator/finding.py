"""A supervision finding (执法监督发现) and how its citation is written: shared by every kind's findings.

Kept apart from generator/checks.py so that the record kinds (generator/kinds/)
can produce findings without importing the project or the public view.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

# 《行政执法监督条例》 governs the supervision itself: cited beside a finding about enforcement once in force
# (on the day of the check, not the day of the decision: the supervision happens now).
SUPERVISION_REFS = ["gwyl-825#a2", "gwyl-825#a6-1"]


@dataclass
class Finding:
    agency: str
    path: str
    line: int
    col: int
    code: str
    rule: str
    message: str
    citation: str
    case_no: str | None = None  # the decision's or the notice's 文号: supervisors write to agencies by it

    def format(self) -> str:
        about = f"（{self.case_no}）" if self.case_no else ""
        return (f"{self.path}:{self.line}:{self.col}: 监督 {self.code} {self.rule}{about}：{self.message}"
                f"（依据：{self.citation}）")

    def as_dict(self) -> dict:
        return asdict(self)


class Cite:
    """Citation text of a finding from the register, with the supervision regulation when it is in force."""

    def __init__(self, register: Any, today: dt.date, cites: dict[str, tuple[str, list[str]]],
                 supervised: dict[str, list[str]]):
        self.register, self.today, self.cites, self.supervised = register, today, cites, supervised

    def __call__(self, code: str, refs: list[str] | None = None) -> str:
        default = list(self.cites[code][1])
        base = list(refs if refs is not None else default)
        if self.register is None:
            return "；".join(base or default)
        in_force = [r for r in self.supervised.get(code, [])
                    if (found := self.register.resolve(r)) and found[0].in_force(self.today)]
        # the rule's own sources first, then the regulation in its article order; the default when nothing is left
        refs = [r for r in base if r not in in_force] + in_force or default
        return "；".join(self.register.text(r) for r in refs)
