/* Training replay (gdguide/explorers/training_replay.py): a slider over the recorded epochs of
 * one training run; the fit panel shows the curve recorded at that epoch, the loss panel a
 * marker on the loss line. Everything static is drawn once; a redraw moves two things. */
gdguideExplorer.define("training_replay", function (root, ctx) {
  "use strict";
  var d = ctx.data, s = ctx.strings, uid = ctx.uid;
  var W = 320, H = 230, L = 48, R = 10, T = 10, B = 40;  /* the panels' viewBox and margins */
  var slider = document.getElementById(uid + "-slider");
  var readout = document.getElementById(uid + "-readout");
  var log10 = function (v) { return Math.log(v) / Math.LN10; };
  function scale(lo, hi, a, b) { return function (v) { return a + (v - lo) / (hi - lo) * (b - a); }; }
  /* a tick label as a figure writes it: a true minus sign, no trailing zeros */
  function label(v) { return String(+v.toFixed(6)).replace("-", "\u2212"); }
  function ticks(lo, hi) {
    var step = Math.pow(10, Math.floor(log10((hi - lo) / 4)));
    if ((hi - lo) / step > 10) step *= 5; else if ((hi - lo) / step > 5) step *= 2;
    var out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v / step) * step);
    return out;
  }
  /* axes with ticks and labels; px, py map data to the viewBox (already logged if log) */
  function axes(svg, xs, ys, px, py, xText, yText) {
    var g = ctx.svg("g", { "class": "gdx-tr-axes", "font-size": 11 }, svg);
    ctx.svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "none",
      stroke: "currentColor", "stroke-opacity": 0.45 }, g);
    xs.forEach(function (t) {
      var x = px(t[0]);
      ctx.svg("line", { x1: x, x2: x, y1: H - B, y2: H - B + 4, stroke: "currentColor" }, g);
      ctx.svg("text", { x: x, y: H - B + 15, "text-anchor": "middle" }, g).textContent = t[1];
    });
    ys.forEach(function (t) {
      var y = py(t[0]);
      ctx.svg("line", { x1: L - 4, x2: L, y1: y, y2: y, stroke: "currentColor" }, g);
      ctx.svg("text", { x: L - 6, y: y + 4, "text-anchor": "end" }, g).textContent = t[1];
    });
    ctx.svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle" }, g).textContent = xText;
    ctx.svg("text", { x: 0, y: 0, "text-anchor": "middle",
      transform: "translate(11," + (T + H - B) / 2 + ") rotate(-90)" }, g).textContent = yText;
  }
  function points(xs, ys, px, py) {
    return xs.map(function (x, i) { return px(x).toFixed(1) + "," + py(ys[i]).toFixed(1); }).join(" ");
  }

  /* the fit panel: data, legend, and the curve that changes */
  var fit = document.getElementById(uid + "-fit");
  var fx = scale(d.xRange[0], d.xRange[1], L, W - R), fy = scale(d.yRange[0], d.yRange[1], H - B, T);
  var tx = function (v) { return [v, label(v)]; };
  axes(fit, ticks(d.xRange[0], d.xRange[1]).map(tx), ticks(d.yRange[0], d.yRange[1]).map(tx),
    fx, fy, s.inputs_axis, s.targets_axis);
  d.x.forEach(function (x, i) {
    ctx.svg("circle", { cx: fx(x).toFixed(1), cy: fy(d.y[i]).toFixed(1), r: 3.2, fill: "#17becf",
      stroke: "currentColor", "stroke-width": 0.6 }, fit);
  });
  var curve = ctx.svg("polyline", { "class": "gdx-tr-fit", fill: "none", "stroke-width": 2.2,
    "stroke-linejoin": "round" }, fit);
  var key = ctx.svg("g", { "font-size": 11 }, fit);
  ctx.svg("circle", { cx: L + 12, cy: T + 12, r: 3.2, fill: "#17becf", stroke: "currentColor",
    "stroke-width": 0.6 }, key);
  ctx.svg("text", { x: L + 22, y: T + 16 }, key).textContent = s.targets_legend;
  ctx.svg("line", { "class": "gdx-tr-fit", x1: L + 5, x2: L + 19, y1: T + 28, y2: T + 28,
    "stroke-width": 2.2 }, key);
  ctx.svg("text", { x: L + 22, y: T + 32 }, key).textContent = s.prediction_legend;

  /* the loss panel: log epoch against log loss, the line drawn once, a marker that moves */
  var loss = document.getElementById(uid + "-loss");
  var lx = scale(0, Math.max(log10(d.nEpochs), 1), L, W - R);  /* at least 1 to 10 */
  var ly = scale(log10(d.lossRange[0]), log10(d.lossRange[1]), H - B, T);
  var ex = function (epoch) { return lx(log10(epoch)); };
  var ey = function (value) { return ly(log10(value)); };
  axes(loss, d.epochTicks.map(function (t) { return [log10(t), String(t)]; }),
    d.lossTicks.map(function (t) { return [log10(t), label(t)]; }), lx, ly, s.replay_epoch_axis, s.mse_axis);
  ctx.svg("polyline", { "class": "gdx-tr-line", fill: "none", "stroke-width": 1.4,
    points: points(d.lineEpochs, d.lineLosses, ex, ey) }, loss);
  var rule = ctx.svg("line", { y1: T, y2: H - B, stroke: "currentColor", "stroke-dasharray": "3 3",
    "stroke-opacity": 0.7 }, loss);
  var dot = ctx.svg("circle", { r: 4.5, "class": "gdx-tr-fit", fill: "#d62728", "stroke-width": 1.5 }, loss);

  function text(i) {
    return { epoch: d.epochs[i], total: d.nEpochs, loss: ctx.fixed(d.losses[i], d.digits) };
  }
  function draw(i, speak) {
    curve.setAttribute("points", points(d.grid, d.curves[i], fx, fy));
    var x = ex(d.epochs[i]).toFixed(1), y = ey(d.losses[i]).toFixed(1);
    rule.setAttribute("x1", x); rule.setAttribute("x2", x);
    dot.setAttribute("cx", x); dot.setAttribute("cy", y);
    var shown = ctx.format("replay_readout", text(i));
    readout.textContent = shown;
    slider.setAttribute("aria-valuetext", shown);
    if (speak) ctx.announce(ctx.format("replay_announce", text(i)));
    ctx.rendered();
  }
  /* dragging redraws on every input event; the announcement waits for the value to settle */
  slider.addEventListener("input", function () { draw(+slider.value, false); });
  slider.addEventListener("change", function () { draw(+slider.value, true); });
  /* a click on the loss panel picks the recorded epoch nearest to it on the log axis */
  loss.style.cursor = "pointer";
  loss.addEventListener("click", function (event) {
    var box = loss.getBoundingClientRect();
    var x = (event.clientX - box.left) / box.width * W, best = 0;
    d.epochs.forEach(function (epoch, i) {
      if (Math.abs(ex(epoch) - x) < Math.abs(ex(d.epochs[best]) - x)) best = i;
    });
    slider.value = String(best);
    draw(best, true);
  });
  draw(+slider.value, false);
});
