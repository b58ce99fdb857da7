"""The registry of record kinds: one module per kind (see base.py for what a kind says).

Modules that handle records iterate this registry instead of naming kinds:
project.py (loading, duplicates, cross-references, stamps, the personal-data
guard), public.py (masking), checks.py (findings), schema.py, scaffold.py,
exports.py and downloads.py (collections), guide.py (field tables), and the
build, preview and plugin (which folders belong to the project).
"""

from __future__ import annotations

from typing import Any

from ..model import MEANINGS
from . import agency, benchmark, coordination, decision, notice, officer, plan, power, summary
from .base import AGENCY, EACH, LIST, ONE, PROJECT, Files, Kind

__all__ = ["AGENCY", "EACH", "KINDS", "LIST", "ONE", "PROJECT", "Files", "Kind"]

KINDS: dict[str, Kind] = {k.name: k for k in (
    agency.KIND, officer.KIND, power.KIND, benchmark.KIND, decision.KIND,
    notice.KIND, plan.KIND, coordination.KIND, summary.KIND,
)}
_BY_MODEL = {k.model.__name__: k for k in KINDS.values()}

# Public text per model name: masked in the public view, checked by the guard. "." nests, "*" is every list item.
MASKED_TEXT: dict[str, tuple[str, ...]] = {name: k.masked for name, k in _BY_MODEL.items()}
GUARDED_TEXT: dict[str, tuple[str, ...]] = {
    **{name: k.guarded for name, k in _BY_MODEL.items()},
    # site.yaml (configuration, not a record kind): what every page shows; its contact fields are its own
    "Site": ("title", "region", "operator", "sponsor", "organizer"),
}


def of(record: Any) -> Kind | None:
    """The kind of a record (by its model)."""
    return _BY_MODEL.get(type(record).__name__)


def agency_lists() -> list[Kind]:
    """Kinds kept as a list file in each agency's folder: officers, powers, benchmarks."""
    return [k for k in KINDS.values() if k.files.scope == AGENCY and k.files.shape == LIST]


def project_kinds() -> list[Kind]:
    """Kinds kept once per project, outside content/: supervision and coordination records."""
    return [k for k in KINDS.values() if k.files.scope == PROJECT]


def top_folders() -> tuple[str, ...]:
    """The project folders holding records: content plus each project kind's folder."""
    return tuple(dict.fromkeys(["content", *(k.files.top for k in project_kinds())]))


def records(project: Any, kind: Kind) -> list[tuple[Any, Any]]:
    """(record, src) of every record of a kind in a loaded project, drafts included."""
    if kind.name == "agency":
        return [(a.agency, a.src) for a in project.agencies.values()]
    if kind.name == "decision":
        return [(e.decision, e.src) for e in (*project.entries(), *project.drafts)]
    if kind.attr is not None:
        return [pair for a in project.agencies.values() for pair in getattr(a, kind.attr)]
    return [(item.record, item.src) for item in project.records.get(kind.name, [])]


def meanings() -> dict[str, str]:
    """What every allowed value means, for editors and the guide."""
    out = dict(MEANINGS)
    for k in KINDS.values():
        out.update(k.meanings)
    return out


def finding_cites() -> dict[str, tuple[str, list[str]]]:
    out: dict[str, tuple[str, list[str]]] = {}
    for k in KINDS.values():
        out.update(k.finding_cites)
    return out
