"""`disclose`: the command line. The only place that reads the clock or sets exit codes.

Exit codes: 0 ok; 1 content errors (all printed, nothing written); 2 usage or internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from . import project as project_mod
from .heap import no_gc
from .problems import shown_path, summary


def _today(text: str | None) -> dt.date:
    if text:
        return dt.date.fromisoformat(text)
    from .calendar import BEIJING

    return dt.datetime.now(BEIJING).date()  # the CLI entry point is the one place that reads the clock


def _date_arg(text: str) -> str:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应为 YYYY-MM-DD：{text}") from None
    return text


def _agency_arg(text: str) -> str:
    from .scaffold import agency_id

    try:
        return agency_id(text)
    except ValueError as exc:  # a usage error (exit 2): `--agency ../../x` must not reach the file system
        raise argparse.ArgumentTypeError(str(exc)) from None


def _report(problems, strict: bool) -> int:
    for p in problems:
        print(p.format(), file=sys.stderr)
    print(summary(problems), file=sys.stderr)
    failed = any(p.is_error for p in problems) or (strict and any(p.fails_strict for p in problems))
    return 1 if failed else 0


def _cache_folder(args, root: Path, out: Path | None = None) -> Path | None:
    """The cache folder of build and validate: --cache, else the project's .cache/disclose/; None with
    --no-cache. build.Refused where its files would be lost with `out` or mix with the project's."""
    from . import build

    if args.no_cache:
        return None
    return build.check_cache(root, out, Path(args.cache) if args.cache else root / ".cache" / "disclose")


def cmd_validate(args) -> int:
    from . import build

    root = Path(args.project).resolve()
    try:
        cache = _cache_folder(args, root)
    except build.Refused as exc:
        print(exc, file=sys.stderr)
        return exc.code
    with no_gc(freeze=True):  # the records live until the command exits: no collector pass over them
        project = build.load(root, _today(args.today), cache)  # the same checks as a build
    return _report(project.problems, args.strict)


def _show_progress() -> None:
    """MkDocs and the plugin report their steps (and how long each took) through logging."""
    import logging

    class Stderr(logging.StreamHandler):
        """sys.stderr as it is at each line, not as it was when the first build of the process
        (a preview's, a test's) added the handler: that stream may be closed by then."""

        @property  # type: ignore[override]
        def stream(self) -> TextIO:
            return sys.stderr

        @stream.setter
        def stream(self, value: TextIO) -> None:
            pass

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_disclose", False) for h in logger.handlers):
        handler = Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._disclose = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def cmd_build(args) -> int:
    from . import build, gitindex
    from .cache import files_key

    root = Path(args.project).resolve()
    today = _today(args.today)
    try:  # before anything is read or written: --out . would replace the project itself
        out = build.check_out(root, args.out if args.out else root / "site")
        cache = _cache_folder(args, root, out)
    except build.Refused as exc:
        print(exc, file=sys.stderr)
        return exc.code
    started = time.perf_counter()
    # The project's files beside the decisions, hashed before the load reads them: a file saved while
    # this build runs then differs next time from what this build recorded (cache.files_key).
    known = gitindex.clean_ids(root) if cache is not None else None  # one look at git's index for both
    files = files_key(root, out, cache, known) if cache is not None else None

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # With a previous site to reuse, it is listed (sitepatch.Lister) while the project loads; without
    # one, nothing is made (not even --out's parent) before the content is known to be good.
    early = cache is not None and (out / "index.html").is_file()
    with (build.publishing(root, out, log=log, cache=cache, files_key=files, background=_CONSOLE) if early
          else contextlib.nullcontext()) as publish:
        # The records live until the process exits: keep the cyclic collector from walking them
        # again and again while the build makes its own objects (its first pass over a county's
        # freshly loaded heap alone took ~0.4 s per 10,000 decisions).
        with no_gc(freeze=True):
            project = build.load(root, today, cache, known, files, lambda: files_key(root, out, cache))
        status = _report(project.problems, args.strict)
        if status:
            return status
        print(f"读取并检查内容：{time.perf_counter() - started:.1f} 秒", file=sys.stderr)
        if project.reread is not None:
            print(f"沿用上次完整读取的内容，只重做改动、新增或删除的决定文件 {project.reread} 个", file=sys.stderr)
        _show_progress()
        try:
            if publish is not None:
                publish(project, strict=args.strict)
            else:
                build.build(project, out, strict=args.strict, log=log, cache=cache, files_key=files,
                            background=_CONSOLE)
        except build.BuildFailed as exc:
            print(exc, file=sys.stderr)
            return exc.code
    print(f"已生成网站：{out}（数据截至 {today.isoformat()}）", file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    from .preview import serve

    host, _, port = args.dev_addr.rpartition(":")
    if not host or not port.isdigit():
        print(f"错误：--dev-addr 应写成 地址:端口，例如 127.0.0.1:8000（填写的是 {args.dev_addr}）", file=sys.stderr)
        return 2
    _show_progress()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    # Without --today the preview reads the date from here (the one place the clock is read) as it
    # goes: a preview left running overnight moves to the new day, as the nightly build does.
    today = _today(args.today) if args.today else (lambda: _today(None))
    return serve(Path(args.project).resolve(), today, host, int(port), log)


def cmd_check(args) -> int:
    import json

    from . import checks

    today = _today(args.today)
    project = project_mod.load(Path(args.project), today)
    errors = [p for p in project.problems if p.is_error]
    found = checks.findings(project, today)
    if args.format == "json":
        from . import supervision  # the supervisor's whole view, internal records included

        print(json.dumps({"today": today.isoformat(), "errors": [p.format() for p in errors],
                          "findings": [f.as_dict() for f in found],
                          "publication": checks.publication_rates(project, today),
                          "supervision": supervision.as_dict(supervision.overview(project, today))},
                         ensure_ascii=False, indent=1))
    else:
        for p in errors:
            print(p.format())
        names = {aid: d.agency.name for aid, d in project.agencies.items()}
        rates = checks.publication_rates(project, today)
        for aid, items in checks.group(found).items():
            rate = rates.get(aid)
            extra = f"，按时公开率 {rate['rate']}%（{rate['on_time']}/{rate['due']}）" if rate else ""
            print(f"\n{names.get(aid, aid)}（{aid}）：{len(items)} 项{extra}")
            for f in items:
                about = f"（{f.case_no}）" if f.case_no else ""  # supervisors write to agencies by 文号
                print(f"  {shown_path(f.path)}:{f.line}:{f.col}: {f.code} {f.rule}{about}：{f.message}")
        if found:
            print("\n依据：")
            for code, (rule, citation) in sorted({f.code: (f.rule, f.citation) for f in found}.items()):
                print(f"  {code} {rule}：{citation}")
        print(f"\n截至 {today}：{len(found)} 项监督发现" + (f"，另有 {len(errors)} 个内容错误" if errors else "") + "。")
    return 1 if found or errors else 0


def cmd_schema(args) -> int:
    from .schema import write_schemas

    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def cmd_import(args) -> int:
    from . import import_decisions, importer

    root = Path(args.project)
    if args.what == "plan":  # a rectification plan: its own importer (generator/plan_import.py)
        from . import plan_import

        return plan_import.cli(args, root, _today(args.today))
    if args.power is not None and args.what != "decisions":
        print("错误：--power 只用于 disclose import decisions", file=sys.stderr)
        return 2
    try:
        if args.what == "decisions":
            outcome = import_decisions.run(root, Path(args.file), args.agency, today=_today(args.today),
                                           shown_path=args.file, dry_run=args.dry_run, update=args.update,
                                           default_power=args.power)
            lines = import_decisions.report(outcome, root=root, dry_run=args.dry_run, update=args.update)
        else:
            outcome = importer.run(root, args.what, Path(args.file), args.agency, today=_today(args.today),
                                   shown_path=args.file, dry_run=args.dry_run, update=args.update)
            lines = importer.report(outcome, root=root, dry_run=args.dry_run, update=args.update)
    except importer.ImportAbort as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    for p in sorted(outcome.problems):
        print(p.format(), file=sys.stderr)
    for line in lines:
        print(line)
    errors = len({(p.path, p.line) for p in outcome.problems if p.is_error})  # rows, not problems
    if errors:
        print(f"有 {errors} 行未能导入（见上方，每行标明了工作表、行号和原因）。改正工作簿后重新导入即可："
              "已导入的内容会显示为“不变”。", file=sys.stderr)
    if outcome.written:
        print("下一步：运行 disclose validate 检查全部内容，再提交。")
    return 1 if errors else 0


def cmd_new(args) -> int:
    from .scaffold import ScaffoldError, new_record

    try:
        path = new_record(Path(args.project), args.type, args.agency, _today(args.today),
                          draft=args.draft, decision_kind=args.kind)
    except ScaffoldError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 1
    print(f"已新建：{path}（请逐项填写后保存）")
    return 0


def cmd_init(args) -> int:
    from . import init

    credit_code = args.credit_code
    if credit_code is None and sys.stdin.isatty():  # a clerk at a terminal is asked; a script must say it
        name = args.agency_name or init.default_agency_name(args.region)
        credit_code = input(f"{name}的统一社会信用代码（18 位）：").strip().upper()
    if not credit_code:
        print("错误：缺少执法主体的统一社会信用代码：加上 --credit-code 18位代码"
              "（--agency-name 不写时主体名称默认为 " + init.default_agency_name(args.region) + "）", file=sys.stderr)
        return 2
    try:
        outcome = init.init(Path(args.dir), region=args.region, agency=args.agency, agency_name=args.agency_name,
                            credit_code=credit_code, today=_today(None), generator=args.generator,
                            use_git=not args.no_git)
    except init.InitError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        for p in exc.problems:
            print(p.format(), file=sys.stderr)
        return exc.code
    print(f"已建立公示网站仓库：{outcome.root}" + ("（已提交第一个版本）" if outcome.committed else ""))
    print(f"生成器版本固定为 {outcome.requirement}（requirements.txt）")
    for note in outcome.notes:
        print(f"注意：{note}", file=sys.stderr)
    print(f"下一步：核对 content/{args.agency}/agency.yaml 和 site_config/site.yaml（说明见仓库里的 README.md），"
          "运行 disclose validate，再推送到 GitHub 或 GitLab 发布。")
    return 0


def parser() -> argparse.ArgumentParser:
    from .scaffold import names as record_names

    p = argparse.ArgumentParser(prog="disclose", description="行政执法公示网站生成器")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, today=True):
        sp.add_argument("--project", default=".", help="项目目录（含 content/ 与 site_config/），默认当前目录")
        if today:
            sp.add_argument("--today", type=_date_arg, help="按指定日期计算期限（YYYY-MM-DD），默认今天")

    v = sub.add_parser("validate", help="检查全部记录，列出所有错误")
    common(v)
    v.add_argument("--strict", action="store_true", help="警告也按错误处理")
    v.add_argument("--cache", help="缓存目录，默认项目里的 .cache/disclose/（与 build 共用：未改动的文件不再重新读取和检查）")
    v.add_argument("--no-cache", action="store_true", help="不用缓存，全部重新读取和检查")
    v.set_defaults(func=cmd_validate)
    b = sub.add_parser("build", help="检查并生成网站")
    common(b)
    b.add_argument("--out", help="输出目录，默认 site/")
    b.add_argument("--strict", action="store_true", help="警告也按错误处理")
    b.add_argument("--cache", help="增量生成的缓存目录，默认项目里的 .cache/disclose/（记录上次生成的页面由什么得出，"
                                   "未变的页面和搜索索引分片直接沿用 --out 里上次的结果；未改动的文件不再重新读取和检查）")
    b.add_argument("--no-cache", action="store_true", help="不沿用上次的结果，全部重新生成")
    b.set_defaults(func=cmd_build)
    s = sub.add_parser("serve", help="本地预览，保存后自动刷新")
    common(s)
    s.add_argument("--dev-addr", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")
    s.set_defaults(func=cmd_serve)
    n = sub.add_parser("new", help="新建一条带注释的记录模板，不会覆盖已有文件")
    n.add_argument("type", choices=record_names())
    n.add_argument("--agency", type=_agency_arg, help="执法主体编号（content/ 下的文件夹名）")
    n.add_argument("--kind", help="新建决定的类别，默认 行政处罚（文号按本主体该类文号顺延）；"
                   "监督文书、协作记录的种类，例如 监督建议书、案件移送")
    n.add_argument("--draft", action="store_true", help="新建决定放进 drafts/（草稿：检查但不公开）")
    common(n)
    n.set_defaults(func=cmd_new)
    ch = sub.add_parser("check", help="执法监督：列出逾期公开、证件无效、超出裁量幅度等问题")
    common(ch)
    ch.add_argument("--format", choices=["text", "json"], default="text", help="输出格式，默认 text；CI 用 json")
    ch.set_defaults(func=cmd_check)
    im = sub.add_parser("import", help="从 Excel 或 CSV 导入权责清单、裁量基准、执法人员、以往的执法决定（双公示）或整改方案")
    im.add_argument("what", choices=["powers", "benchmarks", "officers", "decisions", "plan"],
                    help="powers 权责清单、benchmarks 裁量基准、officers 执法人员、decisions 执法决定（双公示格式）、"
                         "plan 整改方案")
    im.add_argument("file", help="表格文件：.xlsx、.xls、.et、.ods 或 .csv（按文件内容识别，不看扩展名）")
    im.add_argument("--agency", required=True, type=_agency_arg, help="执法主体编号（content/ 下的文件夹名）")
    im.add_argument("--power", help="只用于 decisions：表中没有事项编码的行一律适用这个权责事项编码")
    im.add_argument("--dry-run", action="store_true", help="只列出将新增、更新和不变的内容，不写文件")
    im.add_argument("--update", action="store_true", help="已有记录与表格不同时，改写不同的字段（默认不改动已有记录）")
    plan = im.add_argument_group("整改方案（plan）", "--agency 是执行方案的执法主体；写入 supervision/plans/<方案编号>.yaml")
    plan.add_argument("--id", help="方案编号，例如 xinglong-2026-zgfa")
    plan.add_argument("--title", help="方案名称，默认取工作簿文件名")
    plan.add_argument("--source", help="方案回应的监督意见，例如 《示例县司法局关于对兴隆镇的行政执法监督意见》")
    plan.add_argument("--adopted-on", type=_date_arg, help="印发日期 YYYY-MM-DD，默认今天；“12月底”按这一年读")
    common(im)
    im.set_defaults(func=cmd_import)
    it = sub.add_parser("init", help="为一个县（区）建立自己的公示网站仓库：只含内容，固定生成器版本，提交即发布")
    it.add_argument("dir", help="新仓库的文件夹（不存在或是空的；刚克隆的空仓库也可以）")
    it.add_argument("--region", required=True, help="地区名称，例如 某某县 或 某某省某某市某某县")
    it.add_argument("--agency", default="zonghe", type=_agency_arg,
                    help="第一个执法主体的编号（content/ 下的文件夹名），默认 zonghe")
    it.add_argument("--agency-name", help="第一个执法主体的完整名称，默认 <县名>综合行政执法局")
    it.add_argument("--credit-code", help="第一个执法主体的统一社会信用代码（18 位）；不写时在终端里询问")
    it.add_argument("--generator", help="requirements.txt 里安装生成器的写法，默认固定为正在运行的这个版本")
    it.add_argument("--no-git", action="store_true", help="不运行 git init 和第一次提交")
    it.set_defaults(func=cmd_init)
    sc = sub.add_parser("schema", help="生成编辑器用的 JSON Schema")
    sc.add_argument("--out", default="schemas", help="输出目录，默认 schemas/")
    sc.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `disclose check | head`: the reader has seen enough
        return 1
    except OSError as exc:
        if exc.errno in _REFUSED:  # the machine refused (permissions, a full disk): a clerk can fix it
            print(_refused(exc), file=sys.stderr)
            return 2
        return _internal(exc)
    except Exception as exc:
        return _internal(exc)


# What the file system refuses for reasons a clerk can fix: errno → what it means, what to do.
_FOLDER_HINT = "换一个自己能写入的文件夹（例如用 --out、--cache 指定），或请管理员开放这个文件夹的权限"
_REFUSED = {
    errno.EACCES: ("没有权限", _FOLDER_HINT),
    errno.EPERM: ("操作不被允许", _FOLDER_HINT),
    errno.EROFS: ("所在的磁盘是只读的", "用 --out、--cache 指定可以写入的文件夹"),
    errno.ENOSPC: ("磁盘空间不足", "清理磁盘后重新运行；原来的网站保持不变"),
    errno.EDQUOT: ("磁盘配额已用完", "清理磁盘后重新运行；原来的网站保持不变"),
}


def _refused(exc: OSError) -> str:
    what, hint = _REFUSED[exc.errno]
    where = f" {os.fsdecode(exc.filename)}" if exc.filename is not None else ""
    return f"错误：无法读写{where}：{what}（{exc.strerror or exc}）。提示：{hint}"


def _internal(exc: Exception) -> int:
    """An internal error, never a content mistake: say so plainly."""
    print(f"内部错误（请报告给维护者）：{type(exc).__name__}: {exc}", file=sys.stderr)
    if os.environ.get("DISCLOSE_DEBUG"):
        raise exc
    return 2


# Set by the console entry point (`run`): the process ends when the command does, so a build may
# leave the old site's removal to a background process (generator/build.py). main() called from
# other code (tests, scripts) removes it before returning.
_CONSOLE = False


def run() -> None:
    """The console entry point. Exits without tearing down the heap: freeing a county's
    records object by object took 2.5 s after the work was done."""
    global _CONSOLE
    _CONSOLE = True
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # `disclose schema | head -1`: the reader closed the pipe. As the Python docs advise for
        # SIGPIPE: point stdout at devnull so nothing tries to write to it again, exit quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()

