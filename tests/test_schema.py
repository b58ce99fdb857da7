"""The editor schemas: valid JSON Schema, Chinese throughout, and true to the content contract."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.kinds import KINDS
from generator.schema import editor_settings, schemas

REPO = Path(__file__).parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def _properties(node, where="$"):
    """Every (where, name, property schema) in a schema, $defs included."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}.{name}", name, prop
        for key, child in node.items():
            if key != "properties" or not isinstance(child, dict):
                yield from _properties(child, f"{where}/{key}")
            else:
                for name, prop in child.items():
                    yield from _properties(prop, f"{where}.{name}")
    elif isinstance(node, list):
        for child in node:
            yield from _properties(child, where)


def _enums(node):
    if isinstance(node, dict):
        if "enum" in node:
            yield node
        for child in node.values():
            yield from _enums(child)
    elif isinstance(node, list):
        for child in node:
            yield from _enums(child)


@pytest.mark.parametrize("name", sorted(schemas()))
def test_schema_is_valid_json_schema(name):
    jsonschema.Draft202012Validator.check_schema(schemas()[name])


@pytest.mark.parametrize("name", sorted(schemas()))
def test_every_field_has_a_chinese_title_and_description(name):
    schema = schemas()[name]
    found = list(_properties(schema))
    assert found

    def title(prop):  # pydantic leaves out a field title equal to its model's: editors read it there
        ref = prop.get("$ref", "").rpartition("/")[2]
        return prop.get("title") or (schema["$defs"][ref]["title"] if ref else "")

    untitled = [w for w, _, prop in found if not HAN.search(title(prop))]
    undescribed = [w for w, _, prop in found if not HAN.search(prop.get("description") or "")]
    assert not untitled, f"fields without a Chinese title: {untitled}"
    assert not undescribed, f"fields without a Chinese description: {undescribed}"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_every_allowed_value_has_its_meaning(name):
    for node in _enums(schemas()[name]):
        meanings = node.get("enumDescriptions", [])
        assert len(meanings) == len(node["enum"]), node
        assert all(HAN.search(m) for m in meanings), node


def _plain(value):
    """YAML as an editor sees it: dates are text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _files():
    """(schema, the example county's files it is for): every kind with a schema, then the configuration."""
    for kind in KINDS.values():
        if kind.schema:
            yield kind.schema, sorted({p for g in kind.files.globs() for p in REPO.glob(g)})
    yield "site", [REPO / "site_config/site.yaml"]
    yield "calendar", [REPO / "site_config/calendar.yaml"]
    yield "rules", [REPO / "site_config/rules.yaml"]


def test_the_example_county_is_valid_under_the_schemas_editors_use():
    checked = 0
    for kind, paths in _files():
        validator = jsonschema.Draft202012Validator(schemas()[kind])
        for path in paths:
            data = _plain(yaml.safe_load(path.read_text(encoding="utf-8")))
            errors = [f"{path}: {e.json_path}: {e.message}" for e in validator.iter_errors(data)]
            assert not errors, errors
            checked += 1
    assert checked > 20


def test_a_typo_or_wrong_value_is_flagged_in_the_editor():
    decision = _plain(yaml.safe_load(next((REPO / "content").glob("*/decisions/**/*.yaml")).read_text("utf-8")))
    validator = jsonschema.Draft202012Validator(schemas()["decision"])
    typo = {**decision, "decided_one": decision["decided_on"]}
    assert any("decided_one" in e.message for e in validator.iter_errors(typo))
    wrong = {**decision, "kind": "行政处分"}
    assert any(e.json_path == "$.kind" for e in validator.iter_errors(wrong))
    text_id = {**decision, "officers": [12345]}
    assert any(e.json_path == "$.officers[0]" for e in validator.iter_errors(text_id))


def test_committed_schemas_and_editor_settings_are_current(tmp_path):
    """schemas/ is what `disclose schema` writes today; .vscode maps every schema onto its files."""
    from generator.cli import main

    assert main(["schema", "--out", str(tmp_path)]) == 0
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.glob("*.json")}
    committed = {p.name: p.read_text(encoding="utf-8") for p in (REPO / "schemas").glob("*.json")}
    assert committed == fresh, "schemas/ is stale: run `disclose schema` and commit the result"
    settings = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemaStore.enable"] is False  # offline: no schema store requests
    assert settings["yaml.schemas"] == editor_settings()  # every schema on the files its kind says
    mapped = {Path(k).name: v for k, v in settings["yaml.schemas"].items()}
    assert set(mapped) == set(fresh)
    for kind, paths in _files():
        for path in paths:
            rel = path.relative_to(REPO)
            globs = mapped[f"{kind}.schema.json"]
            assert any(rel.match(g.replace("**/", "")) or rel.match(g) for g in globs), (rel, globs)
    recommended = json.loads((REPO / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in recommended["recommendations"]
