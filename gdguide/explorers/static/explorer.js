/* The shared runtime of gdguide's explorers (gdguide/explorers/_base.py embeds it in each one).
 * Written by hand because it is 60 lines: a framework would outweigh every explorer we ship.
 * define(kind, init) registers an explorer's code once per page; start(root) reads the JSON data
 * next to the script and calls init(root, ctx). */
(function () {
  "use strict";
  if (window.gdguideExplorer) return;
  var SVG = "http://www.w3.org/2000/svg";
  var kinds = {};
  function context(root) {
    var payload = JSON.parse(root.querySelector("script.gdx-data").textContent);
    var live = root.querySelector(".gdx-live");
    var frames = 0;
    return {
      uid: root.id, data: payload.data, strings: payload.strings, lang: payload.lang,
      /* an SVG element with attributes, appended to parent when one is given */
      svg: function (tag, attrs, parent) {
        var node = document.createElementNS(SVG, tag);
        for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
        if (parent) parent.appendChild(node);
        return node;
      },
      /* x with d digits after the point, as Python's f"{x:.{d}f}" writes it, except that a
       * value that rounds to zero has no minus sign (Python writes "-0.00") */
      fixed: function (x, d) {
        var text = x.toFixed(d);
        return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
      },
      /* a template of the catalog with its {placeholders} filled */
      format: function (key, values) {
        return payload.strings[key].replace(/\{(\w+)\}/g, function (_, name) {
          return String(values[name]);
        });
      },
      announce: function (text) { live.textContent = text; },
      /* every redraw ends here: tests and the benchmark wait for data-gdx-frame to change */
      rendered: function () {
        frames += 1;
        root.setAttribute("data-gdx-frame", String(frames));
        root.dispatchEvent(new CustomEvent("gdx-render", { detail: { frame: frames } }));
      }
    };
  }
  window.gdguideExplorer = {
    define: function (kind, init) { if (!kinds[kind]) kinds[kind] = init; },
    start: function (root) {
      if (root.getAttribute("data-gdx-ready")) return;
      /* A key an explorer handled (it called preventDefault) stays inside it: the page's own
       * shortcuts (Sphinx's navigation_with_keys turns the page on ArrowLeft / ArrowRight)
       * listen on the document and would act on the same press. */
      root.addEventListener("keydown", function (event) {
        if (event.defaultPrevented) event.stopPropagation();
      });
      kinds[root.getAttribute("data-explorer")](root, context(root));
      root.setAttribute("data-gdx-ready", "1");
    }
  };
})();
