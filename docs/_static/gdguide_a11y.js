/* Boxes that scroll (sideways, or down: long output) take the keyboard focus (docs/_ext/gdguide_a11y.py). */
(function () {
  "use strict";
  var SELECTOR = "div.highlight pre, .katex-display, .table-wrapper, .sphx-glr-script-out pre";
  var MARK = "data-gdguide-scrolls";

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      var style = getComputedStyle(box);
      var scrolling = function (overflow) { return overflow === "auto" || overflow === "scroll"; };
      var scrolls = (scrolling(style.overflowX) && box.scrollWidth > box.clientWidth + 1) ||
        (scrolling(style.overflowY) && box.scrollHeight > box.clientHeight + 1);
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute(MARK, "");
      } else if (!scrolls && box.hasAttribute(MARK)) {
        box.removeAttribute("tabindex");
        box.removeAttribute(MARK);
      }
    });
  }

  var pending = null;
  function later() {
    if (pending !== null) cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () { pending = null; update(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
  window.addEventListener("load", update);
  window.addEventListener("resize", later);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(update);
})();
