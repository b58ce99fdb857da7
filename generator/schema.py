"""JSON Schemas for editors (VS Code YAML extension): one per file kind.

Titles and descriptions are the model's Chinese ones; every allowed value
carries its meaning (`enumDescriptions`, which the YAML extension shows beside
completions and on hover).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from . import kinds
from .model import CalendarFile, Site
from .rules import Rules

# schema name → (type, title, description, the files it is for); the file name is <name>.schema.json.
# Record kinds bring their own (generator/kinds/); the configuration files are listed here.
SCHEMAS: dict[str, tuple[Any, str, str, list[str]]] = {
    **{k.schema: (list[k.model] if k.files.shape == kinds.LIST else k.model,  # type: ignore[name-defined]
                  k.schema_title, k.schema_note, k.files.globs())
       for k in kinds.KINDS.values() if k.schema},
    "site": (Site, "网站设置", "site_config/site.yaml", ["site_config/site.yaml"]),
    "calendar": (CalendarFile, "节假日安排", "site_config/calendar.yaml：补充或更正某年的国务院节假日安排",
                 ["site_config/calendar.yaml"]),
    "rules": (Rules, "期限规则", "site_config/rules.yaml：替换默认期限规则中的整节，每条写明法律依据",
              ["site_config/rules.yaml"]),
}
MEANINGS = kinds.meanings()


def _describe_enums(node: Any) -> None:
    if isinstance(node, dict):
        values = node.get("enum")
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            node["enumDescriptions"] = [MEANINGS.get(v, "") for v in values]
        if "const" in node and isinstance(node["const"], str) and node["const"] in MEANINGS:
            node["description"] = node.get("description") or MEANINGS[node["const"]]
        for child in node.values():
            _describe_enums(child)
    elif isinstance(node, list):
        for child in node:
            _describe_enums(child)


def schemas() -> dict[str, dict]:
    out = {}
    for name, (tp, title, description, _globs) in SCHEMAS.items():
        schema = TypeAdapter(tp).json_schema()
        schema.update({"title": title, "description": description})
        _describe_enums(schema)
        if name == "rules":  # a project's rules.yaml replaces only the sections it names
            schema.pop("required", None)
        out[name] = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return out


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = out / f"{name}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def editor_settings() -> dict[str, list[str]]:
    """schemas/<name>.schema.json → the files it is for, as .vscode/settings.json maps them."""
    return {f"./schemas/{name}.schema.json": globs for name, (_tp, _t, _d, globs) in SCHEMAS.items()}
