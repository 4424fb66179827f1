"""Dates after now: an item dated later is held back until a build at or after its time (定时发布);
any other recorded moment after now (archived, reviewed, written, status_date, a message's times, a
report's filing date) is a FIELD error at its line, and never clears a health finding meanwhile."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import NOW, Run, gsgen_here, tree_digest
from tests.searchindex import Index
from tests.sites import edited, item, minimal_site, replace, write_site

HELD = "content/gzdt/2025-02-01-zhishu.md"
HELD_TITLE = "樱桃沟春季植树活动启动"
LATER = "2025-02-01 09:00"  # the held item's time: a build at this minute publishes it


PNG = bytes.fromhex(  # a 1×1 picture
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def _later_build_files() -> dict[str, str | bytes]:
    return edited(
        minimal_site(),
        {
            HELD: item(HELD_TITLE, LATER, body="樱桃沟将组织春季植树。\n\n![植树现场](zhishu.png)"),
            "content/gzdt/zhishu.png": PNG,  # published with its item, not before
        },
    )


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Run]:
    """The minimal site with one item dated after NOW, built at NOW with --strict."""
    root = tmp_path_factory.mktemp("scheduled")
    site = write_site(root / "site", _later_build_files())
    out = root / "now"
    return site, out, gsgen_here("build", site, "--strict", "--now", NOW, "-o", out)


def _texts(out: Path) -> dict[str, str]:
    """Every text file of the output (the search index is read with its own reader)."""
    return {
        p.relative_to(out).as_posix(): p.read_text("utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".csv", ".json", ".txt") and "search" not in p.parts
    }


def test_an_item_dated_after_now_is_not_published_anywhere(scheduled: tuple[Path, Path, Run]) -> None:
    _, out, run = scheduled
    assert run.code == 0, run.text  # scheduling is no problem: --strict passes
    assert not (out / "gzdt/2025-02-01-zhishu.html").exists()
    assert not (out / "gzdt/zhishu.png").exists()  # and, under --strict, no 「没有页面用到这个文件」 warning
    assert (out / "gzdt/2025-01-06-e.html").exists()  # the items before now are published
    leaks = [rel for rel, text in _texts(out).items() if HELD_TITLE in text or "2025-02-01-zhishu" in text]
    assert leaks == []  # no column list, homepage, rss.xml, sitemap.xml, 信息公开目录, 年度报表, data file
    assert {"index.html", "gzdt/index.html", "gzdt/rss.xml", "sitemap.xml"} <= set(_texts(out))
    assert Index(out / "search").records("樱桃沟") == set()


def test_the_build_names_the_held_item_and_its_time(scheduled: tuple[Path, Path, Run]) -> None:
    _, _, run = scheduled
    lines = [line for line in run.out.splitlines() if line.startswith(HELD)]
    assert lines == [f"{HELD}: 定时发布「{HELD_TITLE}」：{LATER} 发布，本次构建不发布（到时再构建一次即发布）"]
    assert "warn[" not in run.out and "0 个警告" in run.out


def test_a_build_at_its_time_publishes_it_and_a_warm_build_equals_a_clean_one(
    scheduled: tuple[Path, Path, Run], tmp_path: Path
) -> None:
    site, _, _ = scheduled
    warm, clean = tmp_path / "warm", tmp_path / "clean"
    assert gsgen_here("build", site, "--now", "2025-02-01 08:59", "-o", tmp_path / "before").code == 0
    assert not (tmp_path / "before/gzdt/2025-02-01-zhishu.html").exists()  # a minute early: still held
    run = gsgen_here("build", site, "--now", LATER, "-o", warm)
    assert run.code == 0, run.text
    assert "定时发布" not in run.out
    assert gsgen_here("build", site, "--now", LATER, "--no-cache", "-o", clean).code == 0
    assert tree_digest(warm) == tree_digest(clean)
    texts = _texts(warm)
    assert (warm / "gzdt/2025-02-01-zhishu.html").exists()
    assert (warm / "gzdt/zhishu.png").read_bytes() == PNG
    for rel in ("index.html", "gzdt/index.html", "gzdt/rss.xml", "sitemap.xml"):
        assert "2025-02-01-zhishu" in texts[rel], rel
    assert Index(warm / "search").records("樱桃沟")


def test_gsgen_report_leaves_out_a_held_item(scheduled: tuple[Path, Path, Run]) -> None:
    site, _, _ = scheduled
    before = gsgen_here("report", site, "--year", "2025", "--now", NOW, "--format", "json")
    after = gsgen_here("report", site, "--year", "2025", "--now", LATER, "--format", "json")
    assert before.code == after.code == 0, before.text
    assert '"gzdt"' in before.out
    assert before.out != after.out  # the item counts once it is published, not before


# ---------------------------------------------------------------- other dates after now

FUTURE = "2025-03-01 10:00"
EDITS = {
    "content/gzdt/_column.yaml": lambda text: text + f"archived: {FUTURE}\n",
    "content/gzdt/2024-05-01-d.md": replace("archived: 2025-01-01 10:00", f"archived: {FUTURE}"),
    "content/zcwj/2024-001.md": replace("status_date: 2025-01-01 00:00", f"status_date: {FUTURE}"),
    "content/zcwj/2025-001.md": replace("major: true", f"major: true\nwritten: {FUTURE}"),
    "content/ldxx/leaders.yaml": lambda text: text + "reviewed: 2099-01-01\n",
    "content/hdjl/messages.yaml": replace("replied: 2024-06-03 16:00", f"replied: {FUTURE}"),
    "config.yaml": lambda text: (
        text + "work_reports:\n  2024:\n    filing: {unit: 测试县人民政府办公室, date: 2025-02-01}\n"
    ),
    # a held item may record what happens before its own time, not after it
    HELD: item(HELD_TITLE, LATER, written="2025-01-20", archived="2025-02-02 10:00"),
    # links to a held item from published pages: broken until its time
    "content/gzdt/2025-01-08-link.md": item(
        "链接到定时发布的条目", "2025-01-08 09:00", body="见[植树](2025-02-01-zhishu.md)。"
    ),
    "content/jdhy/2025-01-09-jd.md": item("未来政策的解读", "2025-01-09 09:00", interprets="zcwj/2025-009"),
    # a held item's own texts are checked now, not in the build meant to publish it
    "content/gzdt/2025-03-02-gs.md": item(
        "定时发布的公示", "2025-03-02 09:00", body="联系人身份证号 11010519491231002X。"
    ),
    "content/jdhy/2025-02-11-jd.md": item("定时发布的政策的解读", "2025-02-11 09:00", interprets="zcwj/2025-009"),
    "content/zcwj/2025-009.md": item(
        "定时发布的政策", "2025-02-10 09:00", doc_number="测府发〔2025〕9号", issuer="测试县人民政府"
    ),
}


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str | bytes], Run]:
    root = tmp_path_factory.mktemp("future")
    files = edited(minimal_site(), EDITS)
    site = write_site(root / "site", files)
    return files, gsgen_here("build", site, "--now", NOW, "-o", root / "out")


def _line(files: dict[str, str | bytes], rel: str, text: str) -> str:
    source = files[rel]
    assert isinstance(source, str)
    number = next(n for n, line in enumerate(source.splitlines(), 1) if text in line)
    return f"{rel}:{number}: error["


CASES = {
    "a column's archived": (
        "content/gzdt/_column.yaml",
        "archived:",
        "FIELD",
        f"字段 archived 「{FUTURE}」晚于当前时间",
    ),
    "an item's archived": ("content/gzdt/2024-05-01-d.md", "archived:", "FIELD", "到时再归档，请到那时再写 archived"),
    "status_date": ("content/zcwj/2024-001.md", "status_date:", "FIELD", "在那之前文件仍然有效"),
    "written": ("content/zcwj/2025-001.md", "written:", "FIELD", f"字段 written 「{FUTURE}」晚于当前时间 {NOW}"),
    "reviewed": ("content/ldxx/leaders.yaml", "reviewed:", "FIELD", "「2099-01-01 00:00」晚于当前时间"),
    "a message's replied": ("content/hdjl/messages.yaml", "replied:", "FIELD", "请填写实际答复的时间"),
    "a report's filing date": ("config.yaml", "filing:", "FIELD", "2024 年报表的填报日期 「2025-02-01 00:00」"),
    "a held item's archived after its time": (HELD, "archived:", "FIELD", f"晚于本条目定时发布的时间 {LATER}"),
    "a body link to a held item": ("content/gzdt/2025-01-08-link.md", "植树", "LINKS", f"定时于 {LATER} 发布"),
    "personal data in a held item": ("content/gzdt/2025-03-02-gs.md", "身份证号", "PRIVACY", "110****"),
    "interprets a held policy": ("content/jdhy/2025-01-09-jd.md", "interprets:", "POLICY-INTERP", "定时于 2025-02-10"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_recorded_date_after_now_is_an_error_at_its_line(
    refused: tuple[dict[str, str | bytes], Run], case: str
) -> None:
    files, run = refused
    rel, written, rule, words = CASES[case]
    assert run.code == 1
    where = _line(files, rel, written) + rule + "]"
    assert any(line.startswith(where) and words in line for line in run.out.splitlines()), run.out


def test_a_held_item_is_read_as_of_its_own_time(refused: tuple[dict[str, str | bytes], Run]) -> None:
    """Its `written` (before its time) is no error, its `archived` (after it) is the only one; a held
    解读 may name a policy held until before it."""
    files, run = refused
    held = [line for line in run.out.splitlines() if line.startswith(f"{HELD}:") and "error[" in line]
    assert held == [line for line in held if line.startswith(_line(files, HELD, "archived:"))] != [], run.out
    assert not any(
        line.startswith("content/jdhy/2025-02-11-jd.md:") and "error[" in line for line in run.out.splitlines()
    ), run.out
    assert "Traceback" not in run.text


# ---------------------------------------------------------------- health is not blinded

HEALTH_NOW = "2025-08-01 12:00"
HEALTH_EDITS = {
    "content/gzdt/2027-01-01-future.md": item("明年的工作动态", "2027-01-01 09:00"),  # gzdt: 2025-01-06 is its newest
    "content/zcwj/_column.yaml": lambda text: text + "archived: 2099-01-01\n",  # newest policy: 2025-01-01
    "content/ldxx/leaders.yaml": lambda text: text + "reviewed: 2099-01-01\n",  # people: 2024-06-03
    "content/hdjl/messages.yaml": replace(
        "replied: 2024-06-03 16:00", "replied: 2099-01-01 16:00"
    ),  # received 2024-06-01: 14 months unanswered
}


@pytest.fixture(scope="module")
def health(tmp_path_factory: pytest.TempPathFactory) -> Run:
    site = write_site(tmp_path_factory.mktemp("health") / "site", edited(minimal_site(), HEALTH_EDITS))
    return gsgen_here("health", site, "--now", HEALTH_NOW)


@pytest.mark.parametrize(
    ("what", "finding"),
    [
        ("an item dated later does not freshen a stale column", "content/gzdt/_column.yaml:1: warn[COL-STALE]"),
        ("an archive to come does not exempt a column", "content/zcwj/_column.yaml:1: warn[COL-STALE]"),
        ("reviewed: 2099-01-01 is no yearly review", "content/ldxx/_column.yaml:1: warn[COL-STALE]"),
        ("a reply to come leaves a message unanswered", "content/hdjl/messages.yaml:5: error[INTERACT]"),
    ],
)
def test_a_future_date_clears_no_health_finding(health: Run, what: str, finding: str) -> None:
    assert health.code == 1
    assert any(line.startswith(finding) for line in health.out.splitlines()), (what, health.text)
