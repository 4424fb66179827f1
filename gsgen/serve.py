"""`gsgen serve`: build, serve on loopback, rebuild on every save, reload the open pages.

One small module in the manner of MkDocs' livereload: a watchdog observer debounces bursts of saves;
each rebuild goes through the same atomic `build()`, so a save that breaks a rule leaves the last
good site in place while the browser shows what is wrong in an overlay. The reload script is added to
HTML as it is served, never written into a build.

A preview server is still a server: it answers only requests addressed to the name it listens on
(a web page elsewhere cannot reach it through DNS rebinding), drops idle connections, keeps a real
backlog for the reload connections of many open tabs, takes disconnecting browsers quietly, and
leaves nothing behind when stopped, or, if killed, when started again.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import http.server
import ipaddress
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from gsgen.build import BuildOptions, BuildResult, LaterSearch, build, held_notes
from gsgen.cache import CACHE_DIR, BuildCache
from gsgen.output import Preview

DEBOUNCE = 0.05  # seconds of quiet after the last event before rebuilding: one save is a burst of a few ms
WATCHED = ("content", "themes", "config.yaml")
LIVE_PATH = "/__gsgen/"
LIVE_SCRIPT = Path(__file__).with_name("live.js")
IDLE_TIMEOUT = 20  # seconds a connection may stay silent (the reload stream speaks every 15)
BACKLOG = 128
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
WORK_PREFIX = "serve-"
OWNER = ".owner"  # locked by the serve that owns a preview folder; an unlocked one was left behind


class PortInUse(Exception):
    pass


@dataclass
class State:
    """The last build, as the browser asks for it."""

    version: int = 0
    ok: bool = True
    diagnostics: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    rendered: list[str] = field(default_factory=list)  # the pages the last build rendered again
    searching: bool = False  # the search index still follows the last good build
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, result: BuildResult) -> None:
        with self.changed:
            self.version += 1
            self.ok = result.ok
            self.seconds = result.seconds
            self.rendered = sorted(result.rendered_pages)
            self.diagnostics = [d.as_dict() for d in result.report.sorted()]
            self.searching = self.searching or result.search_later is not None
            self.changed.notify_all()

    def indexed(self, waiting: bool) -> None:
        """The search index caught up with a build (`waiting`: a newer one is still to index)."""
        with self.changed:
            self.searching = waiting
            self.changed.notify_all()

    @property
    def event(self) -> str:
        """What the reload stream says: the build's version, and whether search still follows it."""
        return f"{self.version}{'s' if self.searching else ''}"

    def snapshot(self) -> dict:
        """The status of one build, read under the lock `update` holds: never a new version with the
        last build's `ok`, diagnostics or pages (a stale overlay, or a reload that should not be)."""
        with self.changed:
            return {
                "version": self.version,
                "ok": self.ok,
                "diagnostics": self.diagnostics,
                "rendered": self.rendered,
                "searching": self.searching,
            }


class _HttpServer(http.server.ThreadingHTTPServer):
    request_queue_size = BACKLOG
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that closes a tab mid-answer is not an error worth a traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class Server:
    def __init__(self, root: Path, host: str, port: int, poll: bool = False, now: datetime | None = None) -> None:
        self.root = root.resolve()
        self.now = now
        self.host = host
        cache = self.root / CACHE_DIR
        cache.mkdir(exist_ok=True)
        _remove_abandoned(cache)
        self.work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=cache))
        self.owner = os.open(self.work / OWNER, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self.owner, fcntl.LOCK_EX)  # held while this serve runs
        self.cache = BuildCache.open(cache)  # kept in memory between rebuilds
        self.output = self.work / "public"
        self.preview = Preview(self.output)  # updated in place, file by file, after each good build
        self.state = State()
        self.lock = threading.Lock()  # one build, or one search index going live, at a time
        self.waiting: LaterSearch | None = None  # the newest build's search index, not yet made
        self.indexer: threading.Thread | None = None
        self.waiting_lock = threading.Lock()
        self.closed = False
        self.timer: threading.Timer | None = None
        self.observer = PollingObserver(timeout=0.5) if poll else Observer()
        handler = functools.partial(_Handler, self)
        try:
            self.httpd = _HttpServer((host, port), handler)
        except OSError as exc:
            self._remove_work()
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"端口 {port} 已被占用：请用 --port {port + 1} 换一个端口，或先关闭占用它的程序"
                ) from None
            raise

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> BuildResult:
        with self.lock:
            result = build(BuildOptions(self.root, self.output, now=self.now), cache=self.cache, preview=self.preview)
            self.state.update(result)
        if result.search_later is not None:
            self._index_later(result.search_later)
        return result

    def _index_later(self, later: LaterSearch) -> None:
        """The pages are live; the search index follows in one background thread, which indexes only
        the newest build when saves come faster than a large site indexes."""
        with self.waiting_lock:
            self.waiting = later
            if self.indexer is None:
                self.indexer = threading.Thread(target=self._index, daemon=True)
                self.indexer.start()

    def _index(self) -> None:
        while True:
            with self.waiting_lock:
                later, self.waiting = self.waiting, None
                if later is None:
                    self.indexer = None
                    return
            try:
                later.make()
                with self.lock, self.waiting_lock:
                    if self.closed:
                        return
                    if self.waiting is None:  # else a newer build came: its own index replaces this one
                        later.publish()
                    self.state.indexed(self.waiting is not None)
            except Exception as exc:  # the pages are live; the preview's search stays as it was
                print(f"站内搜索索引未能更新（{exc}），预览中的搜索仍是上一版；保存任一文件会再试一次", flush=True)
                self.state.indexed(False)

    def schedule(self) -> None:
        """Rebuild once the saves have settled (editors' tools write several files in a burst)."""
        if self.timer is not None:
            self.timer.cancel()
        self.timer = threading.Timer(DEBOUNCE, self._rebuild_and_report)
        self.timer.daemon = True
        self.timer.start()

    def _rebuild_and_report(self) -> None:
        result = self.rebuild()
        errors = result.report.errors(False)
        if result.ok:
            print(
                f"已更新：{result.rendered} 个页面有改动，重新生成（共 {result.pages} 个），用时 {result.seconds:.2f} 秒",
                flush=True,
            )
            for note in held_notes(result):  # why a page saved just now is not in the preview
                print("  " + note, flush=True)
        else:
            print(f"有 {len(errors)} 个错误，浏览器中显示的仍是上一次成功生成的网站：", flush=True)
            for d in errors:
                print("  " + d.format(), flush=True)

    def watch(self) -> None:
        handler = _Changes(self)
        for name in WATCHED:
            path = self.root / name
            if path.is_dir():
                self.observer.schedule(handler, str(path), recursive=True)
        self.observer.schedule(handler, str(self.root), recursive=False)  # config.yaml, words.yaml
        self.observer.start()

    def serve_forever(self) -> None:
        self.watch()
        try:
            self.httpd.serve_forever()
        finally:
            self.close()

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.observer.is_alive():
            self.observer.stop()
            self.observer.join(timeout=5)
        self.httpd.server_close()
        with self.lock:  # not while a search index is going live
            self.closed = True
        self._remove_work()

    def _remove_work(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        os.close(self.owner)

    def host_allowed(self, header: str | None) -> bool:
        """Whether a request's Host names this server: a page on another site that resolves its own
        name to 127.0.0.1 (DNS rebinding) must not read the preview."""
        if not header:
            return True  # HTTP/1.0 clients; browsers always send Host
        name = header.rsplit(":", 1)[0] if not header.endswith("]") else header
        name = name.strip("[]").lower()
        if _listens_everywhere(self.host):
            return True  # the user chose to serve every name (--host 0.0.0.0)
        allowed = {self.host.lower().strip("[]")}
        if _is_loopback(self.host):
            allowed |= LOOPBACK_NAMES
        return name in allowed


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _listens_everywhere(host: str) -> bool:
    return host.strip("[]") in ("0.0.0.0", "::", "")


def _remove_abandoned(cache: Path) -> None:
    """Preview folders of serves that were killed (SIGKILL, a crash): nobody holds their lock."""
    for folder in cache.glob(f"{WORK_PREFIX}*"):
        try:
            fd = os.open(folder / OWNER, os.O_RDONLY)
        except OSError:  # no owner file: a folder of an older gsgen, or half made
            shutil.rmtree(folder, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # another serve of this site is running
        finally:
            os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)


class _Changes(FileSystemEventHandler):
    def __init__(self, server: Server) -> None:
        self.server = server

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = Path(str(event.src_path))
        try:
            rel = path.relative_to(self.server.root)
        except ValueError:
            return
        top = rel.parts[0] if rel.parts else ""
        watched = top in WATCHED or (len(rel.parts) == 1 and path.suffix in (".yaml", ".yml"))
        if watched and not any(part.startswith(".") for part in rel.parts):
            self.server.schedule()


class _Handler(http.server.SimpleHTTPRequestHandler):
    timeout = IDLE_TIMEOUT

    def __init__(self, server: Server, *args, **kwargs) -> None:
        self.site = server
        super().__init__(*args, directory=str(server.output), **kwargs)

    def log_message(self, *args: object) -> None:
        pass

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not self.site.host_allowed(self.headers.get("Host")):
            self.close_connection = True
            self._send(403, "text/plain; charset=utf-8", "gsgen serve: 请求的主机名与预览地址不符\n".encode())
            return False
        return True

    def do_GET(self) -> None:
        if self.path.startswith(LIVE_PATH):
            return self._live()
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if path.endswith(".html") and Path(path).is_file():
            return self._html(Path(path))
        if not Path(path).exists() and (self.site.output / "404.html").is_file():
            return self._html(self.site.output / "404.html", status=404)
        return super().do_GET()

    def _html(self, path: Path, status: int = 200) -> None:
        html = path.read_text("utf-8")
        tag = f'<script src="{LIVE_PATH}live.js" data-version="{self.site.state.version}"></script>'
        html = html.replace("</body>", tag + "</body>", 1) if "</body>" in html else html + tag
        self._send(status, "text/html; charset=utf-8", html.encode("utf-8"))

    def _live(self) -> None:
        name = self.path[len(LIVE_PATH) :].split("?", 1)[0]
        state = self.site.state
        if name == "live.js":
            self._send(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.read_bytes())
        elif name == "status":
            body = state.snapshot()
            self._send(200, "application/json; charset=utf-8", json.dumps(body, ensure_ascii=False).encode())
        elif name == "events":
            self._events()
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found")

    def _events(self) -> None:
        """Server-sent events: the build's version number and search state, each time they change."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.site.state
        seen = state.event
        try:
            self.wfile.write(f"data: {seen}\n\n".encode())
            self.wfile.flush()
            while True:
                with state.changed:
                    state.changed.wait_for(functools.partial(_moved_on, state, seen), timeout=15)
                if state.event == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = state.event
                    self.wfile.write(f"data: {seen}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def _moved_on(state: State, seen: str) -> bool:
    return state.event != seen


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the server the way Ctrl-C does, cleaning up


def serve(root: Path, host: str, port: int, poll: bool, now: datetime | None = None) -> int:
    try:
        server = Server(root, host, port, poll, now)
    except PortInUse as exc:
        print(str(exc), file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _stop)
    if not _is_loopback(host):
        print(
            f"注意：预览服务器监听 {host}，局域网内的其他电脑也能访问这个预览，包括未发布的内容。"
            "只在本机预览时请去掉 --host",
            file=sys.stderr,
            flush=True,
        )
    started = time.perf_counter()
    result = server.rebuild()
    state = "" if result.ok else f"，但有 {len(result.report.errors(False))} 个错误（见浏览器中的提示）"
    print(f"已生成网站（{time.perf_counter() - started:.1f} 秒）{state}", flush=True)
    for note in held_notes(result):
        print("  " + note, flush=True)
    print(f"预览地址：{server.url}  保存文件后页面自动刷新；按 Ctrl-C 停止", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\n已停止预览。", flush=True)
    return 0
