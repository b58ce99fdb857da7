"""Publishing: what CI runs is the project's own script, tested here; the site allows only itself."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import material
import pytest
import yaml
from browser import nginx_csp

from generator.cli import parser

REPO = Path(__file__).parent.parent
PUBLISH = REPO / "scripts" / "publish"
WORKFLOW = REPO / ".github" / "workflows" / "publish.yml"
GITLAB = REPO / ".gitlab-ci.yml"
MATERIAL = Path(material.__file__).parent / "templates" / "partials" / "javascripts"


def _runs(steps) -> list[str]:
    return [s["run"] for s in steps if "run" in s]


def _project_commands(script: Path) -> list[list[str]]:
    """The `disclose …` command lines of a project script, as argv lists."""
    out = []
    for line in script.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*\.venv/bin/disclose (.+)$", line)
        if m:
            # shell variables stand for a value; an array expansion may stand for none
            out.append([("VALUE" if a.startswith("$") else a) for a in shlex.split(m[1]) if "[@]" not in a])
    return out


# ---------------------------------------------------------------- the workflow files


def test_github_workflow_validates_builds_and_deploys_main_to_pages():
    wf = yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # "on" stays a string
    triggers = wf["on"]
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    # 00:10 Beijing time (UTC+8, no daylight saving) is 16:10 UTC the day before
    assert [s["cron"] for s in triggers["schedule"]] == ["10 16 * * *"]
    build = wf["jobs"]["build"]["steps"]
    checkout = next(s for s in build if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == "0"  # publication dates come from git history
    assert _runs(build) == ["bash scripts/publish site"]
    upload = next(s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site" and "refs/heads/main" in upload["if"]
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build" and "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in deploy["steps"])
    assert wf["permissions"] == {"contents": "read"}


def test_gitlab_ci_publishes_public_from_the_default_branch():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert str(ci["variables"]["GIT_DEPTH"]) == "0"
    assert ci["pages"]["script"] == ["bash scripts/publish public"]
    assert ci["pages"]["artifacts"]["paths"] == ["public"]
    assert "$CI_DEFAULT_BRANCH" in ci["pages"]["rules"][0]["if"]
    assert ci["check"]["script"] == ["bash scripts/publish public"]


def _gitlab_if(expression: str, env: dict[str, str]) -> bool:
    """GitLab's rules:if for the forms the pipeline uses: $VAR, == and != (against a variable or a string), && and ||;
    an undefined variable is null, and null == null."""
    python = re.sub(r"\$(\w+)", lambda m: f"env.get({m[1]!r})", expression).replace("&&", " and ").replace("||", " or ")
    return bool(eval(python, {"__builtins__": {}}, {"env": env}))  # the expression comes from this repository's own file


def _gitlab_jobs(ci: dict, env: dict[str, str]) -> list[str] | None:
    """The jobs GitLab runs for a pipeline with these predefined variables; None when no pipeline is created."""
    def first_rule(rules):
        rule = next((r for r in rules if "if" not in r or _gitlab_if(r["if"], env)), None)
        return rule is not None and rule.get("when") != "never"

    if not first_rule(ci["workflow"]["rules"]):
        return None
    return [name for name, job in ci.items() if isinstance(job, dict) and "script" in job and first_rule(job["rules"])]


def test_gitlab_ci_runs_one_pipeline_per_change_and_takes_its_image_from_a_variable():
    ci = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    main = {"CI_DEFAULT_BRANCH": "main"}
    push = {**main, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "fix"}
    assert _gitlab_jobs(ci, push) == ["check"]
    # A push to a branch with an open merge request: only the merge request pipeline runs, not a second one.
    assert _gitlab_jobs(ci, {**push, "CI_OPEN_MERGE_REQUESTS": "county/zfgs!3"}) is None
    assert _gitlab_jobs(ci, {**main, "CI_PIPELINE_SOURCE": "merge_request_event"}) == ["check"]
    for source in ("push", "schedule", "web"):  # the nightly rebuild is a branch pipeline on the default branch
        assert _gitlab_jobs(ci, {**main, "CI_PIPELINE_SOURCE": source, "CI_COMMIT_BRANCH": "main"}) == ["pages"]
    # An intranet runner sets PYTHON_IMAGE to its mirror; python:3.12 otherwise.
    assert ci["default"]["image"] in ("$PYTHON_IMAGE", "${PYTHON_IMAGE}")
    assert ci["variables"]["PYTHON_IMAGE"] == "python:3.12"


def test_every_step_the_workflows_rely_on_exists():
    """Each script a workflow runs is in the repository, and each disclose command in it parses."""
    runs = _runs(yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["jobs"]["build"]["steps"])
    runs += [line for job in yaml.safe_load(GITLAB.read_text(encoding="utf-8")).values()
             if isinstance(job, dict) for line in job.get("script", [])]
    scripts = {REPO / shlex.split(r)[1] for r in runs}
    assert scripts == {PUBLISH}
    assert os.access(PUBLISH, os.X_OK)
    commands = _project_commands(PUBLISH)
    assert [c[0] for c in commands] == ["validate", "build"]
    for argv in commands:
        args = parser().parse_args(argv)
        assert args.strict, argv
    setup = (REPO / "scripts" / "setup").read_text(encoding="utf-8")
    assert "--site" in setup and "bash scripts/setup --site" in PUBLISH.read_text(encoding="utf-8")


def _county(tmp_path: Path) -> Path:
    """The repository as CI checks it out, minus what publishing does not read."""
    root = tmp_path / "repo"
    root.mkdir()
    for part in ("content", "site_config", "scripts"):
        shutil.copytree(REPO / part, root / part)
    (root / ".venv").symlink_to(REPO / ".venv")
    return root


def test_the_publish_script_builds_the_example_county(tmp_path):
    root = _county(tmp_path)
    env = {**os.environ, "DISCLOSE_SKIP_SETUP": "1", "DISCLOSE_TODAY": "2026-11-23"}
    done = subprocess.run(["bash", "scripts/publish", "public"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert (root / "public/index.html").is_file() and (root / "public/decisions/index.html").is_file()
    assert "检查通过" in done.stderr


def test_the_publish_script_fails_on_a_warning_and_leaves_the_old_site(tmp_path):
    root = _county(tmp_path)
    (root / "public").mkdir()
    (root / "public/index.html").write_text("上一次发布的网站", encoding="utf-8")
    moved = next((root / "content/zonghe/decisions/2026").glob("*.yaml"))
    (root / "content/zonghe/decisions/2025").mkdir(exist_ok=True)
    moved.rename(root / "content/zonghe/decisions/2025" / moved.name)  # W003: filed under the wrong year
    env = {**os.environ, "DISCLOSE_SKIP_SETUP": "1", "DISCLOSE_TODAY": "2026-11-23"}
    done = subprocess.run(["bash", "scripts/publish", "public"], cwd=root, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode != 0
    assert "W003" in done.stderr
    assert (root / "public/index.html").read_text(encoding="utf-8") == "上一次发布的网站"


# ---------------------------------------------------------------- only the site itself


def test_nginx_config_sends_the_security_headers():
    conf = (REPO / "templates/deploy/nginx.conf").read_text(encoding="utf-8")
    csp = nginx_csp()
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"  # Pagefind's WebAssembly; no inline scripts
    assert directives["frame-ancestors"] == "'self'"
    assert not re.search(r"https?://|\*|unsafe-inline|unsafe-eval'", csp.replace("wasm-unsafe-eval", ""))
    assert re.search(r'add_header Strict-Transport-Security "max-age=\d{8,}; includeSubDomains" always;', conf)
    assert 'add_header X-Content-Type-Options "nosniff" always;' in conf
    # nginx drops server-level add_header inside a location that has its own: each one repeats the CSP
    for block in re.findall(r"location [^{]+\{([^}]*)\}", conf):
        if "add_header" in block:
            assert "Strict-Transport-Security" in block
            if "Cache-Control \"no-cache\"" in block:
                assert csp in block


def test_every_page_carries_the_policy_and_no_inline_script(example_built):
    meta = nginx_csp().replace("; frame-ancestors 'self'", "")  # a <meta> policy cannot set frame-ancestors
    pages = list((example_built / "site").rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        html = page.read_text(encoding="utf-8")
        if "<html" not in html:
            continue
        assert f'<meta http-equiv="Content-Security-Policy" content="{meta}">' in html, page
        inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
        assert inline == [], (page, inline)


@pytest.mark.parametrize(("partial", "ours"), [
    ("base.html", "base.js"), ("palette.html", "palette.js"), ("content.html", "content.js"),
])
def test_material_s_inline_scripts_we_serve_as_files_match_material(partial, ours):
    """After a Material upgrade this fails until templates/docs/assets/material/ is refreshed."""
    theirs = re.findall(r"<script>(.*?)</script>", (MATERIAL / partial).read_text(encoding="utf-8"), re.S)[-1]
    theirs = theirs.replace('"{{ config.extra.scope | d(base_url) }}",location', '"../..",document.currentScript.src')
    assert theirs in (REPO / "templates/docs/assets/material" / ours).read_text(encoding="utf-8")
