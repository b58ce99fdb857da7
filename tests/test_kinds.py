"""The registry of record kinds: every module that handles records takes its list from it."""

from __future__ import annotations

import re

from generator import build, exports, kinds, preview, scaffold, schema
from generator.downloads import COLLECTIONS
from generator.kinds import KINDS

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_every_kind_is_described_in_chinese_with_its_files():
    for kind in KINDS.values():
        assert HAN.search(kind.title), kind.name
        assert HAN.search(kind.model.model_config.get("title", "")), kind.name
        assert kind.files.shown().endswith((".yaml", "*.yaml")), kind.name
        if kind.key:
            assert kind.key in kind.model.model_fields and kind.dup_code.startswith("D"), kind.name
        for path in (*kind.masked, *kind.guarded):  # every public text path names real fields
            model = kind.model
            for part in path.split("."):
                if part == "*" or model is None:
                    continue
                assert part in model.model_fields, (kind.name, path)
                model = scaffold.model_in(model.model_fields[part].annotation)


def test_each_module_takes_its_list_from_the_registry():
    folders = kinds.top_folders()
    assert folders == ("content", "supervision", "coordination")
    for folder in folders:  # protected from a build's --out, watched by the preview
        assert folder in build.PROTECTED and folder in preview.WATCHED
    schemas = schema.schemas()
    settings = schema.editor_settings()
    for kind in KINDS.values():
        if kind.schema:
            assert kind.schema in schemas and f"./schemas/{kind.schema}.schema.json" in settings
        if kind.collection:
            assert COLLECTIONS[kind.collection] == (kind.collection_title, kind.model)
    assert set(exports.LISTS) == {k.attr for k in kinds.agency_lists()} == {"officers", "powers", "benchmarks"}
    assert {"notice", "plan", "coordination", "decision", "officer", "agency"} <= set(scaffold.names())
    assert [k.name for k in kinds.project_kinds()] == ["notice", "plan", "coordination", "summary"]


def test_internal_kinds_are_public_only_when_they_say_so():
    notice, plan, coordination, summary = (KINDS[n] for n in ("notice", "plan", "coordination", "summary"))
    for kind in (notice, plan, coordination):
        assert kind.model.model_fields["public"].default is False
    assert KINDS["decision"].public(object())  # every decision kind record passes this gate (the view decides more)
    assert summary.is_public is not None and not summary.public(object())
