"""The generator's own release: the requirement line `disclose init` pins, and V001 when a repository
pins another release than the one running."""

from __future__ import annotations

import json
from importlib import metadata

import pytest

from generator import release
from generator.cli import main

REGION = "浙江省杭州市淳安县"
CREDIT = "12330127MB0012345J"
TODAY = "2026-06-15"


def test_version_check_names_the_pinned_release(tmp_path, capsys):
    repo = tmp_path / "repo"
    assert main(["init", str(repo), "--region", REGION, "--credit-code", CREDIT, "--no-git"]) == 0
    capsys.readouterr()
    assert main(["validate", "--project", str(repo), "--strict", "--today", TODAY]) == 0
    assert "V001" not in capsys.readouterr().err
    (repo / "requirements.txt").write_text("# 生成器\nzfgs-disclose == 0.0.1  # 旧版本\n", encoding="utf-8")
    assert main(["validate", "--project", str(repo), "--today", TODAY]) == 0  # a warning: the build still runs
    err = capsys.readouterr().err
    assert f"requirements.txt:2:18: 警告 V001 本仓库固定使用生成器 zfgs-disclose 0.0.1，本机运行的是 {metadata.version('zfgs-disclose')}" in err
    assert main(["validate", "--project", str(repo), "--strict", "--today", TODAY]) == 1
    version = metadata.version("zfgs-disclose")
    same = version.removesuffix(".0") if version.count(".") == 2 and version.endswith(".0") else version
    (repo / "requirements.txt").write_text(f"ZFGS_Disclose=={same}\n", encoding="utf-8")  # 0.1 is 0.1.0
    assert release.version_problems(repo) == []


class _Dist:
    """An installed distribution as importlib.metadata shows it: name, version and direct_url.json."""

    def __init__(self, direct_url: dict | None):
        self.metadata = {"Name": "disclose"}
        self.version = "0.3.0"
        self._direct = direct_url

    def read_text(self, name: str) -> str | None:
        return json.dumps(self._direct) if name == "direct_url.json" and self._direct is not None else None


@pytest.mark.parametrize(("origin", "pinned", "noted"), [
    (None, "disclose==0.3.0", False),  # from an index: the same index serves CI
    ({"url": "https://git.example.gov.cn/fzb/disclose.git",
      "vcs_info": {"vcs": "git", "requested_revision": "v0.3.0", "commit_id": "a" * 40}},
     "disclose @ git+https://git.example.gov.cn/fzb/disclose.git@" + "a" * 40, False),
    ({"url": "https://mirror.example.gov.cn/disclose-0.3.0-py3-none-any.whl",
      "archive_info": {"hashes": {"sha256": "b" * 64}}},
     "disclose @ https://mirror.example.gov.cn/disclose-0.3.0-py3-none-any.whl#sha256=" + "b" * 64, False),
    ({"url": "file:///home/clerk/disclose-0.3.0-py3-none-any.whl", "archive_info": {}}, "disclose==0.3.0", True),
    ({"url": "file:///home/dev/disclose", "dir_info": {"editable": True}}, "disclose==0.3.0", True),
])
def test_the_pin_installs_what_is_running(origin, pinned, noted):
    line, note = release.requirement(_Dist(origin))  # type: ignore[arg-type]
    assert line == pinned
    assert (note is not None) == noted
    if note:
        assert "CI 拿不到它" in note and "PIP_INDEX_URL" in note
