"""Turn pydantic's validation errors into Chinese problems at the right line and column.

A table of friendly messages keyed by pydantic's error type; the field's
Chinese title comes from the model, the position from the YAML reader.
pydantic's own English text (err["msg"]) is never shown: an error type this
table does not know still gets a Chinese message, with the field's
description as the hint.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

from .model import EARLIEST, LATEST, allowed
from .problems import Problem, show_value
from .yamlio import Positions

_HAN = re.compile(r"[\u3400-\u9fff]")
_QUOTED = re.compile(r"'([^']*)'")


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _bare(annotation: Any) -> Any:
    """The annotation without `| None` and without Annotated[...] metadata."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def field_at(model: type[BaseModel], loc: tuple) -> tuple[str, str, type[BaseModel] | None, Any, str]:
    """(name, Chinese title, model holding the field, type at loc, where inside the field) for a pydantic loc.

    "Where inside" names the list item or table entry below the field: 第2项, 下的「2027」; the type is
    then that item's."""
    name, title, holder, trail = "", "", model, ""
    current: Any = model
    for part in loc:
        bare = _bare(current)
        origin = typing.get_origin(bare)
        args = typing.get_args(bare)
        if origin is dict and len(args) == 2:
            trail, current = trail + f"下的「{part}」", args[1]
            continue
        if origin is list and args:
            trail, current = trail + (f"第{part + 1}项" if isinstance(part, int) else f"「{part}」"), args[0]
            continue
        branch = next((a for a in typing.get_args(bare) if getattr(a, "__name__", None) == part), None)
        if branch is not None:  # pydantic names the branch of a plain union it tried: not a field
            current = branch
            continue
        found = _inner_model(bare)
        info = _field_info(found, part) if found is not None and isinstance(part, str) else None
        if info is None:  # a name the model does not have (reported as unknown)
            holder, name, title, trail, current = found or holder, str(part), str(part), "", None
            continue
        holder, name, title, trail, current = found, part, info.title or part, "", info.annotation
    return name, title, holder, current, trail


def _field_info(model: type[BaseModel], name: str) -> Any:
    """A field by its name in the file: its alias when it has one (`from`, a Python word, is from_ in the model)."""
    info = model.model_fields.get(name)
    if info is not None and info.alias is None:
        return info
    return next((i for i in model.model_fields.values() if i.alias == name), None)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否（true/false）"
    if isinstance(value, float) and math.isnan(value):
        return "非数字（.nan）"
    if isinstance(value, float) and math.isinf(value):
        return "无穷大（.inf）"
    if isinstance(value, float) and not value.is_integer():
        return "小数"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, dt.date):
        return "日期"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "一组字段"
    if value is None:
        return "空值"
    return "文字"


def _names(text: str) -> str:
    """pydantic's context lists values as 'a', 'b': show them as a、b."""
    found = _QUOTED.findall(text)
    return "、".join(found) if found else text


def problems_from_error(
    exc: ValidationError, model: type[BaseModel], path: str, pos: Positions, prefix: tuple = ()
) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        is_key = "[key]" in err["loc"]
        loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and "[" in part))
        full = (*prefix, *loc)
        if full in pos.reported:
            continue
        out.append(_key(err, model, loc, full, path, pos) if is_key else _one(err, model, loc, full, path, pos))
    return out


def _key(err: dict, model: type[BaseModel], loc: tuple, full: tuple, path: str, pos: Positions) -> Problem:
    """A name in a table (calendar years, privacy_exempt) that is of the wrong kind."""
    name, title, _holder, annotation, trail = field_at(model, loc[:-1])
    label = (f"「{title}」({name})" if title != name else f"「{name}」") + trail
    key = loc[-1]
    line, col = pos.key_at(full)
    key_type = typing.get_args(_bare(annotation))[:1]
    if key_type and _bare(key_type[0]) is int:
        return Problem(path, line, col, "F003", f"{label}下的「{key}」应是年份", "写成不加引号的四位数字，例如 `2027:`，"
                       "下面缩进两格写 source、holidays、workdays", given=show_value(key))
    return Problem(path, line, col, "F003", f"{label}下的「{key}」应是一个字段名",
                   "写需要豁免的字段名，例如 `facts: 理由`" if name == "privacy_exempt" else "写成文字", given=show_value(key))


def _date_hint(name: str, required: bool) -> str:
    start = "不要用 9999-12-31、1900-01-01 之类的占位日期："
    if name == "valid_until":
        return start + "长期有效的执法证请填写证件上载明的有效期止；证件上确实没有截止日期的，请与发证机关核实"
    if not required:
        return start + "没有这个日期时删去这一行"
    return start + "填写文书或证件上载明的真实日期"


def _one(err: dict, model: type[BaseModel], loc: tuple, full: tuple, path: str, pos: Positions) -> Problem:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    name, title, holder, annotation, trail = field_at(model, loc)
    label = (f"「{title}」({name})" if title != name else f"「{name}」") + trail
    info = _field_info(holder, name) if holder is not None and isinstance(name, str) else None
    description = (info.description if info else None) or ""
    scalar = not isinstance(value, dict | list)
    given = pos.raw.get(full) if full in pos.raw else (show_value(value) if scalar else None)
    line, col = pos.at(full)
    base = _bare(annotation)

    if kind == "missing":
        code, msg = "F001", f"缺少必填字段{label}"
        parent = ".".join(str(p) for p in loc[:-1])
        hint = f"在{('「' + parent + '」') if parent else '文件'}里添加一行 `{name}: …`"
        given = None
    elif kind in ("extra_forbidden", "invalid_key"):  # invalid_key: a number where a field name belongs
        name = loc[-1] if loc else name
        line, col = pos.key_at(full)
        fields = [i.alias or n for n, i in holder.model_fields.items()] if holder else []
        code, msg = "F002", f"未知字段「{name}」"
        tables = [f for f, i in (holder.model_fields.items() if holder else ())
                  if typing.get_origin(_bare(i.annotation)) is dict and typing.get_args(_bare(i.annotation))[0] is int]
        if isinstance(name, int) and tables:
            hint = f"年份要写在 `{tables[0]}:` 下面，缩进两格"
        else:
            close = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.6)
            hint = (f"是不是想写「{close[0]}」？" if close else "") + "允许的字段：" + "、".join(fields)
        given = None
    elif kind == "literal_error":
        options = allowed(annotation)
        code, msg = "F004", f"{label}的值不在允许范围内"
        hint = "只能填写：" + "、".join(dict.fromkeys(options)) if options else "检查拼写"
    elif kind in ("enum", "union_tag_invalid", "union_tag_not_found"):
        code, msg = "F004", f"{label}的值不在允许范围内"
        hint = "只能填写：" + _names(str(ctx.get("expected") or ctx.get("expected_tags") or "")) if ctx else "检查拼写"
        given = str(ctx["tag"]) if "tag" in ctx else given
    elif kind in ("string_type", "str_type"):
        code, msg = "F003", f"{label}应为文字，这里写成了{_kind_of(value)}"
        if scalar and value is not None:
            where = "-" if loc and isinstance(loc[-1], int) else f"{loc[-1] if loc else name}:"
            hint = (f"给它加上引号，例如 {where} '{pos.raw.get(full, value)}'"
                    "（编号、证号以 0 开头或全是数字时尤其要加）")
        elif value is None:
            hint = "填写内容" if trail or info is None or info.is_required() else "填写内容，或删除这一行"
        else:
            hint = "这里只写一段文字，不要写成列表或下一层字段"
    elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        code, msg = "F005", f"{label}应为日期，这里写成了{_kind_of(value)}"
        hint = "按 YYYY-MM-DD 填写，例如 2025-03-08"
    elif kind == "date_impossible":
        code, msg = "Y006", f"{label}的日期不存在"
        hint = "按 YYYY-MM-DD 填写真实存在的日期，例如 2025-02-28"
    elif kind == "date_range":
        code = "T003"
        msg = f"{label}的日期超出范围（应在 {EARLIEST.isoformat()} 至 {LATEST.isoformat()} 之间）"
        hint = _date_hint(str(name), bool(info and info.is_required()))
    elif kind == "finite_number":
        code, msg = "F003", f"{label}应为具体的数字，这里写成了{_kind_of(value)}"
        hint = "只写阿拉伯数字，例如 5000"
    elif kind in ("int_type", "int_parsing", "int_from_float") or (kind.startswith("int") and base is int):
        code, msg = "F003", f"{label}应为整数，这里写成了{_kind_of(value)}"
        hint = f"只写阿拉伯数字，不加引号和单位，例如 {name}: 7"
    elif kind in ("float_type", "float_parsing"):
        code, msg = "F003", f"{label}应为数字，这里写成了{_kind_of(value)}"
        hint = "金额以元为单位，只写数字，不要加“元”“万元”或千分位逗号，例如 5000"
    elif kind in ("bool_type", "bool_parsing"):
        code, msg = "F003", f"{label}应为 true 或 false，这里写成了{_kind_of(value)}"
        hint = "写 true（是）或 false（否），不加引号"
    elif kind in ("list_type", "tuple_type", "set_type"):
        code, msg = "F003", f"{label}应为列表，这里写成了{_kind_of(value)}"
        hint = "每一项另起一行，以“- ”开头；只有一项也要写成列表"
    elif kind in ("model_type", "dict_type", "model_attributes_type", "dataclass_type"):
        code, msg = "F003", f"{label}应为一组字段，这里写成了{_kind_of(value)}"
        if typing.get_origin(base) is dict and _bare((typing.get_args(base) or (None,))[0]) is int:
            hint = "按年份逐年写：另起一行写 `2027:`，下面缩进两格写 source、holidays、workdays"
        else:
            hint = "在它下面另起一行，缩进两个空格，逐行写“字段名: 值”"
    elif kind == "too_short":
        code, msg = "F001", f"{label}至少要有 {ctx.get('min_length', 1)} 项"
        hint = "每一项另起一行，以“- ”开头"
    elif kind == "string_too_short":
        code, msg = "F001", f"{label}不能为空"
        hint = "填写内容" if trail or info is None or info.is_required() else "填写内容，或删除这一行"
    elif kind == "too_long":
        code = "F011"
        count = len(value) if isinstance(value, list | dict) else ctx.get("actual_length")
        msg = f"{label}的项数太多（{count} 项，上限 {ctx.get('max_length')} 项）"
        hint = "检查是否误把别的内容粘贴了进来；确实需要这么多项时，请拆成多条记录"
        given = None
    elif kind == "string_too_long":
        code = "F011"
        msg = f"{label}太长（{len(value) if isinstance(value, str) else '?'} 字，上限 {ctx.get('max_length')} 字）"
        hint = ("编号、文号、证号不会这么长，请核对" if ctx.get("max_length", 0) < 1000
                else "公示内容请写要点，完整文书另行存档；也检查是否误把别的内容粘贴了进来")
    elif kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        code = "F003"
        least = "不小于" if kind == "greater_than_equal" else "大于"
        msg = f"{label}不能是负数" if bound == 0 and kind == "greater_than_equal" else f"{label}应{least} {bound}"
        hint = "填写 0 或正数" if bound == 0 else "核对数值"
    elif kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        code, msg = "F003", f"{label}应{'不大于' if kind == 'less_than_equal' else '小于'} {bound}"
        hint = "数值超出合理范围，请核对" + (f"：{description}" if description else "")
    elif kind == "money_range":
        code, msg = "F003", f"{label}超过一万亿元，不会是真实的金额"
        hint = "金额以元为单位，只写数字；核对是否多写了零，或写成了 1e308 这样的科学记数法"
    elif kind == "repeated_item":
        code, msg = "F013", f"{label}里「{ctx.get('item')}」写了两次"
        hint = "同一项只写一次：删去重复的一项" + ("；承办的两名执法人员要写两个不同的执法证号" if name == "officers" else "")
        line, col = pos.at((*full, ctx.get("index", 0)))
        given = None
    elif kind == "string_pattern_mismatch":
        code, msg = "F003", f"{label}格式不对"
        hint = "只能用小写字母、数字和连字符 -"
    elif kind == "credit_code":
        code, msg = "F006", err["msg"]
        hint = "对照营业执照或登记证书核对18位代码"
    elif kind == "one_unit":
        code, msg = "F007", err["msg"]
        hint = "例如 working_days: 7"
    else:
        # An error type this table does not know (a new validator, a pydantic upgrade): still Chinese.
        own = str(ctx.get("error", "")) if kind == "value_error" else err.get("msg", "")
        code = "F003"
        msg = f"{label}填写有误" + (f"：{own}" if _HAN.search(own or "") else "")
        hint = "对照字段说明修改" + (f"：{description}" if description else "")
    return Problem(path, line, col, code, msg, hint, given=given)
