"""XML: every XML file of the output (each column's rss.xml, sitemap.xml) is well-formed XML.

Feed readers and search engines drop an ill-formed file whole, so one bad character in one title
would take a column's feed off every reader. Fields holding characters XML forbids are refused where
they are written (sources.py); this rule is the last look at what was actually written, whatever
wrote it: a value that got through, or a site theme's own rss.xml template.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from lxml import etree

from gsgen.htmlpage import HtmlPage
from gsgen.rules import CheckContext, Finding, output_rule

# What the output's own files need: no DTD, no entities from elsewhere, no network.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def xml_problem(data: bytes) -> tuple[int, str] | None:
    """(line, lxml's message) when `data` is not well-formed XML, else None."""
    try:
        etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        return exc.lineno or 0, exc.msg
    return None


@output_rule("XML")
def well_formed_xml(pages: list[HtmlPage], ctx: CheckContext) -> Iterator[Finding]:
    for path in sorted(p for p in ctx.files if p.lower().endswith(".xml")):
        data = ctx.read(path)
        problem = xml_problem(data) if data is not None else None
        if problem is None:
            continue
        line, reason = problem
        own = _site_template(ctx, posixpath.basename(path))
        what = f"生成的 {path} 不是格式正确的 XML（第 {line} 行：{reason}）：订阅它的阅读器和搜索引擎都无法读取。"
        if own:  # the site's theme wrote it: the template is where to fix it
            fix = f"本站主题的模板 {own} 生成了它：请改正模板（标签成对，值用 {{{{ 值 }}}} 输出，不加 |safe）"
            yield Finding(own, 0, what + fix)
        else:
            fix = "多半是某个值带进了 XML 不允许的字符：请把这个文件和本消息反馈给 gsgen 的维护者"
            yield Finding(path, line, what + fix)


def _site_template(ctx: CheckContext, name: str) -> str | None:
    """The site theme's own template of this name (rss.xml, sitemap.xml), if it has one."""
    shared = ctx.provenance.shared if ctx.provenance else ()
    return next((rel for rel in shared if rel.endswith(f"/templates/{name}")), None)
