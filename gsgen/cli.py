"""The command line: `gsgen build | serve | check | new | report` (CONTENT.md, "The command line").

Exit codes: 0 success, 1 rule errors (or findings), 2 usage errors and commands not yet available.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from gsgen import __version__
from gsgen.build import BuildOptions, BuildResult, build
from gsgen.dates import BadDate, parse_datetime
from gsgen.diagnostics import Severity

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gsgen", description="政府网站静态站点生成器")
    parser.add_argument("--version", action="version", version=f"gsgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = commands.add_parser("build", help="校验内容、生成网站，成功后替换输出文件夹")
    p.add_argument("dir", nargs="?", default=".", help="站点文件夹（默认当前文件夹）")
    p.add_argument("--strict", action="store_true", help="把警告也当作错误")
    p.add_argument("--now", metavar="YYYY-MM-DD HH:MM", help="以此时间为“今天”检查时效规则，使构建可复现")
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件夹（默认 DIR/public）")
    p.set_defaults(run=_build)

    p = commands.add_parser("serve", help="本地预览，保存即刷新（尚未提供）")
    p.add_argument("dir", nargs="?", default=".")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--poll", action="store_true")
    p.set_defaults(run=_not_yet)

    p = commands.add_parser("check", help="对任意 HTML 文件夹运行页面规则（尚未提供）")
    p.add_argument("outdir")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(run=_not_yet)

    p = commands.add_parser("new", help="新建条目或站点（尚未提供）")
    p.add_argument("what", choices=["item", "site"])
    p.add_argument("args", nargs="+")
    p.set_defaults(run=_not_yet)

    p = commands.add_parser("report", help="年度工作报表数据（尚未提供）")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--format", choices=["text", "json", "csv"], default="text")
    p.set_defaults(run=_not_yet)
    return parser


def _not_yet(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    print(f"gsgen {args.command}：尚未提供（not yet），将在后续版本中实现。", file=sys.stderr)
    return EXIT_USAGE


def _build(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    root = Path(args.dir)
    if not root.is_dir():
        parser.error(f"站点文件夹 {root} 不存在")
    now = None
    if args.now:
        try:
            now = parse_datetime(args.now)
        except BadDate as exc:
            parser.error(f"--now：{exc}")
    options = BuildOptions(root, Path(args.output) if args.output else None, args.strict, now)
    result = build(options, progress=_progress)
    _print_report(result, options)
    return EXIT_OK if result.ok else EXIT_ERRORS


def _progress(message: str) -> None:
    if not os.environ.get("GSGEN_QUIET"):
        print(message, file=sys.stderr, flush=True)


def _print_report(result: BuildResult, options: BuildOptions) -> None:
    for d in result.report.sorted():
        print(d.format(options.strict))
    counts = result.report.counts()
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARN]
    if options.strict:
        errors, warnings = errors + warnings, 0
    out = options.output_dir
    if result.report.suppressed:
        print(f"另有 {len(result.report.suppressed)} 条问题按 config.yaml 的 checks.ignore 忽略（已注明原因）")
    if result.ok:
        print(
            f"构建完成：{result.pages} 个页面（共 {result.files} 个文件），{warnings} 个警告，"
            f"用时 {result.seconds:.2f} 秒 → {out}"
        )
    else:
        print(
            f"构建失败：{errors} 个错误，{warnings} 个警告，用时 {result.seconds:.2f} 秒；{out} 保持原样，未作任何改动"
        )
