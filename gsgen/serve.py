"""`gsgen serve`: build, serve on loopback, rebuild on every save, reload the open pages.

One small module in the manner of MkDocs' livereload: a watchdog observer debounces bursts of saves;
each rebuild goes through the same atomic `build()`, so a save that breaks a rule leaves the last
good site in place while the browser shows what is wrong in an overlay. The reload script is added to
HTML as it is served, never written into a build.
"""

from __future__ import annotations

import errno
import functools
import http.server
import json
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from gsgen.build import BuildOptions, BuildResult, build
from gsgen.cache import CACHE_DIR, BuildCache

DEBOUNCE = 0.15  # seconds of quiet after the last save before rebuilding
WATCHED = ("content", "themes", "config.yaml")
LIVE_PATH = "/__gsgen/"
LIVE_SCRIPT = Path(__file__).with_name("live.js")


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
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, result: BuildResult) -> None:
        with self.changed:
            self.version += 1
            self.ok = result.ok
            self.seconds = result.seconds
            self.rendered = sorted(result.rendered_pages)
            self.diagnostics = [d.as_dict() for d in result.report.sorted()]
            self.changed.notify_all()


class Server:
    def __init__(self, root: Path, host: str, port: int, poll: bool = False) -> None:
        self.root = root.resolve()
        # Beside the build cache, so that pages taken from it are linked rather than copied.
        cache = self.root / CACHE_DIR
        cache.mkdir(exist_ok=True)
        self.work = Path(tempfile.mkdtemp(prefix="serve-", dir=cache))
        self.cache = BuildCache.open(cache)  # kept in memory between rebuilds
        self.output = self.work / "public"
        self.state = State()
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.observer = PollingObserver(timeout=0.5) if poll else Observer()
        handler = functools.partial(_Handler, self)
        try:
            self.httpd = http.server.ThreadingHTTPServer((host, port), handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"端口 {port} 已被占用：请用 --port {port + 1} 换一个端口，或先关闭占用它的程序"
                ) from None
            raise
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> BuildResult:
        with self.lock:
            result = build(BuildOptions(self.root, self.output), cache=self.cache)
            self.state.update(result)
        return result

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
        shutil.rmtree(self.work, ignore_errors=True)


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
    def __init__(self, server: Server, *args, **kwargs) -> None:
        self.site = server
        super().__init__(*args, directory=str(server.output), **kwargs)

    def log_message(self, *args: object) -> None:
        pass

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
            body = {
                "version": state.version,
                "ok": state.ok,
                "diagnostics": state.diagnostics,
                "rendered": state.rendered,
            }
            self._send(200, "application/json; charset=utf-8", json.dumps(body, ensure_ascii=False).encode())
        elif name == "events":
            self._events()
        else:
            self._send(404, "text/plain; charset=utf-8", b"not found")

    def _events(self) -> None:
        """Server-sent events: the build's version number, each time it changes."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        state = self.site.state
        seen = state.version
        try:
            self.wfile.write(f"data: {seen}\n\n".encode())
            self.wfile.flush()
            while True:
                with state.changed:
                    state.changed.wait_for(functools.partial(_moved_on, state, seen), timeout=15)
                if state.version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = state.version
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


def _moved_on(state: State, seen: int) -> bool:
    return state.version != seen


def serve(root: Path, host: str, port: int, poll: bool) -> int:
    try:
        server = Server(root, host, port, poll)
    except PortInUse as exc:
        print(str(exc), file=sys.stderr)
        return 2
    started = time.perf_counter()
    result = server.rebuild()
    state = "" if result.ok else f"，但有 {len(result.report.errors(False))} 个错误（见浏览器中的提示）"
    print(f"已生成网站（{time.perf_counter() - started:.1f} 秒）{state}", flush=True)
    print(f"预览地址：{server.url}  保存文件后页面自动刷新；按 Ctrl-C 停止", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\n已停止预览。", flush=True)
    return 0
