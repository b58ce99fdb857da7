"""The YAML reader: every mistake in a file's text is a located Chinese problem, never libyaml's English."""

from __future__ import annotations

import pytest
from chinese import unreadable

from generator.yamlio import parse_text, read_yaml


def lines(text: str) -> list[str]:
    return [p.format() for p in parse_text(text, "f.yaml")[1]]


@pytest.mark.parametrize(("text", "expected"), [
    ("facts: 甲\x07乙\n", "f.yaml:1:9: 错误 Y008 文件里有不允许的字符：控制字符（填写的是 U+0007）"),
    ("name: 张三\nfacts: 第一段\x0c第二段\n", "f.yaml:2:11: 错误 Y008 文件里有不允许的字符：换页符（填写的是 U+000C）"),
    ("fac\x00ts: 甲\n", "f.yaml:1:4: 错误 Y008 文件里有不允许的字符：空字符（填写的是 U+0000）"),
    ("facts: 甲\x85乙\nname: 张三\n", "f.yaml:1:9: 错误 Y008 文件里有不允许的字符：下一行符（填写的是 U+0085）"),
    ("facts: 甲\u2028乙\nname: 张三\n", "f.yaml:1:9: 错误 Y008 文件里有不允许的字符：行分隔符（填写的是 U+2028）"),
    ('facts: "甲\\x1b[31m乙"\n', "f.yaml:1:8: 错误 Y008 文字里有不允许的字符：ESC（填写的是 U+001B）"),
    ('facts: "甲\\r\\n乙"\n', "f.yaml:1:8: 错误 Y008 文字里有不允许的字符：回车符（填写的是 U+000D）"),
    ('facts: "甲\\uFFFE"\n', "f.yaml:1:8: 错误 Y008 文字里有不允许的字符：非字符（填写的是 U+FFFE）"),
    ('"fa\\bcts": 甲\n', "f.yaml:1:1: 错误 Y008 字段名里有不允许的字符：控制字符（填写的是 U+0008）"),
    ("- a\n- ? [x, y]\n  : z\n", "f.yaml:2:5: 错误 Y001 字段名必须是简单的文字"),
])
def test_control_characters_are_located(text, expected):
    found = lines(text)
    assert any(line.startswith(expected) for line in found), found


def test_control_characters_leave_the_rest_of_the_file_readable():
    doc, problems = parse_text("name: 张三\nfacts: 甲\x0b乙\nfine: 500\n", "f.yaml")
    assert doc is not None and doc.data == {"name": "张三", "facts": "甲 乙", "fine": 500}
    assert [p.code for p in problems] == ["Y008"]
    doc, problems = parse_text('facts: "甲\\a乙"\n', "f.yaml")
    assert doc.data == {"facts": "甲乙"} and ("facts",) in doc.pos.reported


def test_tab_newline_and_windows_line_endings_are_fine():
    doc, problems = parse_text('facts: "甲\\t乙\\n丙"\nbasis: |\r\n  第一行\r\n  第二行\r\n', "f.yaml")
    assert problems == []
    assert doc.data == {"facts": "甲\t乙\n丙", "basis": "第一行\n第二行"}


@pytest.mark.parametrize(("text", "expected"), [
    ("facts: 甲: 乙\n", "f.yaml:1:9: 错误 Y001 YAML 格式错误（填写的是 facts: 甲: 乙）。提示：冒号后面要跟一个空格"),
    ('facts: "甲\nname: 张三\n', "f.yaml:3:1: 错误 Y001 YAML 格式错误。提示：引号没有闭合"),
    ('facts: "甲\\q"\n', "f.yaml:1:10: 错误 Y001 YAML 格式错误（填写的是 facts: \"甲\\q\"）。提示：双引号里的反斜杠"),
    ('facts: "\\uD800"\n', "f.yaml:1:11: 错误 Y001 YAML 格式错误（填写的是 facts: \"\\uD800\"）。提示：双引号里的 \\u 转义"),
    ("a: 1\n---\nb: 2\n", "f.yaml:2:1: 错误 Y001 YAML 格式错误（填写的是 ---）。提示：一个文件只能写一条记录"),
    ("party:\n  name: 张三\n type: 自然人\n", "f.yaml:3:2: 错误 Y001 YAML 格式错误（填写的是 type: 自然人）。"),
    ("a: *x\n", "f.yaml:1:4: 错误 Y001 YAML 格式错误（填写的是 a: *x）。提示：不支持 YAML 别名"),
    ("a: !!binary aGVsbG8=\n", "f.yaml:1:4: 错误 Y001 不支持 YAML 标签"),
    ("a: 1\na: 2\n", "f.yaml:2:1: 错误 Y002 字段「a」重复出现"),
    ("d: 2025-02-30\n", "f.yaml:1:4: 错误 Y006 日期不存在（填写的是 2025-02-30）"),
    ("　name: 张三\n", "f.yaml:1:1: 错误 Y001 行首有全角空格"),
])
def test_syntax_errors_quote_the_line_not_libyaml(text, expected):
    found = lines(text)
    assert any(line.startswith(expected) for line in found), found
    for line in found:
        assert unreadable(line) is None, line


def test_unreadable_files_say_why_in_chinese(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    for name, expected in (("dir.yaml", "dir.yaml:1:1: 错误 Y004 无法读取文件：这是一个文件夹，不是文件"),
                           ("missing.yaml", "missing.yaml:1:1: 错误 Y004 无法读取文件：文件不存在")):
        doc, problems = read_yaml(tmp_path / name, name)
        assert doc is None
        assert problems[0].format().startswith(expected), problems
        assert unreadable(problems[0].format()) is None
