"""The county benchmark: print our figures beside plain MkDocs + Material for the same records.

    .venv/bin/python bench/run.py [--scale 1.0] [--no-anchor] [--keep DIR]

Measures, on a synthetic county from bench/make_county.py (issue 17's
targets in brackets): full build time against the anchor (≤ 0.5×) and peak
memory (≤ 1 GB), validate-only time (≤ 1/3 of the full build), the publish
step after a commit that edits one decision, with the previous site and the
cache kept as CI keeps them (≤ 10% of the full build; the county is a git
repository and each change is committed, as CI publishes commits) and the next
day's first build (the nightly one), time from saving one
decision to the updated page in `disclose serve` (≤ 1 s), and in headless Chromium the bytes a cold
search fetches (≤ 500 KB) and the time from typing to first results
(≤ 300 ms). Then the anchor, in the same run: plain MkDocs + Material with
its own search (jieba for Chinese) over bare Markdown pages of exactly the
records our site publishes as pages, in their public (masked) text, read with
our own loader and public view: each shown decision (a withdrawn one as its
notice), each power item, each agency's officers and benchmarks, each public
supervision notice and plan. Only its `mkdocs build` is timed.

Memory is the proportional set size (PSS) of the whole process tree, sampled
every 50 ms: forked workers share their parent's pages, and PSS counts each
shared page once.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import resource
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
from spy import profile  # noqa: E402

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
    """Wall seconds and peak PSS (MB) of a command and everything it starts; the result's `cpu`:
    (user, system) seconds of the command and the children it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
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
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    done.cpu = (after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime)
    return wall, peak / 1024, done


def commit(root: Path, message: str) -> None:
    """Commit everything in the county's repository (made on the first call)."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=基准", "-c", "user.email=bench@example.invalid", *args], cwd=root,
                       check=True, stdout=subprocess.DEVNULL)

    if not (root / ".git").exists():
        git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", message)


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
        # A list file: one officer renamed in an agency's officers.yaml (issue 17: ≤ 5 s).
        settle()
        officers = county / "content" / "a01" / "officers.yaml"
        listed = officers.read_text(encoding="utf-8")
        name = listed.split("name: ", 1)[1].split("\n", 1)[0]
        renamed = name + "基准"
        officers.write_text(listed.replace(f"name: {name}\n", f"name: {renamed}\n", 1), encoding="utf-8")
        t0 = time.perf_counter()
        while renamed not in fetch(base + "agencies/a01/officers/"):
            time.sleep(0.02)
        list_s = time.perf_counter() - t0
        officers.write_text(listed, encoding="utf-8")
        settle()
        return {"first_build_s": first, "edit_s": statistics.median(times), "edit_max_s": max(times),
                "broken_s": broken, "broken_kept": still, "list_s": list_s}
    finally:
        proc.terminate()
        proc.wait(timeout=60)  # the preview waits up to 30 s for its worker's step to end


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

# Markdown that a record's text must not start: escaped so the anchor's pages say what ours say.
_MD = str.maketrans({**{c: "\\" + c for c in "\\`*_[]#|!"}, "&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _md(text) -> str:
    """Record text as one line of Markdown (a paragraph or a table cell)."""
    return " ".join(str(text if text is not None else "").split()).translate(_MD)


def _fields(rows: list[tuple[str, object]]) -> str:
    """A record's fields as our pages show them, one "**label**：value" paragraph each, empty ones left out."""
    return "\n\n".join(f"**{label}**：{_md(value)}" for label, value in rows if value not in (None, "", []))


def _table(header: list[str], rows: list[list[object]]) -> str:
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                      *("| " + " | ".join(_md(c) or "—" for c in row) + " |" for row in rows)])


def _money(value) -> str | None:
    from generator.render import money

    return money(value) if value is not None else None


def _decision_md(site, e) -> str:
    from generator import public

    d, agency = e.decision, site.agency_name(e.agency)
    if public.is_withdrawn(e):  # only its notice is public (generator/public.py NOTICE_FIELDS)
        changed = d.status_changed_on.isoformat() if d.status_changed_on else "—"
        return (f"# {_md(d.case_no)}\n\n**撤回公告**\n\n{_md(agency)}作出的{_md(d.kind)}决定（{_md(d.case_no)}）"
                f"已于 {changed} 被依法{_md(d.status)}，原公示信息已撤回。\n\n"
                + _fields([("决定状态", f"决定已{d.status}" if d.status in ("变更", "撤销") else f"决定被{d.status}"),
                           ("理由", d.status_reason)]) + "\n")
    power = site.powers.get(d.power)
    bench = d.benchmark
    named = [f"{site.officers[c][0].name}（{c}）" if c in site.officers else c for c in d.officers]
    review = d.legal_review
    return f"# {_md(d.case_no)}\n\n{_md(agency)} · {_md(d.kind)} · {d.decided_on} 作出\n\n" + _fields([
        ("当事人", f"{public.party_name(d)}（{d.party.type}）"),
        ("统一社会信用代码", d.party.credit_code if d.party.type != "自然人" else None),
        ("决定内容", d.outcome), ("处罚种类", "、".join(d.penalty_types)), ("罚款金额", _money(d.fine)),
        ("没收金额", _money(d.confiscation)), ("决定书文号", d.case_no), ("执法主体", agency), ("决定类别", d.kind),
        ("违法事实", d.facts), ("决定依据", d.basis),
        ("适用事项", f"{power[0].name}（{d.power}）" if power else d.power),
        ("裁量基准", f"{site.benchmarks[bench.id][0].violation if bench.id in site.benchmarks else ''}（{bench.id}） · "
                     f"{bench.level}" if bench else None),
        ("裁量说明", bench.explanation if bench else None), ("执法人员", "、".join(named)),
        ("法制审核", f"{review.reviewer}，{review.date}：{review.conclusion}" if review else None),
        ("送达日期", d.served_on)]) + "\n"


def _power_md(site, aid: str, p) -> str:
    out = [f"# {_md(p.name)}", _fields([
        ("事项编码", p.code), ("事项类别", p.category), ("实施主体", site.agency_name(aid)),
        ("下放或委托机关", p.delegated_from), ("业务主管部门（1+X）", p.supervisor_department),
        ("办理时限", p.time_limit), ("双随机抽查", "纳入" if p.random_inspection else "未纳入"),
        ("重大执法决定法制审核", "需要" if p.major_decision_review else "不需要")]), "## 执法依据",
        "\n".join(f"{n}. **{_md(b.law)}** {_md(b.article)}" + (f" {_md(b.text)}" if b.text else "")
                  for n, b in enumerate(p.basis, 1))]
    for title, items in (("执法程序", p.process), ("责任事项", p.responsibilities), ("追责情形", p.accountability)):
        if items:
            out += [f"## {title}", "\n".join(f"- {_md(s)}" for s in items)]
    return "\n\n".join(out) + "\n"


def _officers_md(site, data) -> str:
    from generator import public

    head = f"# {_md(data.agency.name)} · 执法人员\n\n"
    if not data.officers:
        return head + "暂无登记的执法人员。\n"
    return head + _table(["姓名", "执法证号", "执法类别", "所在单位", "有效期至", "证件状态"], [
        [o.name, o.certificate_no, o.field, o.unit, o.valid_until, public.certificate_status(o, site.today)]
        for o, _ in data.officers]) + "\n"


def _benchmarks_md(site, data) -> str:
    out = [f"# {_md(data.agency.name)} · 裁量基准"]
    for b, _ in data.benchmarks:
        power = site.powers.get(b.power)
        out += [f"## {_md(b.violation)} {_md(b.id)}", _fields([
            ("对应事项", power[0].name if power else b.power), ("违法依据", b.violated_provision),
            ("处罚依据", b.penalty_provision)]),
            _table(["阶次", "适用情形", "处罚标准", "罚款幅度"], [
                [t.level, t.circumstances, t.penalty, f"{_money(t.fine_min) or '—'} 至 {_money(t.fine_max) or '—'}"
                 if t.fine_min is not None or t.fine_max is not None else None] for t in b.tiers])]
    if not data.benchmarks:
        out.append("本主体未单独制定裁量基准。")
    return "\n\n".join(out) + "\n"


def _notice_md(site, n, line) -> str:
    concerns = []
    for ref in n.concerns:
        for what, value in ref.which():
            if what == "decision":
                concerns.append(f"执法决定：{value if site.supervision.decision(value) else '一份未公开的决定'}")
            elif what == "officer":
                o = site.officers.get(value)
                concerns.append(f"执法人员：{o[0].name}（{value}）" if o else f"执法人员：{value}")
            else:
                pw = site.powers.get(value)
                concerns.append(f"权责事项：{pw[0].name}（{value}）" if pw else f"权责事项：{value}")
    out = [f"# {_md(n.kind)} {_md(n.id)}", _fields([
        ("制发机关", site.agency_name(n.issued_by)), ("被监督单位", site.agency_name(n.issued_to)),
        ("制发日期", n.issued_on), ("状态", line.state), ("监督依据", n.basis)]),
        "## 发现的问题", "\n".join(f"{i}. {_md(p)}" for i, p in enumerate(n.problems, 1))]
    if concerns:
        out += ["## 所涉记录", "\n".join(f"- {_md(c)}" for c in concerns)]
    if n.response:
        out += ["## 整改情况报告", f"{n.response.reported_on}：{_md(n.response.summary)}"]
    out += ["## 办理过程", "\n".join(f"{i}. {_md(' '.join(str(x) for x in (s.what, s.day or '', s.note) if x))}"
                                   for i, s in enumerate(line.timeline, 1))]
    return "\n\n".join(out) + "\n"


def _plan_md(site, p, line) -> str:
    prog = line.progress
    out = [f"# {_md(p.title)}", _fields([("整改单位", site.agency_name(p.owner)), ("整改依据", p.source),
                                        ("印发日期", p.adopted_on)]),
           f"截至 {site.today}，整改完成率 {'—' if prog.rate is None else f'{prog.rate}%'}（已到整改时限的 {prog.due} 项"
           f"措施中完成 {prog.done} 项）；全部 {prog.total} 项措施中已完成 {prog.finished} 项。"]
    for i, (q, states) in enumerate(zip(p.problems, prog.states, strict=True), 1):
        out += [f"## {i}. {_md(q.title)}", *([_md(q.description)] if q.description else []),
                _table(["整改措施", "牵头科室", "责任科室", "整改时限", "状态"], [
                    [m.text + (f"（{m.evidence}）" if m.evidence else ""), m.lead, "、".join(m.responsible), m.due,
                     st + (f" {m.done_on}" if m.done_on else "")] for m, st in zip(q.measures, states, strict=True)])]
    return "\n\n".join(out) + "\n"


def anchor_pages(county: Path, docs: Path, today: str = TODAY) -> int:
    """Write, as bare Markdown pages at the URLs ours have, every record our site publishes as a page,
    in its public (masked) form, read with our own loader and public view: each shown decision (a
    withdrawn one as its notice), each power item, each agency's officers and benchmarks, each public
    supervision notice and plan. Not our lists, statistics or deadline explanations: records only.
    Returns the number of pages written (index.md included)."""
    import datetime as dt

    from generator import build as gbuild
    from generator import kinds
    from generator.render import Site

    site = Site(gbuild.load(county, dt.date.fromisoformat(today)))
    pages: dict[str, str] = {"index.md": "# 行政执法公示\n"}
    for e in site.shown:
        pages[site.decision_uri(e)] = _decision_md(site, e)
    for aid, data in site.agencies.items():
        for p, _ in data.powers:
            pages[site.power_uri(p.code)] = _power_md(site, aid, p)
        pages[site.agency_uri(aid, "officers")] = _officers_md(site, data)
        pages[site.agency_uri(aid, "benchmarks")] = _benchmarks_md(site, data)
    writers = {"supervision_notice.html": lambda ctx: _notice_md(site, ctx["n"], ctx["line"]),
               "supervision_plan.html": lambda ctx: _plan_md(site, ctx["p"], ctx["line"])}
    for kind in kinds.KINDS.values():  # the pages a kind brings itself, as the site's Site.specs() has them
        for uri, template, _title, ctx in (kind.pages(site) if kind.pages else ()):
            if template not in writers:
                raise SystemExit(f"bench: no anchor page for {template} ({uri}): add one to bench/run.py")
            pages[uri] = writers[template](ctx)
    for uri, text in pages.items():
        target = docs / uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return len(pages)


def plain_mkdocs(county: Path, work: Path) -> dict[str, float]:
    """The records our site publishes as pages, as bare Markdown pages through plain MkDocs + Material
    with its own search (lang zh → jieba). Writing the Markdown is not timed (a separate process, so
    that the loaded county does not sit in this one's memory); `mkdocs build` is."""
    try:
        import jieba  # noqa: F401
    except ImportError:
        raise SystemExit("bench: the anchor needs jieba, as Material's Chinese search does: "
                         ".venv/bin/pip install -e '.[bench]'") from None
    shutil.rmtree(work, ignore_errors=True)
    docs = work / "docs"
    docs.mkdir(parents=True)
    started = time.perf_counter()
    written = subprocess.run(
        [PY, "-c", "import sys; from pathlib import Path; sys.path[:0] = sys.argv[1:3]; from run import anchor_pages; "
         "print(anchor_pages(Path(sys.argv[3]), Path(sys.argv[4])))", str(HERE), str(HERE.parent), str(county),
         str(docs)], capture_output=True, text=True)
    if written.returncode != 0:
        raise SystemExit(f"bench: writing the anchor's pages failed\n{written.stderr[-3000:]}")
    prepared = time.perf_counter() - started
    (work / "mkdocs.yml").write_text(
        "site_name: 基准\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins:\n  - search:\n      lang: zh\nnav:\n  - index.md\n"
        "validation:\n  nav:\n    omitted_files: ignore\n", encoding="utf-8")
    wall, peak, _ = run_measured([PY, "-m", "mkdocs", "build", "-q", "-f", str(work / "mkdocs.yml")])
    index = work / "site" / "search" / "search_index.json"
    return {"wall": wall, "peak": peak, "index_mb": index.stat().st_size / 2**20 if index.exists() else float("nan"),
            "pages": int(written.stdout.split()[-1]), "prepared": prepared}


# ---------------------------------------------------------------- report

def build_steps(stderr: str, steps: list[str], wall: float) -> list[str]:
    """The build's own step lines, with what they add up to: the steps run inside MkDocs's build
    (some of them side by side), and what is left of the wall time outside both."""
    loaded = re.search(r"读取并检查内容：([\d.]+) 秒", stderr)
    mkdocs = re.search(r"Documentation built in ([\d.]+) seconds", stderr)
    pages = re.search(r"记录页面 (\d+) 个：([\d.]+) 秒", stderr)
    out = list(steps)
    if mkdocs:
        out.append(f"the MkDocs build in all {float(mkdocs.group(1)):.1f} s (the public view, the navigation's pages, "
                   "the record pages, the data files and the wait for the search index, which Pagefind builds "
                   "beside the pages)")
    if pages and float(pages.group(2)):
        out.append(f"{int(pages.group(1)) / float(pages.group(2)):.0f} record pages/s")
    if loaded and mkdocs:
        rest = wall - float(loaded.group(1)) - float(mkdocs.group(1))
        out.append(f"the rest of the {wall:.1f} s (Python start-up, reading mkdocs.yml, swapping the site in)"
                   f" {rest:.1f} s")
    return out


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
    # What a previous run left is set aside and removed at the end: ext4 skips recently freed
    # inodes when it allocates new ones (recently_deleted, up to minutes), so removing 50,000
    # folders just before the builds made the incremental build's mkdirs several times slower
    # (perf: most of its system time). CI restores the previous site from its cache, freshly
    # written: nothing was removed there.
    trash = work / f".trash-{os.getpid()}"
    for name in ("county", "site", "cache"):
        if (work / name).exists():
            trash.mkdir(exist_ok=True)
            (work / name).rename(trash / name)
    counts = make(county, args.scale)
    print("county: " + "  ".join(f"{k} {v:,}" for k, v in counts.items()), flush=True)
    # A county's repository, as CI checks it out: the builds below publish commits.
    commit(county, "县域基准")

    v_wall, v_peak, _ = run_measured([PY, "-m", "generator.cli", "validate", "--project", str(county),
                                      "--today", TODAY])
    site, cache = work / "site", work / "cache"

    def build(*extra: str) -> tuple[float, float, subprocess.CompletedProcess]:
        return run_measured([PY, "-m", "generator.cli", "build", "--project", str(county), "--out", str(site),
                             "--cache", str(cache), *extra])

    # A full build (nothing to reuse yet) that records what it was made of, as CI's first run does.
    b_wall, b_peak, built = build("--today", TODAY)
    steps = [line for line in built.stderr.splitlines() if "秒" in line]
    pages = sum(1 for _ in site.rglob("index.html"))
    found = re.search(r"记录页面 (\d+) 个", built.stderr)
    record_pages = int(found.group(1)) if found else 0
    print(f"validate {v_wall:.1f} s; build {b_wall:.1f} s, {b_peak:.0f} MB, {pages:,} pages", flush=True)

    # A commit that edits one decision, published incrementally; then a commit that changes nothing.
    edited = sorted((county / "content" / "a02" / "decisions").rglob("*.yaml"))[-1]
    edited.write_text(edited.read_text(encoding="utf-8").replace("facts: ", "facts: 增量基准。", 1),
                      encoding="utf-8")
    commit(county, "修改一份决定")
    i_wall, i_peak, inc = build("--today", TODAY)
    i_steps = [line for line in inc.stderr.splitlines() if "秒" in line or "沿用" in line or "就地更新" in line]
    u_wall, _, _ = build("--today", TODAY)
    # The commit a county makes most: one new decision, dated in the last days (published within 7
    # working days), as `disclose new decision` names it.
    text = edited.read_text(encoding="utf-8")
    number = re.search(r"第(\d+)号", text).group(1)
    added = edited.with_name(f"{TODAY[:8]}20-9{number}.yaml")
    added.write_text(re.sub(r"(?m)^(decided_on|served_on|published_on): .*$", lambda m: f"{m.group(1)}: " + {
        "decided_on": TODAY[:8] + "20", "served_on": TODAY[:8] + "20", "published_on": TODAY}[m.group(1)],
        text.replace(f"第{number}号", f"第9{number}号", 1)), encoding="utf-8")
    commit(county, "新增一份决定")
    a_wall, _, add = build("--today", TODAY)
    a_steps = [line for line in add.stderr.splitlines() if "沿用" in line or "就地更新" in line]
    print(f"incremental: one decision {i_wall:.1f} s, nothing changed {u_wall:.1f} s, one added {a_wall:.1f} s",
          flush=True)
    # The same kind of commit again, profiled (not timed): where the incremental build's time goes.
    edited.write_text(edited.read_text(encoding="utf-8").replace("facts: ", "facts: 剖析。", 1), encoding="utf-8")
    commit(county, "再修改一份决定")
    profiled = profile([PY, "-m", "generator.cli", "build", "--project", str(county), "--out", str(site),
                        "--cache", str(cache), "--today", TODAY])

    # The first build of the next day (CI's nightly build): every page shows how many days are left,
    # so every page is rendered anew and the new site swapped in whole; Pagefind's shards are kept.
    tomorrow = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=1)).isoformat()
    n_wall, _, nightly = build("--today", tomorrow)
    n_steps = [line for line in nightly.stderr.splitlines() if "沿用" in line or "就地更新" in line]

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
         f"{anchor['wall']:.1f} s ({b_wall / anchor['wall']:.2f} ×)" if anchor else "—",
         met(b_wall <= 0.5 * anchor["wall"] if anchor else None)),
        ("pages built", f"{record_pages:,} record and list pages ({pages:,} HTML pages in all)", "—",
         f"{anchor['pages']:,} Markdown pages, one per record" if anchor else "—", "—"),
        ("peak memory, full build (PSS, process tree)", f"{b_peak:.0f} MB", "≤ 1 GB",
         f"{anchor['peak']:.0f} MB" if anchor else "—", met(b_peak <= 1024)),
        ("validate only", f"{v_wall:.1f} s ({v_peak:.0f} MB)", "≤ 1/3 of full build", "—",
         met(v_wall <= b_wall / 3)),
        ("publish after a commit editing one decision (incremental)",
         f"{i_wall:.1f} s ({i_wall / b_wall:.0%} of full), {i_peak:.0f} MB; CPU {inc.cpu[0]:.1f} s user + "
         f"{inc.cpu[1]:.1f} s system", "≤ 10% of full build",
         "full rebuild", met(i_wall <= 0.1 * b_wall)),
        ("publish after a commit changing nothing (incremental)", f"{u_wall:.1f} s ({u_wall / b_wall:.0%} of full)",
         "—", "full rebuild", "—"),
        ("publish after a commit adding one decision (incremental)",
         f"{a_wall:.1f} s ({a_wall / b_wall:.0%} of full); {'; '.join(a_steps) or '—'}", "—", "full rebuild", "—"),
        ("the next day's first build (nightly: every page's countdown moves)",
         f"{n_wall:.1f} s ({n_wall / b_wall:.0%} of full); {'; '.join(n_steps) or '—'}", "—", "full rebuild", "—"),
        ("edit one decision → page updated in preview", f"{preview['edit_s']:.2f} s (max {preview['edit_max_s']:.2f})",
         "≤ 1 s", "full rebuild on every save", met(preview["edit_s"] <= 1)),
        ("edit a list file (rename an officer) → page updated in preview", f"{preview['list_s']:.2f} s", "≤ 5 s",
         "full rebuild", met(preview["list_s"] <= 5)),
        ("broken save → errors shown, last good page kept",
         f"{preview['broken_s']:.2f} s, kept: {'yes' if preview['broken_kept'] else 'NO'}", "—", "—", "—"),
        ("preview: first full build", f"{preview['first_build_s']:.1f} s", "—", "—", "—"),
        ("search index size", f"{sum(f.stat().st_size for f in (site / 'pagefind').rglob('*')) / 2**20:.0f} MB on disk",
         "—", f"{anchor['index_mb']:.0f} MB search_index.json, loaded whole" if anchor else "—", "—"),
    ]
    for c in costs:
        rows.append((f"search “{c['query']}”: first results after typing", f"{c['first_ms']:.0f} ms "
                     f"(done {c['all_ms']:.0f} ms)", "≤ 300 ms", "—", met(c["first_ms"] <= 300)))
        rows.append((f"search “{c['query']}”: bytes, cold", f"{c['kb']:.0f} KB "
                     f"({c['opened_kb']:.0f} KB before typing)", "≤ 500 KB",
                     f"{anchor['index_mb'] * 1024:.0f} KB" if anchor else "—", met(c["kb"] <= 500)))
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
    print("build steps: " + "; ".join(build_steps(built.stderr, steps, b_wall)))
    if anchor:
        print(f"anchor steps: {anchor['pages']:,} Markdown pages written from our public view in "
              f"{anchor['prepared']:.1f} s (not timed); mkdocs build {anchor['wall']:.1f} s "
              f"({anchor['pages'] / anchor['wall']:.0f} pages/s), search_index.json {anchor['index_mb']:.1f} MB")
    print("incremental steps: " + "; ".join(i_steps))
    if profiled:
        spent, beside = profiled
        print(f"profile of the same commit (py-spy, main thread holding the GIL, {sum(s for _, s in spent):.1f} s; "
              f"search threads beside it {beside:.1f} s):")
        for label, seconds in spent:
            print(f"  {seconds:5.2f} s  {label}")
    else:
        print("profile of the incremental build: py-spy not installed (pip install -e '.[bench]')")
    for c in costs:
        print(f"  {c['query']}: {c['status']}; first result: {c['top']}")
    for old in work.glob(".trash-*"):
        shutil.rmtree(old, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
