"""Turn pydantic's validation errors into Chinese problems at the right line and column.

A table of friendly messages keyed by pydantic's error type; the field's
Chinese title comes from the model, the position from the YAML reader.
"""

from __future__ import annotations

import datetime as dt
import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .model import allowed
from .problems import Problem, show_value
from .yamlio import Positions


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def field_at(model: type[BaseModel], loc: tuple) -> tuple[str, str, type[BaseModel] | None, Any]:
    """(name, Chinese title, model holding the field, field annotation) for a pydantic loc."""
    current: type[BaseModel] | None = model
    name, title, holder, annotation = "", "", model, None
    for part in loc:
        if not isinstance(part, str) or current is None:
            continue
        info = current.model_fields.get(part)
        if info is None:
            holder, name, title = current, part, part
            continue
        holder, name, title, annotation = current, part, info.title or part, info.annotation
        current = _inner_model(info.annotation)
    return name, title, holder, annotation


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "是/否"
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


def problems_from_error(
    exc: ValidationError, model: type[BaseModel], path: str, pos: Positions, prefix: tuple = ()
) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(part for part in err["loc"] if not (isinstance(part, str) and "[" in part))
        full = (*prefix, *loc)
        if full in pos.reported:
            continue
        out.append(_one(err, model, loc, full, path, pos))
    return out


def _one(err: dict, model: type[BaseModel], loc: tuple, full: tuple, path: str, pos: Positions) -> Problem:
    kind = err["type"]
    value = err.get("input")
    name, title, holder, annotation = field_at(model, loc)
    label = f"「{title}」({name})" if title != name else f"「{name}」"
    given = pos.raw.get(full) if full in pos.raw else (show_value(value) if not isinstance(value, dict | list) else None)
    line, col = pos.at(full)

    if kind == "missing":
        code, msg = "F001", f"缺少必填字段{label}"
        parent = ".".join(str(p) for p in loc[:-1])
        hint = f"在{('「' + parent + '」') if parent else '文件'}里添加一行 `{name}: …`"
        given = None
    elif kind == "extra_forbidden":
        line, col = pos.key_at(full)
        fields = list(holder.model_fields) if holder else []
        close = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.6)
        code, msg = "F002", f"未知字段「{name}」"
        hint = (f"是不是想写「{close[0]}」？" if close else "") + "允许的字段：" + "、".join(fields)
        given = None
    elif kind == "literal_error":
        options = allowed(annotation)
        code, msg = "F004", f"{label}的值不在允许范围内"
        hint = "只能填写：" + "、".join(options) if options else "检查拼写"
    elif kind in ("string_type", "str_type"):
        code, msg = "F003", f"{label}应为文字，这里写成了{_kind_of(value)}"
        hint = f"给它加上引号，例如 {name}: '{pos.raw.get(full, value)}'（编号、证号以 0 开头或全是数字时尤其要加）"
    elif kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        code, msg = "F005", f"{label}应为日期"
        hint = "按 YYYY-MM-DD 填写，例如 2025-03-08"
    elif kind == "date_impossible":
        code, msg = "Y006", f"{label}的日期不存在"
        hint = "按 YYYY-MM-DD 填写真实存在的日期，例如 2025-02-28"
    elif kind in ("int_type", "float_type", "int_from_float", "finite_number"):
        code, msg = "F003", f"{label}应为数字，这里写成了{_kind_of(value)}"
        hint = "金额以元为单位，只写数字，不要加“元”“万元”或千分位逗号，例如 5000"
    elif kind == "bool_type":
        code, msg = "F003", f"{label}应为 true 或 false"
        hint = "写 true（是）或 false（否）"
    elif kind in ("list_type",):
        code, msg = "F003", f"{label}应为列表，这里写成了{_kind_of(value)}"
        hint = "每一项另起一行，以“- ”开头"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        code, msg = "F003", f"{label}应为一组字段，这里写成了{_kind_of(value)}"
        hint = "在它下面另起一行，缩进两个空格，逐行写“字段名: 值”"
    elif kind in ("too_short", "string_too_short"):
        code, msg = "F001", f"{label}不能为空"
        hint = "填写内容，或删除这一行（仅限非必填字段）"
    elif kind in ("greater_than_equal", "greater_than"):
        code, msg = "F003", f"{label}不能是负数"
        hint = "填写 0 或正数"
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
        code, msg = "F003", f"{label}填写有误：{err['msg']}"
        hint = "对照字段说明修改"
    return Problem(path, line, col, code, msg, hint, given=given)

