"""The data files a build writes beside the pages: JSON/CSV per collection (site-wide and per
agency), certificate lookup shards, Atom feeds, 双公示 and the yearly statistics.

Every row comes from the public view (site.agencies, site.shown): masked, nothing withheld,
drafted or expired. Kept out of render.py so that pages and data files don't import each other.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from . import feeds, kinds, public, shuanggongshi, statistics
from .downloads import COLLECTIONS
from .render import CERT_CLASS, Site, _flat_memo, page_url, to_csv

LISTS = tuple(k.attr for k in kinds.agency_lists())  # officers, powers, benchmarks: one list file per agency
NAMES = ("agencies", *LISTS, "decisions", "certificates", "feeds", "shuanggongshi", "per_agency", "statistics",
         "supervision")


def _json(items: Any) -> bytes:
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def exports(site: Site, only: tuple[str, ...] | None = None) -> dict[str, bytes]:
    """uri → bytes of every data file (or of the groups named in `only`)."""
    rows: dict[str, Any] = {  # built on demand: a preview asks only for what a decision changes
        "agencies": lambda: [agency_row(d) for d in site.agencies.values()],
        **{name: (lambda name=name: [r for aid in site.agencies for r in list_rows(site, aid, name)]) for name in LISTS},
        "decisions": lambda: decision_rows(site),
    }
    out: dict[str, bytes] = {}
    for name, make in rows.items():
        if only is not None and name not in only:
            continue
        items = make()
        site.export_rows[f"data/{name}.json"] = site.export_rows[f"data/{name}.csv"] = len(items)
        out[f"data/{name}.json"] = _json(items)
        fields = site.export_fields.setdefault(f"data/{name}.csv", [])
        out[f"data/{name}.csv"] = to_csv(items, COLLECTIONS[name][1], fields)
    if only is None or "certificates" in only:
        out.update(certificate_shards(site))
    if only is None or "feeds" in only:
        out.update(feeds.feeds(site))
    if only is None or "statistics" in only:
        names = {aid: d.agency.name for aid, d in site.agencies.items()}
        for y in statistics.years(site.project, site.today):
            out[f"data/statistics/{y.year}.csv"] = statistics.to_csv(y, names)
    if only is None or "per_agency" in only:
        out.update(agency_exports(site))
    if only is None or "shuanggongshi" in only:
        out.update(shuanggongshi.exports(site))
    if (only is None or "supervision" in only) and site.supervision_page:
        # the 执法监督 page's data: public records, the rest counted (public.supervision_json)
        out["data/supervision.json"] = json.dumps(public.supervision_json(site.supervision, site.today),
                                                  ensure_ascii=False, indent=1).encode("utf-8")
    return out


def list_rows(site: Site, aid: str, name: str) -> list[dict[str, Any]]:
    """One agency's officers, powers or benchmarks as exported: contract fields plus its agency
    (and, for officers, the certificate status as of the build date)."""
    records = getattr(site.agencies[aid], name)
    rows = [{**r.model_dump(mode="json", exclude_none=True), "agency": aid} for r, _ in records]
    if name == "officers":
        for row, (o, _) in zip(rows, records, strict=True):
            row["certificate"] = public.certificate_status(o, site.today)
    return rows


def release(site: Site) -> None:
    """Drop the rows kept while the data files were written (tens of MB at county scale)."""
    site.decision_rows_kept = None
    _flat_memo.clear()


def decision_rows(site: Site) -> list[dict[str, Any]]:
    if site.decision_rows_kept is None:
        site.decision_rows_kept = [public.decision_row(e) for e in site.shown]
    return site.decision_rows_kept


def agency_exports(site: Site) -> dict[str, bytes]:
    """data/<agency>/<collection>.json|csv: the same rows as the site-wide files, one agency each."""
    out: dict[str, bytes] = {}
    by_agency: dict[str, list] = defaultdict(list)
    for row in decision_rows(site):  # the site-wide rows, split: not computed twice
        by_agency[row["agency"]].append(row)
    for aid in site.agencies:
        rows = {
            "decisions": by_agency.get(aid, []),
            **{name: list_rows(site, aid, name) for name in LISTS},
        }
        for name, items in rows.items():
            site.export_rows[f"data/{aid}/{name}.json"] = site.export_rows[f"data/{aid}/{name}.csv"] = len(items)
            out[f"data/{aid}/{name}.json"] = _json(items)
            out[f"data/{aid}/{name}.csv"] = to_csv(items, COLLECTIONS[name][1])
    return out


def certificate_shards(site: Site) -> dict[str, bytes]:
    """For the 执法证查询 page: one small file per last two characters of the number,
    so a lookup fetches a few KB however many officers the county has."""
    shards: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for aid, data in site.agencies.items():
        for o, _ in data.officers:
            status = public.certificate_status(o, site.today)
            shards[o.certificate_no[-2:].lower()][o.certificate_no.upper()] = {
                "name": o.name, "agency": aid, "agency_name": data.agency.name, "field": o.field,
                "unit": o.unit or "", "valid_from": o.valid_from.isoformat(),
                "valid_until": o.valid_until.isoformat(), "status": status, "cls": CERT_CLASS[status],
                "url": page_url(site.agency_uri(aid, "officers")) + "#" + o.certificate_no,
            }
    return {f"data/certificates/{key}.json": json.dumps(items, ensure_ascii=False).encode("utf-8")
            for key, items in shards.items()}


def agency_row(data: Any) -> dict[str, Any]:
    return data.agency.model_dump(mode="json", exclude_none=True)
