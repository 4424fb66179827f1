"""`gsgen serve` updates its preview in place, file by file, and indexes for search after the pages
are live: after every kind of save, once the search index has caught up, the preview must be exactly
the output of a clean build of the same files (every file, its bytes, nothing more)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import NOW, REPO, gsgen
from tests.sites import item, minimal_site, write_site
from tests.test_serve import NEWS, fetch, start_serve, status, wait_for


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def _saves(site: Path) -> list[tuple[str, object]]:
    """Each kind of save an editor or a webmaster makes, in turn."""
    theme = site / "themes" / "default"
    return [
        ("an item's text", lambda: (site / NEWS).write_text(item("改过标题的一条", "2025-01-06 10:00"), "utf-8")),
        (
            "a new item",
            lambda: (site / "content/gzdt/2025-01-08-x.md").write_text(item("新增的一条", "2025-01-08 09:00"), "utf-8"),
        ),
        ("an item's date, moving it in its lists", lambda: _edit(site / NEWS, "2025-01-06 10:00", "2024-02-01 08:00")),
        ("a deleted item", lambda: (site / "content/gzdt/2025-01-08-x.md").unlink()),
        ("a picture and the item showing it", lambda: _picture(site)),
        (
            "a template",
            lambda: _edit(theme / "templates/item.html", "{% block main %}", "{% block main %}<!-- 预览 -->"),
        ),
        ("a stylesheet", lambda: _edit(theme / "static/css/site.css", "}", "}\n/* 预览 */")),
        ("a template added, overriding gsgen's own", lambda: _override(theme, SHARE)),
        ("config.yaml", lambda: _edit(site / "config.yaml", "测试县人民路1号", "测试县人民路9号")),
    ]


SHARE = "templates/partials/share.html"  # not in the site's theme at first: gsgen's own is used


def _override(theme: Path, name: str) -> None:
    (theme / name).write_text(
        (REPO / "themes/default" / name).read_text("utf-8").replace("</button>", "</button><!-- 本站模板 -->", 1)
    )


def _picture(site: Path) -> None:
    shutil.copy(REPO / "themes/default/static/img/favicon.svg", site / "content/gzdt/tu.svg")
    (site / NEWS).write_text(item("有图的一条", "2025-01-06 10:00", body="正文。\n\n![会场](tu.svg)"), "utf-8")


def test_after_each_kind_of_save_the_preview_is_the_clean_build_of_the_same_files(tmp_path):
    site = write_site(tmp_path / "site", minimal_site())
    shutil.copytree(REPO / "themes" / "default", site / "themes" / "default")
    (site / "themes/default" / SHARE).unlink()
    proc, url = start_serve(site, "--now", NOW)
    try:
        [preview] = (site / ".gsgen-cache").glob("serve-*/public")
        for n, (kind, change) in enumerate(_saves(site)):
            before = status(url)["version"]
            change()

            def caught_up(before: int = before) -> bool:  # this save's build is live, and its search index
                now = status(url)
                return now["version"] > before and now["ok"] and not now["searching"]

            wait_for(caught_up, timeout=60)
            clean = tmp_path / f"clean-{n}"
            run = gsgen("build", site, "--now", NOW, "--no-cache", "-o", clean)
            assert run.code == 0, run.text
            shown, expected = _files(preview), _files(clean)
            assert sorted(shown) == sorted(expected), f"after {kind}: files differ"
            differ = [rel for rel in expected if shown[rel] != expected[rel]]
            assert differ == [], f"after {kind}: these files differ from a clean build: {differ}"
        page = fetch(url + "/gzdt/2025-01-06-e.html")  # and it is what is served
        assert "测试县人民路9号" in page and "本站模板" in page
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_a_page_kept_from_the_last_build_has_its_links_checked_against_this_builds_files(tmp_path):
    """gsgen serve keeps unchanged pages in memory, each with the addresses its links lead to
    (rules/links.py `page_targets`): a page not rendered again must still be found linking to a
    file that this build no longer makes, and found no longer once the file is back."""
    from gsgen.build import BuildOptions, build
    from gsgen.cache import BuildCache
    from gsgen.dates import parse_datetime
    from gsgen.output import Preview

    site = write_site(tmp_path / "site", minimal_site())
    linking, target = site / "content/gzdt/2024-02-01-a.md", site / "content/gzdt/2024-03-01-b.md"
    kept = target.read_text("utf-8")
    body = '正文。\n\n<p><a href="/gzdt/2024-03-01-b.html">二月的会议</a></p>'
    linking.write_text(item("一月工作会议召开", "2024-02-01 08:00", body=body), "utf-8")
    cache, out = BuildCache.open(site / ".gsgen-cache"), tmp_path / "preview"
    preview = Preview(out)

    def broken_links() -> tuple[list[str], list[str]]:
        result = build(BuildOptions(site, out, now=parse_datetime(NOW)), cache=cache, preview=preview)
        found = [d.format() for d in result.report.sorted() if d.rule == "LINKS"]
        return found, result.rendered_pages

    assert broken_links()[0] == []
    target.unlink()
    found, rendered = broken_links()
    assert "gzdt/2024-02-01-a.html" not in rendered  # kept from the build before, not rendered again
    assert len(found) == 1 and "/gzdt/2024-03-01-b.html" in found[0], found
    assert found[0].startswith("content/gzdt/2024-02-01-a.md:"), found  # the editor's file
    target.write_text(kept, "utf-8")
    assert broken_links()[0] == []
