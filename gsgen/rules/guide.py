"""Each rule explained for editors: what it checks, why, how to fix (`guide.yaml`), with its severity
and source from the catalogue. `gsgen explain ID` prints one; docs/rules.md is all of them, written by
`python -m gsgen.rules.guide > docs/rules.md` (a test fails when the page and this drift apart)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import yaml

from gsgen.diagnostics import Severity
from gsgen.rules.catalogue import GSGEN_RULES, RULES, RuleInfo

FIELDS = ("title", "checks", "why", "fix")
HEADINGS = {"checks": "检查什么", "why": "为什么", "fix": "怎样改"}
DOCS_PAGE = "docs/rules.md"


@cache
def guide() -> dict[str, dict[str, str]]:
    """guide.yaml: rule ID → title, checks, why, fix (gsgen's own file, read with safe_load)."""
    return yaml.safe_load(files("gsgen.rules").joinpath("guide.yaml").read_text("utf-8"))


def kind(info: RuleInfo) -> str:
    """How the rule behaves in a build, in the words docs/rules.md uses."""
    parts = ["错误：构建失败、不发布" if info.severity is Severity.ERROR else "警告：`--strict` 时构建失败"]
    if info.health:
        parts = [
            "健康检查：从不阻止构建，`gsgen health` 按"
            + ("错误" if info.severity is Severity.ERROR else "警告")
            + "报告"
        ]
    elif info.some_health:
        parts.append("其中随时间出现的问题属于健康检查，从不阻止构建")
    if info.out:
        parts.append("也检查生成的页面，`gsgen check` 可用于任何网站的页面")
    return "；".join(parts)


def explain(rule_id: str) -> str:
    """One rule as plain text for the terminal (`gsgen explain`)."""
    info, text = RULES[rule_id], guide()[rule_id]
    lines = [f"{rule_id}  {text['title']}", f"类别：{kind(info)}", f"依据：{info.source}", ""]
    for key in ("checks", "why", "fix"):
        lines += [f"{HEADINGS[key]}：", text[key].strip(), ""]
    lines.append(f"全部规则：{DOCS_PAGE}；依据文件的说明：docs/sources.md")
    return "\n".join(lines)


def rules_markdown() -> str:
    """docs/rules.md: every rule, in the catalogue's order."""
    own = {r.id for r in GSGEN_RULES}
    out = [
        "# 规则一览",
        "",
        "<!-- 本页由 gsgen/rules/catalogue.py 和 gsgen/rules/guide.yaml 生成，请勿手改：",
        "     python -m gsgen.rules.guide > docs/rules.md -->",
        "",
        "gsgen 在构建时检查下列规则。每条问题都写明文件、行号、规则编号和依据，如",
        "`content/gzdt/2026-11-24-cgzdt.md:3: error[ART-DATE] …`。",
        "**错误**使构建失败，`public/` 保持原样；**警告**不阻止构建，`gsgen build --strict`（持续集成中应这样运行）",
        "把警告也当作错误；**健康检查**随时间变化（栏目久未更新、年报到期），从不阻止构建，由 `gsgen health`",
        "报告。在命令行中可用 `gsgen explain 规则编号` 查看一条规则，如 `gsgen explain COL-STALE`。",
        "依据中的文件简称（指引、南通、聊城……）见 [sources.md](sources.md)；字段和文件的写法见",
        "[content.md](content.md)。",
        "",
        "| 规则 | 名称 | 类别 |",
        "|---|---|---|",
    ]
    for rule_id, info in RULES.items():
        label = "错误" if info.severity is Severity.ERROR else "警告"
        label = "健康检查" if info.health else label + ("（含健康检查）" if info.some_health else "")
        label += "，页面" if info.out else ""
        out.append(f"| [{rule_id}](#{rule_id.lower()}) | {guide()[rule_id]['title']} | {label} |")
    out.append("")
    for rule_id, info in RULES.items():
        text = guide()[rule_id]
        out += [f'<a id="{rule_id.lower()}"></a>', "", f"## {rule_id} {text['title']}", ""]
        source = "gsgen 的内容约定（[content.md](content.md)）" if rule_id in own else info.source
        out += [f"- 类别：{kind(info)}", f"- 依据：{source}", ""]
        for key in ("checks", "why", "fix"):
            out += [f"**{HEADINGS[key]}**", "", text[key].strip(), ""]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(rules_markdown(), end="")
