/* gsgen default theme script: small, no dependencies; every page still works without it. */
(function () {
  "use strict";

  // Wide tables in article bodies scroll sideways on phones instead of widening the page.
  var tables = document.querySelectorAll(".body > table");
  for (var i = 0; i < tables.length; i++) {
    var wrap = document.createElement("div");
    wrap.className = "table-wrap";
    tables[i].parentNode.insertBefore(wrap, tables[i]);
    wrap.appendChild(tables[i]);
  }

  // 转载分享: copy the page's address, print the page.
  document.addEventListener("click", function (event) {
    var copy = event.target.closest("[data-copy-link]");
    if (copy) {
      var url = copy.getAttribute("data-copy-link");
      var status = copy.parentNode.querySelector(".share-status");
      var done = function (ok) { if (status) { status.textContent = ok ? "链接已复制" : "请手动复制上方网址"; } };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
      } else {
        done(false);
      }
      return;
    }
    if (event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // Leaving prompt (EXT-LINK): links to non-government sites carry data-external; ask before leaving.
  var dialog = null;
  function leavingDialog() {
    if (dialog) { return dialog; }
    dialog = document.createElement("dialog");
    dialog.className = "leave-dialog";
    dialog.setAttribute("aria-labelledby", "leave-title");
    dialog.setAttribute("aria-describedby", "leave-text");
    dialog.innerHTML = '<h2 id="leave-title">您即将离开本站</h2>' +
      '<p id="leave-text">您访问的链接将离开政府网站，前往：<strong data-leave-host></strong>。' +
      "该网站的内容由其自行负责。</p>" +
      '<p class="leave-actions"><a class="button" data-leave-go href="#">继续访问</a> ' +
      '<button type="button" class="button button-plain" data-leave-cancel>取消</button></p>';
    document.body.appendChild(dialog);
    dialog.querySelector("[data-leave-cancel]").addEventListener("click", function () { dialog.close(); });
    dialog.querySelector("[data-leave-go]").addEventListener("click", function () { dialog.close(); });
    return dialog;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-external]");
    if (!link || typeof HTMLDialogElement === "undefined") { return; }
    event.preventDefault();
    var box = leavingDialog();
    box.querySelector("[data-leave-host]").textContent = link.hostname || link.href;
    var go = box.querySelector("[data-leave-go]");
    go.href = link.href;
    go.target = link.target || "_self";
    box.showModal();
    go.focus();
  });
})();

/* 长辈模式 (larger text, higher contrast, wider lines) and the phone menu. The elder class is set
   before the page paints by a one-line script in <head>; this part wires the buttons. */
(function () {
  "use strict";
  var root = document.documentElement;
  var elder = document.querySelector("[data-elder]");
  function showElder() {
    var on = root.classList.contains("elder");
    elder.setAttribute("aria-pressed", on ? "true" : "false");
    elder.textContent = on ? "退出长辈模式" : "长辈模式";
  }
  if (elder) {
    showElder();
    elder.addEventListener("click", function () {
      root.classList.toggle("elder");
      try { localStorage.setItem("gsgen-elder", root.classList.contains("elder") ? "1" : "0"); } catch (e) { /* private mode */ }
      showElder();
    });
  }
  var toggle = document.querySelector("[data-nav-toggle]");
  function showNav(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    root.classList.toggle("nav-open", open);
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      showNav(toggle.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu and returns to its button, as a disclosure does.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && root.classList.contains("nav-open")) {
        showNav(false);
        toggle.focus();
      }
    });
  }

  // A printed page holds everything: folded parts (a guide's legal basis) open before printing.
  window.addEventListener("beforeprint", function () {
    var folded = document.querySelectorAll("details:not([open])");
    for (var i = 0; i < folded.length; i++) { folded[i].open = true; }
  });
})();
