"""How much one file may hold: the bounds on what editors write, in one place (docs/content.md lists them).

Each bound is generous for a real county portal — a 数据发布 table of thousands of rows, a 留言选登 of
a year's messages, a 年报 with its tables — and far below what makes a build slow or large: 400,000
attachments in one front matter, 10,000 nested <div>, a 10 MB paragraph. What is over a bound is
refused at its file and line (FIELD for YAML, LAYOUT for a Markdown body) before anything is rendered,
and the work done on it stops at the bound, so a build's time and memory stay in proportion to its input.
"""

from __future__ import annotations

# ---------------------------------------------------------------- files

# A text file gsgen reads (an item, _column.yaml, config.yaml, a CSV data file), checked before it is read.
MAX_FILE_BYTES = 20_000_000
# One YAML document: config.yaml, _column.yaml, a .yaml item, or an item's front matter. Parsed YAML
# takes about 250 bytes of memory per character, so this also bounds a file's parse to about 250 MB.
MAX_YAML_CHARS = 1_000_000
# Mappings and lists inside each other: config.yaml needs 4, a data item's rows 3.
MAX_YAML_DEPTH = 20

# ---------------------------------------------------------------- lists in YAML

# The most entries a list may have, by its field name, and what to do with more.
LIST_LIMITS: dict[str, tuple[int, str]] = {
    "attachments": (200, "请把附件打包成 ZIP 压缩文件，或把条目拆成几篇"),
    "keywords": (50, "请只写最能概括内容的几个关键词"),
    "topics": (50, "请只写最主要的几个主题"),
    "audience": (50, "请只写最主要的几类服务对象"),
    "people": (500, "请按单位或届次分成几个条目"),
    "units": (1_000, "请按类别分成几个条目"),
    "materials": (500, "请把材料合并或分成几项办事指南"),
    "steps": (200, "请把步骤合并，细节写进说明"),
    "messages": (5_000, "请按年份或月份分成几个条目"),
    "transcript": (5_000, "请把访谈分成几个条目"),
    "guests": (200, "请把嘉宾分成几场访谈"),
    "related": (200, "请只写最相关的几个链接"),
    "rows": (10_000, "请把数据放进 CSV 文件，用 data: 引用"),
}
# Any other list: channels, notices, checks.ignore, a row's cells, …
DEFAULT_LIST_LIMIT = (1_000, "请删去多余的项，或把条目拆成几个")

# ---------------------------------------------------------------- data tables

# Rows of a CSV data file (data:); rows written in YAML have LIST_LIMITS["rows"]. The table page shows
# every row: 20,000 rows make a 1.6 MB page, built in 4 s at 210 MB; 100,000 an 8 MB one, 12 s, 570 MB.
MAX_DATA_ROWS = 20_000
MAX_DATA_COLUMNS = 200  # columns of a data table, from CSV or YAML
MAX_CSV_CELL_CHARS = 131_072  # a cell of a CSV file: the csv module's own bound (csv.field_size_limit())

# ---------------------------------------------------------------- Markdown bodies

MAX_BODY_CHARS = 1_000_000  # a body: a long 年报 is 30,000 characters
MAX_BLOCK_CHARS = 200_000  # one paragraph, table, list item or block of raw HTML
# Elements inside each other, in Markdown (lists, quotes, emphasis) and raw HTML together. A page's
# template adds about 20 around the body, and HTML parsers stop at 256 (libxml2, the output check).
MAX_NESTING = 100
# Lists and quotes inside each other, as markdown-it counts them (a list level is two): its own bound
# (maxNesting, commonmark's 20), past which it would drop the content unsaid. Raising it is no help:
# inline links are parsed in time proportional to it (50,000 `[` take 0.5 s at 20, 2 s at 101).
MAX_MARKDOWN_NESTING = 20
MAX_ELEMENTS = 50_000  # elements in a body: a table of 4,000 rows of 10 cells


def list_limit(field: str | int) -> tuple[int, str]:
    """(the most entries, what to do with more) for a list under `field` (an int: a list in a list)."""
    return LIST_LIMITS.get(field, DEFAULT_LIST_LIMIT) if isinstance(field, str) else DEFAULT_LIST_LIMIT
