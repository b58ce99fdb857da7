"""What a record kind is: one description per kind, read by every module that handles records.

A kind says what its records are (the model), where their files live, which
field names a record across the site, which of its text is public (masked and
checked for personal data), its editor schema, its export collection and how
`disclose new` makes one; and, as functions, its cross-references, stamps,
findings and pages. The loader, the guard, the public view, the schemas, the
scaffold, the exports and `disclose check` iterate the registry
(generator/kinds/__init__.py), so a new kind is one module there.

Nothing here imports the project, the public view or the renderer: the hooks
receive them as arguments, which keeps the kinds free of import cycles.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

AGENCY, PROJECT = "agency", "project"  # where a kind's files live: in each agency's folder, or once per project
ONE, LIST, EACH = "one", "list", "each"  # a file holding one record, a list of records, or a folder of one-record files


@dataclass(frozen=True)
class Files:
    scope: str  # AGENCY: inside content/<agency>/ (and drafts/<agency>/ for decisions); PROJECT: the project root
    path: str  # the file or folder inside the scope: officers.yaml, decisions, supervision/notices
    shape: str  # ONE, LIST or EACH
    by_year: str | None = None  # EACH: files sit in <YYYY>/ sub-folders named for the year of this date field

    @property
    def top(self) -> str:
        """The project folder the files are under: content, supervision, coordination."""
        return "content" if self.scope == AGENCY else self.path.split("/")[0]

    def shown(self) -> str:
        """Where the files are, as the guide and messages name it."""
        base = "content/<主体编号>/" if self.scope == AGENCY else ""
        if self.shape != EACH:
            return base + self.path
        return base + self.path + ("/<年份>" if self.by_year else "") + "/*.yaml"

    def globs(self) -> list[str]:
        """Globs for the editor settings (.vscode/settings.json)."""
        base = "content/*/" if self.scope == AGENCY else ""
        if self.shape != EACH:
            return [base + self.path]
        found = [f"{base}{self.path}/**/*.yaml"]
        if self.scope == AGENCY:  # drafts have the same shape
            found.append(f"drafts/*/{self.path}/**/*.yaml")
        return found


@dataclass(frozen=True)
class Kind:
    name: str  # `disclose new <name>`, the guide's field table, the registry key
    title: str  # Chinese, for pages and messages: 执法人员
    model: type
    files: Files
    attr: str | None = None  # agency kinds: the AgencyData attribute holding an agency's records
    key: str | None = None  # the field naming a record uniquely across the site
    key_title: str = ""  # its Chinese name in the duplicate message
    dup_code: str = ""  # the error code of a duplicate key
    same: Callable[[str], str] | None = None  # keys compared as this makes them (文号: brackets typed any way)
    masked: tuple[str, ...] = ()  # public text: natural persons' names masked (generator/public.py)
    guarded: tuple[str, ...] = ()  # public text and identifiers: checked for personal data (generator/guard.py)
    schema: str | None = None  # schemas/<schema>.schema.json
    schema_title: str = ""
    schema_note: str = ""  # the schema's description: which files it is for
    collection: str | None = None  # data/<collection>.json|csv, listed on the 数据下载 page
    collection_title: str = ""
    meanings: dict[str, str] = field(default_factory=dict)  # what each allowed value of its fields means
    finding_cites: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # code → (rule, register refs)
    # Hooks: each optional, each receiving what it needs.
    is_public: Callable[[Any], bool] | None = None  # None: every record of the kind is public
    check: Callable[..., list] | None = None  # (project) → problems: cross-references and rules across fields
    guard: Callable[..., list] | None = None  # (record, src) → problems; default: guard.check over `guarded`
    stamp: Callable[..., None] | None = None  # (project, git_dates) → None: deadlines set on the records
    findings: Callable[..., list] | None = None  # (project, today, cite) → findings for `disclose check`
    pages: Callable[..., Any] | None = None  # (site) → (uri, template, title, context) of its public pages
    scaffold: Callable[..., Any] | None = None  # (root, today, agency, option) → the path `disclose new` wrote
    scaffold_option: tuple[str, ...] = ()  # values `disclose new <name> --kind …` accepts

    def public(self, record: Any) -> bool:
        return self.is_public is None or bool(self.is_public(record))
