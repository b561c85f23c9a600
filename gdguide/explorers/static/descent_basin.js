/* "Where does descent go?" (gdguide/explorers/descent_basin.py): the reader picks a start on
 * the map of h(x, y) = sin(x² + y²) by clicking, or with the arrow keys and Enter; the path of
 * gradient descent from there is drawn and its end named. The run is the loop of
 * gdguide.descent.gradient_descent with gdguide.functions.h_gradient, operation for operation:
 * grad = (cos(x² + y²)·2·x, cos(x² + y²)·2·y), w ← w − η·grad. */
gdguideExplorer.define("descent_basin", function (root, ctx) {
  "use strict";
  var D = ctx.data, S = ctx.strings, uid = ctx.uid, E = D.extent;
  var map = document.getElementById(uid + "-map");
  var svg = document.getElementById(uid + "-svg");
  var readout = document.getElementById(uid + "-readout");
  var X0 = 40, Y0 = 8, SIZE = 300, U = SIZE / (2 * E);
  function px(x) { return X0 + (x + E) * U; }
  function py(y) { return Y0 + (E - y) * U; }
  function num(x, d) { var t = ctx.fixed(x, d); return t.charAt(0) === "-" ? "\u2212" + t.slice(1) : t; }
  function plus(x, d) { var t = num(x, d); return t.charAt(0) === "\u2212" ? t : "+" + t; }

  function h(x, y) { return Math.sin(x * x + y * y); }
  function run(x, y) {
    var lr = D.lr, points = [[x, y]], values = [h(x, y)];
    var o = Math.cos(x * x + y * y), gx = o * 2 * x, gy = o * 2 * y;
    var norm = Math.sqrt(gx * gx + gy * gy);
    for (var step = 1; step <= D.n_steps; step++) {
      var nx = x - lr * gx, ny = y - lr * gy;
      if (!isFinite(nx) || !isFinite(ny)) break;
      var v = h(nx, ny);
      if (!isFinite(v)) break;
      x = nx; y = ny;
      o = Math.cos(x * x + y * y); gx = o * 2 * x; gy = o * 2 * y;
      norm = Math.sqrt(gx * gx + gy * gy);
      points.push([x, y]); values.push(v);
    }
    return { points: points, values: values, norm: norm };
  }
  /* gdguide.explorers.descent_basin.descent_end, the same rule */
  function end(p, norm) {
    if (norm >= D.settled) return ["moving", null];
    var u = p[0] * p[0] + p[1] * p[1];
    if (u < Math.PI / 4) return ["bowl", null];
    var k = Math.floor((u - Math.PI / 2) / Math.PI + 0.5);
    return [k % 2 === 0 ? "crest" : "trough", Math.sqrt(Math.PI / 2 + k * Math.PI)];
  }

  /* the map: bands, rings and zero lines of h (circles around the origin), clipped to the box */
  var defs = ctx.svg("defs", {}, svg), clip = ctx.svg("clipPath", { id: uid + "-clip" }, defs);
  ctx.svg("rect", { x: X0, y: Y0, width: SIZE, height: SIZE }, clip);
  var rings = ctx.svg("g", { "clip-path": "url(#" + uid + "-clip)" }, svg);
  var cx = px(0), cy = py(0);
  D.bands.forEach(function (b) {
    ctx.svg("circle", { cx: cx, cy: cy, r: (b.inner + b.outer) / 2 * U, "stroke-width": (b.outer - b.inner) * U,
      "class": "gdx-" + b.kind }, rings);
  });
  D.zeros.forEach(function (r) { ctx.svg("circle", { cx: cx, cy: cy, r: r * U, "class": "gdx-zero" }, rings); });
  D.rings.forEach(function (ring) {
    ctx.svg("circle", { cx: cx, cy: cy, r: ring.radius * U, "class": "gdx-" + ring.kind }, rings);
  });
  ctx.svg("rect", { x: X0, y: Y0, width: SIZE, height: SIZE, "class": "gdx-frame" }, svg);
  function label(x, y, text, anchor) {
    var t = ctx.svg("text", { x: x, y: y, "text-anchor": anchor || "middle", "font-size": 13 }, svg);
    t.textContent = text;
  }
  for (var t = -Math.floor(E); t <= Math.floor(E); t++) {
    label(px(t), Y0 + SIZE + 16, num(t, 0));
    label(X0 - 5, py(t) + 4, num(t, 0), "end");
  }
  label(px(0), Y0 + SIZE + 34, S.x_axis);
  label(10, py(0) + 4, S.y_axis);
  var trail = ctx.svg("g", { "clip-path": "url(#" + uid + "-clip)" }, svg);
  var cursor = ctx.svg("g", { "class": "gdx-cursor" }, svg);
  var hair1 = ctx.svg("line", {}, cursor), hair2 = ctx.svg("line", {}, cursor);

  // the cursor in hundredths, so that every start is a decimal with two places: k / 100
  var cur = [Math.round(D.start[0] * 100), Math.round(D.start[1] * 100)];
  var limit = Math.round(E * 100);
  function placeCursor() {
    var x = px(cur[0] / 100), y = py(cur[1] / 100);
    hair1.setAttribute("x1", x - 9); hair1.setAttribute("x2", x + 9);
    hair1.setAttribute("y1", y); hair1.setAttribute("y2", y);
    hair2.setAttribute("x1", x); hair2.setAttribute("x2", x);
    hair2.setAttribute("y1", y - 9); hair2.setAttribute("y2", y + 9);
  }

  function descend(announceIt) {
    var sx = cur[0] / 100, sy = cur[1] / 100;
    var r = run(sx, sy), pts = r.points, last = pts[pts.length - 1];
    var where = end(last, r.norm);
    while (trail.firstChild) trail.removeChild(trail.firstChild);
    ctx.svg("path", { "class": "gdx-path", d: pts.map(function (p, k) {
      return (k ? "L" : "M") + px(p[0]).toFixed(2) + "," + py(p[1]).toFixed(2); }).join("") }, trail);
    pts.forEach(function (p) { ctx.svg("circle", { cx: px(p[0]).toFixed(2), cy: py(p[1]).toFixed(2), r: 2, "class": "gdx-dot" }, trail); });
    ctx.svg("circle", { cx: px(sx), cy: py(sy), r: 6, "class": "gdx-start" }, trail);
    ctx.svg("circle", { cx: px(last[0]).toFixed(2), cy: py(last[1]).toFixed(2), r: 5, "class": "gdx-end" }, trail);
    var values = { x0: num(sx, 2), y0: num(sy, 2), n_steps: pts.length - 1, x: plus(last[0], 4),
      y: plus(last[1], 4), r: num(Math.sqrt(last[0] * last[0] + last[1] * last[1]), 4),
      h: plus(r.values[r.values.length - 1], 6), lr: num(D.lr, 2),
      radius: where[1] === null ? "" : num(where[1], 2), norm: num(r.norm, 3) };
    var verdict = ctx.format("dbx_" + where[0], values);
    readout.textContent = ctx.format("dbx_readout", values) + S.joiner + verdict;
    root.setAttribute("data-gdx-run", JSON.stringify({ start: [sx, sy], points: pts, values: r.values,
      end: where[0], radius: where[1] }));
    if (announceIt) ctx.announce(verdict + S.joiner + ctx.format("dbx_readout", values));
    ctx.rendered();
  }

  map.addEventListener("keydown", function (event) {
    var step = event.shiftKey ? 50 : 10, moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0],
      ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) {
      event.preventDefault();
      for (var i = 0; i < 2; i++) cur[i] = Math.max(-limit, Math.min(limit, cur[i] + moves[event.key][i]));
      placeCursor();
      ctx.announce(ctx.format("dbx_cursor", { x: num(cur[0] / 100, 2), y: num(cur[1] / 100, 2) }));
      ctx.rendered();
    } else if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      descend(true);
    }
  });
  svg.addEventListener("click", function (event) {
    var m = svg.getScreenCTM();
    if (!m) return;
    var p = new DOMPoint(event.clientX, event.clientY).matrixTransform(m.inverse());
    var x = (p.x - X0) / U - E, y = E - (p.y - Y0) / U;
    cur = [Math.max(-limit, Math.min(limit, Math.round(x * 100))), Math.max(-limit, Math.min(limit, Math.round(y * 100)))];
    placeCursor();
    descend(true);
  });
  placeCursor();
  descend(false);
});
