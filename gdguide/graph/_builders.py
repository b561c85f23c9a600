"""Builders of :class:`~gdguide.graph.Graph`: from a live autograd graph; for f(x, y, z) (§1.3)."""

from __future__ import annotations

from typing import Any

import torch

from gdguide import chain_rule
from gdguide._validate import _kind, _short, check_lang
from gdguide.graph._model import Edge, Graph, Node

__all__ = ["MAX_DATA_ELEMENTS", "autograd_graph", "chain_rule_graph"]

#: Tensors with at most this many elements keep their numbers in ``Node.value_data``.
MAX_DATA_ELEMENTS = 64


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
    >>> import torch
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
    ``"∂c/∂a = 0.5"``. Every number is read off :func:`gdguide.chain_rule.backward_table` (one
    row per node: its value, the local derivative on the edge to the node that uses it, and its
    gradient), so the graph shows exactly the backward pass of the lesson's table.

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
    rows = {row.node: row for row in chain_rule.backward_table(x, y, z)}
    used = {source for source, _ in chain_rule.EDGES}
    nodes = [
        Node(
            name,
            _CHAIN_LABELS[name],
            "input" if name in ("x", "y", "z") else "operation" if name in used else "output",
            _format_number(rows[name].value),
            _format_number(rows[name].gradient),
            (rows[name].value,),
            (rows[name].gradient,),
        )
        for name in chain_rule.NODES
    ]
    # Every node but f feeds exactly one other, so its row holds the derivative on that edge.
    edges = []
    for source, target in chain_rule.EDGES:
        derivative = _format_number(rows[source].local_derivative)
        edges.append(Edge(source, target, f"∂{target}/∂{source} = {derivative}"))
    return Graph(nodes, edges, language.text("chain_rule_graph_title"))
