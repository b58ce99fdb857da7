"""`disclose new`: a record to fill in, with every field and a Chinese comment on each.

The templates are drawn from the model itself, so a field added to the
contract shows up here (and its title and description become the comment).
A decision gets its own new file; an officer, power or benchmark is appended
to its list file. Nothing a staff member wrote is ever rewritten, except a
list written in brackets ([] or [{...}]), which has to become a "- " list to
take a commented item. Every value is written by `yamlwrite`, so that an
agency id like 123 or a 文号 with a # in it reads back as the text it is.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
import unicodedata
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from . import kinds, yamlwrite
from .model import MAX_CODE, Agency, Benchmark, Decision, allowed


class ScaffoldError(Exception):
    pass


AGENCY_ID = re.compile(r"[a-z0-9-]+")  # what Agency.id allows; it names a folder under content/
_AGENCY_ID_MODEL = TypeAdapter(Agency.model_fields["id"].rebuild_annotation())  # the model's own limits


def agency_id(text: str) -> str:
    """The agency id as given, or ValueError (Chinese) when it could name something outside content/
    or is one the model would then refuse (longer than its limit: a folder name the model rejects,
    or one the file system cannot even create)."""
    if not AGENCY_ID.fullmatch(text):
        raise ValueError(f"执法主体编号只能用小写字母、数字和连字符（content/ 下的文件夹名），例如 scjg；填写的是「{text}」")
    if len(text) > MAX_CODE:
        raise ValueError(f"执法主体编号太长（{len(text)} 个字符，上限 {MAX_CODE} 个）：用简短的拼音缩写，例如 scjg")
    try:
        _AGENCY_ID_MODEL.validate_python(text)
    except ValidationError:  # a limit the model gained that this function does not know yet
        raise ValueError(f"执法主体编号不符合 agency.yaml 里 id 的要求，例如 scjg；填写的是「{text[:40]}」") from None
    return text


COMMENT_COL = 34  # comments line up here, so a clerk reads a column of explanations

# file name inside content/<agency>/ of each list record (officer, power, benchmark)
LIST_FILES = {k.name: (k.files.path, k.model) for k in kinds.agency_lists()}

_CASE_NO = re.compile(r"^(?P<prefix>.+?)[〔\[（(](?P<year>\d{4})[〕\]）)]第?(?P<n>\d+)号$")
_FIELD_LINE = re.compile(r"^(case_no|kind):\s*['\"]?(.+?)['\"]?\s*(?:#.*)?$", re.M)


# ---------------------------------------------------------------- the next 文号


def field_values(folder: Path, names: tuple[str, str]) -> list[tuple[str, str]]:
    """(first, second) top-level values of every record file under a folder that has the first: the 文号
    and kind of supervision notices or coordination letters, read with a pattern like case_numbers."""
    pattern = re.compile(rf"^({'|'.join(map(re.escape, names))}):\s*['\"]?(.+?)['\"]?\s*(?:#.*)?$", re.M)
    found = []
    for path in sorted(folder.rglob("*.yaml")) if folder.is_dir() else ():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        fields = {m.group(1): m.group(2).strip() for m in pattern.finditer(text)}
        if names[0] in fields:
            found.append((fields[names[0]], fields.get(names[1], "")))
    return found


def sequence(number: str | None) -> int | None:
    """The sequence number of a 文号 (…〔2026〕第3号 → 3), for the file name."""
    m = _CASE_NO.match(number) if number else None
    return int(m["n"]) if m else None


def case_numbers(root: Path, agency: str) -> list[tuple[str, str]]:
    """(case_no, kind) of every decision the agency has, published or draft (a draft holds its number too).

    Read with a pattern, not the YAML parser: thousands of files, two top-level lines each.
    """
    found = []
    for base in (root / "content" / agency / "decisions", root / "drafts" / agency / "decisions"):
        for path in base.rglob("*.yaml") if base.is_dir() else ():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            fields = {m.group(1): m.group(2).strip() for m in _FIELD_LINE.finditer(text)}
            if "case_no" in fields:
                found.append((fields["case_no"], fields.get("kind", "")))
    return found


def next_case_no(case_nos: list[str], year: int) -> str | None:
    """The number after the highest of the sequence this agency uses most, in `year`.

    示市监罚决字〔2026〕第20号 → 示市监罚决字〔2026〕第21号; in a new year the sequence
    starts again at 第1号. The bracket style of the latest number is kept.
    """
    parsed = [(m, no) for no in case_nos if (m := _CASE_NO.match(no))]
    if not parsed:
        return None
    prefixes = [m["prefix"] for m, _ in parsed]
    prefix = max(set(prefixes), key=lambda p: (prefixes.count(p), p))
    ours = [(int(m["year"]), int(m["n"]), no) for m, no in parsed if m["prefix"] == prefix]
    this_year = [n for y, n, _ in ours if y == year]
    latest = max(ours)[2]
    open_, close = ("〔", "〕") if "〔" in latest else ("[", "]") if "[" in latest else ("（", "）")
    return f"{prefix}{open_}{year}{close}第{max(this_year, default=0) + 1}号"


# ---------------------------------------------------------------- templates from the model


def inner(annotation: Any) -> Any:
    """The annotation without `| None`."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def model_in(annotation: Any) -> type[BaseModel] | None:
    ann = inner(annotation)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    if typing.get_origin(ann) is list:
        (item,) = typing.get_args(ann)
        if typing.get_origin(item) is typing.Annotated:  # a model with a validator: notices' concerns
            item = typing.get_args(item)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _comment(info: FieldInfo, required: bool) -> str:
    text = info.title or ""
    if info.description:
        text += f"：{info.description}"
    options = allowed(info.annotation)
    if options and not all(o in text for o in options):
        text += "。可填：" + "、".join(dict.fromkeys(options))
    optional = not required and info.default in (None, []) and "必填" not in (info.description or "")
    return text + ("（可不填）" if optional else "")


def _placeholder(info: FieldInfo, today: dt.date) -> Any:
    """The value a field starts with: its default, today for a date, the first allowed value, or empty."""
    ann = inner(info.annotation)
    if not info.is_required() and info.default is not None and not callable(info.default_factory):
        return info.default
    if info.default_factory is not None:
        return [] if typing.get_origin(ann) is list else {}
    if ann is dt.date or typing.get_args(ann)[:1] == (dt.date,):
        return today
    options = allowed(ann)
    if options:
        return options[0]
    if typing.get_origin(ann) is list:
        return [""]
    return ""


def _yaml(value: Any) -> str:
    """A value as it stands after `key: `, written as the reader will read it back."""
    return yamlwrite.flow(value) if isinstance(value, list | dict) else yamlwrite.scalar(value)


Line = tuple[str, str]  # (YAML text, comment)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render(lines: list[Line]) -> str:
    """Comments aligned in one column (Chinese characters count double, as editors show them)."""
    out = []
    for body, comment in lines:
        pad = max(COMMENT_COL - _width(body), 2)
        out.append(f"{body}{' ' * pad}# {comment}" if comment else body)
    return "\n".join(out) + "\n"


def _comment_out(lines: list[Line], at: int) -> list[Line]:
    return [(body[:at] + "# " + body[at:], comment) for body, comment in lines]


def _as_item(lines: list[Line], at: int) -> list[Line]:
    """Lines written at indent `at + 2` become one list item: "- " in place of the first indent."""
    body, comment = lines[0]
    return [(body[:at] + "- " + body[at + 2:], comment), *lines[1:]]


def template(model: type[BaseModel], today: dt.date, values: dict[str, Any] | None = None,
             show: frozenset[str] = frozenset(), indent: str = "", path: str = "") -> list[Line]:
    """YAML lines for every field of `model`, each with its comment.

    values: dotted field path → value to put there instead of the placeholder;
    show: optional nested groups written out live (for example a decision's benchmark);
    other optional groups have their fields commented out, ready to be uncommented.
    """
    values = values or {}
    lines: list[Line] = []
    for name, info in model.model_fields.items():
        key = info.alias or name  # `from` is a Python word: the model says from_, the file says from
        dotted = f"{path}{key}"
        required = info.is_required()
        nested = model_in(info.annotation)
        if dotted in values:
            lines.append((f"{indent}{key}: {_yaml(values[dotted])}", _comment(info, required)))
        elif nested is not None:
            live = required or dotted in show
            lines.append((f"{indent}{key}:", _comment(info, live)))
            if typing.get_origin(inner(info.annotation)) is list:
                block = _as_item(template(nested, today, values, show, indent + "    ", dotted + "."),
                                 len(indent) + 2)
            else:
                block = template(nested, today, values, show, indent + "  ", dotted + ".")
            lines += block if live else _comment_out(block, len(indent) + 2)
        elif required:
            lines.append((f"{indent}{key}: {_yaml(_placeholder(info, today))}", _comment(info, True)))
        else:
            value = _yaml(_placeholder(info, today)) if (info.default is not None or info.default_factory) else ""
            lines.append((f"{indent}{key}:" + (f" {value}" if value else ""), _comment(info, False)))
    return lines


# ---------------------------------------------------------------- the command


def free(path: Path) -> Path:
    """The path, or the first of path-2, path-3 … that does not exist yet."""
    if not path.exists():
        return path
    for i in range(2, 10000):
        candidate = path.with_name(f"{path.stem}-{i}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise ScaffoldError(f"找不到可用的文件名：{path}")


_free = free  # the name generator/import_decisions.py imports


def write_new(target: Path, text: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as fh:  # "x": fail rather than overwrite
        fh.write(text)
    return target


def decision_text(root: Path, agency: str, today: dt.date, kind: str = "行政处罚") -> tuple[str, str | None]:
    used = case_numbers(root, agency)
    # Each kind has its own sequence (罚决字, 许字 …); a first decision of a kind follows the others.
    proposed = next_case_no([no for no, k in used if k == kind], today.year) \
        or (next_case_no([no for no, _ in used], today.year) if kind == "行政处罚" else None)
    values = {"case_no": proposed or "", "kind": kind, "penalty_types": ["罚款"] if kind == "行政处罚" else [],
              "officers": ["", ""], "benchmark.level": "一般处罚"}
    show = frozenset({"benchmark"} if kind == "行政处罚" else set())
    head = ["# 执法决定：逐项填写后保存，说明见网站的使用说明（网址 guide/records/）。一个文件只写一份决定。",
            "# 标着“可不填”的字段不适用时留空；以 # 开头的行是说明或备用字段，去掉行首的“# ”即可启用。"]
    if proposed:
        head.append(f"# 文号按本主体已用的最大号顺延为 {proposed}，请与纸质决定书核对。")
    return "\n".join(head) + "\n" + render(template(Decision, today, values, show)), proposed


def new_decision(root: Path, agency: str, today: dt.date, kind: str, draft: bool) -> Path:
    text, proposed = decision_text(root, agency, today, kind)
    base = (root / "drafts" if draft else root / "content") / agency / "decisions" / str(today.year)
    seq = _CASE_NO.match(proposed)["n"] if proposed else None  # type: ignore[index]
    name = f"{today.isoformat()}-{int(seq):03d}.yaml" if seq else f"{today.isoformat()}.yaml"
    return write_new(free(base / name), text)


def names() -> list[str]:
    """What `disclose new` can make: every kind with a scaffold, and the list kinds."""
    return [k.name for k in kinds.KINDS.values() if k.scaffold is not None or k.name in LIST_FILES]


def new_record(root: Path, kind: str, agency: str | None, today: dt.date, *, draft: bool = False,
               decision_kind: str | None = None) -> Path:
    """Write a commented record of a kind; `decision_kind` is the `--kind` option (a decision's or a notice's kind …)."""
    found = kinds.KINDS.get(kind)
    if found is None or kind not in names():
        raise ScaffoldError(f"不支持新建“{kind}”：可以新建 " + "、".join(names()))
    if agency is not None:
        try:
            agency_id(agency)
        except ValueError as exc:
            raise ScaffoldError(str(exc)) from None
    if found.files.scope == kinds.AGENCY:
        if agency is None:
            raise ScaffoldError(f"新建{found.title}要写明执法主体：--agency 主体编号")
        if kind != "agency" and not (root / "content" / agency / "agency.yaml").is_file():
            raise ScaffoldError(f"执法主体 {agency} 不存在：先运行 disclose new agency --agency {agency}")
    if decision_kind is not None and found.scaffold_option and decision_kind not in found.scaffold_option:
        raise ScaffoldError(f"{found.title}的 --kind 只能是：" + "、".join(found.scaffold_option))
    if found.scaffold is not None:
        return found.scaffold(root, today, agency, decision_kind, draft)
    return _append_item(root, root / "content" / str(agency), kind, today)


def _append_item(root: Path, folder: Path, kind: str, today: dt.date) -> Path:
    """A list file holds many records: add a commented item at its end, keeping what is there."""
    name, model = LIST_FILES[kind]
    target = folder / name
    shown = target.relative_to(root).as_posix()
    values = {"tiers.level": "一般处罚"} if model is Benchmark else None
    item = render(_as_item(template(model, today, values, indent="  "), 0))
    block = f"# 新增的{model.model_config.get('title', '')}：逐项填写\n" + item
    try:
        existing, bom = yamlwrite.read_file(target, shown)
        old = yamlwrite.read_list(existing, shown)
        text = yamlwrite.append_items(existing, block, shown)
    except yamlwrite.WriteError as exc:
        raise ScaffoldError(str(exc)) from None
    yamlwrite.check_written(text, shown, old + yamlwrite.read_list(item, shown))
    yamlwrite.write_file(target, text, bom)
    return target
