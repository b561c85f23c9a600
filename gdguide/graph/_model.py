"""The data model of a computational graph and its Graphviz DOT text.

:class:`Node`, :class:`Edge` and :class:`Graph` are plain validated records; :meth:`Graph.to_dot`
turns a graph into deterministic DOT text that a test can compare as a string.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gdguide._validate import _kind, _short, check_real

__all__ = ["NODE_KINDS", "Edge", "Graph", "Node"]

#: The kinds a :class:`Node` can have.
NODE_KINDS = ("input", "operation", "output")

#: Box colour of each kind, shared by the DOT text, the figure and the explorer's SVG.
KIND_FILL = {"input": "#dbeafe", "operation": "#f3f4f6", "output": "#dcfce7"}


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
                f'  {_dot_quote(node.id)} [label={quoted}, fillcolor="{KIND_FILL[node.kind]}"];'
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

