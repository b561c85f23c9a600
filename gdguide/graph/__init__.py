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
  :func:`gdguide.chain_rule.backward_table`, with every value, gradient and local derivative
  filled in.

:func:`graph_layout` places a graph (boxes, text, arrows) as data in abstract units;
:func:`draw_graph` draws that layout with matplotlib, and the backward-pass explorer
(:class:`gdguide.explorers.BackwardPassExplorer`) draws the same layout as SVG.

The package has one module per job: ``_model`` (the data model and its DOT text),
``_builders``, ``_layout`` and ``_figure``; everything public is imported here.
"""

from gdguide.graph._builders import MAX_DATA_ELEMENTS, autograd_graph, chain_rule_graph
from gdguide.graph._figure import draw_graph
from gdguide.graph._layout import DIRECTIONS, graph_layout
from gdguide.graph._layout import EdgeRoute as EdgeRoute
from gdguide.graph._layout import GraphLayout as GraphLayout
from gdguide.graph._layout import NodeBox as NodeBox
from gdguide.graph._layout import TextBlock as TextBlock
from gdguide.graph._model import NODE_KINDS, Edge, Graph, Node

__all__ = [
    "DIRECTIONS",
    "MAX_DATA_ELEMENTS",
    "NODE_KINDS",
    "Edge",
    "Graph",
    "Node",
    "autograd_graph",
    "chain_rule_graph",
    "draw_graph",
    "graph_layout",
]

# The layout's records (GraphLayout, NodeBox, EdgeRoute, TextBlock) are importable from here
# but not listed in __all__: graph_layout makes them, nobody is meant to build one by hand.

# The public names are documented (autodoc) and listed in error reports as gdguide.graph's own.
for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
