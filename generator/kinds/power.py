"""权责事项: content/<agency>/powers.yaml, a list; cited by decisions, benchmarks and notices by code."""

from __future__ import annotations

from ..model import Power
from .base import AGENCY, LIST, Files, Kind

# Free text where a person may be named is masked; the item's name and the laws are shown as written and checked.
MASKED = ("basis.*.text", "responsibilities.*", "accountability.*", "process.*", "time_limit", "extra.*.text")
GUARDED = ("code", "name", "basis.*.law", "basis.*.article", "supervisor_department", "delegated_from",
           "extra.*.label", *MASKED)

KIND = Kind(
    name="power", title="权责事项", model=Power, files=Files(AGENCY, "powers.yaml", LIST), attr="powers",
    key="code", key_title="事项编码", dup_code="D003",
    masked=MASKED, guarded=GUARDED,
    schema="powers", schema_title="权责清单", schema_note="content/<主体编号>/powers.yaml：每项一个权责事项",
    collection="powers", collection_title="权责清单",
)
