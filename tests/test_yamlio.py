"""The YAML reader: every mistake in a file's text is a located Chinese problem, never libyaml's English."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

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
    # a right-to-left override makes 张三丰 display as another text: no record needs one
    ("facts: 当事人张三\u202e丰\n", "f.yaml:1:13: 错误 Y008 文件里有不允许的字符：文字方向控制符（填写的是 U+202E）"),
    ('facts: "甲\\u2066乙"\n', "f.yaml:1:8: 错误 Y008 文字里有不允许的字符：文字方向控制符（填写的是 U+2066）"),
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
    ('facts: "甲\nname: 张三\n', 'f.yaml:1:8: 错误 Y001 YAML 格式错误（填写的是 facts: "甲）。提示：引号没有闭合'),
    ("a: 1\nfacts: '甲\n\nb: 2\nc: 3\n", "f.yaml:2:8: 错误 Y001 YAML 格式错误（填写的是 facts: '甲）。提示：引号没有闭合"),
    # closed by the next quote, three lines on, where YAML finds the error: the quote's own line is shown
    ("facts: '当事人摆摊\nbasis: 条例\nfine: 100\nofficers: ['33070100001']\n",
     "f.yaml:1:8: 错误 Y001 YAML 格式错误（填写的是 facts: '当事人摆摊）。提示：引号没有闭合"),
    # a quoted text over two lines on purpose, and an error later: not blamed on the quote
    ('facts: "第一行\n  第二行"\nbasis: x\noutcome: [a\nfine: 1\n', "f.yaml:5:5: 错误 Y001 YAML 格式错误（填写的是 fine: 1）"),
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


# ---------------------------------------------------------------- only regular files, never past the limit

REPO = Path(__file__).parent.parent


def _read_in_a_child(path, root=None, max_bytes=2_000_000) -> str:
    """read_yaml in a separate process with a memory ceiling and a time limit: without the fix a
    link to /dev/zero reads until memory runs out and a pipe blocks forever, which must fail the
    test, not take the test run down with it."""
    import resource
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from generator.yamlio import read_yaml; "
            "doc, problems = read_yaml(Path(sys.argv[1]), 'x.yaml', int(sys.argv[3]), "
            "root=Path(sys.argv[2]) if sys.argv[2] else None); "
            "print(doc is None, *[p.format() for p in problems], sep='\\n')")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([sys.executable, "-c", code, str(path), str(root or ""), str(max_bytes)], cwd=REPO,
                          capture_output=True, text=True, timeout=30, preexec_fn=limit)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: os.mkfifo(p), "x.yaml:1:1: 错误 Y004 无法读取文件：这是一个命名管道，不是普通文件。"
                             "提示：content/ 里只放普通的文本文件：删去它，或换成文件本身"),
    (lambda p: p.symlink_to("/dev/zero"), "x.yaml:1:1: 错误 Y004 无法读取文件：这是一个设备文件，不是普通文件"),
    (lambda p: p.symlink_to("/dev/urandom"), "x.yaml:1:1: 错误 Y004 无法读取文件：这是一个设备文件，不是普通文件"),
])
def test_a_pipe_or_a_device_is_refused_without_reading_it(tmp_path, make, expected):
    path = tmp_path / "fifo-or-device.yaml"
    make(path)
    try:
        out = _read_in_a_child(path)
    except subprocess.TimeoutExpired:
        pytest.fail("read_yaml blocked on a pipe or kept reading a device")
    assert out.startswith("True\n") and expected in out, out


def test_a_link_that_leads_outside_the_project_is_refused(tmp_path):
    root = tmp_path / "county"
    (root / "content/town/decisions/2025").mkdir(parents=True)
    (tmp_path / "elsewhere.yaml").write_text("case_no: 外面的文件\n", encoding="utf-8")
    (root / "content/town/inside.yaml").write_text("case_no: 仓库里的文件\n", encoding="utf-8")
    folder = root / "content/town/decisions/2025"
    (folder / "out.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (folder / "dev.yaml").symlink_to("/dev/zero")
    (folder / "in.yaml").symlink_to("../../inside.yaml")  # a link inside the repository is fine
    (root / "content/linked").symlink_to(tmp_path)  # a linked folder leads outside too
    out = _read_in_a_child(folder / "out.yaml", root)
    assert out.splitlines()[1] == (f"x.yaml:1:1: 错误 Y009 文件实际在项目以外（{tmp_path / 'elsewhere.yaml'}），没有读取。"
                                   "提示：记录必须放在仓库里：删去指向项目以外的符号链接，把文件本身复制到这里")
    assert "Y009 文件实际在项目以外（/dev/zero）" in _read_in_a_child(folder / "dev.yaml", root)
    assert "Y009 文件实际在项目以外" in _read_in_a_child(root / "content/linked/elsewhere.yaml", root)
    doc, problems = read_yaml(folder / "in.yaml", "in.yaml", root=root)
    assert problems == [] and doc.data == {"case_no": "仓库里的文件"}


def test_never_more_than_the_limit_is_read_whatever_the_size_claims(tmp_path, monkeypatch):
    """A file still being written (or on a file system that reports 0) is longer than stat() said."""
    from generator import yamlio

    path = tmp_path / "growing.yaml"
    path.write_text("facts: " + "长" * 3000 + "\n", encoding="utf-8")
    real_fstat, real_read = os.fstat, os.read
    read: list[int] = []
    monkeypatch.setattr(yamlio.os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:])))
    monkeypatch.setattr(yamlio.os, "read", lambda fd, n: read.append(n) or real_read(fd, n))
    doc, problems = read_yaml(path, "growing.yaml", max_bytes=1000)
    assert doc is None and [p.format() for p in problems] == [
        "growing.yaml:1:1: 错误 Y005 文件过大（1001 字节以上，上限 1000 字节）。提示：一个文件只放一条记录或一个清单；过大的文件请拆分"]
    assert sum(read) <= 1001


def test_the_lean_resolver_answers_as_pyyaml_s_own_on_the_same_rules():
    """yamlio._Loader replaces BaseResolver.resolve (and the path-resolver steps) for speed: every
    scalar, plain or quoted, and every collection gets the tag PyYAML's general version gives."""
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    from generator import yamlio

    general = yamlio._Core12Resolver()
    lean = yamlio._Loader("")
    values = ["", "~", "null", "Null", "NULL", "nul", "true", "False", "yes", "no", "on", "0", "-1", "+7", "010",
              "0o17", "0o8", "0x1F", "0xG", "1.5", ".5", "-.inf", ".NaN", "1e3", "1_000", "2025-02-28",
              "2025-2-3", "2025-02-30", "20250228", "1:30", "张三", "-", ".", "+"]
    for value in values:
        for implicit in ((True, False), (False, True), (False, False)):
            assert lean.resolve(ScalarNode, value, implicit) == general.resolve(ScalarNode, value, implicit), value
    for kind in (SequenceNode, MappingNode):
        assert lean.resolve(kind, None, (False, False)) == general.resolve(kind, None, (False, False))
    assert not yamlio._Core12Resolver.yaml_path_resolvers and None not in yamlio._IMPLICIT
    lean.dispose()
    assert parse_text("a: [010, 0o10, no, 2025-02-28, '1']\n", "f.yaml")[0].data == {
        "a": [10, 8, "no", dt.date(2025, 2, 28), "1"]}
    assert yaml.__with_libyaml__
