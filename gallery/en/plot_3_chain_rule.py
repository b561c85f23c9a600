r"""
1.3 Computational graphs and backpropagation
============================================

The exercise of the previous lesson ended with a function that is unpleasant to differentiate in
one go:

.. math::

   f(x, y, z) = \tanh\left( \ln\left[ 1 + z \, \frac{2x}{\sin(y)} \right] \right)

This lesson takes it apart. Cut into small steps, :math:`f` becomes a **computational graph**;
running the graph forwards computes :math:`f`, and running it backwards with the chain rule
computes all three partial derivatives at once. This is **backpropagation**, the algorithm
behind every deep-learning framework -- and in this lesson you write it yourself.

**What you will learn**

* how to split a formula into intermediate variables and draw them as a graph;
* the forward pass: computing and storing every intermediate value;
* the local derivative on each edge of the graph, and why it is easy;
* the backward pass: multiplying local derivatives from the output back to the inputs;
* how to check a backward pass against autograd and finite differences;
* why gradients add up where two paths meet, and why PyTorch's ``.grad`` accumulates;
* what happens at points where :math:`f` is not defined.
"""

import math

from gdguide.language import use_language

LANG = use_language("en")

# %%
# Intermediate variables
# ----------------------
#
# Read :math:`f` from the inside out and give every step a name:
#
# .. math::
#
#    \begin{aligned}
#    a &= 2x, & b &= \sin(y), & c &= \frac{a}{b}, \\
#    d &= c \, z, & e &= \ln(d + 1), & f &= \tanh(e).
#    \end{aligned}
#
# Each line is one simple operation with one or two inputs. Drawn as a graph, the inputs
# :math:`x, y, z` are on the left and arrows lead through the intermediate nodes to :math:`f`:
# :math:`x \to a`, :math:`y \to b`, :math:`a, b \to c`, :math:`c, z \to d`, then
# :math:`d \to e \to f`.
#
# The forward pass
# ----------------
#
# Following the arrows from the inputs computes the nodes in order, each from values that are
# already known. This is the **forward pass**. In code it is one line per node. The function
# below returns every value in a dictionary, because the backward pass is going to need them
# all:


def forward(x, y, z):
    """Run the forward pass of f and return the value of every node."""
    a = 2 * x
    b = math.sin(y)
    c = a / b
    d = c * z
    e = math.log(d + 1)
    f = math.tanh(e)
    return {"x": x, "y": y, "z": z, "a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


# %%
# We pick the point :math:`x = 1`, :math:`y = 0.5`, :math:`z = 0.5` (any point with
# :math:`\sin y \neq 0` and :math:`1 + d > 0` would do), run the forward pass and compare its
# last node with :func:`gdguide.functions.f`, which evaluates the formula in one go:

from gdguide.functions import f

x, y, z = 1.0, 0.5, 0.5
v = forward(x, y, z)
for name, value in v.items():
    print(f"{name} = {value:.6f}")
print(f"f(x, y, z) in one go: {f(x, y, z):.6f}")
print(f"same value (relative tolerance 1e-12): {math.isclose(v['f'], f(x, y, z), rel_tol=1e-12)}")

# %%
# The last node is :math:`f` itself. The dictionary ``v`` now holds every intermediate value;
# from here on, everything is computed from it.
#
# Local derivatives
# -----------------
#
# Each arrow of the graph connects an input of one small operation to its output. The derivative
# of that output with respect to that input is the **local derivative** of the edge -- one line of
# school calculus each:
#
# .. math::
#
#    \begin{aligned}
#    \frac{\partial f}{\partial e} &= 1 - \tanh^2(e), &
#    \frac{\partial e}{\partial d} &= \frac{1}{d + 1}, &
#    \frac{\partial d}{\partial c} &= z, &
#    \frac{\partial d}{\partial z} &= c, \\
#    \frac{\partial c}{\partial a} &= \frac{1}{b}, &
#    \frac{\partial c}{\partial b} &= -\frac{a}{b^2}, &
#    \frac{\partial a}{\partial x} &= 2, &
#    \frac{\partial b}{\partial y} &= \cos(y).
#    \end{aligned}
#
# Notice that every one of them is written with the node values :math:`a, \dots, e` and the
# inputs -- numbers the forward pass has already stored. Nothing needs to be expanded back into a
# big formula. Here they are at our point, each computed from ``v``:

local = {
    "∂f/∂e": 1 - math.tanh(v["e"]) ** 2,
    "∂e/∂d": 1 / (v["d"] + 1),
    "∂d/∂c": v["z"],
    "∂d/∂z": v["c"],
    "∂c/∂a": 1 / v["b"],
    "∂c/∂b": -v["a"] / v["b"] ** 2,
    "∂a/∂x": 2.0,
    "∂b/∂y": math.cos(v["y"]),
}
for edge, derivative in local.items():
    print(f"{edge} = {derivative:+.6f}")

# %%
# The backward pass
# -----------------
#
# Now walk the graph against the arrows. Start at the output with :math:`\partial f/\partial f = 1`.
# For every node, the gradient :math:`\partial f / \partial \text{node}` is the gradient that
# arrives from the node it feeds (its *upstream gradient*) times the local derivative of the edge
# between them. In this graph every node except :math:`f` feeds exactly one operation
# (:math:`d`, for instance, feeds only :math:`e`), so each node's gradient is a single product.
# The graph does branch the other way: :math:`d` has two inputs, :math:`c` and :math:`z`, so
# :math:`\partial f/\partial d` is passed down to both, and :math:`c` passes
# :math:`\partial f/\partial c` down to :math:`a` and :math:`b`. Multiplying along the path from
# :math:`f` down to :math:`x`, and to :math:`z`, gives
#
# .. math::
#
#    \frac{\partial f}{\partial x}
#    = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d} \frac{\partial d}{\partial c}
#    \frac{\partial c}{\partial a} \frac{\partial a}{\partial x}
#    = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot z \cdot \frac{1}{b} \cdot 2
#
# .. math::
#
#    \frac{\partial f}{\partial z}
#    = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d} \frac{\partial d}{\partial z}
#    = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot c
#
# Exercise 1.3: the chain rule for ∂f/∂y
# --------------------------------------
#
# Follow the arrows back from :math:`f` to :math:`y` and write :math:`\partial f/\partial y` as a
# product of local derivatives, then in terms of the intermediate variables. Then turn it into
# code: ``df_dy_mine(v)`` receives the dictionary of stored values that ``forward`` returns and
# returns :math:`\partial f/\partial y` as a number. It needs no new forward pass, only ``v`` and
# the ``math`` module. :func:`gdguide.exercises.check_df_dy` compares your function with
# PyTorch's autograd at several points and prints a verdict; as given, the function is not
# written yet, so the check reports that:

from gdguide.exercises import check_df_dy


def df_dy_mine(v):
    """Return df/dy from the stored forward values v (keys "x", "y", "z", "a", ..., "f")."""
    # ---- your code here: replace the next line ----
    raise NotImplementedError("multiply the local derivatives on the path from f back to y")


print(check_df_dy(df_dy_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    The path from :math:`f` back to :math:`y` runs through :math:`e`, :math:`d`, :math:`c` and
#    :math:`b`, so the chain rule multiplies five local derivatives:
#
#    .. math::
#
#       \frac{\partial f}{\partial y}
#       = \frac{\partial f}{\partial e} \frac{\partial e}{\partial d}
#       \frac{\partial d}{\partial c} \frac{\partial c}{\partial b} \frac{\partial b}{\partial y}
#       = \left(1 - \tanh^2 e\right) \cdot \frac{1}{d + 1} \cdot z \cdot
#       \left(-\frac{a}{b^2}\right) \cdot \cos(y)
#
#    Compare it with :math:`\partial f/\partial x`: the first three factors are the same. Together
#    they are the upstream gradient :math:`\partial f/\partial c`, which a backward pass computes
#    only once and uses for both.
#
#    .. code-block:: python
#
#       import math
#
#
#       def df_dy_mine(v):
#           """Return df/dy from the stored forward values v (keys "x", "y", "z", "a", ..., "f")."""
#           df_dc = (1 - math.tanh(v["e"]) ** 2) * (1 / (v["d"] + 1)) * v["z"]  # shared with df/dx
#           return df_dc * (-v["a"] / v["b"] ** 2) * math.cos(v["y"])
#
#    Paste it into the cell above, run the check again, and it passes.
#
# Exercise 1.3 (continued): write the backward pass
# -------------------------------------------------
#
# Now compute all three partial derivatives the way a deep-learning framework does: one gradient
# per node, from the output back to the inputs, each one an upstream gradient you already have
# times one local derivative from the list above. Start from :math:`\partial f/\partial f = 1`
# and go in this order:
#
# 1. :math:`\partial f/\partial e`, then :math:`\partial f/\partial d`;
# 2. the two branches below :math:`d`: :math:`\partial f/\partial c` and
#    :math:`\partial f/\partial z`;
# 3. the two branches below :math:`c`: :math:`\partial f/\partial a` and
#    :math:`\partial f/\partial b`;
# 4. the inputs: :math:`\partial f/\partial x` and :math:`\partial f/\partial y`.
#
# ``backward_mine(v)`` receives the stored values and returns the tuple
# ``(df_dx, df_dy, df_dz)``. It takes about ten lines, one per node.
# :func:`gdguide.exercises.check_backward_pass` runs it at several points and compares the three
# numbers with PyTorch's autograd:

from gdguide.exercises import check_backward_pass


def backward_mine(v):
    """Return (df/dx, df/dy, df/dz) from the stored forward values v."""
    # ---- your code here: start from df_df = 1.0, one line per node, then return ----
    raise NotImplementedError("walk the graph backwards, starting from df/df = 1")


print(check_backward_pass(backward_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    Each line multiplies the gradient of the node above by the local derivative of one edge.
#    :math:`\partial f/\partial d` and :math:`\partial f/\partial c` are each computed once and
#    used twice:
#
#    .. code-block:: python
#
#       import math
#
#
#       def backward_mine(v):
#           """Return (df/dx, df/dy, df/dz) from the stored forward values v."""
#           df_df = 1.0
#           df_de = df_df * (1 - math.tanh(v["e"]) ** 2)  # f = tanh(e)
#           df_dd = df_de * (1 / (v["d"] + 1))  # e = ln(d + 1)
#           df_dc = df_dd * v["z"]  # d = c * z, branch to c
#           df_dz = df_dd * v["c"]  # d = c * z, branch to z
#           df_da = df_dc * (1 / v["b"])  # c = a / b, branch to a
#           df_db = df_dc * (-v["a"] / v["b"] ** 2)  # c = a / b, branch to b
#           df_dx = df_da * 2  # a = 2x
#           df_dy = df_db * math.cos(v["y"])  # b = sin(y)
#           return df_dx, df_dy, df_dz
#
#    Since :math:`f = \tanh e` is stored too, the first factor can also be written
#    ``1 - v["f"] ** 2``.
#
# What you just computed, as a table
# ----------------------------------
#
# :func:`gdguide.chain_rule.backward_table` walks the same graph one node at a time, and
# :class:`gdguide.chain_rule.BackwardTable` shows the walk as a table: each row shows a node, its
# value from the forward pass, the edge to the node it feeds, the local derivative on that edge,
# the upstream gradient and their product -- one row per line of ``backward_mine``.

from gdguide.chain_rule import BackwardTable, backward_table

rows = backward_table(x, y, z)
BackwardTable(rows, lang=LANG)

# %%
# Read the table from top to bottom: every row's upstream gradient is the *gradient* of a row
# above it, so each row needs one multiplication and nothing else. The rows come in a slightly
# different order from the one in the exercise; any order works as long as a node comes after
# the node it feeds. The gradient :math:`\partial f/\partial d` is computed once and then used
# twice, for the branch to :math:`c` (and on to :math:`a, b, x, y`) and for the branch to
# :math:`z`. That sharing is what makes backpropagation cheap: in general the backward pass
# costs only a small multiple of one forward pass, however many inputs there are. The three
# numbers we wanted are in the last rows: :math:`\partial f/\partial z`,
# :math:`\partial f/\partial y` and :math:`\partial f/\partial x`.
#
# Step by step
# ------------
#
# The explorer below replays the forward pass and then the table, one row at a time, on the graph
# itself. Press **Next** (or the right arrow key) to move on and **Previous** (or the left arrow
# key) to go back. During the backward pass the edge of the current row is highlighted and its
# product is written out with the table's numbers; the last step collects the three partial
# derivatives.

from gdguide.explorers import BackwardPassExplorer

BackwardPassExplorer(x, y, z, lang=LANG)

# %%
# The graph, drawn
# ----------------
#
# :func:`gdguide.graph.chain_rule_graph` builds the same graph as data, and
# :func:`gdguide.graph.draw_graph` draws it: every node shows its value from the forward pass and
# its gradient :math:`\partial f/\partial \text{node}` from the backward pass, and every edge its
# local derivative.

from gdguide.graph import chain_rule_graph, draw_graph

graph = chain_rule_graph(x, y, z, lang=LANG)
fig = draw_graph(graph, lang=LANG)

# %%
# Follow any arrow backwards and you can check the rule with the numbers on the figure: the
# gradient of the node at the tail of an arrow is the gradient at its head times the label on the
# arrow. The gradient of the output is 1, and the gradients of the inputs :math:`x, y, z` are the
# partial derivatives of :math:`f`.
#
# Checking the backward pass
# --------------------------
#
# A gradient derived by hand is only as good as its check. The cell below takes the three
# gradients from the last rows of the table and compares them with PyTorch's autograd
# (:func:`gdguide.gradcheck.autograd_gradient`) and with central differences
# (:func:`gdguide.gradcheck.numerical_gradient`); :func:`gdguide.gradcheck.compare_gradients`
# decides with tolerances. To check your own function the same way, set
# ``hand = list(backward_mine(v))``.

from gdguide.gradcheck import autograd_gradient, compare_gradients, numerical_gradient

gradient = {row.node: row.gradient for row in rows}
hand = [gradient["x"], gradient["y"], gradient["z"]]
autograd = autograd_gradient(f, x, y, z)
numerical = numerical_gradient(f, x, y, z)
for name, by_hand, by_autograd, by_difference in zip("xyz", hand, autograd, numerical, strict=True):
    print(
        f"∂f/∂{name}: backward pass {by_hand:+.12f}, autograd {float(by_autograd):+.12f}, "
        f"central difference {by_difference:+.12f}"
    )
comparison = compare_gradients(hand, autograd, numerical, names=["x", "y", "z"])
print(
    f"backward pass, autograd and central difference agree "
    f"(rtol = {comparison.rtol:g}, atol = {comparison.atol:g}): {comparison.passed}"
)

# %%
# Autograd agrees with the backward pass to about the last digit of a float; the central
# difference, an approximation, agrees to about ten digits. Both are far inside the tolerances.
#
# Outside the domain
# ------------------
#
# :math:`f` is not defined everywhere: :math:`c = a/b` needs :math:`\sin y \neq 0`, and the
# logarithm needs :math:`1 + d > 0`. A careless implementation does not notice. In floating
# point, :math:`\sin(\pi)` is not exactly zero but about :math:`10^{-16}`, so the formula
# quietly divides by it and returns a number that means nothing:

naive = math.tanh(math.log(1 + z * 2 * x / math.sin(math.pi)))
print(f"sin(pi) = {math.sin(math.pi):.3g}, naive f(1, pi, 0.5) = {naive}")

# %%
# :func:`gdguide.functions.f` (and everything in :mod:`gdguide.chain_rule`) checks the domain
# first and raises a clear :class:`ValueError` instead, naming the argument and the value at
# fault -- a silent wrong number is the worst kind of bug in a gradient computation:

bad_points = [(1.0, math.pi, 0.5), (1.0, 0.5, -0.5)]
for bad_point in bad_points:
    try:
        f(*bad_point)
    except ValueError as error:
        print(f"f{bad_point} -> ValueError: {error}")

# %%
# When two paths meet: gradients add up
# -------------------------------------
#
# In the graph of :math:`f` no value is used by two operations. In most programs some value is,
# and then paths meet.
# Take the tiny graph
#
# .. math::
#
#    g = x \, y + x
#
# Here :math:`x` feeds two operations: the product :math:`x y` and the final sum. So there are
# two paths from :math:`g` back to :math:`x`: through the product, with local derivative
# :math:`y`, and straight from the sum, with local derivative :math:`1`. The chain rule adds the
# contributions of the paths:
#
# .. math::
#
#    \frac{\partial g}{\partial x} = y + 1, \qquad \frac{\partial g}{\partial y} = x
#
# PyTorch finds the same. Make :math:`x` and :math:`y` tensors with ``requires_grad=True``,
# compute :math:`g` and call ``g.backward()``; the gradients appear in ``x.grad`` and
# ``y.grad``:

import torch

x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(0.5, requires_grad=True)
g = x * y + x
g.backward()
dg_dx_by_hand = y.item() + 1
print(f"x.grad = {x.grad.item():.6f}, by hand y + 1 = {dg_dx_by_hand:.6f}")
print(f"y.grad = {y.grad.item():.6f}, by hand x = {x.item():.6f}")
agree = math.isclose(x.grad.item(), dg_dx_by_hand, rel_tol=1e-6)
print(f"x.grad and y + 1 agree (relative tolerance 1e-6): {agree}")

# %%
# While it walks the graph backwards, autograd sums the contributions that reach :math:`x`
# along both paths (:math:`y` through the product, :math:`1` from the sum) and then adds the
# total into ``x.grad``: it does ``x.grad += ...`` instead of overwriting it (the first time,
# while ``x.grad`` is still ``None``, it simply stores the total). Adding is the rule wherever
# gradients meet, and it does not stop after one call: a second forward and backward pass adds
# its gradient on top of the first one.

g = x * y + x  # a new forward pass builds a new graph
g.backward()
print(f"x.grad after a second backward = {x.grad.item():.6f}")
print(f"2 * (y + 1) = {2 * dg_dx_by_hand:.6f}")

# %%
# ``x.grad`` now holds twice the gradient. This is useful when gradients should be summed, but in
# a training loop every step needs the gradient of one loss only, so ``.grad`` has to be reset
# before each backward pass. The next lesson shows how.
#
# Recap
# -----
#
# * A complicated function becomes a **computational graph** once every step gets a name
#   (:math:`a = 2x, b = \sin y, \dots, f = \tanh e`).
# * The **forward pass** computes and stores every node's value, inputs first.
# * Every edge has a **local derivative**, easy to write down and evaluated from stored values.
# * The **backward pass** starts with :math:`\partial f/\partial f = 1` and multiplies upstream
#   gradients by local derivatives, output first. You wrote it in about ten lines; shared pieces
#   such as :math:`\partial f/\partial c` are computed once, which makes it cheap.
# * :math:`\partial f/\partial y = (1 - \tanh^2 e) \cdot \frac{1}{d+1} \cdot z \cdot
#   (-\frac{a}{b^2}) \cdot \cos y`, and the backward pass agrees with autograd and central
#   differences within tolerances.
# * Where two paths meet, their gradients add up (:math:`\partial g/\partial x = y + 1` for
#   :math:`g = xy + x`), and PyTorch's ``.grad`` adds every new gradient to what it holds.
# * Outside its domain :math:`f` raises a clear error instead of returning a meaningless number.
