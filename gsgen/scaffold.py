"""`gsgen new item COLUMN "标题"` and `gsgen new site DIR`: start files an editor then fills in.

A new site holds placeholders (某某县人民政府, 标识码 0000000000…, defined once in `starter.py`) that the
rule PLACEHOLDER lists under `gsgen build --strict` until they are replaced, and the files a site's
repository needs: `.gitignore`, CI for GitHub and GitLab, and the one script both call
(`scaffold_files/`, kept as files in the package).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pypinyin import lazy_pinyin
from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.mmseg import PrefixSet, Seg

from gsgen import __version__, starter
from gsgen.dates import display
from gsgen.load import load_site
from gsgen.model import Column, Site
from gsgen.paths import site_path

STRUCTURED_SKELETONS = {
    "leaders": "people:\n  - {name: , post: , photo: , resume: , duties: }\n",
    "units": "units:\n  - {name: , duties: , head: , phone: , address: , hours: }\n",
    "service": (
        "topics: []\naudience: []\nbasis: \nconditions: \n"
        "materials:\n  - {name: , basis: , format: , copies: , note: , form: , sample: , instructions: }\n"
        "steps: []\ntime_limit: \nfee: \noffice: \naddress: \nhours: \nphone: \nonline_level: \napply_url: \n"
        "related: []\n"
    ),
    "messages": "messages:\n  - {title: , asked: , received: , replied: , dept: , question: , answer: }\n",
    "interview": "time: \nhost: \nguests:\n  - {name: , post: }\ntranscript:\n  - {speaker: , text: }\n",
    # a 征集调查 shares the messages layout, and says when it ran and what came of it
    "征集调查": "period: {start: , end: }\nopinions: \nresult: \nadopted: \nmessages: []\n",
    "data": "data: \nunit: \nperiod: \nchart: bar\n",
}
INTERPRETS_REQUIRED = "政策解读"  # as rules/items.py: a 回应关切 names a policy only where it answers one
# What `gsgen new site` writes besides the content: the site's path → the template in scaffold_files/.
SITE_FILES = {
    ".gitignore": "gitignore",
    ".github/workflows/gsgen.yml": "github-actions.yml",
    ".gitlab-ci.yml": "gitlab-ci.yml",
    "ci/gsgen-ci.sh": "gsgen-ci.sh",
}


class ScaffoldError(Exception):
    pass


def now() -> datetime:
    return datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None, second=0, microsecond=0)


def _scalar(value: str) -> str:
    """A YAML value that stays a string whatever it holds (colons, leading digits…)."""
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True).removesuffix("\n...\n").strip()


# ---------------------------------------------------------------- file names from titles

SLUG_LENGTH = 40  # of the words after the date: a name stays readable in a file list and an address
_ABOUT = "关于"  # what comes before it is the issuer (示例县人民政府办公室关于…), after it the subject
_ISSUED = re.compile(r"^(?:印发|转发|发布)(?=《)")  # 印发《示例县…办法》: the document's own name says it
_KIND = re.compile(r"的(?:通知|公告|通告|决定|意见|批复|复函|函|报告|请示|通报|公示|答复)$")
_DROPPED = frozenset("的和与及暨之了等")  # function words: a name reads as well without them
_UNITS = frozenset("年月日号期届次个项批名人件条家所") | {"年度", "季度", "年底", "年初"}  # 2026年 → 2026nian
_RUNS = re.compile(r"[\u3400-\u9fff]+|[A-Za-z0-9]+")


@functools.cache
def _segmenter() -> tuple[Seg, frozenset[str]]:
    """pypinyin's segmenter (forward maximum matching), trained on pypinyin's own phrases and the words
    of government titles in data/slug-words.txt (pypinyin's phrases alone are only those whose
    reading differs from their characters', and leave 森林 or 防火 in single characters)."""
    listed = (resources.files("gsgen") / "data" / "slug-words.txt").read_text("utf-8")
    entries = [w for line in listed.splitlines() if not line.startswith("#") for w in line.split()]
    words = {*PHRASES_DICT, *(w for w in entries if not w.startswith("-"))}
    words -= {w[1:] for w in entries if w.startswith("-")}
    words = {w for w in words if len(w) > 1}
    seg = Seg(PrefixSet(), no_non_phrases=False)
    seg.train(words)
    return seg, frozenset(words)


def _cut(run: str) -> Iterator[str]:
    """The words of a run of Chinese characters; a character outside any known word stands alone."""
    seg, known = _segmenter()
    while run:
        word = next(seg.cut(run))
        if word not in known:  # the segmenter's longest match was the start of a longer word only
            word = run[0]
        yield word
        run = run[len(word) :]


def title_words(title: str) -> list[str]:
    """The words of `title` that make its file name: 做好 2026年 冬季 森林 防火 安全 生产 工作 for
    关于做好2026年冬季森林防火和安全生产工作的通知. Characters outside any known word are kept
    together (城关镇), numbers with their unit (2026年, 第55次)."""
    words: list[str] = []
    for run in _RUNS.findall(title):
        if run.isascii():
            words.append(run.lower())
            continue
        single = ""
        for word in _cut(run):
            if len(word) == 1 and word not in _DROPPED:
                single += word
                continue
            if single:
                words.append(single)
                single = ""
            if word not in _DROPPED:
                words.append(word)
        if single:
            words.append(single)
    joined: list[str] = []
    for word in words:
        number = bool(joined) and joined[-1][-1].isdigit() and word in _UNITS  # 2026 年 → 2026年
        ordinal = bool(joined) and joined[-1] == "第" and word.isdigit()  # 第 55 → 第55
        if number or ordinal:
            joined[-1] += word
        else:
            joined.append(word)
    return joined


def _subject(title: str) -> str:
    """The title without its issuer, 关于, 印发 and 的通知: what the item is about."""
    title = title.strip()
    at = title.find(_ABOUT)
    if at >= 0:
        title = title[at + len(_ABOUT) :]
    return _KIND.sub("", _ISSUED.sub("", title))


def item_slug(title: str) -> str:
    """The title as pinyin words joined by `-`, cut at a word to at most SLUG_LENGTH characters:
    关于做好2026年冬季森林防火和安全生产工作的通知 → zuohao-2026nian-dongji-senlin-fanghuo."""
    words = title_words(_subject(title)) or title_words(title)
    spelled = [re.sub(r"[^a-z0-9]", "", "".join(lazy_pinyin(w)).lower()) for w in words]
    spelled = [w for w in spelled if w]
    if not spelled:
        return "item"
    slug = spelled[0][:SLUG_LENGTH]
    for word in spelled[1:]:
        if len(slug) + 1 + len(word) > SLUG_LENGTH:
            break
        slug += "-" + word
    return slug


# ---------------------------------------------------------------- gsgen new item


def usual_source(site: Site, column: Column) -> str | None:
    """The column's `source`, else the source most of its items give, else the site's 主办单位."""
    if column.source:
        return column.source
    sources = Counter(i.source for i in site.items.values() if i.column is column and i.source)
    if sources:
        return sources.most_common(1)[0][0]
    return site.config.site.host_unit or site.config.site.name or None


def policies(site: Site) -> dict[str, str]:
    """The site's published policy documents, path → title, newest first: what a 解读 can name."""
    found = [i for i in site.published if i.is_policy]
    found.sort(key=lambda i: i.date or datetime.min, reverse=True)
    return {i.path: i.title or i.path for i in found}


def new_item(
    root: Path,
    column_path: str,
    title: str,
    moment: datetime | None = None,
    interprets: str | None = None,
    ask: Callable[[dict[str, str]], str | None] | None = None,
) -> Path:
    """A new item of the column, named from the title. For a 解读: `interprets` if given, else what
    `ask` (given the site's policy documents, path → title) answers, else a commented placeholder."""
    site, _ = load_site(root)
    column = site.columns.get(column_path.strip("/"))
    if column is None:
        known = "、".join(site.columns) or "（还没有栏目）"
        raise ScaffoldError(
            f"栏目 {column_path} 不存在：请写 content/ 下栏目文件夹的路径，如 {next(iter(site.columns), 'gzdt')}。"
            f"现有栏目：{known}"
        )
    kind = column.kind
    interpretation = bool(kind and kind.layout == "interpretation")
    documents = policies(site)
    if interprets is not None:
        if not interpretation:
            raise ScaffoldError(
                f"栏目 {column.path}（{column.type}）不是解读栏目：--interprets 只用于政策解读和回应关切"
            )
        interprets = site_path(interprets)
        if interprets not in documents:
            example = next(iter(documents), "zcwj/2024-003")
            raise ScaffoldError(
                f"--interprets {interprets}：找不到这份已发布的政策文件。"
                f"请写 content/ 下政策文件的路径，不带扩展名，如 {example}"
            )
    elif interpretation and ask is not None:
        interprets = ask(documents)
    moment = moment or now()
    slug = f"{moment:%Y-%m-%d}-{item_slug(title)}"
    structured = bool(kind and kind.structured)
    path = root / "content" / column.path / (slug + (".yaml" if structured else ".md"))
    if path.exists():
        raise ScaffoldError(f"文件 {path} 已经存在，请换一个标题或直接编辑它")
    source = usual_source(site, column)
    lines = [
        f"title: {_scalar(title)}",
        f"date: {display(moment)}",
        f"source: {_scalar(source)}"
        if source
        else "source:   # 信息来源：发布这条信息的单位全称，如 示例县人民政府办公室",
    ]
    if column.is_policy_column:
        lines += ["doc_number: ", "issuer: ", "status: 有效"]
    if interpretation:
        if interprets:
            lines += [f"interprets: {interprets}"]
        elif column.type == INTERPRETS_REQUIRED:
            lines += ["interprets:   # 必填：所解读的政策文件的路径，如 zcwj/2024-003（不填写，构建会报错）"]
        else:
            lines += [
                "interprets:   # 回应的政策文件的路径，如 zcwj/2024-003；辟谣、回应突发事件等不针对文件时删去本行"
            ]
    if site.config.review_required:
        lines += ["review: {" + ", ".join(f"{level}: " for level in site.config.review_levels) + "}"]
    if structured:
        text = (
            "\n".join(lines) + "\n" + STRUCTURED_SKELETONS.get(column.type, STRUCTURED_SKELETONS.get(kind.layout, ""))
        )
    else:
        text = "---\n" + "\n".join(lines) + f"\n---\n\n{starter.BODY}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


# ---------------------------------------------------------------- gsgen new site


def _config() -> str:
    s = starter
    return f"""\
site:
  name: {s.NAME}              # 机构全称
  kind: portal                    # portal（政府门户网站）或 department（部门网站）
  domain: {s.DOMAIN}          # 网站域名，以 .gov.cn 结尾
  id_code: "{s.ID_CODE}"           # 政府网站标识码（10位），写在引号里
  host_unit: {s.HOST_UNIT}     # 主办单位
  contact: {{phone: {s.PHONE}, email: {s.EMAIL}, address: {s.ADDRESS}}}
  icp: {s.ICP}
  police_record: {s.POLICE_RECORD}
  error_report_url: {s.ERROR_REPORT_URL}
channels: [jgzn, ldxx, zcwj, zcjd, gzdt, hdjl, bsfw]
"""


def _columns(when: str) -> list[tuple[str, str, str, str | None, str | None]]:
    """(folder, name, type, starter item's file, its text): every column a portal needs."""
    s = starter
    year = int(when[:4])
    by = f"date: {when}\nsource: {s.HOST_UNIT}\n"
    return [
        (
            "jgzn",
            "机构职能",
            "机构职能",
            "units.yaml",
            f"title: 机构设置\n{by}units:\n  - {{name: {s.UNIT}, duties: {s.UNIT_DUTIES}}}\n",
        ),
        (
            "ldxx",
            "负责人信息",
            "负责人信息",
            "leaders.yaml",
            f"title: 县政府领导\n{by}people:\n  - {{name: {s.LEADER}, post: 县长, duties: 主持县政府全面工作}}\n",
        ),
        (
            "zcwj",
            "政策文件",
            "政策文件",
            "first-policy.md",
            f"---\ntitle: {s.POLICY_TITLE}\n{by}doc_number: {s.DOC_NUMBER.format(year=year)}\n"
            f"issuer: {s.NAME}\nstatus: 有效\n---\n\n{s.BODY}\n",
        ),
        (
            "zcjd",
            "政策解读",
            "政策解读",
            "first-interpretation.md",
            f"---\ntitle: {s.INTERPRETATION_TITLE}\n{by}interprets: zcwj/first-policy\n---\n\n{s.INTERPRETATION_BODY}\n",
        ),
        ("gzdt", "工作动态", "工作动态", "first-news.md", f"---\ntitle: {s.NEWS_TITLE}\n{by}---\n\n{s.BODY}\n"),
        ("hdjl", "咨询投诉", "咨询投诉", "messages.yaml", f"title: 留言选登\n{by}messages: []\n"),
        ("bsfw", "办事服务", "办事服务", None, None),
        # a portal's 政府信息公开 (COL-REQUIRED); the 信息公开目录 is generated from the items
        (
            "xxgkzn",
            "信息公开指南",
            "信息公开指南",
            "zhinan.md",
            f"---\ntitle: {s.GUIDE_TITLE}\n{by}---\n\n{s.GUIDE_BODY}\n",
        ),
        (
            "xxgknb",
            "信息公开年报",
            "信息公开年报",
            f"{year - 1}-ndbg.md",
            f"---\ntitle: {s.REPORT_TITLE.format(year=year - 1)}\n{by}year: {year - 1}\n---\n\n{s.REPORT_BODY}\n",
        ),
        (
            "ysqgk",
            "依申请公开",
            "依法申请公开",
            "shenqing.md",
            f"---\ntitle: 依申请公开办理说明\n{by}---\n\n{s.APPLY_BODY}\n",
        ),
    ]


def site_file(name: str) -> str:
    """A file `gsgen new site` writes besides the content, from its template in scaffold_files/."""
    text = (resources.files("gsgen") / "scaffold_files" / SITE_FILES[name]).read_text("utf-8")
    return text.replace("@GSGEN_VERSION@", __version__)


def new_site(folder: Path, moment: datetime | None = None) -> list[Path]:
    """A minimal site that builds, with placeholders that `--strict` lists until they are replaced:
    every required column with one item, and the files of the site's repository and its CI."""
    if folder.exists() and any(folder.iterdir()):
        raise ScaffoldError(f"文件夹 {folder} 不是空的：请换一个新文件夹名")
    when = display(moment or now())
    written = [folder / "config.yaml"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(_config(), "utf-8")
    for path, name, type_, item, text in _columns(when):
        column = folder / "content" / path
        column.mkdir(parents=True)
        extra = f"url: {starter.SERVICE_URL}\n" if item is None else ""
        (column / "_column.yaml").write_text(
            f"name: {name}\ntype: {type_}\ndescription: {name}\nkeywords: [{name}]\n{extra}", "utf-8"
        )
        written.append(column / "_column.yaml")
        if item and text:
            (column / item).write_text(text, "utf-8")
            written.append(column / item)
    for name in SITE_FILES:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(site_file(name), "utf-8")
        if target.suffix == ".sh":
            target.chmod(0o755)
        written.append(target)
    return written
