"""`disclose init`: a county's own repository, holding only its content, ready to publish on its first commit.

The generator is not copied into the new repository: `requirements.txt` pins the release that
wrote it, and the CI files install that pin, so a county upgrades by changing one line. The
skeleton files (workflows, editor settings, the staff README) ship as package data under
templates/project/; site.yaml and agency.yaml are drawn from the model like `disclose new`'s.
Everything is written into a folder beside the target, checked with the same loader `disclose
validate` uses, and only then moved into place: a refused or failed init leaves nothing behind.

Nothing here reads the clock (`today` is passed in) or prints: the CLI reports.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2

from . import project as project_mod
from .model import AGENCY_KINDS, Agency, Site, credit_code_problem
from .problems import Problem
from .release import distribution, requirement
from .scaffold import agency_id, render, template
from .schema import write_schemas

# (file under templates/project/, path in the new repository): copied as they are
COPIED = (
    ("publish.yml", ".github/workflows/publish.yml"),
    ("gitlab-ci.yml", ".gitlab-ci.yml"),
    ("gitignore", ".gitignore"),
    ("vscode-settings.json", ".vscode/settings.json"),
    ("vscode-extensions.json", ".vscode/extensions.json"),
    ("rules.yaml", "site_config/rules.yaml"),
    ("calendar.yaml", "site_config/calendar.yaml"),
)

# A region's name from the top: a province-level unit (the names never hold 省 or 自治区), then a
# prefecture-level one (the first 市, 自治州, 地区 or 盟: 杭州市, not 杭州), then the county.
_PROVINCE = re.compile(r"^.+?(?:省|自治区|特别行政区)")
_PREFECTURE = re.compile(r"^.+?(?:自治州|地区|盟|市)")


class InitError(Exception):
    """A refused init (Chinese message); `code` is the exit code: 2 for usage, 1 for content."""

    def __init__(self, message: str, code: int = 2, problems: list[Problem] | None = None):
        super().__init__(message)
        self.code = code
        self.problems = problems or []


@dataclass
class Outcome:
    root: Path
    requirement: str
    committed: bool = False
    notes: list[str] = field(default_factory=list)  # what the clerk should know or check next


# ---------------------------------------------------------------- what the clerk gives


def short_region(region: str) -> str:
    """The county of a region's name: 浙江省杭州市淳安县 → 淳安县, 山东省济南市市中区 → 市中区, 北京市朝阳区 →
    朝阳区; a name that is only a province or a city stays whole (杭州市)."""
    rest = region
    for unit in (_PROVINCE, _PREFECTURE):
        found = unit.match(rest)
        if found and found.end() < len(rest):
            rest = rest[found.end():]
    return rest


def default_agency_name(region: str) -> str:
    return f"{short_region(region)}综合行政执法局"


def agency_kind(name: str) -> str:
    """The likely legal standing from the name; the file's comment lists the others."""
    if name.endswith("街道办事处"):
        return "街道办事处"
    if name.endswith("人民政府") and re.search(r"[镇乡]人民政府$", name):
        return "乡镇人民政府"
    return AGENCY_KINDS[0]


def check_inputs(region: str, agency: str, agency_name: str, credit_code: str) -> None:
    """Usage mistakes, found before anything is written."""
    if not region.strip() or any(c in region for c in "\r\n\t"):
        raise InitError(f"--region 应写地区名称，例如 某某县 或 某某省某某市某某县（填写的是「{region}」）")
    try:
        agency_id(agency)
    except ValueError as exc:
        raise InitError(str(exc)) from None
    if not agency_name.strip() or any(c in agency_name for c in "\r\n\t"):
        raise InitError(f"--agency-name 应写执法主体的完整名称，例如 {default_agency_name(region)}（填写的是「{agency_name}」）")
    why = credit_code_problem(credit_code)
    if why:
        raise InitError(f"--credit-code 统一社会信用代码无效：{why}（填写的是「{credit_code}」）。"
                        "请照营业执照或事业单位法人证书、统一社会信用代码证书填写 18 位代码")


def _refuse_occupied(target: Path) -> bool:
    """Whether the target already holds a git repository (its only entry); InitError if it holds anything else."""
    if not target.exists():
        return False
    if not target.is_dir():
        raise InitError(f"{target} 已存在，而且不是文件夹：请换一个新文件夹的名字")
    entries = sorted(p.name for p in target.iterdir())
    if entries == [".git"]:  # a freshly cloned empty repository: start it here
        return True
    if entries:
        shown = "、".join(entries[:5]) + ("……" if len(entries) > 5 else "")
        raise InitError(f"{target} 不是空文件夹（里面有 {shown}）：disclose init 只在新的或空的文件夹里建立仓库，"
                        "不会改动已有的文件。请换一个新文件夹的名字，或先把它清空")
    return False


# ---------------------------------------------------------------- the files


def _skeleton(name: str) -> str:
    return resources.files("generator.templates").joinpath("project", name).read_text(encoding="utf-8")


def _site_yaml(title: str, region: str, today: dt.date) -> str:
    head = "# 网站设置：逐项核对后保存。标着“可不填”的留空即可；base_url 写网站的正式地址（订阅源、站点地图要用）。\n"
    return head + render(template(Site, today, {"title": title, "region": region}))


def _agency_yaml(values: dict[str, str], today: dt.date) -> str:
    head = ("# 执法主体：disclose init 按常见情况填了复议机关、管辖法院和投诉电话（12345 政务服务便民热线），\n"
            "# 请逐项核对后保存；标着“可不填”的字段可以留空。\n")
    return head + render(template(Agency, today, {
        "id": values["id"], "name": values["name"], "kind": values["kind"], "credit_code": values["credit_code"],
        "complaints.phone": "12345", "reconsideration_body": values["reconsideration_body"],
        "court": values["court"]}))


def _list_yaml(what: str, command: str, agency: str) -> str:
    return (f"# {what}：每项以“- ”开头。\n"
            f"# 新增一项：disclose new {command} --agency {agency}（在文件末尾追加带注释的模板）；\n"
            f"# 从 Excel 导入：disclose import {command}s 表格.xlsx --agency {agency} --dry-run\n")


def _requirements(req: str, name: str) -> str:
    return ("# 本仓库使用的公示网站生成器及其版本（由 disclose init 写入）。CI 每次都按这里安装，本机也一样：\n"
            "#   python -m pip install -r requirements.txt\n"
            f"# 升级：把下面一行改成新版本（例如 {name}==新版本号；写的是下载地址或 git 提交时，换成新版本的），\n"
            "# 重新安装，运行 disclose validate 按提示改完，再一起提交。步骤见 README.md“升级生成器”。\n"
            f"{req}\n")


def _write(root: Path, relpath: str, text: str) -> None:
    path = root / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_files(root: Path, *, region: str, agency: str, agency_name: str, credit_code: str,
                req: str, release: tuple[str, str], today: dt.date) -> dict[str, str]:
    """Every file of a new repository, written under `root`; returns what the README was told.
    release: the generator's (distribution name, version)."""
    short = short_region(region)
    values = {"title": f"{short}行政执法公示", "region": region, "agency": agency, "agency_name": agency_name,
              "reconsideration_body": f"{short}人民政府", "court": f"{short}人民法院",
              "dist": release[0], "version": release[1], "requirement": req}
    for source, target in COPIED:
        _write(root, target, _skeleton(source))
    readme = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    _write(root, "README.md", readme.from_string(_skeleton("README.md")).render(values))
    _write(root, "requirements.txt", _requirements(req, values["dist"]))
    _write(root, "site_config/site.yaml", _site_yaml(values["title"], region, today))
    _write(root, f"content/{agency}/agency.yaml", _agency_yaml(
        {"id": agency, "name": agency_name, "kind": agency_kind(agency_name), "credit_code": credit_code,
         "reconsideration_body": values["reconsideration_body"], "court": values["court"]}, today))
    for name, what, command in (("officers.yaml", "执法人员清单", "officer"), ("powers.yaml", "权责清单", "power"),
                                ("benchmarks.yaml", "裁量基准", "benchmark")):
        _write(root, f"content/{agency}/{name}", _list_yaml(what, command, agency))
    write_schemas(root / "schemas")
    return values


# ---------------------------------------------------------------- git


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env, check=False)


def commit(root: Path, message: str, existing_repo: bool) -> str | None:
    """`git init` (unless the folder is a clone already) and a first commit of everything; None when done,
    else why not (Chinese). Never touches the network."""
    if shutil.which("git") is None:
        return "没有找到 git：文件已写好，请安装 git 后在这个文件夹里运行 git init、git add -A、git commit"
    if not existing_repo:
        done = _git(root, "init", "-q", "-b", "main")
        if done.returncode:  # git older than 2.28 has no -b
            done = _git(root, "init", "-q")
            if not done.returncode:
                _git(root, "symbolic-ref", "HEAD", "refs/heads/main")
        if done.returncode:
            return f"git init 失败：{done.stderr.strip()}"
    added = _git(root, "add", "-A")
    if added.returncode:
        return f"git add 失败：{added.stderr.strip()}"
    # Staff machines often have no git identity yet: the first commit then names the tool that made it.
    who = [] if _git(root, "config", "user.email").stdout.strip() else [
        "-c", "user.name=disclose init", "-c", "user.email=disclose-init@localhost"]
    done = _git(root, *who, "-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", message)
    if done.returncode:
        return f"git commit 失败：{(done.stderr or done.stdout).strip()}；文件已写好，请自己提交"
    return None


# ---------------------------------------------------------------- the command


def init(target: Path, *, region: str, agency: str, agency_name: str | None, credit_code: str,
         today: dt.date, generator: str | None = None, use_git: bool = True) -> Outcome:
    region = region.strip()  # a full-width space copied along with the name, too
    agency_name = (agency_name or "").strip() or default_agency_name(region)
    credit_code = credit_code.strip()
    check_inputs(region, agency, agency_name, credit_code)
    target = Path(os.path.abspath(target))
    existing_repo = _refuse_occupied(target)
    dist = distribution()
    if dist is None:
        raise InitError("生成器没有安装（找不到它的安装信息）：请用 pip 安装后再运行 disclose init")
    if generator is not None and (not generator.strip() or any(c in generator for c in "\r\n")):
        raise InitError(f"--generator 应是一行安装写法，例如 zfgs-disclose @ git+https://代码仓库地址@v{dist.version}")
    req, note = (generator.strip(), None) if generator else requirement(dist)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".disclose-init-", dir=target.parent))
    try:
        values = write_files(staging, region=region, agency=agency, agency_name=agency_name,
                             credit_code=credit_code, req=req, release=(dist.metadata["Name"], dist.version),
                             today=today)
        loaded = project_mod.load(staging, today, use_git=False)
        errors = [p for p in loaded.problems if p.is_error]
        if errors:  # the skeleton must validate: what the clerk typed is the only thing that can break it
            raise InitError("按填写的信息生成的文件没有通过检查，什么也没有写入：", code=1, problems=errors)
        warnings = [p for p in loaded.problems if p.fails_strict and not p.is_error]
        target.mkdir(exist_ok=True)
        for child in sorted(staging.iterdir()):
            os.replace(child, target / child.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    outcome = Outcome(target, req)
    if note:
        outcome.notes.append(note)
    if warnings:  # CI publishes with --strict: say now what would stop it
        outcome.notes.append("发布时（--strict）下面的警告会让发布失败，请先处理：\n"
                             + "\n".join(p.format() for p in warnings))
    if use_git:
        why = commit(target, f"建立{values['title']}仓库（{values['dist']} {values['version']}）", existing_repo)
        outcome.committed = why is None
        if why:
            outcome.notes.append(why)
    return outcome
