"""A real build with the real MkDocs: read the HTML and JSON back."""

import csv
import io
import json

import pytest

from generator.cli import main


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    import shutil
    from pathlib import Path

    root = tmp_path_factory.mktemp("b") / "minimal"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    return root / "site"


def read(site, rel):
    return (site / rel).read_text(encoding="utf-8")


def test_decision_page_stamps_masking_and_escaping(built):
    html = read(built, "decisions/town/2025/national-day/index.html")
    assert "张某某" in html
    assert '本机关最迟 <span class="dc-nowrap">2025-10-16</span>（含当日）在网上公开，期限 7个工作日' in html
    assert "本机关按时公开" in html
    assert "跳过节假日：2025-10-01至2025-10-08（国庆节、中秋，8天）" in html
    assert "数据截至 2026-11-23" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert "[点我](http://evil.example)" in html and 'href="http://evil.example"' not in html
    assert "{{ 7*7 }}" in html


def test_unmasked_name_appears_nowhere(built):
    from conftest import site_texts

    texts = list(site_texts(built))
    assert any("张某某" in text for path, text in texts if "pagefind" in path.parts)  # the index was read
    for path, text in texts:
        assert "张三丰" not in text, path


def test_hostile_markup_in_a_field_stays_text(tree):
    root = tree("minimal")
    path = root / "content/town/decisions/2025/national-day.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "outcome: 对张三丰处以罚款1000元。", "outcome: '对张三丰处以罚款1000元。<img src=x onerror=alert(2)>'"),
        encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    html = (root / "site/decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "<img src=x" not in html


def test_revoked_decision_shows_only_the_notice(built):
    html = read(built, "decisions/town/2025/revoked/index.html")
    assert "撤回公告" in html and "经行政复议决定撤销" in html
    assert "秘密的原始事实文字" not in html
    rows = json.loads(read(built, "data/decisions.json"))
    revoked = next(r for r in rows if r["status"] == "撤销")
    assert set(revoked) == {"case_no", "agency", "kind", "status", "status_changed_on", "status_reason", "stamps"}
    assert revoked["stamps"]["withdraw_by"] == "2025-08-06"


def test_exports_json_and_csv_with_bom(built):
    rows = json.loads(read(built, "data/decisions.json"))
    full = next(r for r in rows if r["status"] == "有效")
    assert full["party"]["name"] == "张某某" and full["agency"] == "town"
    assert full["stamps"]["publish_by"] == "2025-10-16" and full["stamps"]["publication"] == "按时公开"
    officers = json.loads(read(built, "data/officers.json"))
    assert {o["certificate"] for o in officers} == {"有效", "即将到期"}
    raw = (built / "data/decisions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    # Chinese headers for Excel readers; the JSON twin keeps the contract's field names.
    assert len(table) == 2 and table[0]["当事人名称"] in ("张某某", "") and "决定书文号" in table[0]


def test_site_makes_no_third_party_request(built):
    for path in built.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path


def test_failed_build_keeps_previous_site(built, capsys):
    root = built.parent
    before = read(built, "index.html")
    bad = root / "content/town/decisions/2025/bad.yaml"
    bad.write_text("case_no: [\n", encoding="utf-8")
    try:
        assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    finally:
        bad.unlink()
    assert read(built, "index.html") == before
    assert "bad.yaml:2:1: 错误 Y001" in capsys.readouterr().err


def test_withdrawal_reason_is_masked_in_page_and_export(tmp_path):
    import shutil
    from pathlib import Path

    root = tmp_path / "minimal"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", root)
    revoked = root / "content/town/decisions/2025/revoked.yaml"
    revoked.write_text(revoked.read_text(encoding="utf-8").replace(
        "party:\n  type: 法人\n  name: 测试县兴旺建材有限公司\n  credit_code: 91330000MA0000005N",
        "party:\n  type: 自然人\n  name: 李四").replace("经行政复议决定撤销", "李四申请行政复议，决定撤销"),
        encoding="utf-8")
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    site = root / "site"
    assert "李某申请行政复议" in read(site, "decisions/town/2025/revoked/index.html")
    assert "李某申请行政复议" in read(site, "data/decisions.json")
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".csv"):
            assert "李四" not in path.read_text(encoding="utf-8"), path


def test_every_internal_link_and_asset_resolves(built):
    """Crawl the built site: each href/src that stays on the site names a file that exists."""
    import re
    from urllib.parse import unquote, urljoin, urlsplit

    checked = 0
    for page in built.rglob("*.html"):
        base = "http://site/" + page.relative_to(built).as_posix()
        for ref in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(encoding="utf-8")):
            url = urlsplit(urljoin(base, ref))
            if url.netloc != "site" or url.scheme not in ("http", ""):
                continue
            target = built / unquote(url.path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(built)}: {ref}"
            checked += 1
    assert checked > 200


def test_a_failed_build_says_why_once(tree, tmp_path, monkeypatch, capsys):
    """The search index fails (Pagefind dies of a full disk): MkDocs logs the plugin's error
    itself before it aborts, and the build's message names the same error. A clerk reads it once."""
    import logging
    import sys

    from generator import search

    fake = tmp_path / "pagefind"
    fake.write_text(f"#!{sys.executable}\nimport sys\nsys.stdin.buffer.read(10)\n"
                    "sys.stderr.write('No space left on device (os error 28)\\n')\nsys.exit(101)\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: str(fake))
    # The CLI logs to the stderr of its first run in this process: this test's own, please.
    monkeypatch.setattr(logging.getLogger("mkdocs"), "handlers", [])
    root = tree("minimal")
    capsys.readouterr()
    assert main(["build", "--project", str(root), "--today", "2026-11-23", "--no-cache"]) == 1
    err = capsys.readouterr().err
    assert "构建失败：Pagefind 建立索引失败" in err, err
    assert err.count("No space left on device") == 1, err
    assert not (root / "site").exists()


def test_a_build_interrupted_between_the_renames_of_the_swap_puts_the_old_site_back(tree, monkeypatch):
    """Ctrl-C just after the old site was moved into the build's folder, before the new one took
    its name: the old site goes back, not away with the build's folder. (Without the cache: a
    build that keeps most of the site patches it in place instead of swapping.)"""
    from pathlib import Path

    root = tree("minimal")
    command = ["build", "--project", str(root), "--today", "2026-11-23", "--no-cache"]
    assert main(command) == 0
    site = root / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    beside = sorted(p.name for p in root.iterdir())
    real = Path.rename

    def rename(self, target):
        moved = real(self, target)
        if self == site and Path(target).name == "old":
            raise KeyboardInterrupt  # the signal arrives as the first rename returns
        return moved

    monkeypatch.setattr(Path, "rename", rename)
    assert main(command) == 130
    monkeypatch.undo()
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in root.iterdir()) == beside
