r"""
2 Autograd: PyTorch computes the gradients for you
==================================================

In the previous lessons you differentiated by hand: you split a function into small steps,
wrote down the local derivative of each step and multiplied them along the graph with the chain
rule. That works, but it is slow and easy to get wrong once a model has thousands of parameters.
Deep-learning frameworks such as PyTorch, JAX and TensorFlow do this bookkeeping automatically;
PyTorch's engine for it is called **autograd** (automatic differentiation).

In this lesson you build the smallest model there is -- one neuron -- and watch autograd at work.

**What you will learn**

* how ``requires_grad=True`` tells PyTorch which tensors are trainable parameters;
* how the **forward pass** records a computational graph, how to read it through ``grad_fn``,
  and why the graph can be different every time the code runs;
* how ``.backward()`` runs the **backward pass** and leaves the gradients in ``.grad``, and what
  it needs when the output is not a single number;
* that the gradients from autograd agree with the hand-derived ones;
* why ``.grad`` *accumulates* and how to reset it, and why a graph can be walked back only once;
* what ``.detach()`` and ``torch.no_grad()`` are for;
* why two floats should be compared with a tolerance, never with ``==``.
"""

# %%
from gdguide.language import use_language

LANG = use_language("en")

import math

import torch

# %%
# Tensors that remember where they came from
# -------------------------------------------
#
# A tensor created with ``requires_grad=True`` is a trainable parameter: PyTorch will need the
# gradient of the loss with respect to it, so from now on it records every operation that uses
# it. The result of such an operation has a ``grad_fn``: the backward function of the operation
# that produced it. Tensors you create yourself are **leaves** of the graph and have no
# ``grad_fn``.

a = torch.tensor([1.0], requires_grad=True)
b = torch.tensor([-1.0], requires_grad=True)
c = a + b

print(f"a: leaf = {a.is_leaf}, grad_fn = {a.grad_fn}")
print(f"c: leaf = {c.is_leaf}, requires_grad = {c.requires_grad}, grad_fn = {c.grad_fn.name()}")

# %%
# ``c`` was made by an addition, so its ``grad_fn`` is ``AddBackward0``: the piece of code that
# knows the local derivatives of ``+``. ``requires_grad`` is also *contagious*: ``c`` needs a
# gradient because ``a`` and ``b`` do, so everything computed from ``c`` is recorded too.
#
# .. note::
#
#    Try replacing ``a + b`` with ``a * b`` or ``torch.sin(a)`` and run the cell again: the name
#    of the ``grad_fn`` changes with the operation (``MulBackward0``, ``SinBackward0``).
#
# The forward pass of one neuron
# ------------------------------
#
# Our model is a single neuron with a weight :math:`w` and a bias :math:`b`. For an input
# :math:`x` it predicts :math:`y_p`, and the squared error against the target :math:`y_t` is
# its loss (element by element, without taking a mean):
#
# .. math::
#
#    y_p = \tanh(w \cdot x + b), \qquad \mathrm{loss} = (y_t - y_p)^2
#
# As a computational graph this reads
# :math:`x \to (\times w) \to (+ b) \to \tanh \to (y_t - \cdot) \to (\cdot)^2 \to \mathrm{loss}`.
# To train the neuron, gradient descent needs :math:`\partial\,\mathrm{loss}/\partial w` and
# :math:`\partial\,\mathrm{loss}/\partial b` -- the gradients with respect to the parameters,
# not with respect to the data.
#
# Exercise 2.1: the neuron as a class
# -----------------------------------
#
# A model in PyTorch is usually a small class: ``__init__`` creates the parameters and
# ``forward`` computes the prediction from an input. In the class below, ``__init__`` is already
# written: it turns the starting values ``w`` and ``b`` into one-element tensors with
# ``requires_grad=True``, so PyTorch records everything that is computed from them. Write
# ``forward``: return the prediction :math:`\tanh(w \cdot x + b)` for an input tensor ``x``,
# using PyTorch operations. Replace the marked line and run the cell; the check below tells you
# whether your class is right.

from gdguide.exercises import check_neuron, check_squared_loss


class SimpleNeuron:
    """One neuron with a weight w and a bias b: prediction = tanh(w·x + b)."""

    def __init__(self, w, b):
        # the two trainable parameters: one-element tensors that record their use
        self.w = torch.tensor([w], requires_grad=True)
        self.b = torch.tensor([b], requires_grad=True)

    def forward(self, x):
        """Return the prediction tanh(w·x + b) for the input tensor x."""
        # ---- your code here: replace the next line ----
        raise NotImplementedError("compute the prediction tanh(w·x + b)")


print(check_neuron(SimpleNeuron, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    .. code-block:: python
#
#       class SimpleNeuron:
#           """One neuron with a weight w and a bias b: prediction = tanh(w·x + b)."""
#
#           def __init__(self, w, b):
#               # the two trainable parameters: one-element tensors that record their use
#               self.w = torch.tensor([w], requires_grad=True)
#               self.b = torch.tensor([b], requires_grad=True)
#
#           def forward(self, x):
#               """Return the prediction tanh(w·x + b) for the input tensor x."""
#               return torch.tanh(self.w * x + self.b)
#
#    Only PyTorch operations are used (``*``, ``+`` and ``torch.tanh``), so autograd can record
#    every step. A ``math.tanh`` would fail here: it does not work on tensors.
#
# Exercise 2.1 (continued): the squared loss
# ------------------------------------------
#
# Now the loss: the squared difference between the target and the prediction, for every element
# (no sum and no mean).


def squared_loss_mine(y_true, y_prediction):
    """Return the element-wise squared error (y_true - y_prediction)**2."""
    # ---- your code here: replace the next line ----
    raise NotImplementedError("compute the squared error")


print(check_squared_loss(squared_loss_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    .. code-block:: python
#
#       def squared_loss_mine(y_true, y_prediction):
#           """Return the element-wise squared error (y_true - y_prediction)**2."""
#           return (y_true - y_prediction) ** 2
#
# The neuron of the lesson
# ------------------------
#
# We start the neuron at :math:`w = -0.5` and :math:`b = 0.5` and give it one example: the
# input :math:`x = 1` with the target :math:`y_t = 7`. From here on the page writes the forward
# pass and the loss out in full, ``torch.tanh(neuron.w * feature + neuron.b)`` and
# ``(target - prediction) ** 2``: the same lines as in your solutions, so every cell below works
# even while your exercise is still open. Once it passes, ``neuron.forward(feature)`` and
# ``squared_loss_mine(target, prediction)`` give exactly the same tensors.

neuron = SimpleNeuron(-0.5, 0.5)
feature = torch.tensor([1.0])
target = torch.tensor([7.0])

prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2

print(f"w = {neuron.w.item()}, b = {neuron.b.item()}")
print(f"x = {feature.item()}, y_t = {target.item()}")
print(f"prediction = {prediction.item():.1f}, loss = {loss.item():.1f}")

# %%
# Here :math:`w \cdot x + b = -0.5 + 0.5 = 0`, so the prediction is :math:`\tanh 0 = 0` and the
# loss is :math:`(7 - 0)^2 = 49`.
#
# Notice that the target 7 lies outside the range of :math:`\tanh`, which only takes values
# between :math:`-1` and :math:`1`. Whatever :math:`w` and :math:`b` are, this neuron can never
# predict 7, so its loss can never reach 0: it stays above :math:`(7 - 1)^2 = 36`. Training
# still lowers the loss by pushing :math:`w \cdot x + b` towards :math:`+\infty`, so that
# :math:`\tanh` creeps towards 1. But the further it goes, the flatter :math:`\tanh` becomes
# (it *saturates*): its slope :math:`1 - y_p^2` shrinks towards 0, the gradients shrink with
# it, and training slows to a crawl. That is a property of this example, not of autograd; a
# real model would scale its targets or use an output without a bounded range.
#
# Reading the recorded graph
# --------------------------
#
# ``grad_fn`` names only the *last* operation of a tensor:

print(f"c = a + b      -> {c.grad_fn.name()}")
print(f"prediction     -> {prediction.grad_fn.name()}")
print(f"loss           -> {loss.grad_fn.name()}")

# %%
# The prediction ends in a ``tanh`` (``TanhBackward0``) and the loss in a square
# (``PowBackward0``, the power operation ``** 2``). Through ``grad_fn`` PyTorch keeps the whole
# history, though: every backward function lists the backward functions of its inputs in
# ``next_functions``, as pairs ``(function, index)``, with ``None`` for an input that needs no
# gradient. The small function below walks this chain from a tensor back to a leaf, always
# following the first input that needs a gradient, and collects the names.


def grad_fn_chain(tensor):
    """Names of the backward functions from tensor back to a leaf (first such input each time)."""
    names = []
    node = tensor.grad_fn
    while node is not None:
        names.append(node.name())
        inputs = [function for function, _ in node.next_functions if function is not None]
        node = inputs[0] if inputs else None
    return names


print(" <- ".join(grad_fn_chain(loss)))

# %%
# Read it from the loss backwards: the square (``PowBackward0``), the difference
# :math:`y_t - y_p` (``SubBackward0``), ``tanh``, the addition of :math:`b` and the
# multiplication by :math:`w`. The chain ends in ``AccumulateGrad``, the step that will add
# the gradient to the ``.grad`` of the leaf ``w``. The input :math:`x` and the target
# :math:`y_t` appear nowhere: they were created without ``requires_grad``, so PyTorch needs no
# gradient for them.
#
# A new graph every time the code runs
# ------------------------------------
#
# PyTorch builds the graph *while* your Python code runs, one operation at a time: the graph is
# **dynamic**. So a forward pass may contain ordinary ``if`` statements and loops, and the graph
# that gets recorded is the path the code actually took. In the function below the input decides
# whether the neuron applies ``tanh`` or squares :math:`w \cdot x + b`:


def forward_with_a_branch(x):
    """tanh(w·x + b) for a positive input, (w·x + b)**2 otherwise."""
    z = neuron.w * x + neuron.b
    if x.item() > 0:
        return torch.tanh(z)
    return z**2


for x_value in (1.0, -1.0):
    output = forward_with_a_branch(torch.tensor([x_value]))
    print(f"x = {x_value:4}: " + " <- ".join(grad_fn_chain(output)))

# %%
# Two inputs, two different graphs: the backward pass always follows the operations that really
# ran, so it needs no special care for branches and loops.
#
# The backward pass: ``.backward()`` and ``.grad``
# ------------------------------------------------
#
# Calling ``.backward()`` on the loss walks the recorded graph from the loss back to the leaves,
# multiplying local derivatives exactly as the chain rule prescribes, and stores
# :math:`\partial\,\mathrm{loss}/\partial w` in ``w.grad`` and
# :math:`\partial\,\mathrm{loss}/\partial b` in ``b.grad``. Before that, ``.grad`` is ``None``.

print(f"before backward: w.grad = {neuron.w.grad}")
loss.backward()
print(f"after backward:  w.grad = {neuron.w.grad.item():.1f}, b.grad = {neuron.b.grad.item():.1f}")

# %%
# Both gradients are negative: increasing :math:`w` or :math:`b` would lower the loss, so a step
# of gradient descent will increase them.
#
# Here is the graph that autograd recorded for the loss, drawn with
# :func:`gdguide.graph.autograd_graph` and :func:`gdguide.graph.draw_graph`. Now that
# ``backward()`` has run, the leaves ``w`` and ``b`` show their gradients.

from gdguide.graph import autograd_graph, draw_graph

graph = autograd_graph(loss, names={"w": neuron.w, "b": neuron.b, "loss": loss})
fig = draw_graph(graph, lang=LANG, title="the autograd graph of the neuron's loss")

# %%
# Read it from left to right for the forward pass, from right to left for the backward pass.
# ``MulBackward0`` is :math:`w \cdot x`, ``AddBackward0`` adds :math:`b`, and ``SubBackward0``
# is :math:`y_t - y_p` -- the same names as in the chain above.
#
# Checking autograd against the hand-derived gradients
# ----------------------------------------------------
#
# With the chain rule, the gradients of the loss are
#
# .. math::
#
#    \frac{\partial\,\mathrm{loss}}{\partial w} = -2\,x\,(y_t - y_p)\,(1 - y_p^2), \qquad
#    \frac{\partial\,\mathrm{loss}}{\partial b} = -2\,(y_t - y_p)\,(1 - y_p^2)
#
# using :math:`\frac{d}{dz}\tanh z = 1 - \tanh^2 z`. With :math:`x = 1`, :math:`y_t = 7` and
# :math:`y_p = 0`, both are :math:`-2 \cdot 7 \cdot 1 = -14`.
#
# Let us evaluate these formulas in code. The prediction is part of the graph, and anything
# computed from it would be recorded too, as if it were part of the model. ``.detach()`` gives
# the same numbers as a tensor *outside* the graph, so the hand-derived gradients are plain
# numbers. Then we compare them with autograd's -- with a tolerance, as floats should always be
# compared (more on that at the end of the lesson).

y_p = prediction.detach()
dloss_dw_hand = -2 * feature * (target - y_p) * (1 - y_p**2)
dloss_db_hand = -2 * (target - y_p) * (1 - y_p**2)

print(f"hand:     dloss/dw = {dloss_dw_hand.item():.6f}, dloss/db = {dloss_db_hand.item():.6f}")
print(f"autograd: dloss/dw = {neuron.w.grad.item():.6f}, dloss/db = {neuron.b.grad.item():.6f}")
print(f"recorded in the graph: {dloss_dw_hand.requires_grad}")
print(f"torch.allclose: {torch.allclose(dloss_dw_hand, neuron.w.grad)}, "
      f"{torch.allclose(dloss_db_hand, neuron.b.grad)}")

torch.testing.assert_close(dloss_dw_hand, neuron.w.grad)
torch.testing.assert_close(dloss_db_hand, neuron.b.grad)

# %%
# ``torch.allclose(a, b)`` accepts :math:`|a - b| \le \mathrm{atol} + \mathrm{rtol} \cdot |b|`
# (by default :math:`\mathrm{rtol} = 10^{-5}`, :math:`\mathrm{atol} = 10^{-8}`) and returns
# ``True`` or ``False``. ``torch.testing.assert_close`` picks tolerances that suit the dtype and
# raises an error with a clear report when two tensors are *not* close; silence means they agree,
# which makes it the right tool in tests.
#
# A third opinion needs no calculus at all: :func:`gdguide.gradcheck.numerical_gradient` nudges
# each parameter a tiny step up and down and measures how the loss changes (a central
# difference). We hand it the parameters in double precision (``.double()``, float64), so that
# the tiny nudge is not drowned by rounding.

from gdguide.gradcheck import numerical_gradient


def loss_at(w, b):
    """The loss of the example as a function of the parameters."""
    return (target - torch.tanh(w * feature + b)) ** 2


numerical_w, numerical_b = numerical_gradient(
    loss_at, neuron.w.detach().double(), neuron.b.detach().double()
)
print(f"numerical: dloss/dw = {numerical_w.item():.6f}, dloss/db = {numerical_b.item():.6f}")
print(f"close to autograd: {torch.allclose(numerical_w.float(), neuron.w.grad, atol=1e-4)}, "
      f"{torch.allclose(numerical_b.float(), neuron.b.grad, atol=1e-4)}")

# %%
# The numerical estimate is only approximately right (it depends on the size of the nudge), so
# it gets a looser tolerance, ``atol=1e-4``.
#
# Gradients accumulate
# --------------------
#
# ``.backward()`` does not *overwrite* ``.grad``; it **adds** to it. This is deliberate (it lets
# you sum gradients over several losses or mini-batches), but it surprises everyone once. Run the
# forward and backward pass a second time without resetting anything:

prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2
loss.backward()
print(f"after a second backward: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# The parameters did not change, yet the gradient doubled from :math:`-14` to :math:`-28`: the
# new gradient was added to the old one. A training step must therefore start by resetting the
# gradients. There are two ways: ``w.grad.zero_()`` fills the gradient with zeros in place (the
# trailing underscore marks in-place operations in PyTorch), and ``b.grad = None`` removes it, so
# the next ``backward()`` starts afresh.

neuron.w.grad.zero_()
neuron.b.grad = None
print(f"after w.grad.zero_() and b.grad = None: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad}")

prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2
loss.backward()
print(f"after the next backward: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# Both ways give the single gradient again. PyTorch's modules and optimisers have a method for
# this, ``.zero_grad()``, which resets every parameter (by default to ``None``, which saves
# memory); you will call it at the start of every training step in the next lesson.
#
# The graph is freed after ``backward``
# -------------------------------------
#
# To compute the local derivatives, the graph keeps some values of the forward pass (here the
# prediction, for the slope of ``tanh``). ``backward()`` frees them as soon as it has used them,
# so walking the same graph back a second time fails:

try:
    loss.backward()
except RuntimeError as error:
    print(f"RuntimeError: {str(error).split('.')[0]}.")

# %%
# Usually that is what you want: every training step runs a fresh forward pass, which records a
# fresh graph. If you really need to walk one graph back twice, ask ``backward`` to keep it with
# ``retain_graph=True``. (The two gradients add up, as always.)

neuron.w.grad = None
neuron.b.grad = None
prediction = torch.tanh(neuron.w * feature + neuron.b)
loss = (target - prediction) ** 2
loss.backward(retain_graph=True)
loss.backward()
print(f"two backward passes through one graph: w.grad = {neuron.w.grad.item():.1f}, "
      f"b.grad = {neuron.b.grad.item():.1f}")

# %%
# ``.backward()`` needs a single number
# -------------------------------------
#
# Our loss is element-wise, so with several examples at once it is a *vector* of losses, one per
# example. Try to call ``.backward()`` on it:

neuron.w.grad = None
neuron.b.grad = None
features = torch.tensor([1.0, 2.0, 3.0])
targets = torch.tensor([7.0, 7.0, 7.0])
losses = (targets - torch.tanh(neuron.w * features + neuron.b)) ** 2
print(f"losses = {losses.detach()}")

try:
    losses.backward()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

# %%
# A gradient belongs to one number that is to be made smaller. For a vector, PyTorch does not
# guess how its elements should be combined; you say it. The usual fix is to reduce the vector
# to one number first, with ``.mean()`` (the mean squared error) or ``.sum()``. The other fix is
# to pass the starting gradient yourself: ``gradient=torch.ones_like(losses)`` gives every
# element the weight 1, which is exactly the gradient of ``.sum()``.

losses.mean().backward()
grad_w_mean = neuron.w.grad.clone()
print(f"losses.mean().backward():                w.grad = {neuron.w.grad.item():.4f}, "
      f"b.grad = {neuron.b.grad.item():.4f}")

neuron.w.grad = None
neuron.b.grad = None
losses = (targets - torch.tanh(neuron.w * features + neuron.b)) ** 2
losses.backward(gradient=torch.ones_like(losses))
print(f"losses.backward(gradient=ones_like(...)): w.grad = {neuron.w.grad.item():.4f}, "
      f"b.grad = {neuron.b.grad.item():.4f}")
print(f"the sum is {len(losses)} times the mean: "
      f"{torch.allclose(neuron.w.grad, len(losses) * grad_w_mean)}")

# %%
# ``.detach()`` and ``torch.no_grad()``
# -------------------------------------
#
# Both keep computations out of the graph, in two different ways.
#
# ``.detach()`` works on **one tensor**: it returns the same numbers, cut off from the graph.
# You need it whenever a tensor leaves PyTorch's bookkeeping -- to turn it into a NumPy array to
# plot or save it, or to use its value in a formula, as in the hand-derived gradients above.
# A tensor that is still part of the graph is refused:

try:
    prediction.numpy()
except RuntimeError as error:
    print(f"RuntimeError: {error}")

print(f"prediction.detach().numpy() = {prediction.detach().numpy()}")

# %%
# ``with torch.no_grad():`` works on **a block of code**: nothing computed inside it is
# recorded, even from parameters. Use it when you need results but no gradients -- to evaluate a
# trained model (faster, and no memory spent on a graph) -- and when you change the parameters
# themselves: the update step of gradient descent, ``w -= learning_rate * w.grad``, must not
# become part of the next graph, so optimisers make it inside ``torch.no_grad()``.

with torch.no_grad():
    evaluated = torch.tanh(neuron.w * feature + neuron.b)
print(f"inside torch.no_grad(): requires_grad = {evaluated.requires_grad}, "
      f"grad_fn = {evaluated.grad_fn}")

# %%
# Why ``==`` on floats is fragile
# -------------------------------
#
# Above we compared the gradients with ``torch.allclose``, not with ``==``. Computers store
# floats with a fixed number of binary digits and round after every operation, so two correct
# computations of the same number can differ in the last digit:

print(f"0.1 + 0.2 = {0.1 + 0.2:.17g}")
print(f"0.1 + 0.2 == 0.3: {0.1 + 0.2 == 0.3}")
print(f"math.isclose(0.1 + 0.2, 0.3): {math.isclose(0.1 + 0.2, 0.3)}")

# %%
# In our example ``==`` would happen to work: with :math:`w \cdot x + b = 0` every intermediate
# value is exact (:math:`y_p = 0`, :math:`1 - y_p^2 = 1`). With other values it is a gamble.
#
# .. dropdown:: A closer look: hand-derived and autograd gradients in the last bit
#
#    Flip the sign of the bias, :math:`b = -0.5`. Now :math:`y_p = \tanh(-1)`, which no float32
#    number stores exactly, and both results are rounded on the way. The hand formula rounds
#    :math:`y_p^2` and then :math:`1 - y_p^2`, each to float32. PyTorch's backward function
#    for ``tanh`` may compute :math:`1 - y_p^2` in one fused step with a single rounding -- or it
#    may not: that depends on how PyTorch was built and on the processor it runs on. Where it
#    does, the two gradients can differ in their last bit, and ``==`` says ``False`` although
#    both are the true gradient, rounded along slightly different paths; elsewhere the same code
#    prints ``True``. The next cell tries it. Whatever it prints,
#    ``torch.allclose`` and ``torch.testing.assert_close`` agree -- which is why a comparison must
#    never depend on the last bit.

probe = SimpleNeuron(-0.5, -0.5)
probe_prediction = torch.tanh(probe.w * feature + probe.b)
((target - probe_prediction) ** 2).backward()
probe_y_p = probe_prediction.detach()
probe_hand_w = -2 * feature * (target - probe_y_p) * (1 - probe_y_p**2)

print(f"b = -0.5: hand = {probe_hand_w.item():.9f}, autograd = {probe.w.grad.item():.9f}")
print(f"    hand == autograd: {bool(probe_hand_w == probe.w.grad)}, "
      f"torch.allclose: {torch.allclose(probe_hand_w, probe.w.grad)}")
torch.testing.assert_close(probe_hand_w, probe.w.grad)

# %%
# Recap
# -----
#
# * ``requires_grad=True`` marks a tensor as a trainable parameter; every operation on it is
#   recorded, and results carry a ``grad_fn`` (``AddBackward0``, ``TanhBackward0``,
#   ``PowBackward0``, ...) whose ``next_functions`` link back through the whole computation.
# * The graph is recorded as the code runs, so ``if`` statements and loops shape it.
# * ``loss.backward()`` runs the backward pass and stores
#   :math:`\partial\,\mathrm{loss}/\partial\,\mathrm{parameter}` in each leaf's ``.grad``. For the
#   neuron at :math:`w = -0.5`, :math:`b = 0.5`, both gradients are :math:`-14`, as the chain
#   rule says. A vector output needs ``.mean()`` / ``.sum()`` or a ``gradient=`` argument first.
# * ``.grad`` accumulates: reset it with ``.grad.zero_()`` or ``.grad = None`` (``.zero_grad()``
#   in modules and optimisers) before each new backward pass. A graph can be walked back only
#   once unless you pass ``retain_graph=True``.
# * ``.detach()`` takes one tensor out of the graph; ``torch.no_grad()`` records nothing in a
#   whole block.
# * Compare floats with ``math.isclose``, ``torch.allclose`` or ``torch.testing.assert_close`` --
#   never with ``==``.
#
# In the next lesson PyTorch's ``nn.Module`` and an optimiser take over the parameters, and the
# forward pass, ``backward()`` and the update become a training loop.
