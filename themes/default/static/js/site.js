/* gsgen default theme script: small, no dependencies, and the page works without it. */
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
})();
