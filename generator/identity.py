"""The site's identity as a government site: logo, favicon, footer links, tappable phones.

site.yaml names the logo and favicon as files of the project (model.Site checks the shape of the
path); here they are checked against the project folder, with a located Chinese problem, and
copied into the built site under fixed names. The footer's links are built from the escaped
values (model.Site.for_theme): a phone number becomes a tel: link, an e-mail a mailto: link, the
ICP and 公安 record numbers links to their official verification sites (links only: nothing is
ever loaded from them).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import markupsafe

from .model import FAVICON_TYPES, LOGO_TYPES, Site, site_file_problems
from .problems import Problem
from .yamlio import read_yaml

SITE_YAML = "site_config/site.yaml"
# Where the files land in the built site (relative to its root).
ASSET_DIR = "assets/identity"

# A phone number inside free text: 0571-00000000, 12345, +86-571-88880000, (0571)88880000.
_PHONE = re.compile(r"(?<![0-9A-Za-z+])(\+?\d[\d\-]{3,18}\d|\(\d{3,4}\)\d{7,8})(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# 公安机关备案号: the digits make the query of the national verification site.
POLICE_QUERY = "https://beian.mps.gov.cn/#/query/webSearch?code="
ICP_QUERY = "https://beian.miit.gov.cn/"


def problems(project: Any) -> list[Problem]:
    """A logo or favicon that is missing, outside the project or too large, at its line in site.yaml."""
    site: Site | None = project.site
    if site is None or (site.logo is None and site.favicon is None):
        return []
    found = site_file_problems(site, project.root)
    if not found:
        return []
    doc, _ = read_yaml(Path(project.root) / SITE_YAML, SITE_YAML)
    out = []
    for name, message, hint in found:
        line, col = doc.pos.at((name,)) if doc else (1, 1)
        title = Site.model_fields[name].title
        out.append(Problem(SITE_YAML, line, col, "F012", f"「{title}」({name})：{message}", hint))
    return out


def assets(site: Site | None, root: Path) -> dict[str, Path]:
    """Site path → file of the project, for the logo and favicon site.yaml names."""
    out: dict[str, Path] = {}
    if site is None:
        return out
    for name, _types in (("logo", LOGO_TYPES), ("favicon", FAVICON_TYPES)):
        value = getattr(site, name)
        if value:
            ending = "." + value.rsplit(".", 1)[-1].lower()
            ending = ".jpg" if ending == ".jpeg" else ending
            out[f"{ASSET_DIR}/{name}{ending}"] = (Path(root) / value).resolve()
    return out


def tel(text: str | None) -> str:
    """What a dialler takes from the first phone number in a text ('' when there is none)."""
    if not text:
        return ""
    for found in _PHONE.finditer(str(text)):
        if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", found.group(0)):
            return _dial(found.group(0))
    return ""


def _dial(number: str) -> str:
    return re.sub(r"[^\d+]", "", number)


def is_email(text: str | None) -> bool:
    return bool(text) and _EMAIL.fullmatch(str(text).strip()) is not None


def linked(text: Any) -> markupsafe.Markup:
    """Text (Markup escaped once, or plain, escaped here) with its phone numbers as tel: links and
    its e-mail addresses as mailto: links. Digits, + - ( ) and @ . are untouched by escaping, so the
    numbers are found in the escaped text itself."""
    escaped = str(markupsafe.escape(text))

    def phone(m: re.Match) -> str:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", m.group(0)):  # a date, not a number to call
            return m.group(0)
        return f'<a href="tel:{_dial(m.group(0))}">{m.group(0)}</a>'

    def mail(m: re.Match) -> str:
        return f'<a href="mailto:{m.group(0)}">{m.group(0)}</a>'

    parts = re.split(f"({_EMAIL.pattern})", escaped)
    out = [mail(re.match(_EMAIL.pattern, p)) if i % 2 else _PHONE.sub(phone, p) for i, p in enumerate(parts)]
    return markupsafe.Markup("".join(out))


def police_code(text: Any) -> str:
    """The number of a 公安机关备案号, for its verification link: from the text as written (the theme
    hands over escaped values: &#34; must not add digits)."""
    return re.sub(r"\D", "", html.unescape(str(text or "")))


def feedback_href(value: Any) -> str:
    """The 纠错 link: a web address as it is, an e-mail address as mailto: (validated in model.Site)."""
    text = str(value or "")
    return ("mailto:" + text) if "@" in text and "://" not in text else text


def filters() -> dict[str, Any]:
    """Jinja filters for the theme templates (MkDocs' environment does not autoescape)."""
    return {"dc_linked": linked, "dc_tel": tel, "dc_police_code": police_code, "dc_feedback_href": feedback_href}
