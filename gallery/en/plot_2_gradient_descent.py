r"""
1.2 The gradient-descent algorithm
==================================

The previous lesson showed that the gradient points uphill. Turn around and you have an
algorithm: keep taking small steps against the gradient and you walk downhill, towards a minimum.
This page writes that idea down precisely and runs it.

**What you will learn**

* the update rule of gradient descent and the complete algorithm;
* why training a network only ever needs the gradient of the loss with respect to the weights;
* what the learning rate does: too small is slow, too large oscillates or diverges, and where
  exactly the limit lies for a simple bowl;
* that gradient descent finds the valley *nearest* to where it starts;
* how quickly derivatives by hand get out of hand -- the reason for the next lesson.
"""

# %%
# As always, first the language of the figures and messages:

from gdguide.language import use_language

LANG = use_language("en")

# %%
# The update rule
# ---------------
#
# Let :math:`f(\mathbf{w})` be a differentiable function of :math:`d` variables,
# :math:`\mathbf{w} = (w_1, \dots, w_d)`, that we want to make small. Gradient descent starts at a
# guess :math:`\mathbf{w}^{(0)}` and repeats one update:
#
# .. math::
#
#    \mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \, \nabla f\left(\mathbf{w}^{(t)}\right),
#    \qquad
#    \nabla f(\mathbf{w}) = \left( \frac{\partial f}{\partial w_1}, \dots,
#    \frac{\partial f}{\partial w_d} \right)
#
# The positive number :math:`\eta` is the **learning rate** (or step size). Why does this go
# downhill? The first-order formula of the previous lesson, with the step
# :math:`-\eta \nabla f`, says
#
# .. math::
#
#    f\left(\mathbf{w} - \eta \nabla f(\mathbf{w})\right) \approx f(\mathbf{w})
#    - \eta \, \lVert \nabla f(\mathbf{w}) \rVert^2
#
# The change is negative whenever the gradient is not zero -- *provided the step is small enough*
# for the first-order approximation to hold. Keep that proviso in mind; we will break it on
# purpose below.
#
# The algorithm
# -------------
#
# .. admonition:: Algorithm: gradient descent
#
#    **Inputs:** a starting point :math:`\mathbf{w}^{(0)}`, a learning rate :math:`\eta > 0`, a
#    number of steps :math:`T`.
#
#    1. For :math:`t = 0, 1, \dots, T - 1`:
#       compute the gradient :math:`\nabla f(\mathbf{w}^{(t)})` and set
#       :math:`\mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \, \nabla f(\mathbf{w}^{(t)})`.
#    2. Return :math:`\mathbf{w}^{(T)}`.
#
# :func:`gdguide.descent.gradient_descent` is exactly this loop. It takes the function, its
# gradient, :math:`\mathbf{w}^{(0)}`, :math:`\eta` and :math:`T`, and returns the whole path as a
# :class:`~gdguide.descent.Trajectory`, so that we can look at every step.
#
# Only the gradient of the loss is needed
# ---------------------------------------
#
# In training, :math:`f` is the **loss**: the data are fixed and the loss is a function of the
# weights :math:`\mathbf{w}` alone. The update rule then asks for one thing only, the vector of
# partial derivatives of the loss with respect to the weights:
#
# .. math::
#
#    \frac{\partial \, \mathrm{Loss}}{\partial \mathbf{w}} =
#    \left[ \frac{\partial \, \mathrm{Loss}}{\partial w_1}, \dots,
#    \frac{\partial \, \mathrm{Loss}}{\partial w_d} \right]^{\top}
#
# No second derivatives, no formula for the minimum, no picture of the whole landscape: just
# the local slope in every weight direction, over and over. A modern network has millions of
# weights, so everything hinges on computing this one vector cheaply -- the subject of the rest of
# this site.

# %%
# A test landscape: an elongated bowl
# -----------------------------------
#
# To see the learning rate at work we descend a bowl that is ten times steeper in one direction
# than in the other, :func:`gdguide.descent.quadratic_bowl`:
#
# .. math::
#
#    f(\mathbf{w}) = \tfrac{1}{2} \left( w_1^2 + 10 \, w_2^2 \right),
#    \qquad
#    \nabla f(\mathbf{w}) = (w_1, \; 10 \, w_2)
#
# Its minimum is :math:`f = 0` at the origin. We start every run at
# :math:`\mathbf{w}^{(0)} = (-2.5, 1)`, take :math:`T = 30` steps and try four learning rates:

from gdguide.descent import gradient_descent, quadratic_bowl, quadratic_bowl_gradient

start = [-2.5, 1.0]
n_steps = 30
learning_rates = [0.05, 0.15, 0.19, 0.21]
print(f"start: w = {start}, f(w) = {quadratic_bowl(start):.4g}")
trajectories = [
    gradient_descent(quadratic_bowl, quadratic_bowl_gradient, start, lr, n_steps)
    for lr in learning_rates
]
for trajectory in trajectories:
    print(trajectory.message(LANG))

# %%
# Three runs go down, at very different speeds; the last one goes *up*, from about 8 to over 1500.
# The paths on the contour map show what happens (the figure's axes :math:`x` and :math:`y` are
# :math:`w_1` and :math:`w_2`):

from gdguide.plots import plot_descent_trajectories

fig = plot_descent_trajectories(quadratic_bowl, trajectories, lang=LANG)

# %%
# * :math:`\eta = 0.05` (**too small**): a smooth path that creeps along the flat direction
#   :math:`w_1` and is still far from the minimum after 30 steps.
# * :math:`\eta = 0.15` (**good**): a few zigzags across the steep direction, then straight to the
#   minimum; the smallest final value of the four.
# * :math:`\eta = 0.19` (**oscillating**): the path bounces from one wall of the valley to the
#   other, each bounce only a little smaller than the last.
# * :math:`\eta = 0.21` (**diverging**): the bounces grow; every step lands higher than the last.
#
# Where is the limit?
# -------------------
#
# For this bowl we can follow the update rule exactly. The gradient is :math:`(w_1, 10 w_2)`, so
# each coordinate is simply multiplied by a constant factor per step:
#
# .. math::
#
#    w_1^{(t+1)} = (1 - \eta) \, w_1^{(t)}, \qquad w_2^{(t+1)} = (1 - 10\eta) \, w_2^{(t)}
#
# A coordinate shrinks when its factor lies between :math:`-1` and :math:`1`; a negative factor
# flips its sign at every step, which is the zigzag. Along :math:`w_2`,
# :math:`|1 - 10\eta| < 1` holds exactly when :math:`0 < \eta < 0.2`. In general the curvatures
# of a quadratic bowl are the eigenvalues :math:`\lambda_i` of its Hessian (here 1 and 10), each
# direction is multiplied by :math:`1 - \eta \lambda_i`, and plain gradient descent is stable only
# when
#
# .. math::
#
#    \eta < \frac{2}{\lambda_{\max}} = \frac{2}{10} = 0.2
#
# The factors for our four learning rates tell the whole story:

from gdguide.descent import BOWL_CURVATURES, BOWL_MAX_LR

print(f"curvatures: {BOWL_CURVATURES}, stability limit 2 / max = {BOWL_MAX_LR:.2f}")
for lr in learning_rates:
    factors = [1 - lr * curvature for curvature in BOWL_CURVATURES]
    print(f"lr = {lr:.2f}: factor along w1 {factors[0]:+.2f}, along w2 {factors[1]:+.2f}")

# %%
# The steepest direction sets the **limit**, the flattest direction sets the **speed**: with
# :math:`\eta < 0.2` the factor along :math:`w_1` can be no smaller than :math:`0.8`, so the flat
# direction always needs many steps. At :math:`\eta = 0.21` the :math:`w_2` factor is
# :math:`-1.1`, and :math:`f` grows by :math:`1.1^2 = 1.21` per step. Given enough steps (a few
# thousand) the numbers would leave the floating-point range; ``gradient_descent`` then stops and
# the message reports the step at which the run diverged.
#
# .. note::
#
#    Real losses are not perfect bowls, but near a minimum they look like one, and the same rule
#    of thumb applies: the learning rate must stay below about two over the largest curvature.
#    When the training loss of a network suddenly explodes, a too-large learning rate is the first
#    suspect.
#
# Gradient descent only sees the nearest valley
# ---------------------------------------------
#
# Back to the rippled surface :math:`h(x, y) = \sin(x^2 + y^2)` of the previous lesson. It has a
# small bowl at the origin (:math:`h = 0`) and a circular trough at :math:`x^2 + y^2 = 3\pi/2`
# (:math:`h = -1`). ``gradient_descent`` expects a function of one vector, so we wrap
# :func:`gdguide.functions.h` and :func:`gdguide.functions.h_gradient`. Then we start from two
# points on either side of the first crest, with :math:`\eta = 0.1` and 50 steps:

import math

import numpy as np

from gdguide.functions import h, h_gradient


def h_of_w(w):
    """Return h at the point w = (x, y)."""
    return h(w[..., 0], w[..., 1])


def h_gradient_of_w(w):
    """Return the gradient of h at w = (x, y) as an array."""
    return np.stack(h_gradient(w[..., 0], w[..., 1]), axis=-1)


for h_start in ([0.5, 0.5], [1.0, 1.2]):
    run = gradient_descent(h_of_w, h_gradient_of_w, h_start, 0.1, 50)
    x_end, y_end = run.final_point
    print(
        f"start {h_start}: end ({x_end:+.4f}, {y_end:+.4f}), "
        f"r^2 = {x_end**2 + y_end**2:.4f}, h = {run.final_value:+.6f}"
    )
print(f"(3 pi / 2 = {3 * math.pi / 2:.4f})")

# %%
# The first start lies inside the first crest and slides into the bowl at the origin,
# :math:`h = 0`; the second lies outside it and ends in the trough, :math:`h = -1`. Both runs
# "converged", to different places. Gradient descent finds a *local* minimum -- the one whose
# valley it starts in -- and nothing in the gradient can tell it whether a deeper valley exists
# elsewhere.
#
# Exercise 1.2: how hard can a derivative be?
# -------------------------------------------
#
# Gradient descent needs the gradient, and so far we derived it by hand. Look at this function
# of three variables:
#
# .. math::
#
#    f(x, y, z) = \tanh\left( \ln\left[ 1 + z \, \frac{2x}{\sin(y)} \right] \right)
#
# How easy would it be to derive :math:`\partial f / \partial x`,
# :math:`\partial f / \partial y` and :math:`\partial f / \partial z`? You do not have to
# actually do it -- think about what it would take, and where you could slip.
#
# .. dropdown:: Some thoughts on the answer
#
#    It is possible, but tedious and easy to get wrong. :math:`f` is four functions deep --
#    a tanh around a logarithm around a quotient around a sine -- so every partial derivative is
#    a chain rule with four or five factors, and :math:`\partial f / \partial y` also needs the
#    quotient rule on :math:`2x / \sin(y)`. Worse, the three derivatives repeat the same pieces
#    (:math:`1 - \tanh^2(\cdot)`, :math:`1 / (1 + \dots)`): by hand you would write them out, and
#    compute them, three times.
#
#    And this is a toy. A network's loss nests hundreds of operations and depends on millions of
#    weights; deriving its gradient as one big formula is hopeless. The way out is to *stop*
#    writing one formula: cut the function into small steps, each with a derivative that is
#    trivial to write down, and let the chain rule combine them in a fixed, mechanical order,
#    computing every shared piece only once. That is the computational graph and
#    backpropagation, the next lesson, where this very :math:`f` is taken apart.
#
# Recap
# -----
#
# * Gradient descent repeats
#   :math:`\mathbf{w}^{(t+1)} = \mathbf{w}^{(t)} - \eta \nabla f(\mathbf{w}^{(t)})` for
#   :math:`T` steps from a start :math:`\mathbf{w}^{(0)}`.
# * Training only needs :math:`\partial \, \mathrm{Loss} / \partial \mathbf{w}`, the gradient of
#   the loss with respect to the weights.
# * The learning rate matters: too small is slow, too large oscillates and then diverges. For a
#   quadratic bowl the limit is :math:`\eta < 2 / \lambda_{\max}` (0.2 for our bowl), and the
#   flattest direction decides how many steps are needed.
# * Gradient descent finds the minimum of the valley it starts in, not necessarily the deepest
#   one.
# * Deriving gradients of nested functions by hand quickly becomes impractical; the next lesson
#   shows the systematic way.
