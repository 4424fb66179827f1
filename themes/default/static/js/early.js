/* Before the page paints (a small script in <head>, so the page never flashes at the wrong size):
   长辈模式 as the reader left it, and the "js" class the stylesheet uses for what needs script. */
try { if (localStorage.getItem("gsgen-elder") === "1") { document.documentElement.classList.add("elder"); } } catch (e) { /* private mode */ }
document.documentElement.classList.add("js");
