"""The report of `gsgen check --format html`: findings grouped by rule, with counts and each rule's
basis, for a webmaster to hand to the vendor of the system that made the pages. (The rule guide's
"how to fix" speaks of gsgen's own files, so the report gives the findings' own advice instead.)

Everything in it comes from the pages checked (file names, URLs, text), which are untrusted: the
template escapes every value (Jinja2's autoescape), and the page carries no script and loads nothing.
"""

from __future__ import annotations

from collections import Counter

from jinja2 import Environment

from gsgen.diagnostics import Diagnostic, Severity
from gsgen.rules.catalogue import RULES
from gsgen.rules.guide import guide

_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>网站检查报告：{{ target }}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:60rem;margin:0 auto;padding:1rem;line-height:1.6;color:#1f1f1f}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #d9d9d9;padding:4px 8px;text-align:left;vertical-align:top}
.error{color:#b4171b}.warn{color:#595959}code{overflow-wrap:anywhere}li{margin:4px 0}
</style>
</head>
<body>
<h1>网站检查报告</h1>
<p>检查对象：<code>{{ target }}</code>。检查了 {{ pages }} 个页面：{{ errors }} 个错误，{{ warnings }} 个警告。
检查工具：gsgen check（规则与依据见 gsgen 文档 docs/rules.md）。</p>
{% if rules %}
<h2>按规则汇总</h2>
<table>
<thead><tr><th scope="col">规则</th><th scope="col">要求</th><th scope="col">错误</th><th scope="col">警告</th><th scope="col">涉及页面</th></tr></thead>
<tbody>
{% for r in rules %}<tr><td><a href="#{{ r.id }}">{{ r.id }}</a></td><td>{{ r.title }}</td><td>{{ r.errors }}</td><td>{{ r.warnings }}</td><td>{{ r.files }}</td></tr>
{% endfor %}</tbody>
</table>
{% for r in rules %}
<h2 id="{{ r.id }}">{{ r.id }} {{ r.title }}（{{ r.errors + r.warnings }} 处）</h2>
<p>依据：{{ r.source }}</p>
<ul>
{% for d in r.findings %}<li><span class="{{ d.severity }}">{{ "错误" if d.severity == "error" else "警告" }}</span>
<code>{{ d.file }}{% if d.line %}:{{ d.line }}{% endif %}</code> {{ d.message }}</li>
{% endfor %}</ul>
{% endfor %}
{% else %}
<p>没有发现问题。</p>
{% endif %}
</body>
</html>
"""


def html_report(findings: list[Diagnostic], pages: int, target: str) -> str:
    rules = guide()
    order = list(RULES)
    by_rule: dict[str, list[Diagnostic]] = {}
    for d in sorted(findings, key=lambda d: (order.index(d.rule) if d.rule in RULES else len(order), d)):
        by_rule.setdefault(d.rule, []).append(d)
    counts = Counter(d.severity for d in findings)
    summary = [
        {
            "id": rule,
            "title": rules.get(rule, {}).get("title", ""),
            "source": RULES[rule].source if rule in RULES else "",
            "errors": sum(d.severity is Severity.ERROR for d in found),
            "warnings": sum(d.severity is Severity.WARN for d in found),
            "files": len({d.file for d in found}),
            "findings": found,
        }
        for rule, found in by_rule.items()
    ]
    template = Environment(autoescape=True).from_string(_TEMPLATE)
    return template.render(
        target=target,
        pages=pages,
        errors=counts[Severity.ERROR],
        warnings=counts[Severity.WARN],
        rules=summary,
    )
