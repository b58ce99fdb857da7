"""JSON Schemas for editors (VS Code YAML extension): one per file kind, Chinese titles from the model."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from .model import Agency, Benchmark, CalendarFile, Decision, Officer, Power, Site

SCHEMAS = {
    "agency": Agency,
    "officers": list[Officer],
    "powers": list[Power],
    "benchmarks": list[Benchmark],
    "decision": Decision,
    "site": Site,
    "calendar": CalendarFile,
}


def schemas() -> dict[str, dict]:
    return {name: TypeAdapter(tp).json_schema() for name, tp in SCHEMAS.items()}


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written
