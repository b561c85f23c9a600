"""The matplotlib figure of a graph, drawn from its :func:`~gdguide.graph.graph_layout`."""

from __future__ import annotations

import re
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from gdguide.figure_variants import attach_phone_variant
from gdguide.graph._layout import (
    GraphLayout,
    TextBlock,
    check_layout_arguments,
    lay_out,
    text_width,
)
from gdguide.graph._model import KIND_FILL, Graph, _check_text
from gdguide.i18n import _figure_context
from gdguide.languages import Language

__all__ = ["draw_graph"]

#: Points per layout unit: the smallest text of a graph figure is set at this size.
UNIT_PT = 10.0
#: Title size, in layout units.
TITLE_SIZE = 1.2
EDGE_COLOUR = {"input": "#2563eb", "operation": "#6b7280", "output": "#16a34a"}
TEXT_COLOUR = "#1f2937"


def _wrap(text: str, width: float, size: float, lang: str) -> str:
    """Break *text* into lines no wider than *width* units (at spaces, or anywhere in Japanese)."""
    pieces = re.findall(r"\S+\s*", text) if " " in text else list(text)
    lines = [""]
    for piece in pieces:
        if lines[-1] and text_width(lines[-1] + piece.rstrip(), size, lang=lang) > width:
            lines.append("")
        lines[-1] += piece
    return "\n".join(line.rstrip() for line in lines)


def _render(
    layout: GraphLayout, kinds: dict[str, str], title: str | None, language: Language
) -> Figure:
    """Draw *layout* in a figure of its own size (one unit = :data:`UNIT_PT` points)."""
    unit_in = UNIT_PT / 72
    title_text = _wrap(title, layout.width - 1.0, TITLE_SIZE, language.code) if title else ""
    title_units = (title_text.count("\n") + 1) * TITLE_SIZE * 1.3 + 1.0 if title else 0.0
    total = layout.height + title_units
    with _figure_context(language):
        fig = plt.figure(figsize=(layout.width * unit_in, total * unit_in))
        ax = fig.add_axes((0.0, 0.0, 1.0, layout.height / total))
        ax.set_xlim(0, layout.width)
        ax.set_ylim(0, layout.height)
        ax.set_axis_off()
        if title:
            fig.suptitle(
                title_text, y=1 - 0.5 / total, va="top", fontsize=TITLE_SIZE * UNIT_PT,
                linespacing=1.3,
            )  # fmt: skip

        def flip(y: float) -> float:  # the layout's y grows downwards, the axes' upwards
            return layout.height - y

        def write(block: TextBlock, **style: Any) -> None:
            ax.text(
                block.x, flip(block.y), "\n".join(block.lines), ha="center", va="center",
                fontsize=block.size * UNIT_PT, linespacing=block.line, **style,
            )  # fmt: skip

        for box in layout.nodes:
            patch = FancyBboxPatch(
                (box.x - box.width / 2, flip(box.y + box.height / 2)),
                box.width,
                box.height,
                boxstyle="round,pad=0,rounding_size=0.5",
                facecolor=KIND_FILL[box.kind],
                edgecolor=EDGE_COLOUR[box.kind],
                linewidth=1.2,
                zorder=2,
            )
            patch.set_gid(f"node:{box.id}")
            ax.add_patch(patch)
            for block in box.texts:
                # not every figure font has a bold weight (the layout knows which)
                weight = "bold" if block.bold else "normal"
                write(block, fontweight=weight, color=TEXT_COLOUR, zorder=3)
        for route in layout.edges:
            arrow = FancyArrowPatch(
                (route.start[0], flip(route.start[1])),
                (route.end[0], flip(route.end[1])),
                arrowstyle="-|>",
                mutation_scale=12,
                shrinkA=0,
                shrinkB=1,
                linewidth=1.2,
                color=EDGE_COLOUR[kinds[route.source]],
                zorder=1,
            )
            arrow.set_gid(f"edge:{route.source}->{route.target}")
            ax.add_patch(arrow)
            if route.label is not None:
                write(
                    route.label,
                    color="#374151",
                    zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                )
    return fig


def draw_graph(
    graph: Graph, *, lang: str = "en", title: str | None = None, show_values: bool = True
) -> Figure:
    """Draw *graph* with matplotlib, left to right in the direction of its edges.

    The positions come from :func:`graph_layout`: layers from the edges (sinks in
    the last column), each node a rounded box coloured by kind (blue inputs, grey operations,
    green output) with its label and, when *show_values*, its value and gradient lines
    (``value −0.5`` / ``grad −14``, or ``値`` / ``勾配`` in Japanese); edges are arrows carrying
    their labels. The smallest text is set at 10 pt and the figure takes the size of the layout,
    so its text stays readable when the page scales it to its width. A top-to-bottom layout of
    the same graph is attached as the figure's phone variant
    (``gdguide.figure_variants.phone_variant``). Boxes and arrows have gids
    ``"node:<id>"`` and ``"edge:<source>-><target>"``.

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

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from gdguide.figure_variants import phone_variant
    >>> from gdguide.graph import chain_rule_graph
    >>> fig = draw_graph(chain_rule_graph(1.0, 0.5, 0.5))
    >>> phone = phone_variant(fig)
    >>> bool(phone.get_figwidth() < fig.get_figwidth())
    True
    >>> plt.close("all")
    """
    language = check_layout_arguments(graph, "LR", lang, show_values)
    _check_text("title", title, optional=True)
    title = graph.title if title is None else title
    kinds = {node.id: node.kind for node in graph.nodes}
    wide = lay_out(graph, "LR", language, show_values)
    tall = lay_out(graph, "TB", language, show_values)
    fig = _render(wide, kinds, title, language)
    return attach_phone_variant(fig, lambda: _render(tall, kinds, title, language))
