"""Where every box, arrow and word of a graph drawing goes: the layout as data.

:func:`graph_layout` places a :class:`~gdguide.graph.Graph` in abstract units (one unit is the
height of the smallest text, an em) and returns a :class:`GraphLayout`: box positions and sizes,
the lines of text in each box, and the route and label anchor of each edge. The matplotlib figure
(:func:`gdguide.graph.draw_graph`) and the SVG of the backward-pass explorer both draw from it, so
the page's still figure and the explorer show the same picture.

The layering is networkx's (``topological_generations``). networkx has no crossing reduction or
coordinate assignment for layered drawings (``multipartite_layout`` spaces the nodes of a layer
evenly in list order, blind to box sizes), so ordering the nodes of a layer next to the nodes they
feed, and spacing boxes of different sizes, is done here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import networkx as nx
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

from gdguide._validate import _kind, _short, check_bool, check_lang, check_str
from gdguide.graph._model import Graph, Node
from gdguide.i18n import _figure_context
from gdguide.languages import LANGUAGES, Language

__all__ = ["DIRECTIONS", "graph_layout"]

#: ``"LR"``: layers left to right (a page-wide figure); ``"TB"``: top to bottom (a phone).
DIRECTIONS = ("LR", "TB")

LABEL_SIZE = 1.0  # node labels (bold where the font has bold); all text is 1 unit high
LINE = 1.3  # line pitch in a box, in units of the font size
EDGE_LINE = 1.15  # line pitch of an edge label
PAD = 0.4  # inside a box, around its text
LABEL_PAD = 0.2  # around an edge label, inside its white backing
MARGIN = 0.4  # around the drawing
LAYER_GAP = {"LR": 2.4, "TB": 2.0}  # the least room between two layers, for the arrows
SPREAD = {"LR": 1.2, "TB": 1.0}  # between two boxes of one layer
SLACK = 1.03  # measured text widths are widened by this factor (other fonts, hinting)
ROUTE_SPREAD = 0.3  # arrows into one side of a box share the middle 60 % of that side


@dataclass(frozen=True)
class TextBlock:
    """Lines of text centred on ``(x, y)``, each ``size`` units high, ``line`` × size apart.

    ``roles`` names each line: ``"label"``, ``"value"``, ``"grad"`` or ``"edge"`` (the explorer
    shows a value or gradient line only once its step has been reached).
    """

    lines: tuple[str, ...]
    roles: tuple[str, ...]
    x: float
    y: float
    size: float
    line: float
    bold: bool = False

    def line_y(self, index: int) -> float:
        """Return the centre height of line *index* (y grows downwards)."""
        return self.y + (index - (len(self.lines) - 1) / 2) * self.line * self.size


@dataclass(frozen=True)
class NodeBox:
    """A node's box: centre ``(x, y)``, ``width`` × ``height``, and its text blocks."""

    id: str
    kind: str
    x: float
    y: float
    width: float
    height: float
    texts: tuple[TextBlock, ...]


@dataclass(frozen=True)
class EdgeRoute:
    """An arrow from ``start`` to ``end``; its label (if any) on a white box centred on it."""

    source: str
    target: str
    start: tuple[float, float]
    end: tuple[float, float]
    label: TextBlock | None
    label_width: float
    label_height: float


@dataclass(frozen=True)
class GraphLayout:
    """A laid-out graph: size in units (y grows downwards), boxes in node order, edge routes."""

    direction: str
    width: float
    height: float
    nodes: tuple[NodeBox, ...]
    edges: tuple[EdgeRoute, ...]

    def node(self, id: str) -> NodeBox:  # noqa: A002 - the node field is called id
        """Return the box of the node *id*."""
        for box in self.nodes:
            if box.id == id:
                return box
        raise ValueError(f"id must be the id of a node of this layout, got {id!r}")

    def smallest_text(self) -> float:
        """Return the height in units of the smallest text of the layout."""
        blocks = [t for box in self.nodes for t in box.texts]
        blocks += [edge.label for edge in self.edges if edge.label is not None]
        return min(block.size for block in blocks)

    def to_data(self) -> dict[str, Any]:
        """Return the layout as JSON-ready data (numbers rounded to 0.001 unit), for the SVG."""

        def r(value: float) -> float:
            return round(value, 3)

        def block(t: TextBlock) -> dict[str, Any]:
            return {
                "lines": list(t.lines), "roles": list(t.roles), "x": r(t.x),
                "y": [r(t.line_y(i)) for i in range(len(t.lines))], "size": t.size,
                "bold": t.bold,
            }  # fmt: skip

        return {
            "direction": self.direction,
            "width": r(self.width),
            "height": r(self.height),
            "nodes": [
                {
                    "id": b.id, "kind": b.kind, "x": r(b.x - b.width / 2),
                    "y": r(b.y - b.height / 2), "w": r(b.width), "h": r(b.height),
                    "texts": [block(t) for t in b.texts],
                }  # fmt: skip
                for b in self.nodes
            ],
            "edges": [
                {
                    "source": e.source, "target": e.target,
                    "points": [r(e.start[0]), r(e.start[1]), r(e.end[0]), r(e.end[1])],
                    "label": None if e.label is None else block(e.label),
                    "box": None if e.label is None else [
                        r(e.label.x - e.label_width / 2), r(e.label.y - e.label_height / 2),
                        r(e.label_width), r(e.label_height),
                    ],
                }  # fmt: skip
                for e in self.edges
            ],
        }


# --------------------------------------------------------------------------------------------
# Text measures
# --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _advance(line: str, bold: bool, code: str) -> float:
    """Return the advance width of *line* in ems, in the figure font of the language *code*."""
    size = 100.0  # FreeType measures in whole pixels: measure large, scale down
    with _figure_context(LANGUAGES[code]):
        properties = FontProperties(size=size, weight="bold" if bold else "normal")
        width, _, _ = text_to_path.get_text_width_height_descent(line, properties, ismath=False)
    return width / size


def text_width(text: str, size: float = 1.0, *, bold: bool = False, lang: str = "en") -> float:
    """Return the width in units of the widest line of *text* at *size* units.

    The width is measured in the figure font of *lang* (matplotlib's own text metrics) and
    widened by :data:`SLACK`, so that the text also stays inside its box in a browser's sans-serif
    font.

    Examples
    --------
    >>> text_width("x") < text_width("勾配", lang="ja") < 2.2
    True
    """
    widest = max(_advance(line, bold, lang) for line in text.split("\n"))
    return widest * size * SLACK


def _minus(text: str) -> str:
    """Use the typographic minus sign for display."""
    return text.replace("-", "\N{MINUS SIGN}")


def _display_label(node: Node) -> tuple[str, ...]:
    """Split long autograd class names: ``TanhBackward0`` → ``Tanh`` / ``Backward0``."""
    text = node.label
    position = text.find("Backward")
    if "\n" not in text and position > 0 and len(text) > 10:
        return (text[:position], text[position:])
    return tuple(text.split("\n"))


def _display_edge_label(text: str) -> tuple[str, ...]:
    """Break an edge label after its ``=`` so that it fits between two layers."""
    head, sep, tail = text.rpartition(" = ")
    if not sep:
        return tuple(text.split("\n"))
    return (f"{head} =", _minus(tail))


# --------------------------------------------------------------------------------------------
# Layers and positions
# --------------------------------------------------------------------------------------------


def _layers(graph: Graph) -> dict[str, int]:
    """Give each node a layer: the longest path to a sink, counted back from the last layer.

    Sinks are in the last layer and every other node one layer before its furthest consumer, so
    that an input sits next to where it is used.
    """
    digraph = nx.DiGraph()
    digraph.add_nodes_from(node.id for node in graph.nodes)
    digraph.add_edges_from((edge.source, edge.target) for edge in graph.edges)
    if not nx.is_directed_acyclic_graph(digraph):
        raise ValueError("graph must be acyclic to be drawn, but its edges form a cycle")
    # Generations of the reversed graph count the longest path from each node to a sink.
    height = {
        node_id: generation
        for generation, ids in enumerate(nx.topological_generations(digraph.reverse(copy=False)))
        for node_id in ids
    }
    top = max(height.values())
    return {node.id: top - height[node.id] for node in graph.nodes}


def _cross_positions(
    graph: Graph, layer: dict[str, int], extent: dict[str, float], spread: float
) -> dict[str, float]:
    """Return each node's centre across its layer (y for left-to-right, x for top-to-bottom).

    Layers are placed from the last to the first: a node wishes to sit at the mean position of
    the nodes that use it, the layer keeps that order (ties by edge order, so the first-listed
    input comes first), boxes are pushed apart to leave *spread* between neighbours, and the
    layer is shifted back onto the wished positions on average.
    """
    count = max(layer.values()) + 1
    layers: list[list[str]] = [[] for _ in range(count)]
    for node in graph.nodes:
        layers[layer[node.id]].append(node.id)
    outgoing: dict[str, list[tuple[int, str]]] = {node.id: [] for node in graph.nodes}
    for index, edge in enumerate(graph.edges):
        outgoing[edge.source].append((index, edge.target))
    position: dict[str, float] = {}
    for ids in reversed(layers):
        wished: dict[str, float] = {}
        first_edge: dict[str, int] = {}
        cursor = 0.0
        for rank, node_id in enumerate(ids):
            targets = [t for _, t in outgoing[node_id] if t in position]
            if targets:  # every node but a sink (and sinks are all in the last layer)
                wished[node_id] = sum(position[t] for t in targets) / len(targets)
                first_edge[node_id] = min(i for i, _ in outgoing[node_id])
            else:
                wished[node_id] = cursor + extent[node_id] / 2
                cursor += extent[node_id] + spread
                first_edge[node_id] = rank
        ids.sort(key=lambda n: (wished[n], first_edge[n]))
        placed: list[float] = []
        for i, node_id in enumerate(ids):
            least = -float("inf") if not i else (
                placed[-1] + (extent[ids[i - 1]] + extent[node_id]) / 2 + spread
            )  # fmt: skip
            placed.append(max(wished[node_id], least))
        shift = sum(wished[n] - p for n, p in zip(ids, placed, strict=True)) / len(ids)
        for node_id, p in zip(ids, placed, strict=True):
            position[node_id] = p + shift
    return position


def graph_layout(
    graph: Graph, *, direction: str = "LR", lang: str = "en", show_values: bool = True
) -> dict[str, Any]:
    """Lay *graph* out in layers along its edges; return every position as data.

    Each node becomes a box holding its label (bold where the language's figure font has bold)
    and, when *show_values*, a ``value …`` and a ``grad …`` line (``値`` / ``勾配`` in Japanese)
    when the node has them. Layers follow the edges (longest path to a sink, from networkx); the
    boxes of a layer sit next to the nodes they feed. Each edge runs from the side of its source
    that faces the next layer to the facing side of its target, its label (broken after ``=``)
    on a white backing at the middle; the room between two layers grows to fit the labels that
    cross it. :func:`draw_graph` draws this layout, and so does the SVG of the backward-pass
    explorer.

    Parameters
    ----------
    graph : Graph
        An acyclic graph with at least one node.
    direction : {"LR", "TB"}
        Layers left to right (a page-wide figure) or top to bottom (a phone).
    lang : {"en", "ja"}
        Language of the value / gradient words (and whether labels are bold).
    show_values : bool
        Whether the boxes hold the value and gradient lines.

    Returns
    -------
    dict
        JSON-ready, in units of the text height (y grows downwards): ``"width"``,
        ``"height"``, ``"direction"``; ``"nodes"``, one dict per node in graph order with
        ``"id"``, ``"kind"``, the box's top left ``"x"``, ``"y"`` and size ``"w"``, ``"h"``,
        and ``"texts"``; ``"edges"``, one dict per edge with ``"source"``, ``"target"``,
        ``"points"`` (start x, y, end x, y), ``"label"`` and the label's backing ``"box"``
        (``None`` without a label). A text block has its ``"lines"``, each line's ``"roles"``
        (``"label"``, ``"value"``, ``"grad"`` or ``"edge"``), the centre ``"x"``, each line's
        centre ``"y"``, its ``"size"`` and ``"bold"``.

    Raises
    ------
    TypeError
        If *graph* is not a :class:`Graph` or another argument has the wrong type.
    ValueError
        If *graph* is empty or cyclic, *direction* is unknown or *lang* is unknown.

    Examples
    --------
    >>> from gdguide.graph import chain_rule_graph
    >>> wide = graph_layout(chain_rule_graph(1.0, 0.5, 0.5))
    >>> tall = graph_layout(chain_rule_graph(1.0, 0.5, 0.5), direction="TB")
    >>> wide["width"] > wide["height"], tall["width"] < tall["height"]
    (True, True)
    >>> [node["id"] for node in wide["nodes"]]
    ['x', 'y', 'z', 'a', 'b', 'c', 'd', 'e', 'f']
    """
    language = check_layout_arguments(graph, direction, lang, show_values)
    return lay_out(graph, direction, language, show_values).to_data()


def check_layout_arguments(graph: Any, direction: Any, lang: Any, show_values: Any) -> Language:
    """Check the arguments of a layout (also :func:`draw_graph`'s); return the language."""
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be a Graph, got {_kind(graph)} {_short(graph)}")
    check_str("direction", direction)
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    language = check_lang(lang)
    check_bool("show_values", show_values)
    graph._check()
    if not graph.nodes:
        raise ValueError("graph must have at least one node to be drawn, got an empty graph")
    return language


def lay_out(graph: Graph, direction: str, language: Language, show_values: bool) -> GraphLayout:
    """Compute the layout of a checked graph (see :func:`graph_layout`) as objects."""
    across = direction == "LR"  # layers run along x
    layer = _layers(graph)

    # Box contents and sizes.
    content: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
    size: dict[str, tuple[float, float]] = {}
    for node in graph.nodes:
        label = _display_label(node)
        details: list[str] = []
        roles: list[str] = []
        shown_lines = (("value", "node_value", node.value), ("grad", "node_grad", node.grad))
        for role, word, shown in shown_lines:
            if show_values and shown is not None:
                details.append(f"{language.text(word)} {_minus(shown)}")
                roles.append(role)
        content[node.id] = (label, tuple(details), tuple(roles))
        width = max(
            [text_width(t, LABEL_SIZE, bold=language.bold, lang=language.code) for t in label]
            + [text_width(line, lang=language.code) for line in details]
        )
        height = len(label) * LABEL_SIZE * LINE + len(details) * LINE
        size[node.id] = (width + 2 * PAD, height + 2 * PAD)

    labels = {
        (e.source, e.target): _display_edge_label(e.label)
        for e in graph.edges
        if e.label is not None
    }
    label_size = {
        pair: (
            text_width("\n".join(lines), lang=language.code) + 2 * LABEL_PAD,
            len(lines) * EDGE_LINE + 2 * LABEL_PAD,
        )
        for pair, lines in labels.items()
    }

    # Along the layers: each layer as thick as its thickest box, gaps wide enough for labels.
    main = {n: size[n][0 if across else 1] for n in size}
    cross = {n: size[n][1 if across else 0] for n in size}
    count = max(layer.values()) + 1
    thickness = [0.0] * count
    for node_id, index in layer.items():
        thickness[index] = max(thickness[index], main[node_id])
    gap = [LAYER_GAP[direction]] * max(count - 1, 0)
    for (source, target), (w, h) in label_size.items():
        needed = (w if across else h) + 0.8  # room for the arrow on both sides of the label
        for between in range(layer[source], layer[target]):
            gap[between] = max(gap[between], needed / max(layer[target] - layer[source], 1))
    centre_main: list[float] = []
    cursor = MARGIN
    for index in range(count):
        centre_main.append(cursor + thickness[index] / 2)
        cursor += thickness[index] + (gap[index] if index < count - 1 else 0.0)
    main_length = cursor + MARGIN

    position = _cross_positions(graph, layer, cross, SPREAD[direction])
    low = min(position[n] - cross[n] / 2 for n in position)
    high = max(position[n] + cross[n] / 2 for n in position)
    offset = MARGIN - low
    cross_length = high - low + 2 * MARGIN

    def point(along: float, side: float) -> tuple[float, float]:
        return (along, side) if across else (side, along)

    boxes: dict[str, NodeBox] = {}
    for node in graph.nodes:
        cx, cy = point(centre_main[layer[node.id]], position[node.id] + offset)
        w, h = size[node.id]
        label, details, roles = content[node.id]
        label_height = len(label) * LABEL_SIZE * LINE
        texts = [
            TextBlock(
                label, ("label",) * len(label), cx, cy - h / 2 + PAD + label_height / 2,
                LABEL_SIZE, LINE, language.bold,
            )  # fmt: skip
        ]
        if details:
            texts.append(
                TextBlock(details, roles, cx, cy + h / 2 - PAD - len(details) * LINE / 2, 1.0, LINE)
            )
        boxes[node.id] = NodeBox(node.id, node.kind, cx, cy, w, h, tuple(texts))

    # Arrows into (or out of) one side of a box are spread over that side, in the order of the
    # boxes at their other ends, so that the labels of two arrows meeting at a box stay apart.
    def ends(node_id: str, others: list[str]) -> dict[str, float]:
        order = sorted(others, key=lambda other: position[other])
        k = len(order)
        return {
            other: (position[node_id] + offset)
            + (0.0 if k == 1 else (2 * i / (k - 1) - 1) * ROUTE_SPREAD * cross[node_id])
            for i, other in enumerate(order)
        }

    inputs = {n.id: [e.source for e in graph.edges if e.target == n.id] for n in graph.nodes}
    outputs = {n.id: [e.target for e in graph.edges if e.source == n.id] for n in graph.nodes}
    end_at = {n: ends(n, inputs[n]) for n in inputs}
    start_at = {n: ends(n, outputs[n]) for n in outputs}
    routes = []
    for edge in graph.edges:
        s, t = edge.source, edge.target
        start = point(centre_main[layer[s]] + main[s] / 2, start_at[s][t])
        end = point(centre_main[layer[t]] - main[t] / 2, end_at[t][s])
        lines = labels.get((s, t))
        block = None
        w = h = 0.0
        if lines is not None:
            mid = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            block = TextBlock(lines, ("edge",) * len(lines), mid[0], mid[1], 1.0, EDGE_LINE)
            w, h = label_size[(s, t)]
        routes.append(EdgeRoute(s, t, start, end, block, w, h))

    width, height = point(main_length, cross_length)
    return GraphLayout(
        direction, width, height, tuple(boxes[n.id] for n in graph.nodes), tuple(routes)
    )
