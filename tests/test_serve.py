"""`gsgen serve` against a fixture site: saves are served, new items appear, errors show an overlay
while the last good site stays, and an open Chromium page reloads by itself. Plus `gsgen new`."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, CHROMIUM_ARGS, require_chromium
from tests.conftest import NOW, REPO, gsgen
from tests.sites import item, minimal_site, write_site

NEWS = "content/gzdt/2025-01-06-e.md"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8")


def wait_for(predicate, timeout: float = 15.0) -> float:
    """Seconds until `predicate()` holds; fails after `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if predicate():
            return time.perf_counter() - started
        time.sleep(0.05)
    pytest.fail(f"still not true after {timeout} s")


@pytest.fixture
def served(tmp_path):
    site = write_site(tmp_path / "site", minimal_site())
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gsgen", "serve", str(site), "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: "SiteName" in _quietly(url + "/index.html"), timeout=60)
        yield site, url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _quietly(url: str) -> str:
    try:
        return fetch(url)
    except OSError:
        return ""


def save(path: Path, text: str) -> None:
    path.write_text(text, "utf-8")


def test_a_saved_change_is_served(served):
    site, url, _ = served
    page = url + "/gzdt/2025-01-06-e.html"
    assert "新年第一次工作会议召开" in fetch(page)
    save(site / NEWS, item("新年第一次工作会议圆满结束", "2025-01-06 10:00"))
    seconds = wait_for(lambda: "新年第一次工作会议圆满结束" in fetch(page))
    print(f"save → served: {seconds:.2f} s")


def test_a_save_renders_again_only_the_pages_it_affects(served):
    site, url, _ = served
    save(site / NEWS, item("只改这一条", "2025-01-06 10:00"))
    wait_for(lambda: "只改这一条" in fetch(url + "/gzdt/2025-01-06-e.html"))
    rendered = set(json.loads(fetch(url + "/__gsgen/status"))["rendered"])
    # The item, its column's page and the homepage that lists it; not the other 30-odd pages.
    assert rendered == {"gzdt/2025-01-06-e.html", "gzdt/index.html", "index.html"}


def test_a_new_item_appears_in_its_column_page(served):
    site, url, _ = served
    save(site / "content/gzdt/2025-01-08-new.md", item("新增的一条工作动态", "2025-01-08 09:00"))
    wait_for(lambda: "新增的一条工作动态" in fetch(url + "/gzdt/index.html"))
    assert "新增的一条工作动态" in fetch(url + "/gzdt/2025-01-08-new.html")


def test_an_error_keeps_the_last_good_site_and_is_reported(served):
    site, url, _ = served
    save(site / NEWS, item("改坏了的日期", "2025-02-30 10:00"))
    wait_for(lambda: '"ok": false' in fetch(url + "/__gsgen/status"))
    status = fetch(url + "/__gsgen/status")
    assert "ART-DATE" in status and "content/gzdt/2025-01-06-e.md" in status
    assert "新年第一次工作会议召开" in fetch(url + "/gzdt/2025-01-06-e.html")  # the last good page
    save(site / NEWS, item("日期改好了", "2025-01-06 10:00"))
    wait_for(lambda: '"ok": true' in fetch(url + "/__gsgen/status"))
    assert "日期改好了" in fetch(url + "/gzdt/2025-01-06-e.html")


def test_the_browser_reloads_by_itself_and_shows_the_overlay(served):
    require_chromium()
    from playwright.sync_api import sync_playwright

    site, url, _ = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(url + "/gzdt/2025-01-06-e.html")
        page.evaluate("window.__before_save = true")
        save(site / NEWS, item("浏览器自动刷新", "2025-01-06 10:00"))
        page.wait_for_function("() => document.querySelector('h1').textContent === '浏览器自动刷新'", timeout=15000)
        assert page.evaluate("window.__before_save === undefined")  # a real reload, not a patch
        save(site / NEWS, item("坏日期", "2025-02-30 10:00"))
        overlay = page.locator("#gsgen-overlay")
        overlay.wait_for(timeout=15000)
        assert "ART-DATE" in overlay.inner_text() and "2025-01-06-e.md" in overlay.inner_text()
        assert page.locator("article h1").inner_text() == "浏览器自动刷新"  # the last good page underneath
        save(site / NEWS, item("修好了", "2025-01-06 10:00"))
        page.wait_for_function("() => document.querySelector('h1').textContent === '修好了'", timeout=15000)
        assert page.locator("#gsgen-overlay").count() == 0
        browser.close()


def test_the_reload_script_is_never_in_a_build(tmp_path):
    out = tmp_path / "out"
    assert gsgen("build", write_site(tmp_path / "s", minimal_site()), "--now", NOW, "-o", out).code == 0
    assert not [p for p in out.rglob("*.html") if "__gsgen" in p.read_text("utf-8")]


def test_a_port_in_use_gives_a_clear_message(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        run = gsgen("serve", site, "--port", str(port))
    assert run.code == 2 and f"--port {port + 1}" in run.err and "Traceback" not in run.text


def test_new_item_fills_in_the_date_source_slug_and_type_fields(tmp_path):
    files = minimal_site()
    files["content/zcwj/_column.yaml"] += "source: 测试县人民政府办公室\n"
    site = write_site(tmp_path / "s", files)
    run = gsgen("new", "item", "zcwj", "关于做好森林防火工作的通知", "--dir", site)
    assert run.code == 0, run.text
    created = next((site / "content/zcwj").glob("*-gyzhslfhgzdtz.md"))
    text = created.read_text("utf-8")
    assert re.search(r"^date: \d{4}-\d{2}-\d{2} \d{2}:\d{2}$", text, re.M)
    assert "source: 测试县人民政府办公室" in text and "status: 有效" in text and "doc_number:" in text
    assert created.name[:10] == re.search(r"^date: (\d{4}-\d{2}-\d{2})", text, re.M).group(1)
    short = gsgen("new", "item", "gzdt", "春耕生产", "--dir", site)
    assert short.code == 0 and next((site / "content/gzdt").glob("*-chungengshengchan.md"))


def test_new_item_in_an_unknown_column_says_which_exist(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())
    run = gsgen("new", "item", "nope", "标题", "--dir", site)
    assert run.code == 1 and "gzdt" in run.err and "Traceback" not in run.text


def test_new_site_builds_strictly(tmp_path):
    assert gsgen("new", "site", tmp_path / "fresh").code == 0
    run = gsgen("build", tmp_path / "fresh", "--strict", "-o", tmp_path / "out")
    assert run.code == 0, run.text
