"""The command line: `gsgen build | serve | check | health | new | report`.

Exit codes: 0 success, 1 rule errors (or findings), 2 usage errors and commands not yet available.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from gsgen import __version__
from gsgen.build import BuildOptions, BuildResult, build
from gsgen.check import check_folder
from gsgen.dates import BadDate, parse_datetime
from gsgen.diagnostics import Report, Severity
from gsgen.load import load_site
from gsgen.output import OutputRefused
from gsgen.report import annual_report, format_csv, format_json, format_text

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
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
    parser = argparse.ArgumentParser(prog="gsgen", description="政府网站静态站点生成器")
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
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N", help="同时生成页面的进程数（默认每个 CPU 核一个）")
    p.set_defaults(run=_build)

    p = commands.add_parser("serve", help="本地预览：保存文件后自动重新生成并刷新浏览器")
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认只允许本机访问）")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--poll", action="store_true", help="轮询文件变化（网络盘或容器挂载时使用）")
    p.set_defaults(run=_serve)

    p = commands.add_parser("check", help="对任意 HTML 文件夹运行页面规则（SPEC 中标为 out 的规则）")
    p.add_argument("outdir", help="HTML 文件夹，如 gsgen 的输出或从网站保存的页面")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--trusted-host", action="append", default=[], metavar="HOST", help="无需离站提示的非 .gov.cn 网站")
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

    p = commands.add_parser("new", help="新建条目（new item 栏目 标题）或站点（new site 文件夹）")
    p.add_argument("what", choices=["item", "site"])
    p.add_argument("args", nargs="+", metavar="ARG")
    p.add_argument("--dir", default=".", help="new item：站点文件夹（默认当前文件夹）")
    p.set_defaults(run=_new)

    p = commands.add_parser("report", help="年度工作报表数据：发布量、专题、解读、政策状态、留言")
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(run=_report)
    return parser


def _serve(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.serve import serve

    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）")
    return serve(root, args.host, args.port, args.poll)


def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.scaffold import ScaffoldError, new_item, new_site

    try:
        if args.what == "site":
            if len(args.args) != 1:
                parser.error("用法：gsgen new site 文件夹")
            written = new_site(Path(args.args[0]))
            print(
                f"已新建站点 {args.args[0]}（{len(written)} 个文件）。请先修改 config.yaml 中的网站名称、域名和备案信息，"
                f"再运行 gsgen build {args.args[0]}"
            )
        else:
            if len(args.args) != 2:
                parser.error('用法：gsgen new item 栏目 "标题"')
            path = new_item(Path(args.dir), args.args[0], args.args[1])
            print(f"已新建 {path}：请填写来源和正文后保存")
    except ScaffoldError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_ERRORS
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
    folder = Path(args.outdir)
    if not folder.is_dir():
        parser.error(f"文件夹 {folder} 不存在")
    found = sorted(set(check_folder(folder, tuple(args.trusted_host))))
    pages = sum(1 for p in folder.rglob("*") if p.suffix in (".html", ".htm"))
    if args.format == "json":
        findings = [d.as_dict() for d in found]
        print(json.dumps({"pages": pages, "findings": findings}, ensure_ascii=False, indent=1))
    else:
        for d in found:
            print(d.format())
        counts = Report(found).counts()
        print(f"检查完成：{pages} 个页面，{counts[Severity.ERROR]} 个错误，{counts[Severity.WARN]} 个警告")
    return EXIT_ERRORS if found else EXIT_OK


def _health(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from gsgen.build import current_time
    from gsgen.rules import check_health

    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）")
    now = _now(args, parser) or current_time()
    site, found = load_site(root)
    site.now = now
    unreadable = Report(found).errors(False)
    if unreadable:  # the content cannot be read: say so rather than report on part of it
        for d in sorted(set(unreadable)):
            print(d.format(), file=sys.stderr)
        print("健康检查未完成：站点内容有错误，请先运行 gsgen build 修正", file=sys.stderr)
        return EXIT_ERRORS
    found = sorted(set(check_health(site)))
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
    root = Path(args.dir)
    if not (root / "config.yaml").is_file():
        parser.error(f"{root} 不是站点文件夹（找不到 config.yaml）")
    site, found = load_site(root)
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
    if not result.ok:
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
