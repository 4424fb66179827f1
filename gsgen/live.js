/* gsgen serve only: reload when a rebuild finishes; show the build's errors over the page. */
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
  function check() {
    fetch("/__gsgen/status", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (status) {
      if (version !== null && String(status.version) !== String(version) && status.ok) { location.reload(); return; }
      version = String(status.version);
      overlay(status);
    });
  }
  check();
  var events = new EventSource("/__gsgen/events");
  events.onmessage = function (event) {
    if (String(event.data) !== String(version)) { check(); }
  };
})();
