"""The command line: `gsgen build | serve | check | health | new | report`.

Exit codes: 0 success, 1 rule errors (or findings), 2 usage errors and commands not yet available.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from gsgen import __version__
from gsgen.build import BuildOptions, BuildResult, build, held_notes
from gsgen.check import check_folder
from gsgen.dates import BadDate, parse_datetime
from gsgen.diagnostics import Report, Severity
from gsgen.gate.urls import trusted_host
from gsgen.load import load_site
from gsgen.output import MARKER, OutputRefused
from gsgen.report import annual_report, format_csv, format_json, format_text
from gsgen.unprintable import terminal_streams

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
GC_THRESHOLDS = (50_000, 20, 20)  # CPython's: (700, 10, 10)


def main(argv: Sequence[str] | None = None) -> int:
    with terminal_streams():  # what is printed quotes file names and values: none may steer the terminal
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    # A build holds millions of long-lived objects (the site model, the pages kept for the output
    # checks); with CPython's default thresholds the cycle collector walks them all again and again,
    # a tenth of a warm build of 2,000 items. gsgen makes few reference cycles: collect less often.
    gc.set_threshold(*GC_THRESHOLDS)
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args, parser))
    except KeyboardInterrupt:
        print("\n已中断：输出文件夹保持不变。", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (`gsgen explain | head`): nothing more to say,
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # but the command did not finish
        return EXIT_ERRORS
    except OSError as exc:
        print(f"无法读写文件：{exc}。请检查路径和权限；输出文件夹保持不变。", file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:  # a bug in gsgen: say so plainly, keep the traceback for developers
        if os.environ.get("GSGEN_DEBUG"):
            raise
        print(
            f"gsgen 内部错误（{type(exc).__name__}: {exc}）。输出文件夹保持不变。"
            "请把此信息和出错的文件报告给网站技术人员；设置 GSGEN_DEBUG=1 可查看详细信息。",
            file=sys.stderr,
        )
        return 70


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gsgen",
        description="政府网站静态站点生成器",
        epilog="文档（gsgen 代码库的 docs/）：内容约定 docs/content.md，规则 docs/rules.md（或 gsgen explain 规则编号）"
        "及其依据 docs/sources.md，部署 docs/deploy.md，升级 docs/upgrade.md，集约化平台 docs/platform.md。"
        "新建站点：gsgen new site 文件夹名",
    )
    parser.add_argument("--version", action="version", version=f"gsgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("build", help="校验内容、生成网站，成功后替换输出文件夹")
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误")
    p.add_argument("--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为“今天”检查时效规则，使构建可复现")
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件夹（默认 DIR/public）")
    p.add_argument(
        "--no-cache", action="store_true", help="不使用构建缓存 DIR/.gsgen-cache（重新生成全部页面和搜索索引）"
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        type=_test_base_url,
        help="测试构建：页面、二维码、RSS 和站点地图中的网址以此开头（如内网测试服务器 http://10.0.0.8:8080/），"
        "不要求为本站域名上的 https；页面标明不被搜索引擎收录。正式发布时不要使用",
    )
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="生成页面和搜索索引的进程数（默认每核一个）")
    p.set_defaults(run=_build)

    p = commands.add_parser("serve", help="本地预览：保存文件后自动重新生成并刷新浏览器")
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只允许本机访问）")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--poll", action="store_true", help="轮询文件变化（网络盘或容器挂载时使用）")
    p.add_argument(
        "--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为“今天”预览（如预览定时公告何时显示；默认当前时间）"
    )
    p.set_defaults(run=_serve)

    p = commands.add_parser(
        "check",
        help="对任意 HTML 文件夹或单个页面运行页面规则（检查生成的页面的规则，见 docs/rules.md 中标为「页面」的规则）",
    )
    p.add_argument("outdir", metavar="PATH", help="HTML 文件夹或一个 HTML 文件，如 gsgen 的输出或从网站保存的页面")
    p.add_argument(
        "--format",
        choices=["text", "json", "html"],
        default="text",
        help="html：按规则分组、带计数和改法的检查报告，可交给网站建设单位（gsgen check … --format html > 报告.html）",
    )
    p.add_argument("--trusted-host", action="append", default=[], metavar="HOST", help="无需离站提示的非 .gov.cn 网站")
    p.add_argument(
        "--site-root",
        action="store_true",
        help="所给文件夹是整个网站（gsgen 的输出不必写）：逐条报告找不到的站内链接；"
        "否则只检查了网站的一部分，每页找不到的站内链接合并为一条警告",
    )
    p.add_argument(
        "--domain",
        metavar="DOMAIN",
        help="网站的域名（如 www.example.gov.cn）：指向它的完整网址也按站内链接检查；同时表示所给文件夹是整个网站",
    )
    p.set_defaults(run=_check)

    p = commands.add_parser(
        "health",
        help="健康检查（供定时任务运行）：栏目更新、单项否决、年报期限等随时间变化的问题，发现错误时退出码为 1",
        description="运行随时间变化的规则（COL-STALE、VETO、OPEN-REPORT、REPORT、POLICY-INTERP-LATE、"
        "INTERACT 的超期未答复）。这些规则从不阻止构建；由定时任务（如每天一次）运行本命令，发现单项否决等错误时退出码为 1。",
    )
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为“今天”（默认当前时间）")
    p.add_argument("--strict", action="store_true", help="警告也使退出码为 1")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_health)

    p = commands.add_parser(
        "new",
        help="新建条目（new item 栏目 标题）或站点（new site 文件夹）",
        description="新建一条信息或一个站点。gsgen new item --help、gsgen new site --help 说明各自的参数。",
    )
    kinds = p.add_subparsers(dest="what", metavar="{item,site}", required=True)
    q = kinds.add_parser(
        "item",
        help="在栏目中新建一条信息：写好日期、来源和栏目类型需要的字段，文件名取自标题的拼音",
        description='在栏目中新建一条信息，如 gsgen new item gzdt "城关镇召开冬季安全生产工作会议"：'
        "日期为现在，来源为栏目常用的来源（_column.yaml 的 source，否则栏目中最常见的来源，否则主办单位），"
        "文件名为日期加标题的拼音（如 2026-11-26-zuohao-2026nian-dongji-senlin-fanghuo.md）。"
        "在政策解读栏目中还要写所解读的政策文件（--interprets；在终端中运行时不写会询问）。",
    )
    q.add_argument("column", metavar="COLUMN", help="栏目：content/ 下栏目文件夹的路径，如 gzdt 或 gzdt/tzgg")
    q.add_argument("title", metavar="TITLE", help="信息的标题，含空格时加引号")
    q.add_argument("--dir", default=".", help="站点文件夹（默认当前文件夹）")
    q.add_argument(
        "--interprets", metavar="PATH", help="政策解读、回应关切：所解读的政策文件的路径，不带扩展名，如 zcwj/2024-003"
    )
    q.add_argument("--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为信息的日期（默认现在）")
    q.set_defaults(run=_new_item)
    q = kinds.add_parser(
        "site",
        help="新建一个站点：config.yaml、必备栏目各一条示例信息、.gitignore 和 CI 文件",
        description="在新的（或空的）文件夹中新建一个站点：config.yaml、门户网站必备的栏目各一条示例信息、"
        ".gitignore，以及 GitHub Actions、GitLab CI 和它们共用的 ci/gsgen-ci.sh。示例内容中的占位值"
        "（如 某某县人民政府、标识码 0000000000）在替换之前，gsgen build --strict 会逐条列出（PLACEHOLDER）。",
    )
    q.add_argument("dir", metavar="DIR", help="新站点的文件夹（不存在或为空）")
    q.add_argument("--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为示例信息的日期（默认现在）")
    q.set_defaults(run=_new_site)

    p = commands.add_parser(
        "explain",
        help="说明一条规则：检查什么、依据哪条规定、怎样改（全部规则见 docs/rules.md）",
        description="说明一条规则：检查什么、依据哪条规定、怎样改。不写规则编号时列出全部规则。",
    )
    p.add_argument("rule", nargs="?", metavar="RULE", help="规则编号，如 COL-STALE（即问题中 error[…] 方括号里的编号）")
    p.set_defaults(run=_explain)

    p = commands.add_parser("report", help="年度工作报表数据：发布量、专题、解读、政策状态、留言")
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.add_argument("--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为“今天”：此后才发布的信息不计入（默认当前时间）")
    p.set_defaults(run=_report)
    return parser


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.serve import serve

    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）")
    return serve(root, args.host, args.port, args.poll, _now(args, parser))


def _new_item(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.scaffold import ScaffoldError, new_item

    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）：请在站点文件夹中运行，或用 --dir 指明")
    try:
        path = new_item(root, args.column, args.title, _now(args, parser), args.interprets, _ask_interprets)
    except ScaffoldError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
    text = path.read_text("utf-8")
    todo = "写好正文，核对标题、日期和来源"
    if "\ninterprets:   #" in text:
        todo += "，填写 interprets（所解读的政策文件）"
    print(f"已新建 {path}：请{todo}后保存；gsgen build --strict 会指出还没有填写的内容")
    return EXIT_OK


def _ask_interprets(documents: dict[str, str]) -> str | None:
    """The policy a new 解读 interprets, asked for when someone is at the terminal; None: fill it in later."""
    from gsgen.paths import site_path

    if not sys.stdin.isatty():
        return None
    if not documents:
        print("本站还没有已发布的政策文件：interprets 先留空，发布政策文件后再填写。")
        return None
    print("这是一篇解读：请写所解读的政策文件的路径（直接回车则先留空，稍后在文件中填写）。最近的政策文件：")
    for path, title in list(documents.items())[:5]:
        print(f"  {path}  {title}")
    while True:
        try:
            answer = site_path(input("interprets: "))
        except EOFError:
            return None
        if not answer or answer in documents:
            return answer or None
        print(f"找不到已发布的政策文件 {answer}：请写 content/ 下的路径，不带扩展名，如 {next(iter(documents))}")


def _new_site(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.scaffold import ScaffoldError, new_site

    try:
        written = new_site(Path(args.dir), _now(args, parser))
    except ScaffoldError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
    print(
        f"已新建站点 {args.dir}（{len(written)} 个文件）。接下来：\n"
        f"1. 把示例内容换成本站的：运行 gsgen build {args.dir} --strict，它逐条列出还要替换的占位内容"
        "（文件、行号、应填写什么，规则 PLACEHOLDER）；不加 --strict 时照常构建，gsgen serve 可以先预览\n"
        f"2. 纳入 git 管理：cd {args.dir} && git init && git add -A && git commit -m 新建站点"
        "（.gitignore 已排除 public/ 和 .gsgen-cache/）\n"
        "3. 自动构建和发布：推送到 GitHub 或 GitLab 后，在 CI 变量中设置 GSGEN_INSTALL（安装哪个 gsgen）、"
        "PUBLISH_METHOD（rsync 或 s3）及其变量、GSGEN_CACHE_KEY；说明见 .github/workflows/gsgen.yml、"
        ".gitlab-ci.yml 和 ci/gsgen-ci.sh 开头，以及 gsgen 文档 docs/deploy.md"
    )
    return EXIT_OK


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    root = Path(args.dir)
    if not root.is_dir():
        parser.error(f"站点文件夹 {root} 不存在")
    now = _now(args, parser)
    if args.jobs < 0:
        parser.error("--jobs 应为 0（每个 CPU 核一个进程）或正整数")
    output = Path(args.output) if args.output else None
    options = BuildOptions(
        root, output, args.strict, now, cache=not args.no_cache, jobs=args.jobs, test_base_url=args.base_url
    )
    try:
        result = build(options, progress=_progress)
    except OutputRefused as exc:
        print(f"gsgen build: {exc}；没有改动任何文件", file=sys.stderr)
        return EXIT_USAGE
    _print_report(result, options)
    return EXIT_OK if result.ok else EXIT_ERRORS


def _check(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    target = Path(args.outdir)
    hosts = [trusted_host(entry) for entry in args.trusted_host]  # as checks.trusted_hosts: one site's domain each
    for _, problem in hosts:
        if problem:
            parser.error(f"--trusted-host {problem}")
    args.trusted_host = [host for host, _ in hosts]
    if target.is_file():  # one page: its links are resolved in the site folder holding it
        folder = _site_root(target.resolve())
        page = target.resolve().relative_to(folder).as_posix()
        whole = args.site_root or bool(args.domain) or (folder / MARKER).is_file()
        checked = check_folder(folder, tuple(args.trusted_host), page, whole, args.domain)
        found = [  # named as the user named the page
            replace(d, file=args.outdir) if d.file == page else d for d in sorted(set(checked.findings))
        ]
        pages = checked.pages
    elif target.is_dir():
        whole = args.site_root or bool(args.domain) or (target / MARKER).is_file()
        checked = check_folder(target, tuple(args.trusted_host), whole_site=whole, domain=args.domain)
        found, pages = sorted(set(checked.findings)), checked.pages
    else:
        parser.error(f"{target} 不存在：请写一个 HTML 文件或文件夹的路径")
    if args.format == "json":
        findings = [d.as_dict() for d in found]
        print(json.dumps({"pages": pages, "findings": findings}, ensure_ascii=False, indent=1))
    elif args.format == "html":
        from gsgen.checkreport import html_report

        print(html_report(found, pages, args.outdir))
    else:
        for d in found:
            print(d.format())
        counts = Report(found).counts()
        print(f"检查完成：{pages} 个页面，{counts[Severity.ERROR]} 个错误，{counts[Severity.WARN]} 个警告")
    return EXIT_ERRORS if found else EXIT_OK


def _site_root(page: Path) -> Path:
    """The folder a single page's site-relative links start from: the gsgen output holding it, else the
    highest of its folders that each have an index.html (a saved site's sections usually do)."""
    marked = next((p for p in page.parents if (p / MARKER).is_file()), None)
    if marked:
        return marked
    root = page.parent
    while root.parent != root and (root.parent / "index.html").is_file():
        root = root.parent
    return root


def _explain(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.rules.catalogue import RULES
    from gsgen.rules.guide import explain, guide

    if args.rule is None:
        for rule_id in RULES:
            print(f"{rule_id:<20} {guide()[rule_id]['title']}")
        return EXIT_OK
    rule_id = args.rule.strip().upper()
    if rule_id not in RULES:
        parser.error(f"没有规则 {args.rule}：规则编号是问题中 error[…] 方括号里的部分；gsgen explain 列出全部规则")
    print(explain(rule_id))
    return EXIT_OK


def _health(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.build import current_time
    from gsgen.rules import check_health

    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）")
    now = _now(args, parser) or current_time()
    site, found = load_site(root, now=now)
    unreadable = Report(found).errors(False)
    if unreadable:  # the content cannot be read: say so rather than report on part of it
        for d in sorted(set(unreadable)):
            print(d.format(), file=sys.stderr)
        print("健康检查未完成：站点内容有错误，请先运行 gsgen build 修正", file=sys.stderr)
        return EXIT_ERRORS
    report = Report()
    report.silence(site.config.ignore)  # as the build does: `checks.ignore` with its reason
    report.extend(check_health(site))
    found = sorted(set(report.diagnostics))
    counts = Report(found).counts()
    failing = counts[Severity.ERROR] + (counts[Severity.WARN] if args.strict else 0)
    if args.format == "json":
        print(
            json.dumps(
                {"now": now.strftime("%Y-%m-%d %H:%M"), "findings": [d.as_dict() for d in found]},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for d in found:
            print(d.format())
        if report.suppressed:
            print(f"另有 {len(report.suppressed)} 条按 config.yaml 的 checks.ignore 忽略（已注明原因）")
        vetoes = sum(1 for d in found if d.rule == "VETO")
        print(
            f"健康检查（截至 {now:%Y-%m-%d %H:%M}）：{counts[Severity.ERROR]} 个错误"
            + (f"（其中单项否决 {vetoes} 项）" if vetoes else "")
            + f"，{counts[Severity.WARN]} 个警告"
        )
    return EXIT_ERRORS if failing else EXIT_OK


def _test_base_url(value: str) -> str:
    """A test server's address: http(s), a host, at the root (pages link to /gzdt/…)."""
    from gsgen.gate.urls import target

    found = target(value) if value.startswith(("http://", "https://")) else None
    if found is None or not found.host or found.credentials or found.path != "/" or "?" in value or "#" in value:
        raise argparse.ArgumentTypeError(
            f"{value} 不是测试服务器的网址：应为 http(s)://主机[:端口]/，如 http://10.0.0.8:8080/"
        )
    return value


def _now(args: argparse.Namespace, parser: argparse.ArgumentParser) -> datetime | None:
    if not args.now:
        return None
    try:
        return parse_datetime(args.now)
    except BadDate as exc:
        parser.error(f"--now：{exc}")


def _report(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.build import current_time

    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）")
    site, found = load_site(root, now=_now(args, parser) or current_time())  # what is published by now
    for d in sorted(set(found)):
        print(f"注意：{d.format()}", file=sys.stderr)
    figures = annual_report(site, args.year)
    formats = {"text": format_text, "json": format_json, "csv": lambda r: "\ufeff" + format_csv(r)}
    sys.stdout.write(formats[args.format](figures))
    return EXIT_OK


def _progress(message: str) -> None:
    if not os.environ.get("GSGEN_QUIET"):
        print(message, file=sys.stderr, flush=True)


def _print_report(result: BuildResult, options: BuildOptions) -> None:
    for d in result.report.sorted():
        print(d.format(options.strict))
    health = len(result.report.health())
    errors = len(result.report.errors(options.strict))
    warnings = len(result.report.diagnostics) - errors - health
    out = options.output_dir
    if result.report.suppressed:
        print(f"另有 {len(result.report.suppressed)} 条问题按 config.yaml 的 checks.ignore 忽略（已注明原因）")
    for note in held_notes(result):
        print(note)
    if not result.ok:
        rules = sorted({d.rule for d in result.report.errors(options.strict)})
        print(f"每条规则的说明和改法：gsgen explain {rules[0]}（全部规则见 gsgen 文档 docs/rules.md）")
        print(
            f"构建失败：{errors} 个错误，{warnings} 个警告，用时 {result.seconds:.2f} 秒；{out} 保持原样，未作任何改动"
        )
        return
    reused = f"（{result.rendered} 个重新生成，其余未改变）" if result.rendered < result.pages else ""
    print(
        f"构建完成：{result.pages} 个页面{reused}，"
        f"共 {result.files} 个文件，搜索索引 {result.indexed} 条，{warnings} 个警告，用时 {result.seconds:.2f} 秒 → {out}"
    )
    if options.test_base_url:
        print(
            f"这是测试构建：页面中的网址以 {options.test_base_url} 开头，不要发布到正式网站（正式构建不加 --base-url）"
        )
    if health:
        print(f"另有 {health} 条健康检查提示（栏目更新、期限等随时间变化的问题）：不影响发布，gsgen health 会逐条检查")
