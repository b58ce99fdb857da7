"""The county benchmark: print our figures beside plain MkDocs + Material for the same decisions.

    .venv/bin/python bench/run.py [--scale 1.0] [--no-anchor] [--keep DIR]

Measures, on a synthetic county from bench/make_county.py (issue 17's
targets in brackets): full build time against the anchor (≤ 0.5×) and peak
memory (≤ 1 GB), validate-only time (≤ 1/3 of the full build), the publish
step after a commit that edits one decision, with the previous site and the
cache kept as CI keeps them (≤ 10% of the full build), time from saving one
decision to the updated page in `disclose serve` (≤ 1 s), and in headless Chromium the bytes a cold
search fetches (≤ 500 KB) and the time from typing to first results
(≤ 300 ms). Then the same decisions as bare Markdown pages through plain
MkDocs + Material with its own search (jieba for Chinese), in the same run.

Memory is the proportional set size (PSS) of the whole process tree, sampled
every 50 ms: forked workers share their parent's pages, and PSS counts each
shared page once.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from make_county import make  # noqa: E402

PY = sys.executable
TODAY = "2026-11-23"


# ---------------------------------------------------------------- measuring processes

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    ppid = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            tree.setdefault(ppid, []).append(int(entry))
    return tree


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_kb(root: int) -> int:
    tree = _children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(tree.get(pid, []))
    return total


def run_measured(cmd: list[str], **kw) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak PSS (MB) of a command and everything it starts."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_pss_kb(proc.pid))
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err[-3000:]}")
    return wall, peak / 1024, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read().decode("utf-8", "replace")


# ---------------------------------------------------------------- preview

def preview_edit(county: Path, rounds: int = 3) -> dict[str, float]:
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "generator.cli", "serve", "--project", str(county), "--today", TODAY,
                             "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        started = time.perf_counter()
        while True:
            with contextlib.suppress(OSError):
                fetch(base)
                break
            if proc.poll() is not None:
                raise SystemExit("disclose serve exited")
            time.sleep(0.2)
        first = time.perf_counter() - started
        path = sorted((county / "content" / "a01" / "decisions").rglob("*.yaml"))[-1]
        original = path.read_text(encoding="utf-8")
        url = base + f"decisions/a01/{path.parent.name}/{path.stem}/"
        fetch(url)
        times = []

        def settle() -> None:
            # Like a person between two saves: wait until the search index has caught up.
            for _ in range(300):
                if not json.loads(fetch(base + "__disclose__/events?since=-1")).get("catching_up"):
                    return
                time.sleep(0.1)

        for i in range(rounds):
            settle()
            marker = f"基准测试修改标记{i}"
            path.write_text(original.replace("经调查核实", f"经调查核实（{marker}）", 1), encoding="utf-8")
            t0 = time.perf_counter()
            while marker not in fetch(url):
                time.sleep(0.02)
            times.append(time.perf_counter() - t0)
        # A broken save: errors reported, last good page still served.
        settle()
        version = json.loads(fetch(base + "__disclose__/events?since=-1"))["version"]
        path.write_text(original + "\nfine: [unclosed\n", encoding="utf-8")
        t0 = time.perf_counter()
        state = {"errors": []}
        while not state["errors"] and time.perf_counter() - t0 < 30:  # a late event may report first
            state = json.loads(fetch(base + f"__disclose__/events?since={version}"))
            version = state["version"]
        broken = time.perf_counter() - t0
        still = "基准测试修改标记" in fetch(url) and bool(state["errors"])
        path.write_text(original, encoding="utf-8")
        time.sleep(1.0)
        return {"first_build_s": first, "edit_s": statistics.median(times), "edit_max_s": max(times),
                "broken_s": broken, "broken_kept": still}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# ---------------------------------------------------------------- search in Chromium

def search_costs(site: Path, queries: list[str]) -> list[dict]:
    sys.path.insert(0, str(HERE.parent / "tests"))
    from browser import chromium, serve

    out = []
    with serve(site) as base, chromium() as browser:
        for q in queries:
            context = browser.new_context()  # cold: nothing cached
            page = context.new_page()
            sizes: list[int] = []

            def count(r, sizes=sizes):
                sizes.append((r.sizes() or {}).get("responseBodySize", 0) if "/pagefind/" in r.url else 0)

            page.on("requestfinished", count)
            page.goto(base + "search/")
            page.wait_for_load_state("networkidle")
            opened = sum(sizes)
            t0 = time.perf_counter()
            page.fill("#dc-q", q)
            page.press("#dc-q", "Enter")
            page.wait_for_selector(".dc-result, [data-dc-status]:has-text('没有')", timeout=120_000)
            first = time.perf_counter() - t0
            # a locator, not wait_for_function: the site's CSP refuses to evaluate a string
            page.locator("[data-dc-status][data-complete='1']").wait_for(state="attached", timeout=300_000)
            done = time.perf_counter() - t0
            page.wait_for_load_state("networkidle")
            status = page.text_content("[data-dc-status]")
            top = page.locator(".dc-result h2").first.text_content() if page.locator(".dc-result").count() else ""
            out.append({"query": q, "first_ms": first * 1000, "all_ms": done * 1000,
                        "opened_kb": opened / 1024, "kb": sum(sizes) / 1024, "status": status, "top": top})
            context.close()
    return out


# ---------------------------------------------------------------- the anchor: plain MkDocs + Material

def plain_mkdocs(county: Path, work: Path) -> tuple[float, float, float]:
    """The same decisions as bare Markdown pages, Material with its own search (lang zh → jieba)."""
    import yaml

    shutil.rmtree(work, ignore_errors=True)
    docs = work / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 行政执法公示\n", encoding="utf-8")
    for path in sorted((county / "content").glob("*/decisions/*/*.yaml")):
        d = yaml.safe_load(path.read_text(encoding="utf-8"))
        target = docs / path.relative_to(county / "content").with_suffix(".md")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"# {d['case_no']}\n\n当事人：{d['party']['name']}\n\n{d['facts']}\n\n{d['outcome']}\n",
                          encoding="utf-8")
    (work / "mkdocs.yml").write_text(
        "site_name: 基准\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\nnav:\n  - index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n", encoding="utf-8")
    wall, peak, _ = run_measured([PY, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml")])
    index = work / "site" / "search" / "search_index.json"
    return wall, peak, index.stat().st_size / 1024 / 1024 if index.exists() else float("nan")


# ---------------------------------------------------------------- report

def main() -> None:
    ap = argparse.ArgumentParser(description="county benchmark")
    ap.add_argument("--scale", type=float, default=1.0, help="1.0 = 50,000 decisions")
    ap.add_argument("--no-anchor", action="store_true", help="skip the plain MkDocs + Material build")
    ap.add_argument("--keep", type=Path, help="keep the county and sites in this folder")
    ap.add_argument("--no-search", action="store_true", help="skip the search costs in headless Chromium")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="disclose-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    county = work / "county"
    counts = make(county, args.scale)
    print("county: " + "  ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)

    v_wall, v_peak, _ = run_measured([PY, "-m", "generator.cli", "validate", "--project", str(county),
                                      "--today", TODAY])
    site, cache = work / "site", work / "cache"
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)

    def build(*extra: str) -> tuple[float, float, subprocess.CompletedProcess]:
        return run_measured([PY, "-m", "generator.cli", "build", "--project", str(county), "--out", str(site),
                             "--cache", str(cache), *extra])

    # A full build (nothing to reuse yet) that records what it was made of, as CI's first run does.
    b_wall, b_peak, built = build("--today", TODAY)
    steps = [line for line in built.stderr.splitlines() if "秒" in line]
    pages = sum(1 for _ in site.rglob("index.html"))
    print(f"validate {v_wall:.1f} s; build {b_wall:.1f} s, {b_peak:.0f} MB, {pages:,} pages", flush=True)

    # A commit that edits one decision, published incrementally; then a commit that changes nothing.
    edited = sorted((county / "content" / "a02" / "decisions").rglob("*.yaml"))[-1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("facts: ", "facts: 增量基准。", 1),
                      encoding="utf-8")
    i_wall, i_peak, inc = build("--today", TODAY)
    i_steps = [line for line in inc.stderr.splitlines() if "秒" in line or "沿用" in line]
    u_wall, _, _ = build("--today", TODAY)
    print(f"incremental: one decision {i_wall:.1f} s, nothing changed {u_wall:.1f} s", flush=True)

    preview = preview_edit(county)
    print(f"preview: first build {preview['first_build_s']:.1f} s, edit {preview['edit_s']:.2f} s", flush=True)
    import yaml

    recent = sorted((county / "content" / "a07" / "decisions").rglob("*.yaml"))[-40:]  # newest, still public
    rows = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in recent]
    sample = next(r for r in rows if r.get("status", "有效") == "有效")
    company = next(r for r in rows if "有限公司" in r["party"]["name"])
    cert = yaml.safe_load((county / "content" / "a03" / "officers.yaml").read_text(encoding="utf-8"))[0]
    queries = [sample["case_no"], company["party"]["name"], "罚款", "倾倒", cert["certificate_no"]]
    costs = search_costs(site, queries) if not args.no_search else []

    anchor = plain_mkdocs(county, work / "plain") if not args.no_anchor else None

    def met(ok: bool | None) -> str:
        return "—" if ok is None else ("yes" if ok else "NO")

    rows = [
        ("full build (validate → searchable site)", f"{b_wall:.1f} s", "≤ 0.5 × anchor",
         f"{anchor[0]:.1f} s ({b_wall / anchor[0]:.2f} ×)" if anchor else "—",
         met(b_wall <= 0.5 * anchor[0] if anchor else None)),
        ("peak memory, full build (PSS, process tree)", f"{b_peak:.0f} MB", "≤ 1 GB",
         f"{anchor[1]:.0f} MB" if anchor else "—", met(b_peak <= 1024)),
        ("validate only", f"{v_wall:.1f} s ({v_peak:.0f} MB)", "≤ 1/3 of full build", "—",
         met(v_wall <= b_wall / 3)),
        ("publish after a commit editing one decision (incremental)",
         f"{i_wall:.1f} s ({i_wall / b_wall:.0%} of full), {i_peak:.0f} MB", "≤ 10% of full build",
         "full rebuild", met(i_wall <= 0.1 * b_wall)),
        ("publish after a commit changing nothing (incremental)", f"{u_wall:.1f} s ({u_wall / b_wall:.0%} of full)",
         "—", "full rebuild", "—"),
        ("edit one decision → page updated in preview", f"{preview['edit_s']:.2f} s (max {preview['edit_max_s']:.2f})",
         "≤ 1 s", "full rebuild on every save", met(preview["edit_s"] <= 1)),
        ("broken save → errors shown, last good page kept",
         f"{preview['broken_s']:.2f} s, kept: {'yes' if preview['broken_kept'] else 'NO'}", "—", "—", "—"),
        ("preview: first full build", f"{preview['first_build_s']:.1f} s", "—", "—", "—"),
        ("search index size", f"{sum(f.stat().st_size for f in (site / 'pagefind').rglob('*')) / 2**20:.0f} MB on disk",
         "—", f"{anchor[2]:.0f} MB search_index.json, loaded whole" if anchor else "—", "—"),
    ]
    for c in costs:
        rows.append((f"search “{c['query']}”: first results after typing", f"{c['first_ms']:.0f} ms "
                     f"(done {c['all_ms']:.0f} ms)", "≤ 300 ms", "—", met(c["first_ms"] <= 300)))
        rows.append((f"search “{c['query']}”: bytes, cold", f"{c['kb']:.0f} KB "
                     f"({c['opened_kb']:.0f} KB before typing)", "≤ 500 KB",
                     f"{anchor[2] * 1024:.0f} KB" if anchor else "—", met(c["kb"] <= 500)))
    print()
    print(f"County: {counts['decisions']:,} decisions, {counts['agencies']} agencies, {counts['officers']:,} officers, "
          f"{counts['powers']:,} powers, {counts['benchmarks']:,} benchmarks, {counts['notices']:,} supervision notices, "
          f"{counts['plans']:,} rectification plans, {counts['coordination']:,} coordination records; "
          f"{os.cpu_count()} cores")
    print()
    print("| figure | disclose | target | plain MkDocs + Material (same run) | met |")
    print("|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print("build steps: " + "; ".join(steps))
    print("incremental steps: " + "; ".join(i_steps))
    for c in costs:
        print(f"  {c['query']}: {c['status']}; first result: {c['top']}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
