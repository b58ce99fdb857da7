"""Write YAML that `yamlio` reads back as exactly the values written.

`disclose import` and `disclose new` write into files staff keep by hand.
Two things can go wrong there. A string can look like something else to
the YAML 1.2 reader: 330702E001 is a float, 0x1F an int, true a bool,
2026-03-02 a date; so quoting is decided with the reader's own resolver,
and a string is left plain only when the reader would take it as a string.
And a list file can be in a shape a plain append breaks ([], a flow list
[{...}]): `append_items` turns it into a block list first and keeps every
comment.

Every text this module builds for a file is checked by reading it back
(`same`): a writer bug is reported, never saved.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .yamlio import _Core12Resolver, _Loader, decode, parse_text

STR = "tag:yaml.org,2002:str"
_BREAKS = "\n\r\x85\u2028\u2029"
_NO_WRAP = 1 << 30  # a plain scalar folded onto a second line would break a splice


class WriteError(Exception):
    """A file the writer cannot safely add to; the message is Chinese."""


class _Dumper(yaml.SafeDumper):
    # What the reader resolves, and nothing else, decides whether a string needs quotes.
    yaml_implicit_resolvers = _Core12Resolver.yaml_implicit_resolvers

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # "  - item" under a key, as the contract's examples are written


def _represent_str(dumper: _Dumper, value: str) -> Node:
    # The reader strips every string (Excel leaves spaces around pasted text), so the file
    # shows what will be read. A line break goes in double quotes as \n: one line, safe to
    # splice at any indentation.
    value = value.strip()
    style = '"' if not value or any(ch in value for ch in _BREAKS) else None  # "" reads as "fill in here"
    return dumper.represent_scalar(STR, value, style=style)


def _represent_datetime(dumper: _Dumper, value: dt.datetime) -> Node:
    raise TypeError(f"records hold dates, not date-times: {value!r}")


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(dt.datetime, _represent_datetime)


def dump(value: Any) -> str:
    """Block YAML for a list or mapping, ending in a newline."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                     width=_NO_WRAP)


def scalar(value: Any) -> str:
    """One line of YAML for a scalar, to stand after `key: ` or `- `."""
    if isinstance(value, list | dict):
        raise TypeError("scalar() takes a scalar; use flow() or dump()")
    return dump(value).removesuffix("\n...\n").rstrip("\n")


def flow(value: Any) -> str:
    """One line of YAML in flow style: [罚款], {}, ['', '']."""
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=True,
                     width=_NO_WRAP).removesuffix("\n...\n").rstrip("\n")


def same(a: Any, b: Any) -> bool:
    """Equal as read: .nan equals .nan, 500 equals 500.0, key order does not matter."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return (type(a) is type(b) and a == b) or (isinstance(a, int | float) and isinstance(b, int | float) and a == b)


# ---------------------------------------------------------------- positions in a file's text


def nodes(text: str) -> Node | None:
    """The file's node tree, with the marks edits splice at."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def line_starts(text: str) -> list[int]:
    """Offset of each line's start, and a last entry one past the text's end (see offset)."""
    return [0] + [m.end() for m in re.finditer("\n", text)] + [len(text) + 1]


def offset(starts: list[int], mark: Any) -> int:
    # libyaml may put the end of the last node on a line after a text that lacks its final newline
    return min(starts[mark.line] + mark.column, starts[-1] - 1)


def last_offset(text: str, starts: list[int], node: Node) -> int:
    """Where the text of a node really ends: a block scalar's end mark is on the next content line."""
    if isinstance(node, MappingNode) and node.value and not node.flow_style:
        return last_offset(text, starts, node.value[-1][1])
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return last_offset(text, starts, node.value[-1])
    end = offset(starts, node.end_mark)
    while end > 0 and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def line_end(text: str, at: int) -> int:
    """Offset of the end of the line holding `at` (before its LF or CRLF)."""
    nl = text.find("\n", at)
    if nl < 0:
        return len(text)
    return nl - 1 if nl > at and text[nl - 1] == "\r" else nl


def newline(text: str) -> str:
    """The line ending a file uses: what a Windows editor saved stays CRLF throughout."""
    return "\r\n" if "\r\n" in text else "\n"


def lines_as_in(text: str, block: str) -> str:
    """`block` (written with LF) with the line endings of `text`."""
    return block.replace("\n", "\r\n") if newline(text) == "\r\n" else block


def flow_comments(text: str, starts: list[int], node: Node) -> list[str]:
    """The comments written inside a flow collection ([a,  # note ...]), which a rewrite must keep."""
    start, end = offset(starts, node.start_mark), offset(starts, node.end_mark)
    chars = list(text[start:end])
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, ScalarNode):
            for i in range(offset(starts, n.start_mark) - start, offset(starts, n.end_mark) - start):
                chars[i] = " "  # a # inside a scalar is text, not a comment
        elif isinstance(n, SequenceNode):
            stack += n.value
        elif isinstance(n, MappingNode):
            stack += [x for pair in n.value for x in pair]
    blanked = "".join(chars)
    out = []
    at = 0
    while (hit := blanked.find("#", at)) >= 0:
        stop = blanked.find("\n", hit)
        stop = len(blanked) if stop < 0 else stop
        if hit == 0 or blanked[hit - 1] in " \t\n":  # a comment runs to the end of its line
            out.append(text[start + hit: start + stop].rstrip())
            at = stop
        else:
            at = hit + 1
    return out


def indent_block(block: str, indent: int) -> str:
    """Shift every line of a block right; a line that is empty stays empty."""
    pad = " " * indent
    return "".join(pad + line if line.strip() else line for line in re.split(r"(?<=\n)", block))


# ---------------------------------------------------------------- list files


def read_list(text: str, relpath: str) -> list:
    """The items of a list file's text; WriteError when it is not a readable list."""
    doc, problems = parse_text(text, relpath)
    if doc is None or [p for p in problems if p.is_error]:
        raise WriteError(f"{relpath} 本身有错误，先改正再添加：" + "；".join(p.format() for p in problems[:3]))
    if doc.data is not None and not isinstance(doc.data, list):
        raise WriteError(f"{relpath} 应是一个清单（每项以“- ”开头），现在不是；先改正再添加")
    return doc.data or []


def to_block(text: str, relpath: str) -> str:
    """The same file with a top-level flow list ([], [ ], [{...}]) written as a block list.

    Only the flow list itself is rewritten; its comments stay, above the items.
    """
    items = read_list(text, relpath)
    node = nodes(text)
    if not (isinstance(node, SequenceNode) and node.flow_style):
        return text
    starts = line_starts(text)
    start, end = offset(starts, node.start_mark), offset(starts, node.end_mark)
    first = text.rfind("\n", 0, start) + 1  # the lines from [ to ] are replaced whole
    last = line_end(text, end)
    prefix, suffix = text[first:start].strip(), text[end:last].strip()  # `---`; a comment after ]
    lines = [prefix] if prefix else []
    lines += [c.strip() for c in flow_comments(text, starts, node)]
    lines += [suffix] if suffix else []
    body = "".join(line + "\n" for line in lines) + (dump(items) if items else "")
    rest = text.find("\n", last)
    return text[:first] + lines_as_in(text, body) + ("" if rest < 0 else text[rest + 1:])


_DOC_END = re.compile(r"^\.\.\.(?:[ \t\r]|$)", re.M)


def append_items(text: str, block: str, relpath: str) -> str:
    """The file's text with `block` (YAML text of block list items at column 0, comments allowed) added
    after its last item. An empty file, a file of comments only, [] and a flow list all take it."""
    text = to_block(text, relpath)
    node = nodes(text)
    indent = node.start_mark.column if isinstance(node, SequenceNode) else 0
    block = indent_block(block, indent)
    # after a `...` document end marker nothing more may follow: add before it
    after_node = offset(line_starts(text), node.end_mark) if node is not None else 0
    m = _DOC_END.search(text, after_node)
    at = m.start() if m else len(text)
    head, tail = text[:at], text[at:]
    if head and not head.endswith("\n"):
        head += newline(text)
    return head + lines_as_in(text, block) + tail


BOM = b"\xef\xbb\xbf"


def read_file(path: Path, relpath: str) -> tuple[str, bytes]:
    """A file's text as saved (CRLF kept, unlike read_text) and the BOM it starts with, if any."""
    data = path.read_bytes() if path.exists() else b""
    text, problems = decode(data, relpath)
    if text is None:
        raise WriteError("；".join(p.format() for p in problems))
    return text, BOM if data.startswith(BOM) else b""


def write_file(path: Path, text: str, bom: bytes = b"") -> None:
    """Replace a file whole or not at all: staff's file is never left half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.disclose-tmp")
    tmp.write_bytes(bom + text.encode("utf-8"))  # bytes: CRLF stays as it is on every platform
    tmp.replace(path)


def check_written(text: str, relpath: str, expected: list) -> None:
    """Read back what is about to be written; a mismatch is a bug in this module, never saved."""
    doc, problems = parse_text(text, relpath)
    errors = [p for p in problems if p.is_error]
    if doc is None or errors or not same(doc.data or [], expected):
        detail = "；".join(p.format() for p in errors[:3])
        raise RuntimeError(f"写出的 {relpath} 读回后与要写的内容不一致，文件没有改动（请把这个文件报告给维护者）{detail}")
