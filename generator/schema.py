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

from .model import MEANINGS, Agency, Benchmark, CalendarFile, Decision, Officer, Power, Site
from .rules import Rules

# file kind → (type, title, description); the file name is <kind>.schema.json
SCHEMAS: dict[str, tuple[Any, str, str]] = {
    "agency": (Agency, "执法主体", "content/<主体编号>/agency.yaml：执法主体的基本信息和救济渠道"),
    "officers": (list[Officer], "执法人员清单", "content/<主体编号>/officers.yaml：每项一名持证执法人员"),
    "powers": (list[Power], "权责清单", "content/<主体编号>/powers.yaml：每项一个权责事项"),
    "benchmarks": (list[Benchmark], "裁量基准", "content/<主体编号>/benchmarks.yaml：每项一个违法行为的裁量阶次表"),
    "decision": (Decision, "执法决定", "content/<主体编号>/decisions/<年份>/<文件名>.yaml：一个文件一份决定"),
    "site": (Site, "网站设置", "site_config/site.yaml"),
    "calendar": (CalendarFile, "节假日安排", "site_config/calendar.yaml：补充或更正某年的国务院节假日安排"),
    "rules": (Rules, "期限规则", "site_config/rules.yaml：替换默认期限规则中的整节，每条写明法律依据"),
}


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
    for name, (tp, title, description) in SCHEMAS.items():
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
