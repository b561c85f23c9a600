"""The backward pass of §1.3, step by step, on the computational graph of ``f(x, y, z)``.

The explorer draws the graph of :func:`gdguide.graph.chain_rule_graph` as SVG from the same
layout as the lesson's figure (:func:`gdguide.graph.graph_layout`: left to right when the
explorer is wide, top to bottom on a phone). Next / Previous (buttons or arrow keys) walk the
forward pass one node at a time, then the backward pass one row of
:func:`gdguide.chain_rule.backward_table` at a time, with the edge of the row highlighted and
``gradient = upstream gradient × local derivative`` written out with its numbers, and end with
the three partial derivatives. Numbers are shown as the lesson's table prints them (6
significant digits).
"""

from __future__ import annotations

import html
from typing import Any

from gdguide import chain_rule
from gdguide.explorers._base import Explorer
from gdguide.graph import chain_rule_graph, graph_layout
from gdguide.graph._model import KIND_FILL

__all__ = ["BackwardPassExplorer"]

#: Stroke colour of each kind of box and of the arrows leaving it (as in the figure).
_STROKE = {"input": "#2563eb", "operation": "#6b7280", "output": "#16a34a"}


def _shown(value: float) -> str:
    """Format *value* as the lesson's table prints it."""
    return chain_rule._number(value)


class BackwardPassExplorer(Explorer):
    """Step through the forward and backward pass of ``f(x, y, z)`` on its graph.

    Parameters
    ----------
    x, y, z : float
        The point; it must lie in the domain of ``f`` (``sin(y) != 0`` and ``1 + d > 0``).
    lang : {"en", "ja"}, default "en"
        Language of the labels and announcements.

    Attributes
    ----------
    rows : list of gdguide.chain_rule.BackwardRow
        The backward pass the explorer shows, :func:`gdguide.chain_rule.backward_table` at the
        point.

    Raises
    ------
    TypeError
        If a coordinate is not a real number or *lang* is not a str.
    ValueError
        If a coordinate is not finite, the point is outside the domain of ``f``, or *lang* is
        not a site language.

    Examples
    --------
    >>> explorer = BackwardPassExplorer(1.0, 0.5, 0.5, lang="ja")
    >>> explorer.step_count()
    19
    >>> 'data-explorer="backward_pass"' in explorer._repr_html_()
    True
    """

    kind = "backward_pass"

    def __init__(self, x: float, y: float, z: float, *, lang: str = "en") -> None:
        super().__init__(lang)
        self.rows = chain_rule.backward_table(x, y, z)  # checks the point
        self.values = chain_rule.forward_values(x, y, z)
        self._graph = chain_rule_graph(x, y, z, lang=self.lang)

    def step_count(self) -> int:
        """Return the number of steps: one per node forwards, one per row backwards, the end."""
        return len(self.values) + len(self.rows) + 1

    def data(self) -> dict[str, Any]:
        """Return the steps' numbers (and their printed text) and the two layouts of the graph."""
        consumer = dict(chain_rule.EDGES)
        labels = {node.id: node.label for node in self._graph.nodes}
        forward = [
            {
                "node": name,
                "label": labels[name],
                "input": name in ("x", "y", "z"),
                "value": value,
                "shown": _shown(value),
                "inputs": [s for s, t in chain_rule.EDGES if t == name],
            }
            for name, value in self.values.items()
        ]
        backward = [
            {
                "node": row.node,
                "consumer": consumer.get(row.node),
                "edge": row.edge,
                "upstream": row.upstream_gradient,
                "local": row.local_derivative,
                "gradient": row.gradient,
                "shown": {
                    "upstream": _shown(row.upstream_gradient),
                    "local": _shown(row.local_derivative),
                    "gradient": _shown(row.gradient),
                },
            }
            for row in self.rows
        ]
        layouts = {
            name: graph_layout(self._graph, direction=direction, lang=self.lang)
            for name, direction in (("wide", "LR"), ("narrow", "TB"))
        }
        return {
            "forward": forward,
            "backward": backward,
            "layouts": layouts,
            "fill": KIND_FILL,
            "stroke": _STROKE,
        }

    def strings(self) -> dict[str, str]:
        """Return the templates of the step counter and of each kind of step, in *lang*."""

        # Templates keep their {placeholders} for the script to fill.
        def template(key: str, *names: str) -> str:
            return self.text(key, **{name: "{" + name + "}" for name in names})

        return {
            "graph": self.text("bp_graph"),
            "step": template("bp_step", "k", "n"),
            "forward_input": template("bp_forward_input", "node", "value"),
            "forward_node": template("bp_forward_node", "label", "value"),
            "seed": template("bp_seed", "gradient"),
            "backward": template(
                "bp_backward", "node", "consumer", "edge", "upstream", "local", "gradient"
            ),
            "done": template("bp_done", "x", "y", "z"),
            "announce": template("bp_announce", "k", "n", "text"),
        }

    def body(self, uid: str) -> str:
        """Return the title, the Previous / Next buttons, the counter, the readout and the SVG."""
        first = self.text("bp_step", k=1, n=self.step_count())
        graph_name = html.escape(self.text("bp_graph"))
        return (
            f'<p class="gdx-title"><strong>{self.text("bp_title")}</strong> '
            f'<span class="gdx-hint">{self.text("bp_keys")}</span></p>'
            '<div class="gdx-controls">'
            f'<button type="button" id="{uid}-prev" aria-controls="{uid}-readout">'
            f'{self.text("bp_previous")}</button>'
            f'<button type="button" id="{uid}-next" data-gdx-primary '
            f'aria-controls="{uid}-readout">{self.text("bp_next")}</button>'
            f'<span class="gdx-step" id="{uid}-step">{first}</span>'
            "</div>"
            f'<p class="gdx-readout" id="{uid}-readout"></p>'
            f'<svg id="{uid}-svg" role="img" aria-label="{graph_name}"></svg>'
            "<style>"
            # as tall at every step, so that a step never moves the page below
            ".gdguide-explorer-backward_pass .gdx-readout { min-height: 4.2em; }"
            ".gdguide-explorer-backward_pass svg { max-width: none; margin: 0.5em auto 0; }"
            ".gdguide-explorer-backward_pass svg text { fill: #1f2937; }"
            ".gdguide-explorer-backward_pass .gdx-hint { font-size: 0.9em; }"
            ".gdguide-explorer-backward_pass .gdx-title { margin: 0 0 0.5em; }"
            ".gdguide-explorer-backward_pass button[aria-disabled='true'] { border-style: dashed;"
            " cursor: default; }"
            "</style>"
        )

    def __repr__(self) -> str:
        x, y, z = (self.values[name] for name in "xyz")
        return f"BackwardPassExplorer({x!r}, {y!r}, {z!r}, lang={self.lang!r})"
