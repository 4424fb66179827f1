"""`gsgen serve` against a fixture site: saves are served, new items appear, errors show an overlay
while the last good site stays, and an open Chromium page reloads by itself. (`gsgen new`: test_scaffold.py.)"""

from __future__ import annotations

import json
import os
import shutil
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


def status(url: str) -> dict:
    return json.loads(fetch(url + "/__gsgen/status"))


def test_a_save_renders_again_only_the_pages_it_affects(tmp_path):
    # Its own copy of the default theme: a template or stylesheet edited in this checkout while the
    # test runs would (rightly) render again every page that uses it.
    site = write_site(tmp_path / "site", minimal_site())
    shutil.copytree(REPO / "themes" / "default", site / "themes" / "default")
    proc, url = start_serve(site)
    try:
        before = status(url)["version"]
        save(site / NEWS, item("只改这一条", "2025-01-06 10:00"))
        # The new page is served the moment the output is swapped, a little before the status says so:
        # wait for the status of the rebuild, not only for the page, and read the version, `ok` and
        # the pages from that one answer, not from answers that may be about different builds.
        answers: list[dict] = []

        def rebuilt() -> bool:
            answers.append(status(url))
            return answers[-1]["version"] > before and answers[-1]["ok"]

        wait_for(rebuilt)
        rendered = set(answers[-1]["rendered"])
        assert "只改这一条" in fetch(url + "/gzdt/2025-01-06-e.html")
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    # The item, its column's page, the homepage and the 信息公开目录 (whole, and by column) that list
    # it; not the other 40-odd pages.
    assert rendered == {
        "gzdt/2025-01-06-e.html",
        "gzdt/index.html",
        "index.html",
        "xxgkml/index.html",
        "xxgkml/lm/gzdt/index.html",
    }


def test_a_new_item_appears_in_its_column_page(served):
    site, url, _ = served
    before = status(url)["version"]
    save(site / "content/gzdt/2025-01-08-new.md", item("新增的一条工作动态", "2025-01-08 09:00"))

    # the build's status, not the column page: the preview's files are replaced one by one, and the
    # column page may be served a moment before the item's own page is written
    def built() -> bool:
        now = status(url)
        return now["version"] > before and now["ok"] and "新增的一条工作动态" in fetch(url + "/gzdt/index.html")

    wait_for(built)
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


# ---------------------------------------------------------------- a preview server is still a server


def status_for_host(url: str, host: str) -> int:
    """The HTTP status of the homepage asked for under another Host name (as DNS rebinding does)."""
    import http.client

    port = int(url.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/index.html", headers={"Host": host})
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_request_for_another_host_name_is_refused(served):
    _, url, _ = served
    port = url.rsplit(":", 1)[1]
    assert status_for_host(url, "evil.example.com") == 403
    assert status_for_host(url, f"evil.example.com:{port}") == 403
    assert status_for_host(url, f"localhost:{port}") == 200
    assert status_for_host(url, f"127.0.0.1:{port}") == 200


def test_many_reload_clients_at_once_are_all_served(served):
    """300 tabs reconnecting at the same moment (a listen backlog of 5 dropped a fifth of them)."""
    import threading

    _, url, _ = served
    start = threading.Barrier(300)
    answered: list[bool] = []

    def client() -> None:
        start.wait()
        answered.append('"version"' in _quietly(url + "/__gsgen/status"))

    threads = [threading.Thread(target=client) for _ in range(300)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert answered.count(True) == 300


def test_browsers_that_hang_up_leave_no_traceback(served):
    _, url, proc = served
    port = int(url.rsplit(":", 1)[1])
    for path in ("/__gsgen/events", "/index.html", "/gzdt/index.html") * 10:
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset
    assert "SiteName" in fetch(url + "/index.html")  # still serving
    proc.terminate()
    output = proc.communicate(timeout=10)[0]
    assert "Traceback" not in output and "Error" not in output, output


def test_an_idle_connection_is_closed(served):
    _, url, _ = served
    with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1]))) as s:
        s.settimeout(60)
        started = time.perf_counter()
        assert s.recv(1) == b""  # the server hung up: it did not wait for ever
        assert time.perf_counter() - started < 45


def start_serve(site: Path, *args: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "gsgen", "serve", str(site), "--port", str(port), *args]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_for(lambda: "SiteName" in _quietly(url + "/index.html"), timeout=60)
    return proc, url


def test_serving_every_address_warns(tmp_path):
    proc, _ = start_serve(write_site(tmp_path / "s", minimal_site()), "--host", "0.0.0.0")
    proc.terminate()
    assert "局域网" in proc.communicate(timeout=10)[0]


def test_serve_leaves_nothing_behind_when_stopped_or_started_after_a_kill(tmp_path):
    site = write_site(tmp_path / "s", minimal_site())

    def previews() -> list[Path]:
        return sorted((site / ".gsgen-cache").glob("serve-*"))

    proc, _ = start_serve(site)
    proc.terminate()  # SIGTERM
    proc.communicate(timeout=10)
    assert previews() == []
    proc, _ = start_serve(site)
    proc.kill()  # SIGKILL: nothing can clean up
    proc.wait()
    abandoned = previews()
    assert len(abandoned) == 1
    proc, _ = start_serve(site)
    try:
        assert abandoned[0] not in previews() and len(previews()) == 1
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
