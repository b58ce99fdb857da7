"""What a message a user reads must not be: English, a Python repr, a class name; and what it must be: Chinese."""

from __future__ import annotations

import re

import pydantic

from generator import model, rules

HAN = re.compile(r"[\u3400-\u9fff]")
# Three English words in a row: "Input should be", "could not find expected", …
ENGLISH = re.compile(r"[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}")
PYDANTIC = re.compile(r"Input should|Field required|Extra inputs|Value error|Keys should|valid (?:string|integer|number|date)|"
                      r"instance of|at least|at most|\bcharacters?\b|\bitems?\b|\bNone\b|\bTrue\b|\bFalse\b")
REPR = re.compile(r"'(?:str|int|float|bool|dict|list|tuple|NoneType|date|datetime)'|<class |\b[a-z_]+\(|「」")
CLASS_NAMES = sorted({cls.__name__ for mod in (model, rules) for cls in vars(mod).values()
                      if isinstance(cls, type) and issubclass(cls, pydantic.BaseModel) and cls.__module__ == mod.__name__})
CLASS = re.compile(r"\b(?:" + "|".join(CLASS_NAMES) + r")\b")
TITLED = re.compile(r"「[^」]*[\u3400-\u9fff][^」]*」")


def unreadable(line: str) -> str | None:
    """Why a formatted problem line is not a Chinese message with a Chinese hint, or None when it is.

    The part after 填写的是 quotes the staff's own file and is not judged."""
    body = line.split(": ", 1)[1]
    message, _, hint = body.partition("。提示：")
    said = message.split("（填写的是", 1)[0] + " " + hint
    for what, regex in (("English", ENGLISH), ("pydantic", PYDANTIC), ("repr", REPR), ("class name", CLASS)):
        found = regex.search(said)
        if found:
            return f"{what}: {found.group()!r}"
    if not HAN.search(message) or not HAN.search(hint):
        return "no Chinese message and hint"
    return None
