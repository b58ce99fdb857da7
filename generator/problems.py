"""Problems: every mistake or warning the pipeline finds, with where it is.

Nothing below the CLI prints: modules return Problems and the CLI decides
what to show and which exit code follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ERROR = "错误"
WARNING = "警告"
NOTICE = "提示"  # worth knowing, nothing to fix yet: --strict does not fail on it


# Characters of a file name that a console or a log would act on rather than show: control characters
# (a terminal escape, a line break that would start a line of its own), the marks that turn text right
# to left, and the halves of bytes that were not UTF-8 (a name from a GBK archive).
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def shown_path(path: str) -> str:
    """A path as a problem names it: every character in _UNSHOWN written as its escape (\\x1b)."""
    return _UNSHOWN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), path)


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the project root, with forward slashes
    line: int
    col: int
    code: str
    message: str  # Chinese, what is wrong
    hint: str = ""  # Chinese, how to fix it
    severity: str = ERROR
    given: str | None = None  # what the file says, shown as （填写的是 …）

    def format(self) -> str:
        given = f"（填写的是 {self.given}）" if self.given not in (None, "") else ""
        hint = f"提示：{self.hint}" if self.hint else ""
        text = f"{self.message}{given}。{hint}"
        return f"{shown_path(self.path)}:{self.line}:{self.col}: {self.severity} {self.code} {text}".rstrip()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def fails_strict(self) -> bool:
        return self.severity in (ERROR, WARNING)


def rel(path: Path, root: Path) -> str:
    try:  # plain prefix first: resolve() costs a syscall per path component
        return path.relative_to(root).as_posix()
    except ValueError:
        pass
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def show_value(value: object, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def summary(problems: list[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    notices = len(problems) - errors - warnings
    if not errors and not warnings:
        return "检查通过：没有发现错误。" + (f"另有 {notices} 条提示。" if notices else "")
    return (f"共 {errors} 个错误，{warnings} 个警告" + (f"，{notices} 条提示" if notices else "") + "。"
            + ("请按提示逐条修改后重试；每个错误代码的例子和改法见网站的使用说明 guide/errors/ 页（预览时是 http://127.0.0.1:8000/guide/errors/）。" if errors else ""))
