"""The 数据下载 page: every export with its size, row count and date, and a data dictionary.

The page is rendered after the data files are written (their sizes are only
known then) and spliced into the frame MkDocs rendered for it.
"""

from __future__ import annotations

import csv
import json
import typing
from pathlib import Path

from pydantic import BaseModel

from . import kinds

# data/<name>.json|csv → (title, model): every kind that exports a collection; decisions first, agencies last
# (as the page lists them).
_ORDER = {"decision": 0, "agency": 2}
COLLECTIONS = {k.collection: (k.collection_title, k.model)
               for k in sorted(kinds.KINDS.values(), key=lambda k: _ORDER.get(k.name, 1)) if k.collection}

# Columns the exports add to the contract's fields: their CSV header and their meaning.
EXTRA_HEADERS = {
    "agency": "执法主体编号",
    "certificate": "证件状态",
    "stamps.publish_by": "应公开日期",
    "stamps.publication": "公开情况",
    "stamps.withdraw_by": "应撤回日期",
    "stamps.reconsider_by": "申请行政复议截止日期",
    "stamps.sue_by": "提起行政诉讼截止日期",
    "stamps.public_until": "公示截止日期",
    "stamps.provisional": "期限是否暂定",
}
EXTRA = {
    "agency": "执法主体编号（content/ 下的文件夹名）",
    "certificate": "证件状态（按数据截至日计算：有效、即将到期、已过期、已失效、未生效）",
    "stamps.publish_by": "应公开日期（期限届满日）",
    "stamps.publication": "公开情况：按时公开、逾期公开、逾期未公开、待公开",
    "stamps.withdraw_by": "应撤回日期（决定变更、撤销后）",
    "stamps.reconsider_by": "申请行政复议的截止日期",
    "stamps.sue_by": "提起行政诉讼的截止日期",
    "stamps.public_until": "公示截止日期（期满后撤下）",
    "stamps.provisional": "是否有期限按暂定日历计算（是/否）",
}


def _model_of(annotation: typing.Any) -> type[BaseModel] | None:
    for arg in (annotation, *typing.get_args(annotation)):
        for inner in (arg, *typing.get_args(arg)):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return None


def describe(model: type[BaseModel], column: str) -> str:
    """A CSV column (party.name, basis.0.law …) in words, from the models' Chinese titles."""
    if column in EXTRA:
        return EXTRA[column]
    words: list[str] = []
    current: type[BaseModel] | None = model
    for part in column.split("."):
        if part.isdigit():
            words.append(f"第{int(part) + 1}项")
            continue
        field = current.model_fields.get(part) if current else None
        if field is None:
            words.append(part)
            current = None
            continue
        words.append(field.title or part)
        current = _model_of(field.annotation)
    return " · ".join(words)


def _words(model: type[BaseModel], column: str) -> list[tuple[str, bool]]:
    """(Chinese title, is a list) of each field along a column path; list positions are folded
    into the list's title as a number (执法依据1)."""
    out: list[tuple[str, bool]] = []
    current: type[BaseModel] | None = model
    for part in column.split("."):
        if part.isdigit() and out:
            title, _ = out[-1]
            out[-1] = (f"{title}{int(part) + 1}", True)
            continue
        field = current.model_fields.get(part) if current else None
        out.append((field.title or part if field else part, False))
        current = _model_of(field.annotation) if field else None
    return out


def headers(model: type[BaseModel], paths: list[str]) -> list[str]:
    """The Chinese CSV header of each column (the JSON files keep the contract's field names): the
    field's own title (当事人名称, 审核日期), after its list item when it is inside one (执法依据1·条款);
    where two columns would read alike, the whole path of titles; never two alike."""
    out: list[str] = []
    for path in paths:
        if path in EXTRA_HEADERS:
            out.append(EXTRA_HEADERS[path])
            continue
        words = _words(model, path)
        short = [w for i, (w, is_item) in enumerate(words) if is_item or i == len(words) - 1]
        out.append("·".join(short))
    seen: dict[str, int] = {}
    for h in out:
        seen[h] = seen.get(h, 0) + 1
    for i, path in enumerate(paths):
        if seen[out[i]] > 1 and path not in EXTRA_HEADERS:
            out[i] = "·".join(w for w, _ in _words(model, path))
    taken: set[str] = set()
    for i, path in enumerate(paths):
        if out[i] in taken:  # still alike (a field named like another's path): the field path decides
            out[i] = f"{out[i]}（{path}）"
        taken.add(out[i])
    return out


def columns(path: Path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f), [])


def row_count(path: Path) -> int:
    if path.suffix == ".json":
        return len(json.loads(path.read_text(encoding="utf-8")))
    # Counted by hand, not with csv.reader: its field limit (131,072 characters) is process-wide
    # and a long text (or a list joined into one cell) passes it. Under RFC 4180 quoting a line
    # break outside quotes ends a record; a doubled quote "" inside a field flips twice.
    text = path.read_text(encoding="utf-8-sig")
    outside = text.split('"')[::2]
    records = sum(part.count("\n") for part in outside) + (0 if not text or text.endswith("\n") else 1)
    return max(0, records - 1)


def size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} KB"


def listing(site_dir: Path, agency_ids: list[str], rows: dict[str, int] | None = None,
            fields: dict[str, list[str]] | None = None, kept: dict[str, Path] | None = None) -> dict:
    """What the page shows: sizes from the files as written, row counts as the writer counted them
    (re-reading a county's 40 MB decisions.json for its length took seconds). `fields`: the field
    path of each CSV column as the writer wrote them, for the data dictionary. `kept`: where the
    files this build kept from the previous site are (not in `site_dir`: PageCache.reuse_group)."""
    rows = rows or {}
    fields = fields or {}
    kept = kept or {}

    def at(rel: str) -> Path:
        return kept.get(rel) or site_dir / rel

    def entry(rel: str) -> dict | None:
        path = at(rel)
        if not path.is_file():
            return None
        return {"href": rel, "size": size(path.stat().st_size), "rows": rows[rel] if rel in rows else row_count(path)}

    overall = {name: {fmt: entry(f"data/{name}.{fmt}") for fmt in ("csv", "json")} for name in COLLECTIONS}
    per_agency = {aid: {name: {fmt: entry(f"data/{aid}/{name}.{fmt}") for fmt in ("csv", "json")}
                        for name in COLLECTIONS if name != "agencies"} for aid in agency_ids}
    dictionary = {}
    for name, (_label, model) in COLLECTIONS.items():
        # (CSV header, JSON field, meaning) of every column
        paths = fields.get(f"data/{name}.csv")
        if paths is None:  # not written in this run: the header alone, as the file has it
            path = at(f"data/{name}.csv")
            dictionary[name] = [(c, "", "") for c in columns(path)] if path.is_file() else []
        else:
            dictionary[name] = [(h, p, describe(model, p)) for h, p in zip(headers(model, paths), paths, strict=True)]
    special = {"xzcf": entry("data/shuanggongshi/xzcf.csv"), "xzxk": entry("data/shuanggongshi/xzxk.csv")}
    return {"overall": overall, "per_agency": per_agency, "dictionary": dictionary, "shuanggongshi": special}
