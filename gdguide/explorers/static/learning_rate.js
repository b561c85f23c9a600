/* The learning-rate explorer (gdguide/explorers/learning_rate.py): a slider over the grid of
 * learning rates; the path on the bowl's contours, the value per step and the verdict follow.
 * The run is the loop of gdguide.descent.gradient_descent with the bowl's gradient (w1, 10 w2):
 * the same operations in the same order, so the same doubles. */
gdguideExplorer.define("learning_rate", function (root, ctx) {
  "use strict";
  var D = ctx.data, S = ctx.strings, uid = ctx.uid;
  var lam = D.curvatures, grid = D.learning_rates;
  var slider = document.getElementById(uid + "-lr");
  var output = document.getElementById(uid + "-lrvalue");
  var readout = document.getElementById(uid + "-readout");
  var map = document.getElementById(uid + "-map");
  var loss = document.getElementById(uid + "-loss");
  var scale = document.getElementById(uid + "-scale");
  // map: w1 in [-3, 3], w2 in [-1.5, 1.5], 60 px per unit on both axes
  var X0 = 45, Y0 = 15, U = 60, W1 = 3, W2 = 1.5;
  function mx(w) { return X0 + (w + W1) * U; }
  function my(w) { return Y0 + (W2 - w) * U; }

  /* Python's f"{x:.{p}g}" */
  function g(x, p) {
    if (x === 0) return "0";
    var parts = x.toExponential(p - 1).split("e"), e = parseInt(parts[1], 10);
    function strip(t) { return t.indexOf(".") < 0 ? t : t.replace(/0+$/, "").replace(/\.$/, ""); }
    if (e < -4 || e >= p) {
      var a = Math.abs(e);
      return strip(parts[0]) + "e" + (e < 0 ? "-" : "+") + (a < 10 ? "0" : "") + a;
    }
    return strip(x.toFixed(p - 1 - e));
  }
  function signed(x) { var t = ctx.fixed(x, 2); return (t.charAt(0) === "-" ? "\u2212" + t.slice(1) : "+" + t); }

  // 0.5 * (w1**2 + 10.0 * w2**2), grouped as NumPy evaluates it
  function bowl(w1, w2) { return 0.5 * (w1 * w1 + 10.0 * (w2 * w2)); }
  function run(lr) {
    var w1 = D.start[0], w2 = D.start[1], points = [[w1, w2]], values = [bowl(w1, w2)];
    var diverged = null;
    for (var step = 1; step <= D.n_steps; step++) {
      var g1 = w1 * lam[0], g2 = w2 * lam[1];
      var n1 = w1 - lr * g1, n2 = w2 - lr * g2;
      if (!isFinite(n1) || !isFinite(n2)) { diverged = step; break; }
      var v = bowl(n1, n2);
      if (!isFinite(v)) { diverged = step; break; }
      w1 = n1; w2 = n2; points.push([w1, w2]); values.push(v);
    }
    return { points: points, values: values, diverged: diverged };
  }

  // one clip rectangle per panel: a diverging run is cut at the axes, not drawn off the page
  function clip(svg, id, x, y, w, h) {
    var defs = ctx.svg("defs", {}, svg), c = ctx.svg("clipPath", { id: id }, defs);
    ctx.svg("rect", { x: x, y: y, width: w, height: h }, c);
  }
  function label(svg, x, y, text, anchor) {
    var t = ctx.svg("text", { x: x, y: y, "text-anchor": anchor || "middle", "font-size": 14 }, svg);
    t.textContent = text;
    return t;
  }

  /* static parts of the map: frame, contour ellipses, axes, minimum */
  clip(map, uid + "-clipmap", X0, Y0, 2 * W1 * U, 2 * W2 * U);
  var contours = ctx.svg("g", { "clip-path": "url(#" + uid + "-clipmap)", "class": "gdx-contour" }, map);
  D.contours.forEach(function (axes) {
    ctx.svg("ellipse", { cx: mx(0), cy: my(0), rx: axes[0] * U, ry: axes[1] * U }, contours);
  });
  ctx.svg("rect", { x: X0, y: Y0, width: 2 * W1 * U, height: 2 * W2 * U, "class": "gdx-frame" }, map);
  [-3, -2, -1, 0, 1, 2, 3].forEach(function (t) { label(map, mx(t), 212, String(t).replace("-", "\u2212")); });
  [-1, 0, 1].forEach(function (t) { label(map, X0 - 6, my(t) + 4, String(t).replace("-", "\u2212"), "end"); });
  label(map, mx(0), 234, S.w1_axis);
  label(map, 12, my(0) + 4, S.w2_axis);
  var star = ctx.svg("path", { d: "M" + mx(0) + "," + (my(0) - 7) + "l2,5h5l-4,3l2,6l-5,-4l-5,4l2,-6l-4,-3h5z",
    "class": "gdx-min" }, map);
  ctx.svg("title", {}, star).textContent = S.minimum_point;
  var trail = ctx.svg("g", { "clip-path": "url(#" + uid + "-clipmap)" }, map);
  var startMark = ctx.svg("circle", { cx: mx(D.start[0]), cy: my(D.start[1]), r: 7, "class": "gdx-start" }, map);
  ctx.svg("title", {}, startMark).textContent = S.start_point;

  /* static parts of the value panel: log10 f from -6 to 6 over the steps */
  var LX = 46, LY = 15, LW = 200, LH = 180, LOG_MIN = -6, LOG_MAX = 6;
  function lx(step) { return LX + step / D.n_steps * LW; }
  function ly(v) { return LY + (LOG_MAX - Math.log10(Math.max(v, 1e-300))) / (LOG_MAX - LOG_MIN) * LH; }
  clip(loss, uid + "-cliploss", LX, LY, LW, LH);
  ctx.svg("rect", { x: LX, y: LY, width: LW, height: LH, "class": "gdx-frame" }, loss);
  [-6, -3, 0, 3, 6].forEach(function (e) {
    var y = ly(Math.pow(10, e));
    ctx.svg("line", { x1: LX, x2: LX + LW, y1: y, y2: y, "class": "gdx-grid" }, loss);
    label(loss, LX - 5, y + 4, "10" + (e < 0 ? "\u207b" : "") + "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076".charAt(Math.abs(e)), "end");
  });
  [0, D.n_steps].forEach(function (s) { label(loss, lx(s), 212, String(s)); });
  label(loss, LX + LW / 2, 234, S.lrx_steps_axis);
  label(loss, LX + LW / 2, 11, S.lrx_value_axis).setAttribute("font-size", 12);
  var curve = ctx.svg("g", { "clip-path": "url(#" + uid + "-cliploss)" }, loss);

  /* the slider's scale: verdict bands and the stable limit 2 / lambda_max */
  function sx(lr) {  // where the thumb's centre is for this learning rate (8 px thumb margin)
    var k = 0;
    while (k < grid.length - 2 && grid[k + 1] < lr) k++;
    var pos = k + (lr - grid[k]) / (grid[k + 1] - grid[k]);
    return 8 + pos / (grid.length - 1) * (400 - 16);
  }
  grid.forEach(function (lr, i) {
    var half = 0.5 * (384 / (grid.length - 1));
    ctx.svg("rect", { x: sx(lr) - half, y: 2, width: 2 * half, height: 8, "class": "gdx-band-" + D.verdicts[i] }, scale);
  });
  var limitX = sx(D.max_lr);
  ctx.svg("line", { x1: limitX, x2: limitX, y1: 0, y2: 16, "class": "gdx-limit" }, scale);
  label(scale, limitX, 30, "2/\u03bb\u2098\u2090\u2093 = " + ctx.fixed(D.max_lr, 2), limitX > 300 ? "end" : "middle");

  function draw() {
    var i = Number(slider.value), lr = grid[i], verdict = S["verdict_" + D.verdicts[i]];
    var r = run(lr), pts = r.points, last = pts.length - 1;
    while (trail.firstChild) trail.removeChild(trail.firstChild);
    while (curve.firstChild) curve.removeChild(curve.firstChild);
    var d = pts.map(function (p, k) { return (k ? "L" : "M") + mx(p[0]).toFixed(2) + "," + my(p[1]).toFixed(2); }).join("");
    ctx.svg("path", { d: d, "class": "gdx-path" }, trail);
    pts.forEach(function (p) { ctx.svg("circle", { cx: mx(p[0]).toFixed(2), cy: my(p[1]).toFixed(2), r: 2.5, "class": "gdx-dot" }, trail); });
    curve.appendChild(ctx.svg("path", { "class": "gdx-path", d: r.values.map(function (v, k) {
      return (k ? "L" : "M") + lx(k).toFixed(2) + "," + ly(v).toFixed(2); }).join("") }));
    // the first step outside the map, if any
    var out = null;
    for (var k = 0; k < pts.length && out === null; k++) {
      if (Math.abs(pts[k][0]) > W1 || Math.abs(pts[k][1]) > W2) out = k;
    }
    var factors = lam.map(function (l) { return 1 - lr * l; });
    var values = { lr: ctx.fixed(lr, 2), verdict: verdict, n_steps: last,
      f1: signed(factors[0]), f2: signed(factors[1]), value: g(r.values[last], 4),
      start: g(r.values[0], 4) };
    var text = ctx.format("lrx_readout", values);
    if (out !== null) text += S.joiner + ctx.format("lrx_diverged", { step: out });
    readout.textContent = text;
    output.textContent = "\u03b7 = " + values.lr;
    slider.setAttribute("aria-valuetext", ctx.format("lrx_valuetext", values));
    root.setAttribute("data-gdx-run", JSON.stringify({ lr: lr, verdict: D.verdicts[i], points: pts, values: r.values }));
    ctx.announce(ctx.format("lrx_announce", values));
    ctx.rendered();
  }
  slider.addEventListener("input", draw);
  draw();
});
