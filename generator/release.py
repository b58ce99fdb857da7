"""Which release of the generator this is, the line that installs it, and whether a repository pins another.

A county's repository pins the generator in requirements.txt (written by `disclose init`); CI installs
that pin. Built on a machine with another release, the site could differ from what CI publishes:
`version_problems` says so (V001) in every `disclose validate`, build and preview.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import metadata
from pathlib import Path

from .problems import WARNING, Problem

ENTRY = "generator.cli:run"  # the `disclose` command: names this project whatever it is called on an index


@functools.lru_cache(maxsize=1)
def distribution() -> metadata.Distribution | None:
    """The installed distribution this code came with; None when run from a tree that was never installed."""
    for ep in metadata.entry_points(group="console_scripts"):
        if ep.value == ENTRY and ep.dist is not None:
            return ep.dist
    try:
        return metadata.distribution("zfgs-disclose")
    except metadata.PackageNotFoundError:
        return None


def requirement(dist: metadata.Distribution | None = None) -> tuple[str, str | None]:
    """The requirement line that installs exactly the running release, and a note when CI may not reach it.

    Where the running copy came from is in its direct_url.json (PEP 610): installed from a git
    repository or a web address, the pin names that commit or file; installed from an index, the
    name and version; installed from a local folder or file, CI cannot fetch it, so the name and
    version are pinned and the note says an index (or intranet mirror) must serve that release."""
    dist = dist or distribution()
    if dist is None:
        raise LookupError("生成器没有安装（找不到它的安装信息）：请用 pip 安装后再运行")
    name, version = dist.metadata["Name"], dist.version
    pinned = f"{name}=={version}"
    try:
        origin = json.loads(dist.read_text("direct_url.json") or "null")
    except ValueError:
        origin = None
    if not isinstance(origin, dict) or not isinstance(origin.get("url"), str):
        return pinned, None  # from an index: the same index serves the same release to CI
    url = origin["url"]
    vcs = origin.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("commit_id") and not url.startswith("file:"):
        return f"{name} @ {vcs.get('vcs', 'git')}+{url}@{vcs['commit_id']}", None
    archive = origin.get("archive_info")
    if isinstance(archive, dict) and not url.startswith("file:"):
        digest = (archive.get("hashes") or {}).get("sha256")
        return f"{name} @ {url}" + (f"#sha256={digest}" if digest else ""), None
    return pinned, (f"本机的生成器是从本地文件安装的（{url}），CI 拿不到它：requirements.txt 写的是 {pinned}，"
                    f"请确认 CI 使用的软件源（PIP_INDEX_URL，例如内网 PyPI 镜像）提供这个版本，"
                    f"或把那一行改成生成器的下载地址，例如 {name} @ git+https://代码仓库地址@v{version}")


_PIN = re.compile(r"^[ \t]*([A-Za-z0-9._-]+)[ \t]*==[ \t]*([^\s;#\\]+)", re.M)


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def same_version(a: str, b: str) -> bool:
    """0.1 and 0.1.0 are one release (PEP 440); packaging comes with MkDocs."""
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def version_problems(root: Path) -> list[Problem]:
    """V001 when the repository pins another release than the one running: built here, the site would
    differ from what CI publishes. Only a plain `name==version` pin is compared."""
    path = Path(root) / "requirements.txt"
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    dist = distribution()
    if dist is None:
        return []
    ours = _canonical(dist.metadata["Name"])
    for match in _PIN.finditer(text):
        if _canonical(match[1]) == ours and not same_version(match[2], dist.version):
            line = text.count("\n", 0, match.start()) + 1
            return [Problem("requirements.txt", line, match.start(2) - match.start() + 1, "V001",
                            f"本仓库固定使用生成器 {match[1]} {match[2]}，本机运行的是 {dist.version}，"
                            "生成的网站可能与 CI 发布的不同",
                            "运行 python -m pip install -r requirements.txt 安装这个版本；要升级就改这一行，"
                            "见 README.md“升级生成器”", severity=WARNING, given=match[2])]
    return []
