"""执法主体: content/<agency>/agency.yaml, one per agency folder (its id is the folder name)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..model import Agency
from .base import AGENCY, ONE, Files, Kind

# Its phone and complaint channels are the agency's own (CONTENT.md): masked for names, not checked for
# personal data. Names of institutions, places and laws are shown as written and checked.
MASKED = ("phone", "complaints.phone", "complaints.email", "reconsideration_phone", "court_phone")
GUARDED = ("name", "basis", "address", "reconsideration_body", "reconsideration_address", "court", "court_address",
           "entrusted_by", "supervisor")


def scaffold(root: Path, today: dt.date, agency: str | None, option: str | None, draft: bool) -> Path:
    from .. import scaffold as sc

    folder = root / "content" / str(agency)
    if (folder / "agency.yaml").exists():
        raise sc.ScaffoldError(f"执法主体 {agency} 已存在：{folder / 'agency.yaml'}")
    text = sc.render(sc.template(Agency, today, {"id": agency, "complaints.phone": ""}))
    return sc.write_new(folder / "agency.yaml", "# 执法主体：逐项填写后保存。\n" + text)


KIND = Kind(
    name="agency", title="执法主体", model=Agency, files=Files(AGENCY, "agency.yaml", ONE),
    masked=MASKED, guarded=GUARDED,
    schema="agency", schema_title="执法主体", schema_note="content/<主体编号>/agency.yaml：执法主体的基本信息和救济渠道",
    collection="agencies", collection_title="执法主体", scaffold=scaffold,
)
