"""disclose serve: a saved edit shows up in the served page."""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
def serving(root: Path) -> Iterator[str]:
    """`disclose serve` on a free port, as a separate process; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "serve", "--project", str(root), "--today", "2026-11-23",
         "--dev-addr", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


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
        assert json.loads(fetch(base + "__disclose__/events?since=-1"))["errors"] == []
