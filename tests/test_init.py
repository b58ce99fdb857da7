"""`disclose init`: a county's own repository started from nothing and published by the generator
installed from its built wheel, as a county's CI installs it; and the wheel itself.

The end-to-end test builds the wheel from a copy of the sources (pip builds in the source tree and
would leave build/ behind), installs it into a new, clean virtual environment (dependencies from the
index or pip's cache, held to this environment's versions), runs `disclose init` with that install,
fills in a clerk's first records, commits them, and runs the exact commands of the generated GitHub
workflow and GitLab pipeline (with `--today`: tests do not read the clock).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, site_texts

from generator.cli import main
from generator.init import agency_kind, short_region
from generator.schema import SCHEMAS, schemas

REPO = Path(__file__).parent.parent
TODAY = "2026-06-15"
CREDIT = "12330127MB0012345J"  # a valid 统一社会信用代码 (GB 32100-2015 check character)
REGION = "浙江省杭州市淳安县"
AGENCY_NAME = "淳安县综合行政执法局"
FIRST_DAY = "2026-05-12T10:00:00+08:00"  # when the clerk commits the first records


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")}
    return {**env, **extra}


def _run(args, cwd: Path, env: dict[str, str] | None = None, shell: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env or _clean_env(), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, shell=shell, check=False, timeout=300)


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = _run(["git", "-c", "user.name=县综合执法局", "-c", "user.email=zfj@example.gov.cn",
                 "-c", "commit.gpgsign=false", *args], repo, env)
    assert done.returncode == 0, done.stderr
    return done.stdout


# ---------------------------------------------------------------- the wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, str]:
    """The wheel built from a copy of the sources, and pip's verbose log of the build.

    Built with build isolation: the project's build requirement (setuptools >= 77) comes from the index
    or pip's cache, as it does for anyone building the project; a venv's own setuptools may be too old."""
    base = tmp_path_factory.mktemp("wheel")
    src, out = base / "src", base / "dist"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("generator", "templates"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    done = _run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(out), str(src)], base)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (built,) = out.glob("zfgs_disclose-*.whl")
    return built, done.stdout + done.stderr


def test_wheel_ships_every_template_and_data_file(wheel):
    path, log = wheel
    # setuptools' warnings about data folders left out of the package list (they are dropped in its
    # future versions) and about a malformed configuration
    assert "is absent from the `packages` configuration" not in log
    assert "Package would be ignored" not in log
    assert not re.search(r"(License|Setuptools)\w*Warning|_BetaConfiguration|_Warning:", log), \
        [line for line in log.splitlines() if "Warning" in line]
    names = set(zipfile.ZipFile(path).namelist())
    version = metadata.version("zfgs-disclose")
    assert path.name == f"zfgs_disclose-{version}-py3-none-any.whl"
    shipped = {f"generator/{p.relative_to(REPO / 'generator').as_posix()}" for p in (REPO / "generator").glob("*")
               if p.suffix in (".py", ".yaml")}
    shipped |= {f"generator/templates/{p.relative_to(REPO / 'templates').as_posix()}"
                for p in (REPO / "templates").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    missing = sorted(shipped - names)
    assert not missing, f"not in the wheel: {missing}"
    for needed in ("generator/default_rules.yaml", "generator/sources.yaml", "generator/templates/mkdocs.yml",
                   "generator/templates/records/decision.html", "generator/templates/overrides/main.html",
                   "generator/templates/docs/assets/disclose.js", "generator/templates/docs/guide/errors.md",
                   "generator/templates/project/publish.yml", "generator/templates/deploy/nginx.conf"):
        assert needed in names, needed
    assert len([n for n in names if re.fullmatch(r"generator/templates/records/[^/]+\.html", n)]) > 20
    assert any(n.startswith("generator/templates/overrides/partials/") for n in names)
    assert any(n.startswith("generator/templates/docs/assets/material/") for n in names)
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    meta = zipfile.ZipFile(path).read(f"zfgs_disclose-{version}.dist-info/entry_points.txt").decode()
    assert "disclose = generator.cli:run" in meta


def test_pyproject_lists_every_template_folder():
    """A folder added under templates/ must be listed, or setuptools warns and will drop it."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    folders = {"generator.templates." + ".".join(p.relative_to(REPO / "templates").parts)
               for p in (REPO / "templates").rglob("*") if p.is_dir() and p.name != "__pycache__"}
    assert folders - listed == set()
    assert listed - folders - {"generator", "generator.kinds", "generator.templates"} == set()  # nothing listed that is gone


# ---------------------------------------------------------------- a county's first day, from the wheel


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new, clean venv with the wheel installed; its bin/ folder. Dependencies are held to this
    environment's versions, so pip finds them in its cache and the test checks what the suite checks."""
    base = tmp_path_factory.mktemp("venv")
    venv = base / "venv"
    done = _run([sys.executable, "-m", "venv", str(venv)], base)
    assert done.returncode == 0, done.stderr
    frozen = _run([sys.executable, "-m", "pip", "freeze", "--exclude", "zfgs-disclose"], base)
    (base / "constraints.txt").write_text(frozen.stdout, encoding="utf-8")
    done = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-compile", "-c", str(base / "constraints.txt"),
                 str(wheel[0])], base)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    where = _run([str(venv / "bin" / "python"), "-c", "import generator; print(generator.__file__)"], base)
    assert Path(where.stdout.strip()).is_relative_to(venv), where  # the wheel's copy, not this tree
    return venv / "bin"


def _steps(commands: list[str], bindir: Path, wheeldir: Path, repo: Path) -> None:
    """Run CI commands as the county's CI would, with the pinned install served from the wheel's folder."""
    env = _clean_env(PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}", PIP_NO_INDEX="1",
                     PIP_FIND_LINKS=str(wheeldir), PIP_DISABLE_PIP_VERSION_CHECK="1")
    for command in commands:
        if command.startswith("disclose "):
            command += f" --today {TODAY}"
        done = _run(["bash", "-euo", "pipefail", "-c", command], repo, env)
        assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])


def test_a_county_starts_its_repository_and_publishes_with_the_installed_wheel(installed, wheel, tmp_path):
    disclose = str(installed / "disclose")
    done = _run([disclose, "init", "chunan", "--region", REGION, "--agency-name", AGENCY_NAME,
                 "--credit-code", CREDIT], tmp_path)
    assert done.returncode == 0, done.stderr
    repo = tmp_path / "chunan"
    assert "已提交第一个版本" in done.stdout
    assert "CI 拿不到它" in done.stderr  # installed from a local file: the clerk is told CI needs an index serving it
    # one commit holding every file, nothing left over
    first = f"建立淳安县行政执法公示仓库（zfgs-disclose {metadata.version('zfgs-disclose')}）"
    assert _git(repo, "log", "--format=%s").splitlines() == [first]
    assert _git(repo, "status", "--porcelain") == ""
    tracked = set(_git(repo, "ls-files").split())
    for name in (".github/workflows/publish.yml", ".gitlab-ci.yml", ".gitignore", ".vscode/settings.json",
                 ".vscode/extensions.json", "README.md", "requirements.txt", "site_config/site.yaml",
                 "site_config/rules.yaml", "site_config/calendar.yaml", "content/zonghe/agency.yaml",
                 "schemas/decision.schema.json"):
        assert name in tracked, name
    pins = [line for line in (repo / "requirements.txt").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert pins == [f"zfgs-disclose=={metadata.version('zfgs-disclose')}"]

    # The first commit validates, builds and publishes as it is.
    workflow = yaml.safe_load((repo / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    github = [step["run"] for step in workflow["jobs"]["build"]["steps"] if "run" in step]
    assert github == ["python -m pip install -r requirements.txt", "disclose validate --strict",
                      "disclose build --strict --out site"]
    _steps(github, installed, wheel[0].parent, repo)
    assert (repo / "site" / "agencies" / "zonghe" / "index.html").is_file()

    # A clerk's first records, committed on the first day
    shutil.copytree(FIXTURES / "county-first-records", repo, dirs_exist_ok=True)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "第一批执法人员、权责事项和执法决定",
         env=_clean_env(GIT_AUTHOR_DATE=FIRST_DAY, GIT_COMMITTER_DATE=FIRST_DAY))
    assert _git(repo, "status", "--porcelain") == ""  # the built site/ is ignored, not committed
    _steps(github, installed, wheel[0].parent, repo)
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    gitlab = pipeline["default"]["before_script"] + pipeline["pages"]["script"]
    assert gitlab == ["python -m pip install -r requirements.txt", "disclose validate --strict",
                      "disclose build --strict --out public"]
    _steps(gitlab, installed, wheel[0].parent, repo)
    check = _run([disclose, "check", "--today", TODAY], repo)
    assert check.returncode == 0, check.stdout + check.stderr
    assert f"截至 {TODAY}：0 项监督发现。" in check.stdout

    site = repo / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>" in home and "淳安县行政执法公示" in home and REGION in home
    assert AGENCY_NAME in (site / "agencies" / "zonghe" / "index.html").read_text(encoding="utf-8")
    decisions = json.loads((site / "data" / "decisions.json").read_text(encoding="utf-8"))
    text = json.dumps(decisions, ensure_ascii=False)
    assert "淳综执许字〔2026〕第1号" in text and "张某" in text
    assert "淳综执许字〔2026〕第1号" in (site / "data" / "shuanggongshi" / "xzxk.csv").read_text(encoding="utf-8-sig")
    assert "方立军" in (site / "data" / "officers.csv").read_text(encoding="utf-8-sig")
    entries = list((site / "pagefind").glob("*/pagefind-entry.json"))
    assert entries and list((site / "pagefind").glob("*/fragment/*.pf_fragment"))
    assert json.loads(entries[0].read_text(encoding="utf-8"))["languages"]
    assert "淳综执许字" in (site / "feeds" / "decisions.xml").read_text(encoding="utf-8")
    assert (site / "guide" / "errors" / "index.html").is_file()
    leaked = [p for p, body in site_texts(site) if "张建国" in body]
    assert not leaked, leaked  # the natural person's name is masked in every byte, search index included
    def files(root: Path) -> set[str]:  # Pagefind names its index files by content hash: compared by shape
        return {re.sub(r"_[0-9a-f]{6,}\.", "_*.", p.relative_to(root).as_posix()) for p in root.rglob("*") if p.is_file()}

    assert files(repo / "public") == files(site)

    # A local install of another release than the pin: every check says so (V001).
    pin = repo / "requirements.txt"
    pin.write_text(pin.read_text(encoding="utf-8").replace(f"=={metadata.version('zfgs-disclose')}", "==99.0"),
                   encoding="utf-8")
    strict = _run([disclose, "validate", "--strict", "--today", TODAY], repo)
    assert strict.returncode == 1
    assert re.search(r"^requirements\.txt:5:\d+: 警告 V001 本仓库固定使用生成器 zfgs-disclose 99\.0", strict.stderr, re.M)


# ---------------------------------------------------------------- in this process


def _init(tmp_path: Path, *extra: str, name: str = "repo") -> tuple[int, Path]:
    target = tmp_path / name
    code = main(["init", str(target), "--region", REGION, "--credit-code", CREDIT, *extra])
    return code, target


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    target = tmp_path / "repo"
    target.mkdir()
    (target / "记录.xlsx").write_bytes(b"PK")
    code, _ = _init(tmp_path)
    err = capsys.readouterr().err
    assert code == 2
    assert "不是空文件夹" in err and "记录.xlsx" in err
    assert sorted(p.name for p in target.iterdir()) == ["记录.xlsx"]  # nothing added
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]  # no staging folder left behind
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert _init(tmp_path, name="file")[0] == 2
    assert "不是文件夹" in capsys.readouterr().err


def test_init_refuses_bad_input_before_writing_anything(tmp_path, capsys):
    assert main(["init", str(tmp_path / "a"), "--region", REGION, "--credit-code", "12330127MB00123450"]) == 2
    assert "统一社会信用代码无效：校验位不符" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "b"), "--region", REGION]) == 2  # stdin is not a terminal: not asked
    assert "--credit-code" in capsys.readouterr().err
    assert main(["init", str(tmp_path / "c"), "--region", "某某县\n城关镇", "--credit-code", CREDIT]) == 2
    with pytest.raises(SystemExit) as stop:  # argparse: an agency id that could leave content/
        main(["init", str(tmp_path / "d"), "--region", REGION, "--agency", "../x", "--credit-code", CREDIT])
    assert stop.value.code == 2
    assert "执法主体编号只能用小写字母" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_init_checks_what_it_wrote_and_writes_nothing_that_fails(tmp_path, capsys):
    code, _ = _init(tmp_path, "--agency-name", "淳安县" + "综合" * 10_000 + "执法局")
    err = capsys.readouterr().err
    assert code == 1
    assert "没有通过检查，什么也没有写入" in err
    assert re.search(r"^content/zonghe/agency\.yaml:\d+:\d+: 错误 F011 ", err, re.M)
    assert list(tmp_path.iterdir()) == []  # neither the target nor the folder it was staged in


def test_init_starts_in_a_freshly_cloned_empty_repository(tmp_path, capsys):
    target = tmp_path / "clone"
    target.mkdir()
    assert _run(["git", "init", "-q", "-b", "trunk"], target).returncode == 0  # as `git clone` of an empty project
    code, _ = _init(tmp_path, "--agency", "sfj", "--agency-name", "淳安县千岛湖镇人民政府", name="clone")
    assert code == 0, capsys.readouterr().err
    assert _git(target, "rev-parse", "--abbrev-ref", "HEAD").strip() == "trunk"  # the clone's branch is kept
    assert "content/sfj/agency.yaml" in _git(target, "ls-files")
    agency = yaml.safe_load((target / "content/sfj/agency.yaml").read_text(encoding="utf-8"))
    assert agency["name"] == "淳安县千岛湖镇人民政府" and agency["kind"] == "乡镇人民政府"
    assert agency["credit_code"] == CREDIT and agency["complaints"] == {"phone": "12345", "email": None,
                                                                         "address": None}
    assert agency["reconsideration_body"] == "淳安县人民政府" and agency["court"] == "淳安县人民法院"


def test_generated_workflows_are_valid_and_install_the_pin(tmp_path):
    code, repo = _init(tmp_path, "--no-git")
    assert code == 0 and not (repo / ".git").exists()
    workflow = yaml.safe_load((repo / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[0]["with"]["fetch-depth"] == 0
    assert steps[1]["with"]["cache-dependency-path"] == "requirements.txt"
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == "python -m pip install -r requirements.txt"
    assert "scripts/" not in json.dumps(workflow)  # a content-only repository has no scripts of the generator
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert {"cron": "10 16 * * *"} in workflow[True]["schedule"]  # YAML 1.1 reads the key `on` as true
    pipeline = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert pipeline["variables"]["GIT_DEPTH"] == 0 and pipeline["default"]["image"] == "${PYTHON_IMAGE}"
    assert pipeline["default"]["before_script"] == ["python -m pip install -r requirements.txt"]
    pip_cache, disclose_cache = pipeline["default"]["cache"]
    assert pip_cache["key"]["files"] == ["requirements.txt"]
    # Incremental publishing: the previous site and what it was made of, kept between pipelines.
    assert disclose_cache["paths"] == [".cache/disclose", "public"]
    assert "requirements.txt" in disclose_cache["key"]["files"]
    kept = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert kept["with"]["path"].split() == [".cache/disclose", "site"]
    assert "hashFiles('requirements.txt'" in kept["with"]["key"] and "site_config/**" in kept["with"]["key"]
    assert kept["with"]["restore-keys"] in kept["with"]["key"]
    for job in ("check", "pages"):
        assert pipeline[job]["script"][0] == "disclose validate --strict"
        assert pipeline[job]["script"][1].startswith("disclose build --strict")
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    requirements = (repo / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(rf"^zfgs-disclose=={re.escape(metadata.version('zfgs-disclose'))}$", requirements, re.M)
    assert "升级" in requirements and "README.md" in requirements
    ignored = (repo / ".gitignore").read_text(encoding="utf-8").split()
    assert {"site/", "public/", ".venv/", ".site.lock", ".cache/"} <= set(ignored)
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "## 升级生成器" in readme and "disclose validate" in readme and "content/zonghe/agency.yaml" in readme
    assert "{{" not in readme and "}}" not in readme


def test_editor_settings_map_the_written_schemas(tmp_path):
    code, repo = _init(tmp_path, "--no-git")
    assert code == 0
    settings = json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8"))
    # the same settings as the example county's repository
    assert settings == json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert json.loads((repo / ".vscode/extensions.json").read_text(encoding="utf-8"))["recommendations"] == \
        ["redhat.vscode-yaml"]
    mapped = settings["yaml.schemas"]
    assert {Path(p).name for p in mapped} == {f"{name}.schema.json" for name in SCHEMAS}
    written = schemas()
    for path in mapped:
        schema = json.loads((repo / path).read_text(encoding="utf-8"))
        assert schema == written[Path(path).name.removesuffix(".schema.json")]
    assert ["content/*/agency.yaml"] in mapped.values()


@pytest.mark.parametrize(("region", "county"), [
    ("浙江省杭州市淳安县", "淳安县"),  # 杭州 holds 州, still no unit of its own
    ("山东省济南市市中区", "市中区"),
    ("江苏省徐州市沛县", "沛县"),
    ("北京市朝阳区", "朝阳区"),
    ("吉林省延边朝鲜族自治州延吉市", "延吉市"),
    ("新疆维吾尔自治区伊犁哈萨克自治州伊宁市", "伊宁市"),
    ("海南省琼中黎族苗族自治县", "琼中黎族苗族自治县"),
    ("某某县", "某某县"),
    ("杭州市", "杭州市"),
])
def test_county_name_from_the_region(region, county):
    assert short_region(region) == county


def test_agency_kind_from_its_name():
    assert agency_kind("淳安县综合行政执法局") == "行政机关"
    assert agency_kind("淳安县千岛湖镇人民政府") == "乡镇人民政府"
    assert agency_kind("西湖区北山街道办事处") == "街道办事处"
    assert agency_kind("淳安县人民政府") == "行政机关"
