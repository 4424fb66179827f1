#!/usr/bin/env python3
"""A deterministic synthetic corpus of Chinese government-news items, written as a gsgen site and as
a Hugo site of the same content, for side-by-side benchmarks (bench/*.py) and for tests that need a
large realistic site (tests/test_search.py).

usage: python bench/corpus.py N OUTDIR [--tools gsgen,hugo] [--seed 42]

OUTDIR/gsgen         a gsgen site: config.yaml + content/<col>/_column.yaml + content/<col>/<slug>.md
OUTDIR/hugo          a Hugo site: content/<col>/<slug>.md, layouts/_default/{baseof,single,list}.html
OUTDIR/bodies.jsonl  one {"slug","title","date","source","column_name","body"} per line

Items average about 1,400 Chinese characters, with lists, a table in one item of ten and links to
other government sites. Hugo 0.111 reads dates only in ISO 8601, so its copy gets those.
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil

COLUMNS = [  # slug, name, weight, gsgen column type
    ("jgzn", "机构职能", 5, "机构职能"),
    ("fzrxx", "负责人信息", 5, "负责人信息"),
    ("zcwj", "政策文件", 20, "政策文件"),
    ("jdhy", "解读回应", 15, "政策解读"),
    ("gzdt", "工作动态", 40, "工作动态"),
    ("hdjl", "互动交流", 15, "咨询投诉"),
]
PER_PAGE = 20

SUBJECTS = [
    "市人民政府",
    "区人民政府",
    "市发展和改革委员会",
    "市生态环境局",
    "各级各部门",
    "市财政局",
    "市教育局",
    "市卫生健康委员会",
    "街道办事处",
    "市场监督管理局",
    "市住房和城乡建设局",
    "市人力资源和社会保障局",
    "市交通运输局",
    "市农业农村局",
    "市应急管理局",
    "市政务服务数据管理局",
    "市民政局",
    "市商务局",
    "市科学技术局",
    "市自然资源和规划局",
    "各县（市、区）",
    "有关单位",
]
ACTIONS = [
    "深入贯彻落实",
    "认真学习领会",
    "全面推进",
    "持续深化",
    "统筹推进",
    "扎实开展",
    "切实加强",
    "进一步完善",
    "加快构建",
    "大力推动",
    "着力提升",
    "不断健全",
    "稳步实施",
    "积极探索",
    "严格落实",
    "全力抓好",
    "系统谋划",
    "协同推进",
]
OBJECTS = [
    "党中央、国务院决策部署",
    "高质量发展",
    "营商环境优化提升行动",
    "乡村振兴战略",
    "民生保障工作",
    "安全生产责任制",
    "数字政府建设",
    "生态文明建设",
    "基本公共服务均等化",
    "政务公开标准化规范化",
    "“放管服”改革",
    "城市更新行动",
    "就业优先政策",
    "科技创新体系",
    "法治政府建设",
    "社会信用体系建设",
    "重点项目建设",
    "防汛抗旱各项准备工作",
    "老旧小区改造",
    "义务教育优质均衡发展",
    "医疗卫生服务体系",
    "粮食安全责任制",
    "“一网通办”服务能力",
    "基层治理体系和治理能力现代化",
]
TAILS = [
    "确保各项任务落到实处",
    "不断增强人民群众获得感幸福感安全感",
    "为经济社会发展提供有力保障",
    "取得了阶段性成效",
    "形成了一批可复制可推广的经验做法",
    "推动各项工作再上新台阶",
    "切实把好事办好、实事办实",
    "坚决守住安全发展底线",
    "持续提升政府治理效能",
    "进一步激发市场主体活力",
    "以实际行动迎接检验",
    "努力交出人民满意的答卷",
    "做到守土有责、守土担责、守土尽责",
    "形成上下联动、齐抓共管的工作格局",
    "为全市发展大局作出新的更大贡献",
]
OPENERS = [
    "近日，",
    "今年以来，",
    "会议指出，",
    "会议强调，",
    "据了解，",
    "下一步，",
    "与此同时，",
    "截至目前，",
    "据介绍，",
    "会上，",
    "在此基础上，",
    "为此，",
    "",
    "",
    "",
]
NUMBITS = [
    "累计完成投资{n}亿元",
    "共办理事项{n}万件",
    "新增就业岗位{n}个",
    "同比增长{p}%",
    "覆盖群众{n}万人次",
    "整改问题{n}个",
    "惠及企业{n}家",
    "办结率达{p}%",
]
DOCS = [
    "关于进一步优化营商环境的若干措施",
    "城市更新行动实施方案",
    "政务公开工作要点",
    "安全生产专项整治三年行动方案",
    "促进消费扩容提质若干措施",
    "数字政府建设三年行动计划",
    "基本公共服务标准体系建设方案",
    "生态环境保护工作要点",
    "稳就业若干政策措施",
    "乡村振兴重点工作任务",
    "老旧小区改造实施办法",
    "科技创新券管理办法",
]
TOPICS = [
    "营商环境",
    "安全生产",
    "防汛救灾",
    "民生实事",
    "生态环境保护",
    "重点项目建设",
    "政务公开",
    "乡村振兴",
    "就业创业",
    "教育发展",
    "医疗卫生",
    "城市管理",
    "社会救助",
    "科技创新",
]
SOURCES = [
    "市人民政府办公室",
    "本网",
    "新华社",
    "市政务服务数据管理局",
    "市发展和改革委员会",
    "市融媒体中心",
    "区人民政府",
    "市司法局",
]
KEYWORDS = [*TOPICS, "政策解读", "通知公告", "会议", "调研", "新闻发布会", "公众留言", "领导分工", "机构设置"]
PEOPLE = ["张伟", "王芳", "李强", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周涛", "吴琳"]


def sentence(r):
    s = r.choice(OPENERS) + r.choice(SUBJECTS) + r.choice(ACTIONS) + r.choice(OBJECTS)
    if r.random() < 0.35:
        s += "，" + r.choice(NUMBITS).format(n=r.randint(2, 980), p=round(r.uniform(1, 99), 1))
    return s + "，" + r.choice(TAILS) + "。"


def title_for(r, col):
    t = r.choice(TOPICS)
    d = r.choice(DOCS)
    sub = r.choice(SUBJECTS)
    return {
        "jgzn": f"{sub}主要职责和内设机构（{r.randint(1, 99)}）",
        "fzrxx": f"{sub}领导分工调整情况（{r.choice(PEOPLE)}）",
        "zcwj": f"关于印发《{d}》的通知（第{r.randint(1, 500)}号）",
        "jdhy": f"一图读懂《{d}》——{sub}负责人答记者问",
        "gzdt": f"{sub}召开{t}工作推进会（第{r.randint(1, 60)}次）",
        "hdjl": f"关于{t}问题的留言回复（编号{r.randint(10000, 99999)}）",
    }[col]


def table(r):
    rows = ["| 序号 | 项目名称 | 责任单位 | 完成时限 |", "| --- | --- | --- | --- |"]
    for k in range(1, r.randint(4, 7)):
        rows.append(
            f"| {k} | {r.choice(OBJECTS)} | {r.choice(SUBJECTS)} | {r.randint(2024, 2026)}年{r.randint(1, 12)}月底前 |"
        )
    return "\n".join(rows)


def body_for(r, i):
    target = r.randint(1300, 1700)
    sents, n = [], 0
    while n < target:
        s = sentence(r)
        sents.append(s)
        n += len(s)
    k = r.randint(3, 8)
    cuts = sorted(r.sample(range(1, len(sents)), k - 1))
    paras = ["".join(sents[a:b]) for a, b in zip([0, *cuts], [*cuts, len(sents)], strict=False)]
    lst = "\n".join(
        ("1. " if r.random() < 0.5 and j == 0 else "- ") + r.choice(ACTIONS) + r.choice(OBJECTS)
        for j in range(r.randint(3, 5))
    )
    if lst.startswith("1. "):  # keep list kind consistent
        lst = "\n".join(f"{j + 1}. " + ln.split(" ", 1)[1] for j, ln in enumerate(lst.split("\n")))
    links = f"详情请见[省人民政府门户网站](https://www.gd.gov.cn/art/{i}.html)"
    if r.random() < 0.5:
        links += f"，或登录[政务服务网](https://zwfw.example.gov.cn/item/{r.randint(1000, 9999)})办理"
    parts = paras[:]
    parts.insert(min(2, len(parts)), "主要任务包括：\n\n" + lst)
    if i % 10 == 0:
        parts.insert(1, "**重点任务分工表**\n\n" + table(r))
    parts.append(links + "。")
    return "\n\n".join(parts) + "\n"


def make_corpus(n, seed):
    r = random.Random(seed)
    cols = [c[0] for c in COLUMNS]
    w = [c[2] for c in COLUMNS]
    names = {c[0]: c[1] for c in COLUMNS}
    start = dt.datetime(2019, 1, 1)
    arts = []
    for i in range(n):
        col = r.choices(cols, w)[0]
        d = start + dt.timedelta(minutes=r.randint(0, 6 * 365 * 24 * 60))
        arts.append(
            dict(
                i=i,
                slug=f"a{i:06d}",
                column=col,
                column_name=names[col],
                title=title_for(r, col),
                date=d.strftime("%Y-%m-%d %H:%M"),
                iso=d.strftime("%Y-%m-%dT%H:%M:00+08:00"),
                source=r.choice(SOURCES),
                keywords=r.sample(KEYWORDS, 3),
                body=body_for(r, i),
            )
        )
    return arts


def w(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def J(s):
    return json.dumps(s, ensure_ascii=False)


def yaml_fm(a, date):
    return (
        f"---\ntitle: {J(a['title'])}\ndate: {J(date)}\nsource: {J(a['source'])}\n"
        f"column: {J(a['column_name'])}\nkeywords: {J(a['keywords'])}\n---\n\n"
    )


# ---------------------------------------------------------------- Hugo
HUGO_CONFIG = """baseURL = "https://www.example.gov.cn/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = "某市人民政府"
hasCJKLanguage = true
paginate = 20
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
"""
HUGO_BASE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body>
<header><a href="/">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>版权所有 某市人民政府</footer>
</body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<div class="meta">发布时间：{{ .Date.Format "2006-01-02 15:04" }} 来源：{{ .Params.source }} 栏目：{{ .CurrentSection.Title }}</div>
{{ .Content }}
</article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}
<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <span>{{ .Date.Format "2006-01-02" }}</span></li>
{{ end }}</ul>
<nav class="pager">{{ if $p.HasPrev }}<a href="{{ $p.Prev.URL }}">上一页</a>{{ end }} 第{{ $p.PageNumber }}/{{ $p.TotalPages }}页 {{ if $p.HasNext }}<a href="{{ $p.Next.URL }}">下一页</a>{{ end }}</nav>
{{ end }}
"""
HUGO_HOME = """{{ define "main" }}{{ range .Site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<ul>{{ range first 5 .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></section>
{{ end }}{{ end }}
"""


def emit_hugo(arts, root):
    w(f"{root}/config.toml", HUGO_CONFIG)
    w(f"{root}/layouts/_default/baseof.html", HUGO_BASE)
    w(f"{root}/layouts/_default/single.html", HUGO_SINGLE)
    w(f"{root}/layouts/_default/list.html", HUGO_LIST)
    w(f"{root}/layouts/index.html", HUGO_HOME)
    for slug, name, *_ in COLUMNS:
        w(f"{root}/content/{slug}/_index.md", f"---\ntitle: {J(name)}\n---\n")
    for a in arts:
        w(f"{root}/content/{a['column']}/{a['slug']}.md", yaml_fm(a, a["iso"]) + a["body"])


def by_column(arts):
    cols = {c[0]: [] for c in COLUMNS}
    for a in arts:
        cols[a["column"]].append(a)
    for v in cols.values():
        v.sort(key=lambda a: a["date"], reverse=True)
    return cols


GSGEN_CONFIG = """site:
  name: 某市人民政府
  kind: portal
  domain: www.example.gov.cn
  id_code: "4400000001"
  host_unit: 某市人民政府办公室
  contact: {phone: 020-12345678, email: zfb@example.gov.cn, address: 某市人民路1号}
  icp: 粤ICP备00000000号-1
  police_record: 粤公网安备44000002000001号
  error_report_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=4400000001
theme: default
channels: [jgzn, fzrxx, zcwj, jdhy, gzdt, hdjl, bsfw]
"""


def emit_gsgen(arts, root):
    w(f"{root}/config.yaml", GSGEN_CONFIG)
    for slug, name, _, ctype in COLUMNS:
        w(
            f"{root}/content/{slug}/_column.yaml",
            f"name: {name}\ntype: {ctype}\ndescription: {J('某市' + name)}\nkeywords: [{name}]\n",
        )
    w(f"{root}/content/bsfw/_column.yaml", "name: 办事服务\ntype: 办事服务\nurl: https://zwfw.example.gov.cn/\n")
    # a portal's 政府信息公开 columns (COL-REQUIRED), on the city's 政务公开 platform so that the
    # corpus stays the same items as Hugo's copy
    for slug, kind in (("xxgkzn", "信息公开指南"), ("xxgknb", "信息公开年报"), ("ysqgk", "依法申请公开")):
        w(
            f"{root}/content/{slug}/_column.yaml",
            f"name: {kind}\ntype: {kind}\nurl: https://zwgk.example.gov.cn/{slug}/\n",
        )
    policies = [a for a in arts if a["column"] == "zcwj"]
    for a in arts:
        fm = f"---\ntitle: {J(a['title'])}\ndate: {a['date']}\nsource: {J(a['source'])}\nkeywords: {J(a['keywords'])}\n"
        if a["column"] == "zcwj":
            number = f"某府发〔{int(a['date'][:4])}〕{a['i']}号"
            fm += f"doc_number: {J(number)}\nissuer: 某市人民政府\nstatus: 有效\n"
        if a["column"] == "jdhy" and policies:
            fm += f"interprets: zcwj/{policies[a['i'] % len(policies)]['slug']}\n"
        w(f"{root}/content/{a['column']}/{a['slug']}.md", fm + "---\n\n" + a["body"])


EMIT = {"gsgen": emit_gsgen, "hugo": emit_hugo}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--tools", default="gsgen,hugo")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    arts = make_corpus(a.n, a.seed)
    os.makedirs(a.out, exist_ok=True)
    with open(f"{a.out}/bodies.jsonl", "w", encoding="utf-8") as f:
        for x in arts:
            f.write(J({k: x[k] for k in ("slug", "title", "date", "source", "column_name", "body")}) + "\n")
    for t in a.tools.split(","):
        shutil.rmtree(f"{a.out}/{t}", ignore_errors=True)
        EMIT[t](arts, f"{a.out}/{t}")
    chars = sum(sum(1 for ch in x["body"] if "\u4e00" <= ch <= "\u9fff") for x in arts) / len(arts)
    print(
        f"{a.n} articles -> {a.out}; mean CJK chars/body {chars:.0f}; "
        f"per column {{{', '.join(f'{k}: {len(v)}' for k, v in by_column(arts).items())}}}"
    )


if __name__ == "__main__":
    main()
