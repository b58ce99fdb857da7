"""disclose serve: a saved edit shows up in the served page."""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read().decode("utf-8")


def wait_for(url: str, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if text in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{text!r} not served within {seconds}s")


@contextmanager
def serving(root: Path, scratch: Path | None = None) -> Iterator[str]:
    """`disclose serve` on a free port, as a separate process; yields its base URL.

    scratch: its temporary folders (the served site among them) go there, and its messages
    to scratch/serve.log; the process must leave neither a traceback nor a folder behind."""
    import os

    port = free_port()
    env = dict(os.environ)
    if scratch is not None:
        env["TMPDIR"] = str(scratch)
    log = open(scratch / "serve.log", "w", encoding="utf-8") if scratch else None  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--project", str(root), "--today", "2026-11-23",
         "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=log or subprocess.DEVNULL, env=env,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if log:
            log.close()
    if scratch is not None:
        assert "Traceback" not in (scratch / "serve.log").read_text(encoding="utf-8")
        assert [p.name for p in scratch.iterdir()] == ["serve.log"]  # stopped: its folders are gone


def settled(base: str, after: int, seconds: float = 60) -> dict:
    """The preview's state once a change after version `after` is done, data files and index included."""
    import json

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = json.loads(fetch(base + "__disclose__/events?since=-1"))
        if state["version"] > after and not state["catching_up"]:
            return state
        time.sleep(0.2)
    raise AssertionError(f"the preview did not settle within {seconds}s")


def test_edit_while_serving_updates_the_page(tree):
    root = tree("minimal")
    with serving(root) as base:
        url = base + "decisions/town/2025/national-day/"
        wait_for(url, "张某某在农田焚烧秸秆")
        path = root / "content/town/decisions/2025/national-day.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("在农田焚烧秸秆", "在河滩焚烧秸秆"), encoding="utf-8")
        wait_for(url, "张某某在河滩焚烧秸秆")


def test_broken_save_keeps_the_last_good_page_and_reports_errors(tree):
    import json

    root = tree("minimal")
    with serving(root) as base:
        url = base + "decisions/town/2025/national-day/"
        wait_for(url, "张某某在农田焚烧秸秆")
        version = json.loads(fetch(base + "__disclose__/events?since=-1"))["version"]
        path = root / "content/town/decisions/2025/national-day.yaml"
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("fine: ", "fine: [") + "\nfine: 1\n", encoding="utf-8")
        state = json.loads(fetch(base + f"__disclose__/events?since={version}"))
        assert state["errors"] and "national-day.yaml:" in state["errors"][0]
        page = fetch(url)
        assert "张某某在农田焚烧秸秆" in page  # the last good version is still served
        assert "/__disclose__/live.js" in page  # with the script that lays the errors over it
        path.write_text(good.replace("在农田焚烧秸秆", "在河滩焚烧秸秆"), encoding="utf-8")
        wait_for(url, "张某某在河滩焚烧秸秆")
        # The page is written before the state is published (Preview._update): wait for the update to be done.
        assert settled(base, version)["errors"] == []


def test_revoking_while_serving_leaves_no_facts_in_any_served_file(tree, tmp_path):
    import json

    from conftest import site_texts

    root = tree("minimal")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    facts = ("农田焚烧秸秆", "张某某", "处以罚款1000元")
    with serving(root, scratch) as base:
        url = base + "decisions/town/2025/national-day/"
        wait_for(url, "张某某在农田焚烧秸秆")
        (site,) = scratch.glob("disclose-preview-*/site")
        assert "农田焚烧秸秆" in (site / "data/town/decisions.json").read_text(encoding="utf-8")
        version = json.loads(fetch(base + "__disclose__/events?since=-1"))["version"]
        path = root / "content/town/decisions/2025/national-day.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "status: 撤销\nstatus_changed_on: 2025-11-03\n"
                        "status_reason: 经行政复议决定撤销\n", encoding="utf-8")
        wait_for(url, "撤回公告")
        assert settled(base, version)["errors"] == []
        texts = list(site_texts(site))
        names = {p.relative_to(site).as_posix() for p, _ in texts}
        assert {"data/town/decisions.json", "data/town/decisions.csv", "data/decisions.json"} <= names
        assert any(n.startswith("data/shuanggongshi/") for n in names) and any("feeds" in n for n in names)
        for file, text in texts:
            for fact in facts:
                assert fact not in text, (file, fact)
        assert "农田焚烧秸秆" not in fetch(base + "data/town/decisions.json")


def test_bad_request_paths_get_an_answer_not_a_traceback(tree, tmp_path):
    import urllib.error
    import urllib.parse

    root = tree("minimal")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with serving(root, scratch) as base:
        wait_for(base, "测试县")
        for path in ("%00", "..%2f..%2f..%2fetc%2fpasswd", "a/%00/b", "%ff", "x" * 3000, urllib.parse.quote("长" * 100),
                     "nothing/"):
            try:
                fetch(base + path)
            except urllib.error.HTTPError as exc:
                assert exc.code in (400, 404), (path, exc.code)
                page = exc.read().decode("utf-8")
                # in Chinese, never http.server's English page: a 404 is the site's own 404 page
                assert "Error response" not in page and ("没有这个页面" in page or "读不出来" in page
                                                         or "测试县" in page), (path, page[:200])
            else:
                raise AssertionError(f"{path!r} was answered with a page")
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(base + "nothing/")
        assert missing.value.code == 404 and "测试县" in missing.value.read().decode("utf-8")  # the site's 404 page
        assert "测试县" in fetch(base)  # still serving
        assert "测兴政罚决字〔2025〕第1号" in fetch(base + "decisions")  # a folder without its slash: redirected


def test_a_busy_port_is_reported_before_anything_is_built(tree):
    import socket

    root = tree("minimal")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "generator.cli", "serve", "--project", str(root), "--today", "2026-11-23",
             "--dev-addr", f"127.0.0.1:{port}"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert f"端口 {port} 已被占用" in done.stderr
    assert "正在生成" not in done.stderr and "Traceback" not in done.stderr, done.stderr
