/* The backward pass step by step (gdguide/explorers/backward_pass.py). The graph is drawn from
 * the layout gdguide computed (the figure's), the wide one when it fits at a readable size,
 * else the top-to-bottom one. Steps: one per node forwards, one per table row backwards, then
 * the three partial derivatives. All numbers and their printed text come from the data. */
gdguideExplorer.define("backward_pass", function (root, ctx) {
  "use strict";
  var data = ctx.data, S = 10; /* SVG user units per layout unit */
  var HIGHLIGHT = "#c2410c";
  var nForward = data.forward.length, nBackward = data.backward.length;
  var total = nForward + nBackward + 1;
  var prev = root.querySelector("#" + ctx.uid + "-prev");
  var next = root.querySelector("#" + ctx.uid + "-next");
  var counter = root.querySelector("#" + ctx.uid + "-step");
  var readout = root.querySelector("#" + ctx.uid + "-readout");
  var svg = root.querySelector("#" + ctx.uid + "-svg");
  var step = 1, layoutName = null, parts = null;

  function pickLayout() {
    /* the wide layout only where its text would be at least 9 px high */
    var wide = data.layouts.wide;
    return root.clientWidth >= wide.width * 9 + 30 ? "wide" : "narrow";
  }

  function text(block, parent, cls) {
    var nodes = [];
    for (var i = 0; i < block.lines.length; i++) {
      var t = ctx.svg("text", { x: block.x * S, y: block.y[i] * S, "font-size": block.size * S,
        "text-anchor": "middle", "dominant-baseline": "central", "class": cls || "" }, parent);
      if (block.bold) t.setAttribute("font-weight", "bold");
      t.textContent = block.lines[i];
      nodes.push({ el: t, role: block.roles[i] });
    }
    return nodes;
  }

  function draw(name) {
    var layout = data.layouts[name];
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    svg.setAttribute("viewBox", "0 0 " + layout.width * S + " " + layout.height * S);
    svg.style.maxWidth = layout.width * 12 + "px"; /* at most 12 px per unit: no giant text */
    parts = { nodes: {}, edges: {} };
    var edgeLayer = ctx.svg("g", {}, svg), nodeLayer = ctx.svg("g", {}, svg);
    var labelLayer = ctx.svg("g", {}, svg);
    var kindOf = {};
    layout.nodes.forEach(function (n) { kindOf[n.id] = n.kind; });
    layout.edges.forEach(function (e) {
      var p = e.points.map(function (v) { return v * S; });
      var dx = p[2] - p[0], dy = p[3] - p[1], len = Math.sqrt(dx * dx + dy * dy) || 1;
      var ux = dx / len, uy = dy / len, head = 0.6 * S, half = 0.3 * S;
      var colour = data.stroke[kindOf[e.source]];
      var g = ctx.svg("g", {}, edgeLayer);
      var line = ctx.svg("line", { x1: p[0], y1: p[1], x2: p[2] - ux * head * 0.8,
        y2: p[3] - uy * head * 0.8, stroke: colour, "stroke-width": 1.2 }, g);
      var tip = ctx.svg("polygon", { fill: colour, points: [p[2], p[3],
        p[2] - ux * head - uy * half, p[3] - uy * head + ux * half,
        p[2] - ux * head + uy * half, p[3] - uy * head - ux * half].join(" ") }, g);
      var label = null;
      if (e.label) {
        label = ctx.svg("g", {}, labelLayer);
        ctx.svg("rect", { x: e.box[0] * S, y: e.box[1] * S, width: e.box[2] * S,
          height: e.box[3] * S, rx: 3, fill: "#ffffff" }, label);
        text(e.label, label);
      }
      parts.edges[e.source + ">" + e.target] = { line: line, tip: tip, label: label,
        colour: colour };
    });
    layout.nodes.forEach(function (n) {
      var g = ctx.svg("g", {}, nodeLayer);
      var box = ctx.svg("rect", { x: n.x * S, y: n.y * S, width: n.w * S, height: n.h * S,
        rx: 5, fill: data.fill[n.kind], stroke: data.stroke[n.kind], "stroke-width": 1.5 }, g);
      var lines = [];
      n.texts.forEach(function (block) { lines = lines.concat(text(block, g)); });
      parts.nodes[n.id] = { box: box, lines: lines, stroke: data.stroke[n.kind] };
    });
    layoutName = name;
  }

  /* Fill a catalog template into el: each {name} becomes a span with data-value="name". */
  function fill(el, key, values) {
    el.textContent = "";
    var pattern = /\{(\w+)\}/g, template = ctx.strings[key], last = 0, m;
    while ((m = pattern.exec(template)) !== null) {
      el.appendChild(document.createTextNode(template.slice(last, m.index)));
      var span = document.createElement("span");
      span.setAttribute("data-value", m[1]);
      span.textContent = String(values[m[1]]);
      el.appendChild(span);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(template.slice(last)));
  }

  /* What step k shows: the values and gradients known, the highlighted node(s) and edge(s). */
  function state(k) {
    var known = {}, grads = {}, locals = {}, nodes = [], edges = [];
    var f = Math.min(k, nForward);
    for (var i = 0; i < f; i++) known[data.forward[i].node] = true;
    var b = Math.max(0, Math.min(k - nForward, nBackward));
    for (var j = 0; j < b; j++) {
      var row = data.backward[j];
      grads[row.node] = true;
      if (row.consumer) locals[row.node + ">" + row.consumer] = true;
    }
    if (k <= nForward) {
      var fw = data.forward[k - 1];
      nodes = [fw.node];
      edges = fw.inputs.map(function (s) { return s + ">" + fw.node; });
    } else if (k <= nForward + nBackward) {
      var bw = data.backward[k - nForward - 1];
      nodes = [bw.node];
      if (bw.consumer) edges = [bw.node + ">" + bw.consumer];
    } else {
      nodes = ["x", "y", "z"];
    }
    return { known: known, grads: grads, locals: locals, nodes: nodes, edges: edges };
  }

  function describe(k) {
    if (k <= nForward) {
      var fw = data.forward[k - 1];
      if (fw.input) fill(readout, "forward_input", { node: fw.node, value: fw.shown });
      else fill(readout, "forward_node", { label: fw.label, value: fw.shown });
    } else if (k === nForward + 1) {
      fill(readout, "seed", { gradient: data.backward[0].shown.gradient });
    } else if (k <= nForward + nBackward) {
      var bw = data.backward[k - nForward - 1];
      fill(readout, "backward", { node: bw.node, consumer: bw.consumer, edge: bw.edge,
        upstream: bw.shown.upstream, local: bw.shown.local, gradient: bw.shown.gradient });
    } else {
      var g = {};
      data.backward.forEach(function (row) { g[row.node] = row.shown.gradient; });
      fill(readout, "done", { x: g.x, y: g.y, z: g.z });
    }
  }

  /* Only changed attributes are written: an unchanged SVG element is not repainted. */
  function set(el, name, value) {
    value = String(value);
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function redraw(announce) {
    var wanted = pickLayout();
    if (wanted !== layoutName) draw(wanted);
    var s = state(step);
    Object.keys(parts.nodes).forEach(function (id) {
      var p = parts.nodes[id], on = s.nodes.indexOf(id) >= 0;
      set(p.box, "stroke", on ? HIGHLIGHT : p.stroke);
      set(p.box, "stroke-width", on ? 4 : 1.5);
      p.lines.forEach(function (line) {
        var shown = line.role === "label" || (line.role === "value" && s.known[id]) ||
          (line.role === "grad" && s.grads[id]);
        set(line.el, "visibility", shown ? "visible" : "hidden");
      });
    });
    Object.keys(parts.edges).forEach(function (key) {
      var p = parts.edges[key], on = s.edges.indexOf(key) >= 0;
      var colour = on ? HIGHLIGHT : p.colour;
      set(p.line, "stroke", colour);
      set(p.line, "stroke-width", on ? 4 : 1.2);
      set(p.tip, "fill", colour);
      if (p.label) {
        set(p.label, "visibility", s.locals[key] ? "visible" : "hidden");
        set(p.label.firstChild, "stroke", on ? HIGHLIGHT : "none");
        set(p.label.firstChild, "stroke-width", on ? 3 : 0);
      }
    });
    describe(step);
    counter.textContent = ctx.format("step", { k: step, n: total });
    set(prev, "aria-disabled", String(step === 1));
    set(next, "aria-disabled", String(step === total));
    if (announce) {
      ctx.announce(ctx.format("announce", { k: step, n: total, text: readout.textContent }));
    }
    ctx.rendered();
  }

  function go(k) {
    k = Math.max(1, Math.min(total, k));
    if (k === step) return;
    step = k;
    redraw(true);
  }

  prev.addEventListener("click", function () { go(step - 1); });
  next.addEventListener("click", function () { go(step + 1); });
  root.addEventListener("keydown", function (event) {
    var keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    if (event.key === "Home") go(1);
    else if (event.key === "End") go(total);
    else if (keys[event.key]) go(step + keys[event.key]);
    else return;
    event.preventDefault();
  });
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      if (pickLayout() !== layoutName) redraw(false);
    }).observe(root);
  }
  redraw(false);
});
