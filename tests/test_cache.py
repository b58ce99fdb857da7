"""The incremental build's caches (generator/cache.py): what their keys hold, how they are written."""

import os

from generator.cli import main


def test_an_output_and_a_cache_folder_inside_the_project_do_not_change_the_key(tree, capsys):
    """--out and --cache may name folders inside the project (not the record folders): what a build
    writes there (the site, the folder it renders in beside it, the manifest) is no project file, so
    the next build of the same content reuses every page it can."""
    root = tree("minimal")
    command = ["build", "--project", str(root), "--today", "2026-11-23",
               "--out", str(root / "public" / "site"), "--cache", str(root / "build-cache")]
    page = root / "public/site/decisions/town/2025/national-day/index.html"
    assert main(command) == 0
    first = os.stat(page)
    capsys.readouterr()
    assert main(command) == 0
    assert "沿用上次生成的页面" in capsys.readouterr().err
    assert os.stat(page).st_ino == first.st_ino  # the same file, linked into the new site
    # A list file's edit still counts.
    officers = root / "content/town/officers.yaml"
    officers.write_text(officers.read_text(encoding="utf-8").replace("name: 王伟", "name: 王建伟"), encoding="utf-8")
    assert main(command) == 0
    assert "王建伟（" in page.read_text(encoding="utf-8")
