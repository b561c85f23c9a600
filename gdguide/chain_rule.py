"""Backpropagation by hand on the computational graph of ``f(x, y, z)`` (§1.3).

The function ``f(x, y, z) = tanh(ln(1 + z·2x / sin y))`` is split into intermediate variables::

    a = 2x      b = sin(y)      c = a / b      d = c·z      e = ln(d + 1)      f = tanh(e)

The forward pass computes them in that order; the backward pass walks the graph in reverse,
multiplying the gradient arriving from a node's consumer (the *upstream gradient*, ``∂f/∂consumer``)
by the local derivative on the edge (``∂consumer/∂node``). In this graph every node has exactly
one consumer, so each node's gradient is a single product.

All functions here take real scalars only; :mod:`gdguide.functions` handles arrays and tensors.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdguide._validate import check_lang, check_real, check_str
from gdguide.functions import _check_f_domain

__all__ = [
    "BackwardRow",
    "backward_table",
    "chain_rule_gradients",
    "format_backward_table",
    "forward_values",
    "local_derivatives",
]

#: The nodes of the graph in forward (topological) order.
NODES = ("x", "y", "z", "a", "b", "c", "d", "e", "f")

#: The edges ``(input node, output node)`` of the graph, in forward order.
EDGES = (
    ("x", "a"),
    ("y", "b"),
    ("a", "c"),
    ("b", "c"),
    ("c", "d"),
    ("z", "d"),
    ("d", "e"),
    ("e", "f"),
)

#: Catalog keys of the columns of :func:`format_backward_table`.
_HEADER_KEYS = (
    "table_node", "table_value", "table_edge", "table_local_derivative",
    "table_upstream_gradient", "table_gradient",
)  # fmt: skip


@dataclass(frozen=True)
class BackwardRow:
    """One step of the backward pass: the gradient of ``f`` with respect to one node.

    Raises
    ------
    TypeError
        If *node* or *edge* is not a ``str`` or a number is not a real number.
    ValueError
        If a number is NaN or infinite.

    Attributes
    ----------
    node : str
        The node whose gradient this row computes (``"f"``, ``"e"``, ..., ``"x"``).
    value : float
        The node's value from the forward pass.
    edge : str
        The edge to the node's consumer as a derivative, e.g. ``"∂c/∂a"``; ``"∂f/∂f"`` for the
        seed row of ``f`` itself.
    local_derivative : float
        The derivative on that edge, ``∂consumer/∂node`` (1 for the seed row).
    upstream_gradient : float
        ``∂f/∂consumer``, the gradient already known for the consumer (1 for the seed row).
    gradient : float
        ``∂f/∂node = upstream_gradient · local_derivative``.
    """

    node: str
    value: float
    edge: str
    local_derivative: float
    upstream_gradient: float
    gradient: float

    def __post_init__(self) -> None:
        check_str("node", self.node)
        check_str("edge", self.edge)
        for name in ("value", "local_derivative", "upstream_gradient", "gradient"):
            object.__setattr__(self, name, check_real(name, getattr(self, name)))


def _check_point(x: Any, y: Any, z: Any) -> tuple[float, float, float]:
    """Validate a scalar point of the domain of ``f`` and return it as floats."""
    xf, yf, zf = check_real("x", x), check_real("y", y), check_real("z", z)
    _check_f_domain(("x", "y", "z"), np.asarray(xf), np.asarray(yf), np.asarray(zf))
    return xf, yf, zf


def _checked_pass(x: Any, y: Any, z: Any) -> tuple[dict[str, float], dict[tuple[str, str], float]]:
    """Validate the point, run the forward pass and return the values and local derivatives.

    Raises ``ValueError`` naming x, y and z when a value or derivative overflows (e.g.
    ``a = 2x`` for ``x = 1e308``), so that no table or graph silently shows ``inf``.
    """
    point = _check_point(x, y, z)
    values = _forward(*point)
    local = _local(values)
    numbers = list(values.values()) + list(local.values())
    if not all(math.isfinite(number) for number in numbers):
        raise ValueError(
            f"x = {point[0]!r}, y = {point[1]!r}, z = {point[2]!r} overflow the floating-point "
            "range in the forward or backward pass; use a smaller |x·z| or a y further from a "
            "multiple of pi"
        )
    return values, local


def _forward(x: float, y: float, z: float) -> dict[str, float]:
    a = 2 * x
    b = math.sin(y)
    c = a / b
    d = c * z
    e = math.log1p(d)
    return {"x": x, "y": y, "z": z, "a": a, "b": b, "c": c, "d": d, "e": e, "f": math.tanh(e)}


def _local(v: dict[str, float]) -> dict[tuple[str, str], float]:
    return {
        ("x", "a"): 2.0,
        ("y", "b"): math.cos(v["y"]),
        ("a", "c"): 1 / v["b"],
        ("b", "c"): -v["a"] / v["b"] ** 2,
        ("c", "d"): v["z"],
        ("z", "d"): v["c"],
        ("d", "e"): 1 / (v["d"] + 1),
        ("e", "f"): 1 - math.tanh(v["e"]) ** 2,
    }


def forward_values(x: float, y: float, z: float) -> dict[str, float]:
    """Run the forward pass of ``f`` and return every node's value.

    Parameters
    ----------
    x, y, z : float
        A point of the domain: finite real numbers with ``sin(y) != 0`` and
        ``1 + z·2x/sin(y) > 0``.

    Returns
    -------
    dict of str to float
        Keys in forward order: ``"x", "y", "z", "a", "b", "c", "d", "e", "f"``.

    Raises
    ------
    TypeError
        If an argument is not a real number (``bool``, ``str``, arrays and tensors included).
    ValueError
        If an argument is not finite, the point lies outside the domain of ``f``, or a value
        or local derivative overflows the floating-point range.

    Examples
    --------
    >>> values = forward_values(1.0, 1.0, 1.0)
    >>> values["a"], round(values["f"], 6)
    (2.0, 0.838745)
    """
    return _checked_pass(x, y, z)[0]


def local_derivatives(x: float, y: float, z: float) -> dict[tuple[str, str], float]:
    """Return the local derivative on every edge of the graph at the point ``(x, y, z)``.

    Parameters
    ----------
    x, y, z : float
        As for :func:`forward_values`.

    Returns
    -------
    dict of (str, str) to float
        Keyed by edge ``(input node, output node)``: the derivative ``∂output/∂input``, namely
        ``∂a/∂x = 2``, ``∂b/∂y = cos y``, ``∂c/∂a = 1/b``, ``∂c/∂b = −a/b²``, ``∂d/∂c = z``,
        ``∂d/∂z = c``, ``∂e/∂d = 1/(d + 1)``, ``∂f/∂e = 1 − tanh²(e)``.

    Raises
    ------
    TypeError
        As for :func:`forward_values`.
    ValueError
        As for :func:`forward_values`.
    """
    return _checked_pass(x, y, z)[1]


def backward_table(x: float, y: float, z: float) -> list[BackwardRow]:
    """Run the backward pass of ``f`` and return it row by row.

    The first row is the seed ``∂f/∂f = 1``; then the nodes follow in reverse forward order
    (``e, d, c, b, a, z, y, x``), each with the one edge to its consumer, so that every row's
    upstream gradient is already known when it is reached.

    Parameters
    ----------
    x, y, z : float
        As for :func:`forward_values`.

    Returns
    -------
    list of BackwardRow
        Nine rows: the seed and one per edge. The gradients of ``x``, ``y`` and ``z`` equal
        :func:`gdguide.functions.f_gradient` (up to rounding).

    Raises
    ------
    TypeError
        As for :func:`forward_values`.
    ValueError
        As for :func:`forward_values`.
    """
    values, local = _checked_pass(x, y, z)
    consumer = {source: target for source, target in EDGES}
    gradients = {"f": 1.0}
    rows = [BackwardRow("f", values["f"], "∂f/∂f", 1.0, 1.0, 1.0)]
    for node in reversed(NODES[:-1]):
        target = consumer[node]
        upstream = gradients[target]
        derivative = local[(node, target)]
        gradients[node] = upstream * derivative
        rows.append(
            BackwardRow(
                node=node,
                value=values[node],
                edge=f"∂{target}/∂{node}",
                local_derivative=derivative,
                upstream_gradient=upstream,
                gradient=gradients[node],
            )
        )
    return rows


def chain_rule_gradients(x: float, y: float, z: float) -> dict[str, float]:
    """Return ``∂f/∂x``, ``∂f/∂y`` and ``∂f/∂z`` read off the backward pass.

    Parameters
    ----------
    x, y, z : float
        As for :func:`forward_values`.

    Returns
    -------
    dict of str to float
        Keys ``"x"``, ``"y"``, ``"z"``.

    Raises
    ------
    TypeError
        As for :func:`forward_values`.
    ValueError
        As for :func:`forward_values`.

    Examples
    --------
    >>> {k: round(v, 6) for k, v in chain_rule_gradients(1.0, 1.0, 1.0).items()}
    {'x': 0.2087, 'y': -0.134004, 'z': 0.2087}
    """
    rows = backward_table(x, y, z)
    by_node = {row.node: row.gradient for row in rows}
    return {name: by_node[name] for name in ("x", "y", "z")}


def _width(text: str) -> int:
    """Return the display width of *text*: 2 for wide (W) and full-width (F) characters."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def _number(value: float) -> str:
    return f"{value:.6g}"


def format_backward_table(rows: Sequence[BackwardRow], lang: str = "en") -> str:
    """Format the rows of :func:`backward_table` as a fixed-width text table.

    Columns: node, value, edge, local derivative, upstream gradient, gradient (in
    Japanese :lang-ja:`ノード, 値, 辺, 局所微分, 上流の勾配, 勾配`). Numbers have 6
    significant digits and are right-aligned. Wide characters (Japanese headers) count as two
    columns, so the table lines up in a monospace font; ``∂`` counts as one.

    Parameters
    ----------
    rows : sequence of BackwardRow
        Usually the result of :func:`backward_table`; may be empty (header only).
    lang : {"en", "ja"}
        Language of the column headers.

    Returns
    -------
    str
        The table: a header line, a rule of ``-`` and one line per row, no trailing newline.

    Raises
    ------
    TypeError
        If *rows* is not a list or tuple of :class:`BackwardRow`, or *lang* is not a str.
    ValueError
        If *lang* is not ``"en"`` or ``"ja"``.
    """
    language = check_lang(lang)
    if not isinstance(rows, (list, tuple)):
        raise TypeError(
            f"rows must be a list or tuple of BackwardRow, got {type(rows).__name__}"
        )
    for index, row in enumerate(rows):
        if not isinstance(row, BackwardRow):
            raise TypeError(
                f"rows[{index}] must be a BackwardRow, got {type(row).__name__} {row!r:.60}"
            )
    headers = [language.text(key) for key in _HEADER_KEYS]
    cells = [
        (
            row.node,
            _number(row.value),
            row.edge,
            _number(row.local_derivative),
            _number(row.upstream_gradient),
            _number(row.gradient),
        )
        for row in rows
    ]
    widths = [
        max([_width(header)] + [_width(line[col]) for line in cells])
        for col, header in enumerate(headers)
    ]
    numeric = (False, True, False, True, True, True)

    def render(line: Sequence[str]) -> str:
        parts = [
            _pad(text, width, right=right)
            for text, width, right in zip(line, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    lines = [render(headers), "  ".join("-" * width for width in widths)]
    lines.extend(render(line) for line in cells)
    return "\n".join(lines)
