"""Read one YAML file into plain values plus the line and column of every value.

Why not yaml.safe_load: it follows YAML 1.1 (`no` becomes False, `010`
becomes 8), silently keeps the last of two duplicate keys, expands aliases
(a "billion laughs" file eats all memory) and raises a bare ValueError for
2025-02-30. We let libyaml compose the node tree (fast, with marks) and build
the values ourselves under YAML 1.2 core rules, reporting every such case as
a Problem with its position.
"""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# libyaml ships in every PyYAML wheel; its composer is what makes county-scale reads fast.
from yaml._yaml import CParser as _Parser
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .gitindex import blob_id
from .problems import Problem, show_value

DEFAULT_MAX_BYTES = 2_000_000
MAX_DEPTH = 40

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
DATE = "tag:yaml.org,2002:timestamp"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"


class _Core12Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema, plus plain YYYY-MM-DD as a date."""


_Core12Resolver.yaml_implicit_resolvers = {}
for _tag, _regex, _first in [
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    (DATE, r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$", "0123456789"),
]:
    _Core12Resolver.add_implicit_resolver(_tag, re.compile(_regex), list(_first))


_IMPLICIT = _Core12Resolver.yaml_implicit_resolvers


class _Loader(_Parser, _Core12Resolver):
    def __init__(self, stream: str):
        _Parser.__init__(self, stream)
        _Core12Resolver.__init__(self)

    # libyaml's composer calls these three in Python for every node: BaseResolver's general versions
    # (path and wildcard resolvers, never registered here) were a quarter of the composing time.
    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return STR
        return SEQ if kind is SequenceNode else MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@dataclass
class Positions:
    """Where each value of a document sits: path tuple → (line, col), 1-based."""

    values: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    keys: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    raw: dict[tuple, str] = field(default_factory=dict)  # source text of scalars that are not strings
    reported: set[tuple] = field(default_factory=set)  # paths already given a problem here

    def at(self, loc: tuple) -> tuple[int, int]:
        """Line and column for a path; a missing key points at its parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def key_at(self, loc: tuple) -> tuple[int, int]:
        return self.keys.get(tuple(loc)) or self.at(loc)


class InvalidDate(str):
    """A YYYY-MM-DD that is not a real day; already reported by the reader."""


@dataclass
class Document:
    path: str
    data: Any
    pos: Positions


def read_yaml(path: Path, relpath: str, max_bytes: int = DEFAULT_MAX_BYTES,
              root: Path | None = None, digest: list[str] | None = None) -> tuple[Document | None, list[Problem]]:
    """Read a YAML file; return the document (None when unreadable) and its problems.

    `digest`: receives the content hash of the bytes read (what a record cache keeps them under).

    Only a regular file is read, and at most max_bytes + 1 bytes of it: a `.yaml` that is a link to
    /dev/zero, a named pipe or a file still growing cannot hang or exhaust a build. With `root`, a
    file that resolves outside it (a link to /etc/…, a linked folder) is refused: content lives in
    the repository, where review and history see it."""
    outside = _outside(path, root) if root is not None else None
    if outside is not None:
        return None, [Problem(relpath, 1, 1, "Y009", f"文件实际在项目以外（{outside}），没有读取",
                              "记录必须放在仓库里：删去指向项目以外的符号链接，把文件本身复制到这里")]
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # O_NONBLOCK: a pipe must not block
    except OSError as exc:
        return None, [Problem(relpath, 1, 1, "Y004", f"无法读取文件：{_os_reason(exc)}", "检查文件是否存在、是否有读取权限")]
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, [Problem(relpath, 1, 1, "Y004", f"无法读取文件：{_file_kind(st.st_mode)}",
                                  "content/ 里只放普通的文本文件：删去它，或换成文件本身")]
        if st.st_size > max_bytes:
            return None, [_too_big(relpath, st.st_size, max_bytes)]
        # st_size may be stale (a file still being written): read to the end, but never past the limit.
        limit, chunks, size = max_bytes + 1, [], 0
        while size < limit:
            want = min(limit - size, max(st.st_size + 1 - size, 65536))
            chunk = os.read(fd, want)
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < want:  # a short read of a regular file is its end
                break
        if size > max_bytes:
            return None, [_too_big(relpath, size, max_bytes, more=True)]
        data = b"".join(chunks)
    except OSError as exc:
        return None, [Problem(relpath, 1, 1, "Y004", f"无法读取文件：{_os_reason(exc)}", "检查文件是否存在、是否有读取权限")]
    finally:
        os.close(fd)
    if digest is not None:
        digest.append(blob_id(data))
    text, problems = decode(data, relpath)
    if text is None:
        return None, problems
    return parse_text(text, relpath)


def _too_big(relpath: str, size: int, max_bytes: int, more: bool = False) -> Problem:
    return Problem(relpath, 1, 1, "Y005", f"文件过大（{size} 字节{'以上' if more else ''}，上限 {max_bytes} 字节）",
                   "一个文件只放一条记录或一个清单；过大的文件请拆分")


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "这是一个文件夹，不是文件"
    kind = ("命名管道" if stat.S_ISFIFO(mode) else "设备文件" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
            else "套接字" if stat.S_ISSOCK(mode) else "特殊文件")
    return f"这是一个{kind}，不是普通文件"


@functools.lru_cache(maxsize=4096)  # a county's 50,000 decisions sit in a few hundred folders
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)


def forget_folders() -> None:
    """Forget where folders resolve to: a project load starts with this, so a folder swapped for a
    link since the last load (a preview runs for hours) is seen."""
    _real_folder.cache_clear()


def _outside(path: Path, root: Path) -> str | None:
    """Where `path` really is when that is outside `root`, else None. Resolving every component of
    every path costs ~75 µs; the folder is resolved once, the file only when it is a link itself."""
    name = str(path)
    try:
        link = stat.S_ISLNK(os.lstat(name).st_mode)
    except OSError:
        return None  # missing: open() says so
    real = os.path.realpath(name) if link else os.path.join(_real_folder(os.path.dirname(name) or "."),
                                                            os.path.basename(name))
    return None if within(real, root) else real


def within(real: str, root: Path | str) -> bool:
    """`real` (a resolved path) is `root`'s real folder or inside it."""
    base = _real_folder(str(root))
    return real == base or real.startswith(base.rstrip("/") + "/")


def _os_reason(exc: OSError) -> str:
    """The operating system's reason, in Chinese (its own text is English)."""
    return {
        errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
        errno.EISDIR: "这是一个文件夹，不是文件", errno.ENAMETOOLONG: "文件名或路径太长", errno.ELOOP: "符号链接循环",
        errno.EIO: "磁盘读写错误",
    }.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）")


def decode(data: bytes, relpath: str) -> tuple[str | None, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(relpath, 1, 1, "Y004", "文件是 UTF-16 编码", "请用 UTF-8 编码另存此文件")]
    if data.startswith(b"\xef\xbb\xbf"):  # Notepad and Excel write a BOM; harmless
        data = data[3:]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [
            Problem(relpath, line, col, "Y004", "文件不是 UTF-8 编码（可能是 GBK）",
                    "在编辑器里选择“以 UTF-8 编码保存”；VS Code 右下角可切换编码")
        ]


# Characters no record needs and that break what the site writes: C0 controls other than tab and
# line breaks, DEL and C1 controls (an Atom feed with them is not well-formed XML), the Unicode
# line and paragraph separators (libyaml counts them as line breaks, so every later line number
# would be off), the bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069:
# they reorder what a reader sees, so a name or a 文号 could display as another) and the two
# non-characters. Raw ones are found before parsing, at their own
# line:col; escaped ones ("\x07", "\0") only exist once a scalar is built, and are found there.
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_SCALAR_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
_CONTROL_HINT = ("这是看不见的控制字符，多由从 Word、网页或其他系统复制粘贴带入：删去它"
                 "（VS Code 里显示为红色小方块）；需要换行就直接换行")
MAX_CONTROL_REPORTS = 20  # a file full of them (a binary pasted in) gets a few lines, not thousands


def _control_name(ch: str) -> str:
    return {"\x00": "空字符", "\x0b": "垂直制表符", "\x0c": "换页符", "\r": "回车符", "\x1b": "ESC",
            "\x7f": "删除符", "\x85": "下一行符", "\u2028": "行分隔符", "\u2029": "段分隔符",
            "\ufffe": "非字符", "\uffff": "非字符"}.get(ch, "代理码位" if "\ud800" <= ch <= "\udfff" else
                                                     "文字方向控制符" if "\u202a" <= ch <= "\u2069" else "控制字符")


def _control_problems(text: str, relpath: str) -> list[Problem]:
    out = []
    for m in RAW_CONTROL.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        line = text.count("\n", 0, m.start()) + 1
        ch = m.group()
        out.append(Problem(relpath, line, m.start() - start + 1, "Y008", f"文件里有不允许的字符：{_control_name(ch)}",
                           _CONTROL_HINT, given=f"U+{ord(ch):04X}"))
        if len(out) >= MAX_CONTROL_REPORTS:
            break
    return out


_FULLWIDTH_INDENT = re.compile(r"^[ \t]*\u3000", re.MULTILINE)
_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


def parse_text(text: str, relpath: str) -> tuple[Document | None, list[Problem]]:
    early: list[Problem] = []
    if RAW_CONTROL.search(text):
        # Reported at each character; the rest of the file is still read (a space in its place keeps
        # every column) so its records are checked and references to them don't turn into noise.
        early = _control_problems(text, relpath)
        text = RAW_CONTROL.sub(" ", text)
    for regex, message, hint in (
        (_FULLWIDTH_INDENT, "行首有全角空格", "YAML 的缩进只能用半角空格；从 Excel 或 Word 复制时常带入全角空格，请删除后用空格缩进"),
        (_TAB_INDENT, "行首用了 Tab 缩进", "YAML 的缩进只能用空格，请把 Tab 换成两个空格"),
    ):
        m = regex.search(text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            return None, [*early, Problem(relpath, line, m.end() - m.start(), "Y001", message, hint)]
    deep = _flow_depth_exceeded(text)
    if deep:
        return None, [*early, Problem(relpath, deep[0], deep[1], "Y001", f"嵌套层次过深（超过 {MAX_DEPTH} 层）",
                                      "记录的结构不会这么深，请检查方括号与花括号")]
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        return None, [*early, _syntax_problem(exc, relpath, text)]
    except (yaml.YAMLError, RecursionError):
        # libyaml's own words are English: say what we can in Chinese instead
        return None, [*early, Problem(relpath, 1, 1, "Y001", "YAML 格式错误，无法读出文件的结构",
                                      "检查缩进与冒号，并删去文件里看不见的特殊字符")]
    pos = Positions()
    problems: list[Problem] = early
    if node is None:
        return Document(relpath, None, pos), problems
    builder = _Builder(relpath, pos, problems)
    data = builder.build(node, (), 0)
    return Document(relpath, data, pos), problems


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth_exceeded(text: str) -> tuple[int, int] | None:
    """Where [ and { nest too deep. libyaml composes recursively in C and
    crashes the interpreter on ~100,000 nested brackets, so we look first.
    Brackets inside quoted text are counted too: harmless, as no real record
    nests anywhere near the limit."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, m.start()) + 1
            return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return None


_SYNTAX_HINTS = [
    ("found character '\\t'", "行内有 Tab 字符，请换成空格"),
    ("mapping values are not allowed", "冒号后面要跟一个空格；文字里本身有冒号时，请给整段文字加引号"),
    ("could not find expected ':'", "这一行缺少“字段名: 值”里的冒号，或上一行的引号没有闭合"),
    ("did not find expected key", "缩进没有对齐：同一层的字段要用相同数量的空格开头"),
    ("did not find expected '-' indicator", "列表的每一项要以“- ”开头并对齐"),
    ("found undefined alias", "不支持 YAML 别名（*名称）；请把内容直接写出来"),
    ("expected a single document", "一个文件只能写一条记录，不要用 --- 分隔多个文档"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found unknown escape character", "双引号里的反斜杠 \\ 需写成 \\\\，或改用单引号"),
    ("invalid Unicode character escape code", "双引号里的 \\u 转义写的不是有效的字符：删去它，或直接写出这个字"),
    # after the escape entries: libyaml says this too when it met a bad escape
    ("while scanning a quoted scalar", "引号没有闭合"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, relpath: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    if exc.context_mark and "unexpected end of stream" in (exc.problem or ""):
        mark = exc.context_mark  # an unclosed quote is found at the end of the file: point at where it opened
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    described = f"{exc.context or ''} {exc.problem or ''}".strip()
    hint = next((h for key, h in _SYNTAX_HINTS if key in described), "检查这一行及上一行的缩进、冒号和引号")
    # libyaml describes the problem in English: show the staff's own line instead
    lines = text.splitlines()
    opened = _unclosed_quote(lines, line)
    if opened is not None:  # the quote ran on to the next one, where YAML found the error: point at its start
        (line, col), hint = opened, "引号没有闭合"
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return Problem(relpath, line, col, "Y001", "YAML 格式错误", hint, given=show_value(shown, 60) or None)


_OPENING_QUOTE = re.compile(r"""^\s*(?:-\s+)?(?:[^'"#:\s][^'"#:]*:\s+)?(['"])""")


def _unclosed_quote(lines: list[str], error_line: int) -> tuple[int, int] | None:
    """(line, col) of a quote opened and not closed on its own line, when the next line holding that
    quote character is the error's (or the one before): the text ran on to there unintended, and YAML
    reports the error far from the mistake. None otherwise: a quoted text may span lines on purpose."""
    for q in range(error_line - 2, max(-1, error_line - 60), -1):
        m = _OPENING_QUOTE.match(lines[q]) if q < len(lines) else None
        if not m:
            continue
        quote, rest = m.group(1), lines[q][m.end():]
        if (rest.replace("''", "") if quote == "'" else re.sub(r"\\.", "", rest)).count(quote):
            continue  # closed on its line
        closing = next((k for k in range(q + 1, len(lines)) if quote in lines[k]), None)
        return (q + 1, m.start(1) + 1) if closing is not None and closing + 1 in (error_line, error_line - 1) else None
    return None


class _Builder:
    """Turn nodes into values, recording positions; report what YAML allows but we refuse."""

    def __init__(self, relpath: str, pos: Positions, problems: list[Problem]):
        self.relpath = relpath
        self.pos = pos
        self.problems = problems
        self.seen: set[int] = set()
        self.alias_reported = False

    def problem(self, node: Node, code: str, message: str, hint: str, given: str | None = None) -> None:
        self.problems.append(
            Problem(self.relpath, node.start_mark.line + 1, node.start_mark.column + 1, code, message, hint,
                    given=given)
        )

    def build(self, node: Node, path: tuple, depth: int) -> Any:
        self.pos.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            # libyaml hands back the anchored node for an alias: refusing it here
            # keeps an alias bomb linear instead of exponential.
            if not self.alias_reported:
                self.problem(node, "Y003", "不支持 YAML 锚点与别名（& 和 *）", "请把重复的内容直接写出来")
                self.alias_reported = True
            self.pos.reported.add(path)
            return None
        self.seen.add(id(node))
        if depth > MAX_DEPTH:
            self.problem(node, "Y001", f"嵌套层次过深（超过 {MAX_DEPTH} 层）", "记录的结构不会这么深，请检查缩进")
            self.pos.reported.add(path)
            return None
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                return self.bad_tag(node, path)
            return [self.build(child, (*path, i), depth + 1) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            if node.tag != MAP:
                return self.bad_tag(node, path)
            return self.mapping(node, path, depth)
        return self.bad_tag(node, path)  # pragma: no cover

    def bad_tag(self, node: Node, path: tuple) -> None:
        self.problem(node, "Y001", "不支持 YAML 标签", "删掉以 ! 开头的标签", given=node.tag)
        self.pos.reported.add(path)
        return None

    def mapping(self, node: MappingNode, path: tuple, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "Y001", "字段名必须是简单的文字", "检查这一行的冒号与缩进")
                continue
            key = self.scalar(key_node, None)
            if isinstance(key, str):
                key = key.strip()
            if key in result:
                self.problem(key_node, "Y002", f"字段「{key}」重复出现", "同一层里每个字段只能写一次，请删除或合并重复的一行",
                             given=show_value(key))
                continue
            self.pos.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def scalar(self, node: ScalarNode, path: tuple | None) -> Any:
        tag, text = node.tag, node.value
        if tag == STR:
            if _SCALAR_CONTROL.search(text):
                ch = _SCALAR_CONTROL.search(text).group()  # type: ignore[union-attr]
                what = "字段名" if path is None else "文字"
                self.problem(node, "Y008", f"{what}里有不允许的字符：{_control_name(ch)}",
                             "多由双引号里的转义写法（如 \\x07、\\0、\\r）带入：删去它；需要换行就直接换行",
                             given=f"U+{ord(ch):04X}")
                if path is not None:
                    self.pos.reported.add(path)
                text = _SCALAR_CONTROL.sub("", text)
            # Excel and Word leave full-width and trailing spaces around pasted text.
            return text.strip()
        if path is not None:
            self.pos.raw[path] = text
        if tag == NULL:
            return None
        if tag == BOOL:
            return text.lower() == "true"
        if tag == INT:
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        if tag == FLOAT:
            lowered = text.lower()
            if lowered.endswith("nan"):
                return float("nan")
            if lowered.endswith("inf"):
                return float("-inf") if lowered.startswith("-") else float("inf")
            return float(text)
        if tag == DATE:
            try:
                y, m, d = (int(part) for part in text.split("-"))
                return dt.date(y, m, d)
            except ValueError:
                self.problem(node, "Y006", "日期不存在", "按 YYYY-MM-DD 填写真实存在的日期，例如 2025-02-28",
                             given=text)
                if path is not None:
                    self.pos.reported.add(path)
                return InvalidDate(text)
        self.problem(node, "Y001", "不支持 YAML 标签", "删掉以 ! 开头的标签", given=tag)
        if path is not None:
            self.pos.reported.add(path)
        return None
