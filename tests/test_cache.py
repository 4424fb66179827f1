"""The build cache: a rebuild renders only the pages a change affects, reuses the search index when
no record changed, and gives exactly what a clean build gives, byte for byte."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gsgen.build import BuildOptions, BuildResult, build
from gsgen.dates import parse_datetime
from tests.conftest import EXAMPLE_NOW, tree_digest

REPO = Path(__file__).resolve().parents[1]
NEWS = "content/gzdt/zwyw/2026-06-05-jiuye.md"  # listed on its column's first page, not on the homepage
LATEST = "content/gzdt/zwyw/2026-11-10-qiudongzhong.md"  # the newest 政务要闻: also on the homepage


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the example site with its own copy of the default theme, to edit freely."""
    root = tmp_path / "site"
    root.mkdir()
    for name in ("config.yaml", "words.yaml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "themes" / "default", root / "themes" / "default")
    return root


def built(root: Path, out: Path, cache: bool = True, now: str = EXAMPLE_NOW) -> BuildResult:
    result = build(BuildOptions(root, out, now=parse_datetime(now), cache=cache))
    assert result.ok, [d.format() for d in result.report.sorted()]
    return result


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def pages_of(out: Path) -> dict[str, str]:
    """Every file of the output, the search index included, by content digest."""
    return tree_digest(out)


EDITS: dict[str, Callable[[Path], None]] = {
    "an item's body": lambda root: edit(root, NEWS, "。", "。新增一句话。"),
    "an item's title": lambda root: edit(root, LATEST, "title: ", "title: 【更新】"),
    "a new item": lambda root: (root / "content/gzdt/zwyw/2026-11-24-xinwen.md").write_text(
        "---\ntitle: 示例县召开冬季森林防火工作会议\ndate: 2026-11-24 10:00\nsource: 示例县应急管理局\n"
        "review: {初审: 杨帆, 审核: 邓国平, 签发: 胡德安}\n---\n\n会议部署冬季森林防火工作。\n",
        "utf-8",
    ),
    "a deleted item": lambda root: (root / NEWS).unlink(),
    "a layout template": lambda root: edit(
        root,
        "themes/default/templates/layouts/policy.html",
        "{% if interpretations %}",
        "<p>政策文件</p>{% if interpretations %}",
    ),
    "config.yaml": lambda root: edit(root, "config.yaml", "phone: 023-12345678", "phone: 023-12345679"),
}


@pytest.mark.parametrize("change", EDITS)
def test_a_cached_rebuild_is_identical_to_a_clean_build(example: Path, tmp_path: Path, change: str) -> None:
    built(example, tmp_path / "first")
    EDITS[change](example)
    cached = built(example, tmp_path / "cached")
    clean = built(example, tmp_path / "clean", cache=False)
    assert cached.rendered < clean.rendered or change == "config.yaml"
    assert pages_of(tmp_path / "cached") == pages_of(tmp_path / "clean")


def test_no_change_renders_nothing_and_keeps_the_output_identical(example: Path, tmp_path: Path) -> None:
    first = built(example, tmp_path / "first")
    again = built(example, tmp_path / "again")
    assert first.rendered == first.pages == again.pages > 60
    assert again.rendered_pages == []
    assert tree_digest(tmp_path / "first") == tree_digest(tmp_path / "again")  # the index too: taken as it was


def test_an_item_edit_renders_the_item_and_the_pages_that_list_it(example: Path, tmp_path: Path) -> None:
    built(example, tmp_path / "first")
    EDITS["an item's body"](example)
    body = built(example, tmp_path / "body")
    # Its page, and its column's pages (a body edit changes the item; lists re-render to be safe).
    assert set(body.rendered_pages) == {"gzdt/zwyw/2026-06-05-jiuye.html", "gzdt/zwyw/index.html", "gzdt/index.html"}
    EDITS["an item's title"](example)
    title = built(example, tmp_path / "title")
    assert set(title.rendered_pages) == {
        "gzdt/zwyw/2026-11-10-qiudongzhong.html",
        "gzdt/zwyw/index.html",
        "gzdt/index.html",
        "index.html",  # the homepage lists the newest 政务要闻
        # the 信息公开目录 shows titles (a body edit leaves it be): its first page, and gzdt's and zwyw's
        "xxgk/xxgkml/index.html",
        "xxgk/xxgkml/lm/gzdt/index.html",
        "xxgk/xxgkml/lm/gzdt/zwyw/index.html",
    }
    assert "【更新】" in (tmp_path / "title" / "index.html").read_text("utf-8")


def test_a_template_change_renders_only_the_pages_that_use_it(example: Path, tmp_path: Path) -> None:
    first = built(example, tmp_path / "first")
    EDITS["a layout template"](example)
    after = built(example, tmp_path / "after")
    sources = {
        p.relative_to(example / "content").with_suffix(".html").as_posix() for p in (example / "content").rglob("*.*")
    }
    items = {p for p in first.rendered_pages if p in sources}
    assert set(after.rendered_pages) == items  # item pages (item.html includes a layout by type), no lists
    assert "index.html" not in after.rendered_pages
    policy = (tmp_path / "after" / "zcwj" / "2026-015.html").read_text("utf-8")
    assert "<p>政策文件</p>" in policy


def test_a_config_change_renders_every_page(example: Path, tmp_path: Path) -> None:
    first = built(example, tmp_path / "first")
    EDITS["config.yaml"](example)
    assert built(example, tmp_path / "after").rendered == first.pages


def test_a_damaged_cache_is_rebuilt_not_trusted(example: Path, tmp_path: Path) -> None:
    built(example, tmp_path / "first")
    for kept in ("checks.json", "bodies.json", "search.json"):
        assert (example / ".gsgen-cache" / kept).is_file()
        (example / ".gsgen-cache" / kept).write_bytes(b"not json")
    again = built(example, tmp_path / "again")
    assert again.rendered == again.pages
    assert pages_of(tmp_path / "again") == pages_of(tmp_path / "first")


def test_a_theme_folder_that_shadows_one_template_re_renders_only_its_pages(example: Path, tmp_path: Path) -> None:
    """A site that starts its own theme folder with one template: only the pages of that template."""
    built(example, tmp_path / "first")
    shutil.rmtree(example / "themes")  # the site uses the theme gsgen ships …
    built(example, tmp_path / "packaged")
    own = example / "themes" / "default" / "templates" / "404.html"  # … then shadows one template of it
    own.parent.mkdir(parents=True)
    own.write_text((REPO / "themes/default/templates/404.html").read_text("utf-8").replace("抱歉", "很抱歉"), "utf-8")
    after = built(example, tmp_path / "after")
    assert after.rendered_pages == ["404.html"]
    assert "很抱歉" in (tmp_path / "after" / "404.html").read_text("utf-8")


def test_a_cache_that_cannot_be_saved_fails_nothing_once_the_site_is_published(tmp_path):
    """The cache is saved while the previous output is removed, after the new one is in place: a
    cache that cannot be written is said, and the build still succeeds with its output whole."""
    from tests.conftest import gsgen
    from tests.sites import minimal_site, write_site

    site = write_site(tmp_path / "site", minimal_site())
    (site / ".gsgen-cache" / "checks.json").mkdir(parents=True)  # a file cannot replace it
    run = gsgen("build", site, "--now", "2025-01-10 12:00")
    assert run.code == 0, run.text
    assert "构建缓存未能保存" in run.err
    assert (site / "public" / "index.html").is_file()
    assert not [p.name for p in site.iterdir() if p.name.startswith(".gsgen-staging")]


def test_a_long_list_shared_by_pages_counts_by_its_values() -> None:
    """Page fingerprints count a long list (a 500-page pager's addresses, shared by all its pages) by
    a digest worked out once per build: the digest must still follow every value in it."""
    from gsgen.fingerprint import SHARED_FROM, ItemDigests, TemplateDigests, page_fingerprint
    from gsgen.pages import Page, Pager

    class Templates(TemplateDigests):
        def __missing__(self, name: str) -> str:
            return name

    urls = tuple(f"/gzdt/index_{n}.html" for n in range(1, SHARED_FROM + 5))

    def fingerprints(*pagers: Pager) -> list[str]:
        items, templates = ItemDigests(), Templates(None)  # one build's memos
        pages = [Page(f"p{n}.html", "column.html", {"pager": pager}) for n, pager in enumerate(pagers)]
        return [page_fingerprint(page, "site", items, templates) for page in pages]

    shared = fingerprints(Pager(1, len(urls), urls), Pager(1, len(urls), urls))
    assert shared[0] != shared[1]  # two pages (their outputs differ)
    assert fingerprints(Pager(1, len(urls), tuple(urls)), Pager(1, len(urls), tuple(list(urls)))) == shared
    changed = (*urls[:-1], "/gzdt/index_x.html")
    assert fingerprints(Pager(1, len(urls), urls), Pager(1, len(urls), changed))[1] != shared[1]
    assert fingerprints(Pager(1, len(urls), changed), Pager(1, len(urls), urls)) == [
        fingerprints(Pager(1, len(urls), changed))[0],
        shared[1],
    ]
