"""Computational graphs as data: built from autograd or by hand, shown as DOT text or drawn.

A :class:`Graph` is a plain list of :class:`Node` and :class:`Edge` objects, so a lesson can print
it, test it as a string (:meth:`Graph.to_dot`) or draw it with matplotlib alone
(:func:`draw_graph`; no Graphviz binary is needed).

Edges always point in the *forward* direction, from the tensor or variable that is computed first
to the one that uses it, so a drawing reads left to right like the forward pass; the backward
pass runs against the arrows.

Two builders:

* :func:`autograd_graph` walks the live graph that PyTorch recorded (``grad_fn`` and its
  ``next_functions``), as the lesson of §2.2 does by hand;
* :func:`chain_rule_graph` builds the graph of ``f(x, y, z)`` from §1.3 from
  :mod:`gdguide.chain_rule`, with every value, gradient and local derivative filled in.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from gdguide import chain_rule
from gdguide._validate import _kind, _short, check_bool, check_lang, check_real
from gdguide.i18n import _figure_context

__all__ = [
    "NODE_KINDS",
    "Edge",
    "Graph",
    "Node",
    "autograd_graph",
    "chain_rule_graph",
    "draw_graph",
]

#: The kinds a :class:`Node` can have.
NODE_KINDS = ("input", "operation", "output")

#: Tensors with at most this many elements keep their numbers in ``Node.value_data``.
MAX_DATA_ELEMENTS = 64


def _check_text(name: str, value: Any, *, optional: bool = False) -> str | None:
    """Check that *value* is a ``str`` (or ``None`` when *optional*)."""
    if value is None and optional:
        return None
    if not isinstance(value, str):
        expected = "a str or None" if optional else "a str"
        raise TypeError(f"{name} must be {expected}, got {_kind(value)} {_short(value)}")
    return value


def _check_data(name: str, value: Any) -> tuple[float, ...] | None:
    """Check that *value* is ``None`` or an iterable of real numbers; return it as a tuple."""
    if value is None:
        return None
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(
            f"{name} must be None or a sequence of real numbers, got {_kind(value)} {_short(value)}"
        )
    return tuple(check_real(f"{name}[{i}]", item, finite=False) for i, item in enumerate(value))


@dataclass(frozen=True)
class Node:
    """One node of a computational graph.

    Parameters
    ----------
    id : str
        Identifier, unique within its graph (used by edges and by :meth:`Graph.node`).
    label : str
        Text shown for the node: a variable name (``"w"``, ``"a = 2x"``) or the class name of an
        autograd function (``"TanhBackward0"``).
    kind : {"input", "operation", "output"}
        ``"input"``: a leaf the user created (a parameter or an input variable);
        ``"operation"``: something computed from other nodes (an autograd function, or an
        intermediate variable of a hand-built graph); ``"output"``: the final result.
    value : str or None
        The node's value formatted for display (``"-0.5"``, ``"[1, 2]"``, ``"shape (512, 1)"``);
        ``None`` when unknown (autograd functions do not keep their outputs).
    grad : str or None
        The gradient of the graph's output with respect to this node, formatted; ``None`` when
        not computed (e.g. before ``backward()``).
    value_data, grad_data : tuple of float or None
        The same numbers unformatted (flattened), for computations and tests; ``None`` when the
        formatted string is ``None`` or the tensor has more than ``MAX_DATA_ELEMENTS`` elements.

    Raises
    ------
    TypeError
        If a field has the wrong type.
    ValueError
        If *id* is empty or *kind* is not one of :data:`NODE_KINDS`.
    """

    id: str
    label: str
    kind: str
    value: str | None = None
    grad: str | None = None
    value_data: tuple[float, ...] | None = None
    grad_data: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        _check_text("id", self.id)
        if not self.id:
            raise ValueError("id must be a non-empty str, got ''")
        _check_text("label", self.label)
        _check_text("kind", self.kind)
        if self.kind not in NODE_KINDS:
            raise ValueError(f"kind must be one of {NODE_KINDS}, got {self.kind!r}")
        _check_text("value", self.value, optional=True)
        _check_text("grad", self.grad, optional=True)
        object.__setattr__(self, "value_data", _check_data("value_data", self.value_data))
        object.__setattr__(self, "grad_data", _check_data("grad_data", self.grad_data))


@dataclass(frozen=True)
class Edge:
    """A directed edge from *source* (computed first) to *target* (which uses it).

    Parameters
    ----------
    source, target : str
        Ids of the two nodes.
    label : str or None
        Text shown on the edge, e.g. the local derivative ``"∂c/∂a = 0.5"``.

    Raises
    ------
    TypeError
        If a field is not a ``str`` (``label`` may be ``None``).
    """

    source: str
    target: str
    label: str | None = None

    def __post_init__(self) -> None:
        _check_text("source", self.source)
        _check_text("target", self.target)
        _check_text("label", self.label, optional=True)


@dataclass
class Graph:
    """A computational graph: nodes, forward-pointing edges and an optional title.

    Parameters
    ----------
    nodes : list of Node
        The nodes; ids must be unique.
    edges : list of Edge
        The edges; both ends must be ids of *nodes* and no ``(source, target)`` pair may repeat.
    title : str or None
        A title that :func:`draw_graph` shows when it is given none.

    Raises
    ------
    TypeError
        If *nodes* or *edges* is not a list or tuple of :class:`Node` / :class:`Edge`.
    ValueError
        If ids repeat, an edge names an unknown node or an edge repeats.
    """

    nodes: list[Node]
    edges: list[Edge]
    title: str | None = field(default=None)

    def __post_init__(self) -> None:
        for name, kind in (("nodes", "Node"), ("edges", "Edge")):
            items = getattr(self, name)
            if not isinstance(items, (list, tuple)):
                raise TypeError(
                    f"{name} must be a list of {kind}, got {_kind(items)} {_short(items)}"
                )
            setattr(self, name, list(items))
        self._check()

    def _check(self) -> None:
        """Validate the graph (also re-run by methods, since the lists can be changed)."""
        _check_text("title", self.title, optional=True)
        seen: set[str] = set()
        for i, node in enumerate(self.nodes):
            if not isinstance(node, Node):
                raise TypeError(f"nodes[{i}] must be a Node, got {_kind(node)} {_short(node)}")
            if node.id in seen:
                raise ValueError(f"nodes must have unique ids, got {node.id!r} twice")
            seen.add(node.id)
        pairs: set[tuple[str, str]] = set()
        for i, edge in enumerate(self.edges):
            if not isinstance(edge, Edge):
                raise TypeError(f"edges[{i}] must be an Edge, got {_kind(edge)} {_short(edge)}")
            for end in (edge.source, edge.target):
                if end not in seen:
                    raise ValueError(
                        f"edges[{i}] ({edge.source!r} -> {edge.target!r}) names {end!r}, "
                        "which is not the id of any of the nodes"
                    )
            if (edge.source, edge.target) in pairs:
                raise ValueError(
                    f"edges must not repeat, got {edge.source!r} -> {edge.target!r} twice"
                )
            pairs.add((edge.source, edge.target))

    def node(self, id: str) -> Node:  # noqa: A002 - the field is called id
        """Return the node whose id is *id*.

        Parameters
        ----------
        id : str
            A node id.

        Returns
        -------
        Node
            The node.

        Raises
        ------
        TypeError
            If *id* is not a ``str``.
        ValueError
            If no node has that id (the message lists the ids).
        """
        _check_text("id", id)
        for node in self.nodes:
            if node.id == id:
                return node
        known = ", ".join(repr(node.id) for node in self.nodes)
        raise ValueError(f"id must be the id of a node of this graph ({known}), got {id!r}")

    def edge(self, source: str, target: str) -> Edge:
        """Return the edge from *source* to *target*.

        Parameters
        ----------
        source, target : str
            Node ids.

        Returns
        -------
        Edge
            The edge.

        Raises
        ------
        TypeError
            If an id is not a ``str``.
        ValueError
            If the graph has no such edge.
        """
        _check_text("source", source)
        _check_text("target", target)
        for edge in self.edges:
            if edge.source == source and edge.target == target:
                return edge
        raise ValueError(
            f"source, target must name an edge of this graph, got {source!r} -> {target!r}"
        )

    def to_dot(self) -> str:
        r"""Return the graph as Graphviz DOT text.

        The text is deterministic: nodes and edges appear once each, in list order; every id and
        label is a double-quoted DOT string with ``\``, ``"`` and line breaks escaped. A node's
        label holds its label, then ``value …`` and ``grad …`` lines when known.

        Returns
        -------
        str
            A ``digraph`` that ``dot -Tsvg`` can render, left to right.

        Examples
        --------
        >>> g = Graph([Node("x", "x", "input"), Node("y", 'say "hi"', "output")], [Edge("x", "y")])
        >>> print(g.to_dot())
        digraph computational_graph {
          rankdir=LR;
          node [shape=box, style="rounded,filled", fontname="Helvetica"];
          "x" [label="x", fillcolor="#dbeafe"];
          "y" [label="say \"hi\"", fillcolor="#dcfce7"];
          "x" -> "y";
        }
        """
        self._check()
        lines = ["digraph computational_graph {", "  rankdir=LR;"]
        if self.title is not None:
            lines.append(f"  label={_dot_quote(self.title)};")
            lines.append("  labelloc=t;")
        lines.append('  node [shape=box, style="rounded,filled", fontname="Helvetica"];')
        for node in self.nodes:
            text = [node.label]
            if node.value is not None:
                text.append(f"value {node.value}")
            if node.grad is not None:
                text.append(f"grad {node.grad}")
            quoted = '"' + "\\n".join(_dot_escape(part) for part in text) + '"'
            lines.append(
                f'  {_dot_quote(node.id)} [label={quoted}, fillcolor="{_FILL[node.kind]}"];'
            )
        for edge in self.edges:
            attributes = "" if edge.label is None else f" [label={_dot_quote(edge.label)}]"
            lines.append(f"  {_dot_quote(edge.source)} -> {_dot_quote(edge.target)}{attributes};")
        lines.append("}")
        return "\n".join(lines)


def _dot_escape(text: str) -> str:
    """Escape *text* for the inside of a DOT double-quoted string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\n", "\\n")


def _dot_quote(text: str) -> str:
    return f'"{_dot_escape(text)}"'


# --------------------------------------------------------------------------------------------
# Formatting numbers
# --------------------------------------------------------------------------------------------


def _format_number(value: float) -> str:
    """Format *value* with 4 significant digits (``-0`` shown as ``0``)."""
    text = f"{value:.4g}"
    return "0" if text == "-0" else text


def _format_tensor(tensor: torch.Tensor) -> tuple[str, tuple[float, ...] | None]:
    """Return a display string and, for small tensors, the flattened numbers of *tensor*."""
    data = tensor.detach()
    if data.is_complex():
        text = f"complex tensor of shape {tuple(data.shape)}"
        return text, None
    numbers = data.to("cpu", torch.float64).reshape(-1)
    count = numbers.numel()
    if count > MAX_DATA_ELEMENTS:
        return f"shape {tuple(data.shape)}", None
    values = tuple(float(v) for v in numbers.tolist())
    if count == 1:
        return _format_number(values[0]), values
    if count <= 4:
        return "[" + ", ".join(_format_number(v) for v in values) + "]", values
    return f"shape {tuple(data.shape)}", values


# --------------------------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------------------------


def _check_names(names: Any) -> dict[int, str]:
    """Validate *names* and return a map from tensor identity to name."""
    if names is None:
        return {}
    if not isinstance(names, dict):
        raise TypeError(
            f"names must be a dict of str to torch.Tensor or None, got {_kind(names)} "
            f"{_short(names)}"
        )
    by_identity: dict[int, str] = {}
    for key, tensor in names.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"names must have non-empty str keys, got key {_short(key)}")
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(
                f"names[{key!r}] must be a torch.Tensor, got {_kind(tensor)} {_short(tensor)}"
            )
        if id(tensor) in by_identity:
            raise ValueError(
                f"names must give each tensor one name, got {by_identity[id(tensor)]!r} and "
                f"{key!r} for the same tensor"
            )
        by_identity[id(tensor)] = key
    return by_identity


def autograd_graph(output: torch.Tensor, names: dict[str, torch.Tensor] | None = None) -> Graph:
    """Build the :class:`Graph` that PyTorch's autograd recorded for *output*.

    The walk starts at ``output.grad_fn`` and follows ``next_functions`` (``None`` entries, the
    inputs that need no gradient, are skipped). Each autograd function becomes one
    ``"operation"`` node labelled with its class name (``"MulBackward0"``, ``"TanhBackward0"``, …)
    even when several later operations use its result; an ``AccumulateGrad`` function stands for
    a leaf tensor and becomes an ``"input"`` node showing the tensor's name, value and, once
    ``backward()`` has run, its ``.grad``. The output tensor itself becomes the ``"output"``
    node. An operation that uses the same input twice (``w * w``) gets one edge from it.

    Node ids are the leaf and output names from *names*, ``"leaf"`` / ``"output"`` for unnamed
    ones and the class name for operations; a repeated id gets ``"#2"``, ``"#3"``, … appended.
    Nodes are listed in forward order (every node after the nodes it uses), the output last.

    Parameters
    ----------
    output : torch.Tensor
        A tensor computed from tensors with ``requires_grad=True`` (it has a ``grad_fn``).
    names : dict of str to torch.Tensor, optional
        Names for leaf tensors and for *output*, matched by identity (``is``). Tensors that are
        not part of the graph are ignored.

    Returns
    -------
    Graph
        The graph, edges pointing from inputs towards the output.

    Raises
    ------
    TypeError
        If *output* is not a tensor, or *names* is not a dict of str to tensors.
    ValueError
        If *output* has no ``grad_fn`` (a leaf, or computed without ``requires_grad``), or
        *names* gives one tensor two names.

    Examples
    --------
    >>> w = torch.tensor([-0.5], requires_grad=True)
    >>> loss = (2 * w) ** 2
    >>> [node.label for node in autograd_graph(loss, {"w": w}).nodes]
    ['w', 'MulBackward0', 'PowBackward0', 'output']
    """
    if not isinstance(output, torch.Tensor):
        raise TypeError(f"output must be a torch.Tensor, got {_kind(output)} {_short(output)}")
    by_identity = _check_names(names)
    root = output.grad_fn
    if root is None:
        why = (
            "it is a leaf tensor"
            if output.requires_grad
            else "it was computed without any tensor that has requires_grad=True"
        )
        raise ValueError(
            f"output must have a grad_fn (be the result of operations on tensors with "
            f"requires_grad=True), but output.grad_fn is None: {why}"
        )

    # Iterative depth-first walk; post-order gives every function after its inputs.
    order: list[Any] = []  # functions in post-order (kept alive, so identities stay valid)
    children: dict[int, list[Any]] = {}
    state: dict[int, int] = {}  # 1 = on the stack, 2 = done
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        fn, expanded = stack.pop()
        key = id(fn)
        if expanded:
            state[key] = 2
            order.append(fn)
            continue
        if key in state:
            continue
        state[key] = 1
        inputs = [child for child, _ in fn.next_functions if child is not None]
        unique: list[Any] = []
        for child in inputs:
            if all(child is not other for other in unique):
                unique.append(child)
        children[key] = unique
        stack.append((fn, True))
        for child in reversed(unique):
            if id(child) not in state:
                stack.append((child, False))

    used: set[str] = set()
    last_count: dict[str, int] = {}

    def unique_id(base: str) -> str:
        count = last_count.get(base, 1)
        candidate = base if count == 1 else f"{base}#{count}"
        while candidate in used:
            count += 1
            candidate = f"{base}#{count}"
        last_count[base] = count
        used.add(candidate)
        return candidate

    nodes: list[Node] = []
    ids: dict[int, str] = {}
    for fn in order:
        variable = getattr(fn, "variable", None)
        if isinstance(variable, torch.Tensor):
            name = by_identity.get(id(variable))
            value, value_data = _format_tensor(variable)
            grad = grad_data = None
            if variable.grad is not None:
                grad, grad_data = _format_tensor(variable.grad)
            node = Node(
                unique_id(name or "leaf"),
                name or "tensor",
                "input",
                value,
                grad,
                value_data,
                grad_data,
            )
        else:
            node = Node(unique_id(type(fn).__name__), type(fn).__name__, "operation")
        ids[id(fn)] = node.id
        nodes.append(node)

    out_name = by_identity.get(id(output))
    value, value_data = _format_tensor(output)
    grad = grad_data = None
    if output.retains_grad and output.grad is not None:
        grad, grad_data = _format_tensor(output.grad)
    out_node = Node(
        unique_id(out_name or "output"),
        out_name or "output",
        "output",
        value,
        grad,
        value_data,
        grad_data,
    )
    nodes.append(out_node)

    edges = [Edge(ids[id(child)], ids[id(fn)]) for fn in order for child in children[id(fn)]]
    edges.append(Edge(ids[id(root)], out_node.id))
    return Graph(nodes, edges)


_CHAIN_LABELS = {
    "x": "x",
    "y": "y",
    "z": "z",
    "a": "a = 2x",
    "b": "b = sin(y)",
    "c": "c = a / b",
    "d": "d = c·z",
    "e": "e = ln(d + 1)",
    "f": "f = tanh(e)",
}


def chain_rule_graph(x: float, y: float, z: float, *, lang: str = "en") -> Graph:
    """Build the computational graph of ``f(x, y, z)`` (§1.3) with its forward and backward pass.

    The nodes are ``x, y, z`` (inputs), ``a = 2x, b = sin(y), c = a / b, d = c·z,
    e = ln(d + 1)`` (operations) and ``f = tanh(e)`` (output). Each node carries its forward value
    and its gradient ``∂f/∂node``; each edge is labelled with its local derivative, e.g.
    ``"∂c/∂a = 0.5"``. The numbers come from :func:`gdguide.chain_rule.forward_values` and
    :func:`gdguide.chain_rule.local_derivatives`; the gradients are accumulated backwards by the
    chain rule, ``∂f/∂node = Σ over the node's consumers of ∂f/∂consumer · ∂consumer/∂node``.

    Parameters
    ----------
    x, y, z : float
        The point; it must lie in the domain of ``f`` (``sin(y) != 0`` and ``1 + d > 0``).
    lang : {"en", "ja"}
        Language of the graph's title.

    Returns
    -------
    Graph
        Nine nodes and eight edges, in forward order.

    Raises
    ------
    TypeError
        If a coordinate is not a real number or *lang* is not a ``str``.
    ValueError
        If a coordinate is not finite, the point is outside the domain of ``f``, or *lang* is
        unknown.

    Examples
    --------
    >>> g = chain_rule_graph(1.0, 1.0, 1.0)
    >>> g.edge("a", "c").label
    '∂c/∂a = 1.188'
    """
    language = check_lang(lang)
    values = chain_rule.forward_values(x, y, z)
    local = chain_rule.local_derivatives(x, y, z)
    order = list(values)
    consumers: dict[str, list[str]] = {name: [] for name in order}
    for source, target in local:
        consumers[source].append(target)
    grads: dict[str, float] = {}
    for name in reversed(order):
        if not consumers[name]:
            grads[name] = 1.0  # ∂f/∂f
        else:
            grads[name] = math.fsum(grads[t] * local[(name, t)] for t in consumers[name])
    kinds = {name: "input" for name in ("x", "y", "z")}
    nodes = [
        Node(
            name,
            _CHAIN_LABELS.get(name, name),
            kinds.get(name, "output" if not consumers[name] else "operation"),
            _format_number(values[name]),
            _format_number(grads[name]),
            (values[name],),
            (grads[name],),
        )
        for name in order
    ]
    edges = [
        Edge(source, target, f"∂{target}/∂{source} = {_format_number(derivative)}")
        for (source, target), derivative in local.items()
    ]
    return Graph(nodes, edges, language.text("chain_rule_graph_title"))


# --------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------

_FILL = {"input": "#dbeafe", "operation": "#f3f4f6", "output": "#dcfce7"}
_EDGE_COLOUR = {"input": "#2563eb", "operation": "#6b7280", "output": "#16a34a"}
_LABEL_PT = 9.5
_DETAIL_PT = 8.5
_EDGE_PT = 8.0
_PAD_IN = 0.09  # inside a box, around the text
_LINE = 1.3  # line height in units of the font size
_MIN_GAP_IN = 0.45  # between columns
_ROW_GAP_IN = 0.3  # between boxes of one column
_MARGIN_IN = 0.15
_TITLE_IN = 0.5


def _text_width(text: str, points: float, *, bold: bool = False) -> float:
    """Estimate the width in inches of the widest line of *text* at *points*."""
    widths = []
    for line in text.split("\n"):
        ems = 0.0
        for char in line:
            if unicodedata.east_asian_width(char) in ("W", "F"):
                ems += 1.0
            elif char in "mwMW@%":
                ems += 0.85
            elif char.isupper():
                ems += 0.7
            else:
                ems += 0.58
        widths.append(ems * (1.08 if bold else 1.0))
    return max(widths) * points / 72


def _display_label(node: Node) -> str:
    """Split long autograd class names: ``TanhBackward0`` → ``Tanh`` / ``Backward0``."""
    text = node.label
    position = text.find("Backward")
    if "\n" not in text and position > 0 and len(text) > 10:
        return text[:position] + "\n" + text[position:]
    return text


def _minus(text: str) -> str:
    """Use the typographic minus sign for display."""
    return text.replace("-", "\N{MINUS SIGN}")


def _display_edge_label(text: str) -> str:
    """Break an edge label before its ``=`` so that it fits between two columns."""
    head, sep, tail = text.rpartition(" = ")
    if not sep:
        return text
    return f"{head}\n= {_minus(tail)}"


def _layers(graph: Graph) -> dict[str, int]:
    """Assign each node a column: the longest path to a sink, counted from the right."""
    successors: dict[str, list[str]] = {node.id: [] for node in graph.nodes}
    indegree = {node.id: 0 for node in graph.nodes}
    for edge in graph.edges:
        successors[edge.source].append(edge.target)
        indegree[edge.target] += 1
    ready = [node.id for node in graph.nodes if indegree[node.id] == 0]
    topological: list[str] = []
    while ready:
        current = ready.pop(0)
        topological.append(current)
        for target in successors[current]:
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    if len(topological) != len(graph.nodes):
        raise ValueError("graph must be acyclic to be drawn, but its edges form a cycle")
    height: dict[str, int] = {}
    for node_id in reversed(topological):
        height[node_id] = 1 + max((height[t] for t in successors[node_id]), default=-1)
    top = max(height.values())
    return {node_id: top - height[node_id] for node_id in topological}


def _positions(graph: Graph, layer: dict[str, int], row_pitch: float) -> dict[str, float]:
    """Return the vertical centre of every node (inches, 0 = middle).

    Columns are placed from right to left: a node goes to the mean height of the nodes that use
    it, its order within the column following them (ties by edge order), then the column is
    pushed apart to keep *row_pitch* between neighbours and re-centred on the wished heights.
    """
    count = max(layer.values()) + 1
    columns: list[list[str]] = [[] for _ in range(count)]
    for node in graph.nodes:
        columns[layer[node.id]].append(node.id)
    outgoing: dict[str, list[tuple[int, str]]] = {node.id: [] for node in graph.nodes}
    for index, edge in enumerate(graph.edges):
        outgoing[edge.source].append((index, edge.target))
    y: dict[str, float] = {}
    for column in reversed(range(count)):
        ids = columns[column]
        wished: dict[str, float] = {}
        first_edge: dict[str, int] = {}
        for rank, node_id in enumerate(ids):
            targets = [t for _, t in outgoing[node_id] if t in y]
            if targets:
                wished[node_id] = sum(y[t] for t in targets) / len(targets)
                first_edge[node_id] = min(i for i, _ in outgoing[node_id])
            else:
                wished[node_id] = -rank * row_pitch
                first_edge[node_id] = rank
        ids.sort(key=lambda n: (-wished[n], first_edge[n]))
        placed: list[float] = []
        for node_id in ids:
            target = wished[node_id]
            placed.append(target if not placed else min(target, placed[-1] - row_pitch))
        shift = sum(wished[n] - p for n, p in zip(ids, placed, strict=True)) / len(ids)
        for node_id, p in zip(ids, placed, strict=True):
            y[node_id] = p + shift
    middle = (max(y.values()) + min(y.values())) / 2
    return {node_id: value - middle for node_id, value in y.items()}


def draw_graph(
    graph: Graph, *, lang: str = "en", title: str | None = None, show_values: bool = True
) -> Figure:
    """Draw *graph* with matplotlib, left to right in the direction of its edges.

    Columns come from longest-path layering (each node sits one column before the furthest-left
    node that uses it, so sinks are in the last column); the nodes of a column are spread
    vertically next to the nodes they feed. Each node is a rounded box coloured by kind (blue
    inputs, grey operations, green output) with its label and, when *show_values*, its value and
    gradient lines (``value −0.5`` / ``grad −14``, or ``値`` / ``勾配`` in Japanese). Edges are
    arrows carrying their labels. The figure size follows the graph (about 9 inches wide for the
    graphs of the lessons). Boxes and arrows have gids ``"node:<id>"`` and
    ``"edge:<source>-><target>"``.

    Parameters
    ----------
    graph : Graph
        An acyclic graph with at least one node.
    lang : {"en", "ja"}
        Language of the value / gradient words and of the fonts.
    title : str or None
        Title above the graph; ``None`` uses ``graph.title`` (no title when that is ``None`` too).
    show_values : bool
        Whether to show the value and gradient lines of the nodes.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (registered with pyplot; close it with ``plt.close(fig)``).

    Raises
    ------
    TypeError
        If *graph* is not a :class:`Graph`, *title* is not a ``str`` or ``None``, *show_values*
        is not a ``bool`` or *lang* is not a ``str``.
    ValueError
        If *graph* is empty or cyclic, or *lang* is unknown.
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph, got {_kind(graph)} {_short(graph)}")
    language = check_lang(lang)
    _check_text("title", title, optional=True)
    check_bool("show_values", show_values)
    graph._check()
    if not graph.nodes:
        raise ValueError("graph must have at least one node to be drawn, got an empty graph")
    title = graph.title if title is None else title
    layer = _layers(graph)

    # Box contents and sizes (inches).
    labels: dict[str, str] = {}
    details: dict[str, str] = {}
    size: dict[str, tuple[float, float]] = {}
    for node in graph.nodes:
        labels[node.id] = _display_label(node)
        lines = []
        if show_values and node.value is not None:
            lines.append(f"{language.text('node_value')} {_minus(node.value)}")
        if show_values and node.grad is not None:
            lines.append(f"{language.text('node_grad')} {_minus(node.grad)}")
        details[node.id] = "\n".join(lines)
        width = _text_width(labels[node.id], _LABEL_PT, bold=language.bold)
        height = (labels[node.id].count("\n") + 1) * _LABEL_PT * _LINE / 72
        if lines:
            width = max(width, _text_width(details[node.id], _DETAIL_PT))
            height += len(lines) * _DETAIL_PT * _LINE / 72
        size[node.id] = (width + 2 * _PAD_IN, height + 2 * _PAD_IN)

    count = max(layer.values()) + 1
    column_width = [0.0] * count
    for node_id, column in layer.items():
        column_width[column] = max(column_width[column], size[node_id][0])
    gap = [_MIN_GAP_IN] * max(count - 1, 0)
    for edge in graph.edges:
        if edge.label is not None:
            column = layer[edge.source]
            needed = _text_width(_display_edge_label(edge.label), _EDGE_PT) + 0.25
            for between in range(column, layer[edge.target]):
                gap[between] = max(gap[between], needed)
    centre_x: list[float] = []
    cursor = _MARGIN_IN
    for column in range(count):
        centre_x.append(cursor + column_width[column] / 2)
        cursor += column_width[column] + (gap[column] if column < count - 1 else 0.0)
    width_in = cursor + _MARGIN_IN

    row_pitch = max(h for _, h in size.values()) + _ROW_GAP_IN
    y_rel = _positions(graph, layer, row_pitch)
    top = max(y_rel[n] + size[n][1] / 2 for n in y_rel)
    bottom = min(y_rel[n] - size[n][1] / 2 for n in y_rel)
    title_space = _TITLE_IN if title else 0.0
    height_in = (top - bottom) + 2 * _MARGIN_IN + title_space
    offset = _MARGIN_IN - bottom

    with _figure_context(language):
        fig = plt.figure(figsize=(width_in, height_in))
        ax = fig.add_axes((0.0, 0.0, 1.0, (height_in - title_space) / height_in))
        ax.set_xlim(0, width_in)
        ax.set_ylim(0, height_in - title_space)
        ax.set_axis_off()
        if title:
            fig.suptitle(title, y=1 - 0.12 / height_in, va="top", fontsize=11)

        kind_of = {node.id: node.kind for node in graph.nodes}
        centre = {n: (centre_x[layer[n]], y_rel[n] + offset) for n in y_rel}
        for node in graph.nodes:
            cx, cy = centre[node.id]
            w, h = size[node.id]
            box = FancyBboxPatch(
                (cx - w / 2, cy - h / 2),
                w,
                h,
                boxstyle="round,pad=0,rounding_size=0.07",
                facecolor=_FILL[node.kind],
                edgecolor=_EDGE_COLOUR[node.kind],
                linewidth=1.2,
                zorder=2,
            )
            box.set_gid(f"node:{node.id}")
            ax.add_patch(box)
            label_lines = labels[node.id].count("\n") + 1
            label_height = label_lines * _LABEL_PT * _LINE / 72
            ax.text(
                cx,
                cy + h / 2 - _PAD_IN - label_height / 2,
                labels[node.id],
                ha="center",
                va="center",
                fontsize=_LABEL_PT,
                fontweight="bold" if language.bold else "normal",  # not every figure font has bold
                linespacing=_LINE,
                zorder=3,
            )
            if details[node.id]:
                ax.text(
                    cx,
                    cy - h / 2 + _PAD_IN,
                    details[node.id],
                    ha="center",
                    va="bottom",
                    fontsize=_DETAIL_PT,
                    linespacing=_LINE,
                    color="#1f2937",
                    zorder=3,
                )
        for edge in graph.edges:
            sx, sy = centre[edge.source]
            tx, ty = centre[edge.target]
            start = (sx + size[edge.source][0] / 2, sy)
            end = (tx - size[edge.target][0] / 2, ty)
            arrow = FancyArrowPatch(
                start,
                end,
                arrowstyle="-|>",
                mutation_scale=11,
                shrinkA=0,
                shrinkB=1,
                linewidth=1.1,
                color=_EDGE_COLOUR[kind_of[edge.source]],
                zorder=1,
            )
            arrow.set_gid(f"edge:{edge.source}->{edge.target}")
            ax.add_patch(arrow)
            if edge.label is not None:
                ax.text(
                    (start[0] + end[0]) / 2,
                    (start[1] + end[1]) / 2,
                    _display_edge_label(edge.label),
                    ha="center",
                    va="center",
                    fontsize=_EDGE_PT,
                    linespacing=1.15,
                    color="#374151",
                    zorder=4,
                    bbox={
                        "boxstyle": "round,pad=0.15",
                        "facecolor": "white",
                        "edgecolor": "none",
                    },
                )
    return fig
