"""Serve a built site on 127.0.0.1 and drive Debian's Chromium with Playwright (never a downloaded browser)."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
# As root in a closed network: no sandbox, and no background calls home that would be refused.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-features=Translate,MediaRouter"]


NGINX = Path(__file__).parent.parent / "templates" / "deploy" / "nginx.conf"


def nginx_csp() -> str:
    """The Content-Security-Policy the shipped nginx configuration sends: the test server sends it too."""
    return re.search(r'add_header Content-Security-Policy "([^"]+)" always;', NGINX.read_text(encoding="utf-8"))[1]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass

    def end_headers(self):
        self.send_header("Content-Security-Policy", nginx_csp())
        super().end_headers()


@contextmanager
def serve(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def search_done(page, *, or_text: str | None = None) -> None:
    """Wait until the search page says it has finished (a locator, not wait_for_function:
    that evaluates a string, which the site's Content-Security-Policy rightly refuses)."""
    done = "[data-dc-status][data-complete='1']"
    if or_text:
        done += f", [data-dc-status]:text-matches('{or_text}')"
    page.locator(done).first.wait_for(state="attached")
