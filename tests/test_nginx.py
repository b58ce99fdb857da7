"""The shipped nginx configuration (templates/deploy/nginx.conf) run by Debian's real nginx.

Only the ports, the certificate paths and the root are changed, by text substitution; the rest is served as shipped,
inside an http block like Debian's own /etc/nginx/nginx.conf. Every kind of file the example county's site has is
fetched over HTTPS and its headers and type checked; a search runs in Chromium through it with a quiet console.

Skipped only where /usr/sbin/nginx is missing outside CI (scripts/setup installs it); in CI a missing nginx fails.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import NGINX as SHIPPED
from browser import chromium, nginx_csp, search_done

NGINX = Path("/usr/sbin/nginx")
needs_nginx = pytest.mark.skipif(not NGINX.exists() and not os.environ.get("CI"),
                                 reason="Debian's nginx is not installed (bash scripts/setup installs it)")

CERT, KEY = "/etc/nginx/certs/zfgs.example.gov.cn.pem", "/etc/nginx/certs/zfgs.example.gov.cn.key"
ROOT = "/srv/zfgs/site"
SECURITY = ("Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options",
            "Referrer-Policy", "Permissions-Policy")


def nginx_version() -> tuple[int, ...]:
    out = subprocess.run([str(NGINX), "-v"], capture_output=True, text=True, check=True).stderr
    return tuple(int(n) for n in re.search(r"nginx/(\d+)\.(\d+)\.(\d+)", out).groups())


def substitute(conf: str, **new: str) -> str:
    """The shipped text with each given line changed; each must be found exactly once, so a change to the shipped
    file that the test no longer matches fails here instead of testing something else."""
    old = {"listen_http": "listen 80;", "listen_https": "listen 443 ssl http2;", "cert": CERT, "key": KEY,
           "root": f"root {ROOT};"}
    for name, value in new.items():
        assert conf.count(old[name]) == 1, f"{old[name]!r} is no longer in the shipped nginx.conf exactly once"
        conf = conf.replace(old[name], value)
    return conf


def wrapper(prefix: Path, server_conf: Path) -> Path:
    """An nginx.conf like Debian's (same http settings, the site's file included the way conf.d/*.conf is),
    with everything nginx writes kept under the temporary prefix."""
    temp = "\n".join(f"    {kind}_temp_path {prefix / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    # Under root the workers would run as nobody, who cannot read pytest's private temporary folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    text = f"""{user}worker_processes 1;
events {{
    worker_connections 64;
}}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;
    ssl_prefer_server_ciphers on;
    access_log {prefix / "access.log"};
    gzip on;
{temp}
    include {server_conf};
}}
"""
    path = prefix / "nginx.conf"
    path.write_text(text, encoding="utf-8")
    return path


def nginx_args(prefix: Path, conf: Path) -> list[str]:
    return [str(NGINX), "-p", f"{prefix}/", "-c", str(conf), "-e", "stderr",
            "-g", f"daemon off; pid {prefix / 'nginx.pid'}; error_log stderr;"]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 made with Debian's openssl."""
    folder = tmp_path_factory.mktemp("cert")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_location_drops_the_server_s_headers():
    """nginx forgets every add_header of the server inside a location that has one of its own: the shipped file keeps
    them all at the server level (a location sets caching with expires, which does not count)."""
    blocks: list[str] = []
    found = []
    for number, line in enumerate(SHIPPED.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if line.endswith("{"):
            blocks.append(line)
        elif line == "}":
            blocks.pop()
        elif line.startswith("add_header") and any(b.startswith("location") for b in blocks):
            found.append(number)
    assert blocks == [] and found == []
    https = SHIPPED.read_text(encoding="utf-8").split("listen 443", 1)[1]
    assert {f"add_header {h} " for h in SECURITY} <= {m for m in re.findall(r"add_header \S+ ", https)}


@needs_nginx
def test_the_shipped_config_passes_nginx_t(tmp_path, certificate):
    """Only the certificate paths and the root changed: the listen lines stay as shipped (-t binds no port)."""
    shipped = SHIPPED.read_text(encoding="utf-8")
    conf = tmp_path / "zfgs.conf"
    conf.write_text(substitute(shipped, cert=str(certificate[0]), key=str(certificate[1]), root=f"root {tmp_path};"),
                    encoding="utf-8")
    done = subprocess.run([*nginx_args(tmp_path, wrapper(tmp_path, conf)), "-t"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr
    warnings = [line for line in done.stderr.splitlines() if re.search(r"\[(warn|emerg|alert|crit|error)\]", line)]
    if nginx_version() >= (1, 25, 1):  # HTTP/2 is on the listen line for 1.22–1.24; newer nginx only warns about it
        warnings = [w for w in warnings if 'the "listen ... http2" directive is deprecated' not in w]
    assert warnings == []


@pytest.fixture(scope="module")
def server(example_built, certificate, tmp_path_factory):
    """Debian's nginx serving the example county's site with the shipped configuration; yields (https, http) bases."""
    assert NGINX.exists(), "nginx is missing: in CI scripts/setup must install it (apt-get install nginx)"
    prefix = tmp_path_factory.mktemp("nginx")
    https, http = free_port(), free_port()
    conf = prefix / "zfgs.conf"
    conf.write_text(substitute(SHIPPED.read_text(encoding="utf-8"),
                               listen_http=f"listen 127.0.0.1:{http};",
                               listen_https=f"listen 127.0.0.1:{https} ssl http2;",
                               cert=str(certificate[0]), key=str(certificate[1]),
                               root=f"root {example_built / 'site'};"), encoding="utf-8")
    log = (prefix / "stderr.log").open("w")
    proc = subprocess.Popen(nginx_args(prefix, wrapper(prefix, conf)), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proc.poll() is None, (prefix / "stderr.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "nginx did not start listening"
                time.sleep(0.1)
        yield f"https://127.0.0.1:{https}/", f"http://127.0.0.1:{http}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    errors = [line for line in (prefix / "stderr.log").read_text().splitlines()
              if re.search(r"\[(emerg|alert|crit)\]", line)]
    assert errors == []


UNVERIFIED = ssl._create_unverified_context()  # the test's own self-signed certificate


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(urllib.request.HTTPSHandler(context=UNVERIFIED), _NoRedirect)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body, without following redirects or raising on 404."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "identity", **headers})
    try:
        with OPENER.open(request, timeout=30) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


def assert_secure(headers: dict[str, str], what: str) -> None:
    missing = [h for h in SECURITY if h.lower() not in headers]
    assert missing == [], f"{what}: missing {missing}"
    assert headers["content-security-policy"] == nginx_csp(), what
    assert "frame-ancestors 'self'" in headers["content-security-policy"]
    max_age = int(re.fullmatch(r"max-age=(\d+); includeSubDomains", headers["strict-transport-security"])[1])
    assert max_age >= 31536000, what
    assert headers["x-content-type-options"] == "nosniff", what
    assert headers["x-frame-options"] == "SAMEORIGIN", what
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin", what
    assert {"camera=()", "microphone=()", "geolocation=()"} <= set(headers["permissions-policy"].split(", ")), what


def first(site: Path, pattern: str) -> str:
    return next(site.glob(pattern)).relative_to(site).as_posix()


@needs_nginx
def test_every_kind_of_response_has_the_security_headers_and_its_type(server, example_built):
    base, _ = server
    site = example_built / "site"
    fragment = first(site, "pagefind/*/fragment/*.pf_fragment")
    # path → (status, Content-Type, Cache-Control)
    expected = {
        "": (200, "text/html; charset=utf-8", "no-cache"),
        "decisions/zonghe/2026/2026-07-21-011/": (200, "text/html; charset=utf-8", "no-cache"),
        "search/": (200, "text/html; charset=utf-8", "no-cache"),
        "no-such-page/": (404, "text/html; charset=utf-8", None),
        "pagefind/no-such-shard/pagefind-entry.json": (404, "text/html; charset=utf-8", None),
        "data/officers.csv": (200, "text/csv; charset=utf-8", "no-cache"),
        "data/zonghe/decisions.csv": (200, "text/csv; charset=utf-8", "no-cache"),
        "data/decisions.json": (200, "application/json", "no-cache"),
        "feeds/decisions.xml": (200, "application/atom+xml; charset=utf-8", "no-cache"),
        "feeds/zonghe/withdrawals.xml": (200, "application/atom+xml; charset=utf-8", "no-cache"),
        "sitemap.xml": (200, "application/xml; charset=utf-8", "no-cache"),
        "sitemap.xml.gz": (200, "application/gzip", "no-cache"),
        "assets/disclose.css": (200, "text/css; charset=utf-8", "no-cache"),
        "assets/search.js": (200, "application/javascript; charset=utf-8", "no-cache"),
        "pagefind/shards.json": (200, "application/json", "no-cache"),
        first(site, "pagefind/*/pagefind.js"): (200, "application/javascript; charset=utf-8", "no-cache"),
        first(site, "pagefind/*/pagefind-entry.json"): (200, "application/json", "no-cache"),
        first(site, "pagefind/*/wasm.unknown.pagefind"): (200, "application/octet-stream", "no-cache"),
        first(site, "pagefind/*/*.pf_meta"): (200, "application/octet-stream", "max-age=604800"),
        first(site, "pagefind/*/index/*.pf_index"): (200, "application/octet-stream", "max-age=604800"),
        fragment: (200, "application/octet-stream", "max-age=604800"),
        "assets/images/favicon.png": (200, "image/png", "no-cache"),
    }
    for path, (status, ctype, cache) in expected.items():
        got, headers, body = fetch(base + urllib.parse.quote(path))
        assert (got, headers.get("content-type")) == (status, ctype), path
        assert headers.get("cache-control") == cache, path
        assert "content-encoding" not in headers, path  # Pagefind's files are compressed already: never twice
        assert_secure(headers, path)
        assert headers["server"] == "nginx", path  # server_tokens off: no version shown
        if status == 200:
            assert body == (site / path / "index.html" if path.endswith("/") or not path else site / path).read_bytes()

    # The site's own 404 page, with the 404 status, for a page and for a file alike.
    assert fetch(base + "no-such-page/")[2] == (site / "404.html").read_bytes()
    assert fetch(base + "data/no-such.csv")[0] == 404
    # What the types say is what the files are.
    assert fetch(base + "data/officers.csv")[2].startswith(b"\xef\xbb\xbf")  # BOM: Excel opens it as UTF-8
    feed = ET.fromstring(fetch(base + "feeds/decisions.xml")[2])
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert ET.fromstring(fetch(base + "sitemap.xml")[2]).tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert ET.fromstring(gzip.decompress(fetch(base + "sitemap.xml.gz")[2])).tag.endswith("urlset")


@needs_nginx
def test_every_file_type_of_the_site_has_a_declared_type(server, example_built):
    """No file the site has falls back to application/octet-stream, except Pagefind's binary index files."""
    base, _ = server
    site = example_built / "site"
    samples = {}
    for path in sorted(site.rglob("*")):
        if path.is_file():
            samples.setdefault(path.suffix, path.relative_to(site).as_posix())
    assert {".html", ".css", ".js", ".json", ".csv", ".xml", ".pagefind", ".pf_fragment"} <= set(samples)
    binary = {".pagefind", ".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"}
    for suffix, path in samples.items():
        status, headers, _ = fetch(base + urllib.parse.quote(path))
        assert status == 200, path
        assert (headers["content-type"] == "application/octet-stream") == (suffix in binary), (path, headers)


@needs_nginx
def test_pages_are_compressed_redirects_stay_on_the_site_and_http_moves_to_https(server):
    base, plain = server
    status, headers, body = fetch(base, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("content-encoding") == "gzip" and "Accept-Encoding" in headers["vary"]
    assert b"<html" in gzip.decompress(body)
    status, headers, _ = fetch(base + "about")  # a folder without its slash: relative links need the slash
    assert (status, headers["location"]) == (301, "/about/")
    assert_secure(headers, "redirect")
    status, headers, _ = fetch(plain + "decisions/?q=1")
    assert status == 301 and headers["location"].startswith("https://127.0.0.1") and headers["location"].endswith(
        "/decisions/?q=1")
    assert headers["server"] == "nginx"  # server_tokens off: no version shown


@needs_nginx
def test_http2_is_offered(server):
    host, port = urllib.parse.urlsplit(server[0]).netloc.split(":")
    context = ssl._create_unverified_context()
    context.set_alpn_protocols(["h2", "http/1.1"])
    with socket.create_connection((host, int(port)), timeout=10) as raw, context.wrap_socket(raw) as tls:
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")


@needs_nginx
def test_a_search_through_nginx_in_chromium_with_a_quiet_console(server):
    base, _ = server
    problems: list[str] = []
    with chromium() as browser:
        context = browser.new_context(ignore_https_errors=True, viewport={"width": 1280, "height": 800},
                                      locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda m: problems.append(f"console {m.type}: {m.text} ({page.url})")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(f"page error: {e} ({page.url})"))
        page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        seen = []
        page.on("response", lambda r: seen.append(r.url))

        page.goto(base)
        page.fill("#dc-header-q", "和顺")
        page.press("#dc-header-q", "Enter")
        search_done(page)
        assert any("/pagefind/" in url and url.endswith(".pf_fragment") for url in seen)  # the index was read
        page.locator(".dc-result h2 a").first.click()
        page.wait_for_url("**/decisions/**/")
        assert "和顺" in page.text_content("article")
        for path in ("downloads/", "agencies/zonghe/", "certificates/?no=33070200011"):
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
        context.close()
    assert problems == []
    assert not any(url.endswith("sitemap.xml") and "/feeds/" in url for url in seen)


def test_the_feed_links_are_hidden_from_material_before_its_bundle_runs(example_built):
    """Material's bundle fetches sitemap.xml next to every <link rel=alternate>: on every page the script that renames
    the feed links must come before the bundle (the Chromium test above sees the console of a few pages only)."""
    pages = [p for p in (example_built / "site").rglob("*.html") if "<html" in p.read_text(encoding="utf-8")]
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        feeds = html.find('rel="alternate" type="application/atom+xml"')
        fix = html.find('assets/material/content.js"')
        bundle = html.find("assets/javascripts/bundle.")
        assert feeds > 0 and 0 < fix < bundle, page
