"""Every message a wrong value can draw is Chinese, names the field by its Chinese title and says how to fix it.

Many wrong values are fed to every field of every model, through the same YAML reader and
validation the project loader uses; no message may carry pydantic's English, a Python repr or a
class name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from chinese import TITLED, unreadable

from generator import decisions, model, rules
from generator.yamlio import parse_text

FIXTURE = Path(__file__).parent / "fixtures" / "minimal"


def _yaml(name: str):
    return yaml.safe_load((FIXTURE / name).read_text(encoding="utf-8"))


BASELINES = {
    model.Agency: _yaml("content/town/agency.yaml"),
    model.Officer: _yaml("content/town/officers.yaml")[0],
    model.Power: _yaml("content/town/powers.yaml")[0],
    model.Benchmark: _yaml("content/town/benchmarks.yaml")[0],
    model.Decision: {**_yaml("content/town/decisions/2025/revoked.yaml"),
                     "legal_review": {"reviewer": "县司法局", "date": dt.date(2025, 6, 1), "conclusion": "同意"},
                     "withheld": {"reason": "涉及商业秘密"}, "privacy_exempt": {"facts": "设备编号"}},
    model.Site: _yaml("site_config/site.yaml"),
    model.CalendarFile: {"years": {2027: {"source": "国务院办公厅通知", "holidays": [dt.date(2027, 1, 1)],
                                          "workdays": [dt.date(2027, 1, 2)]}}},
    rules.Rules: yaml.safe_load(rules.default_rules_text()),
}

WRONG = [
    None, "", "　", "文字", "x" * (model.MAX_TEXT + 1), 0, -1, 1.5, 99999, 10**30, True, False,
    [], ["a"], [1, 2], ["x"] * (model.MAX_ITEMS + 1), {}, {"a": 1}, {1: "x"}, {"name": [1]},
    dt.date(9999, 12, 31), dt.date(1900, 1, 1), "2025-02-30", "2025-13-01", "2025年3月1日",
    float("nan"), float("inf"), "9999-12-31",
]


def _paths(data, path=()):
    """Every place in a record a value sits at, nested records and list items included."""
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*path, i))


def _replace(data, path, value):
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, value)}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(data)]


def _drop(data, path):
    head, rest = path[0], path[1:]
    if not rest:
        return {k: v for k, v in data.items() if k != head} if isinstance(data, dict) else data
    if isinstance(data, dict):
        return {**data, head: _drop(data[head], rest)}
    return [(_drop(v, rest) if i == head else v) for i, v in enumerate(data)]


def _messages(record_model, data) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    doc, problems = parse_text(text, "f.yaml")
    if doc is not None:
        _record, more = decisions.validate(record_model, doc, doc.data)
        problems += more
    return [p.format() for p in problems]


@pytest.mark.parametrize("record_model", list(BASELINES), ids=lambda m: m.__name__)
def test_every_wrong_value_gets_a_chinese_message(record_model):
    base = BASELINES[record_model]
    assert _messages(record_model, base) == []  # the baseline itself is valid
    seen: dict[str, str] = {}
    cases = 0
    for path in list(_paths(base)):
        variants = [_replace(base, path, value) for value in WRONG]
        if path:
            variants.append(_drop(base, path))
        for data in variants:
            for line in _messages(record_model, data):
                code = line.split(" ")[2]
                seen.setdefault(code, line)
                why = unreadable(line)
                assert why is None, f"{why} in {line}"
                if code in ("F001", "F003", "F004", "F005", "F011", "T003"):
                    assert TITLED.search(line), f"no field title in {line}"
            cases += 1
    # unknown fields, a YAML int key where a field name belongs
    for extra in ({"fien": 1}, {2027: "x"}, {"Name": "x"}):
        for line in _messages(record_model, {**base, **extra}):
            assert unreadable(line) is None, line
            assert " F002 " in line
    assert cases > 50
    assert {"F001", "F003"} <= set(seen), seen


def test_error_types_our_models_do_not_use_yet_are_still_chinese():
    """A validator another module adds later (a tagged union, a ValueError, a URL) must not leak English."""
    import uuid
    from typing import Annotated, Literal

    from pydantic import Field, field_validator

    from generator.model import Record, zh

    class Cat(Record, title="甲类"):
        kind: Literal["甲"] = zh("类别", "甲")

    class Dog(Record, title="乙类"):
        kind: Literal["乙"] = zh("类别", "乙")

    class Probe(Record, title="试验"):
        pet: Annotated[Cat | Dog, Field(discriminator="kind")] = zh("宠物", "甲类或乙类")
        note: str = zh("备注", "随便写")
        chinese: str = zh("中文校验", "写“好”")
        code: uuid.UUID = zh("编号", "一个 UUID")
        either: Cat | Dog = zh("甲或乙", "不带标记的联合")

        @field_validator("note")
        @classmethod
        def _english(cls, value: str) -> str:
            raise ValueError("this is not allowed here")

        @field_validator("chinese")
        @classmethod
        def _chinese(cls, value: str) -> str:
            raise ValueError("只能写“好”")

    found = _messages(Probe, {"pet": {"kind": "丙"}, "note": "x", "chinese": "坏", "code": "not-a-uuid",
                              "either": {"kind": "丁"}})
    assert len(found) == 6, found  # the plain union reports each branch it tried
    for line in found:
        assert unreadable(line) is None, line
        assert "Cat" not in line and "Dog" not in line and "UUID" not in line.split("。提示：")[0], line
    assert any("「宠物」(pet)的值不在允许范围内（填写的是 丙）。提示：只能填写：甲、乙" in line for line in found), found
    assert any("「中文校验」(chinese)填写有误：只能写“好”" in line for line in found), found
    assert sum("「类别」(kind)的值不在允许范围内（填写的是 丁）" in line for line in found) == 2, found
    assert any("「备注」(note)填写有误（填写的是 x）。提示：对照字段说明修改：随便写" in line for line in found), found
