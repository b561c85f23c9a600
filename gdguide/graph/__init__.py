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
(``gdguide.explorers.BackwardPassExplorer``) draws the same layout as SVG.

The package has one module per job: ``_model`` (the data model and its DOT text),
``_builders``, ``_layout`` and ``_figure``; everything public is imported here.
"""

from gdguide.graph import _layout, _model
from gdguide.graph._builders import MAX_DATA_ELEMENTS as MAX_DATA_ELEMENTS  # for the tests
from gdguide.graph._builders import autograd_graph, chain_rule_graph
from gdguide.graph._figure import draw_graph
from gdguide.graph._layout import graph_layout
from gdguide.graph._model import Edge, Graph, Node

#: The kinds a :class:`Node` can have.
NODE_KINDS: tuple[str, ...] = _model.NODE_KINDS

#: The directions of :func:`graph_layout`: ``"LR"``, layers left to right (a page-wide figure),
#: and ``"TB"``, top to bottom (a phone).
DIRECTIONS: tuple[str, ...] = _layout.DIRECTIONS

__all__ = [
    "DIRECTIONS",
    "NODE_KINDS",
    "Edge",
    "Graph",
    "Node",
    "autograd_graph",
    "chain_rule_graph",
    "draw_graph",
    "graph_layout",
]

# The public names are documented (autodoc) and named in error reports as gdguide.graph's own.
for _name in __all__:
    _obj = globals()[_name]
    if callable(_obj):
        _obj.__module__ = __name__
del _name, _obj
