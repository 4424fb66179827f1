/* gsgen serve only: reload when a rebuild finishes; show the build's errors over the page, and a
   note while the search index follows the pages. */
(function () {
  "use strict";
  var me = document.currentScript;
  var version = me ? me.getAttribute("data-version") : null;
  function overlay(status) {
    var old = document.getElementById("gsgen-overlay");
    if (old) { old.remove(); }
    if (status.ok) { return; }
    var box = document.createElement("div");
    box.id = "gsgen-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.94);" +
      "color:#fff;font:16px/1.7 system-ui,sans-serif;padding:24px";
    var title = document.createElement("h2");
    title.textContent = "gsgen：内容有错误，网站未更新（下面仍是上一次成功生成的页面）";
    box.appendChild(title);
    status.diagnostics.filter(function (d) { return d.severity === "error"; }).forEach(function (d) {
      var p = document.createElement("p");
      p.style.cssText = "border-left:4px solid #ff6b6b;padding-left:12px;margin:12px 0";
      p.textContent = d.file + (d.line ? ":" + d.line : "") + "  [" + d.rule + "]  " + d.message +
        (d.source ? "（依据：" + d.source + "）" : "");
      box.appendChild(p);
    });
    var close = document.createElement("button");
    close.textContent = "暂时关闭";
    close.onclick = function () { box.remove(); };
    box.appendChild(close);
    document.body.appendChild(box);
  }
  function searchNote(searching) {
    var old = document.getElementById("gsgen-search-note");
    if (old) { old.remove(); }
    if (!searching) { return; }
    var note = document.createElement("div");
    note.id = "gsgen-search-note";
    note.setAttribute("role", "status");
    note.style.cssText = "position:fixed;left:12px;bottom:12px;z-index:99998;background:#333;color:#fff;" +
      "font:14px/1.5 system-ui,sans-serif;padding:6px 12px;border-radius:4px";
    note.textContent = "gsgen：页面已更新，站内搜索索引正在更新，完成前搜到的是上一版内容";
    document.body.appendChild(note);
  }
  function check() {
    fetch("/__gsgen/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (status) {
      if (version !== null && String(status.version) !== String(version) && status.ok) { location.reload(); return; }
      version = String(status.version);
      overlay(status);
      searchNote(status.ok && status.searching);
    });
  }
  check();
  var seen = String(version);
  var events = new EventSource("/__gsgen/events");
  events.onmessage = function (event) {  // "12", or "12s" while the search index follows build 12
    if (String(event.data) !== seen) { check(); }
    seen = String(event.data);
  };
})();
