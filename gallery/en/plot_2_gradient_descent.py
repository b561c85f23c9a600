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
* that gradient descent finds the valley it starts in (its *basin of attraction*), which need
  not be the deepest one;
* how quickly derivatives by hand get out of hand -- the reason for the next lesson.
"""

import math

import numpy as np

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
# .. dropdown:: Refresher: the dot product and the angle between two vectors
#
#    The first-order formula multiplies two vectors with the **dot product**: for
#    :math:`\mathbf{a} = (a_1, \dots, a_d)` and :math:`\mathbf{b} = (b_1, \dots, b_d)`,
#
#    .. math::
#
#       \mathbf{a} \cdot \mathbf{b} = a_1 b_1 + \dots + a_d b_d
#       = \lVert \mathbf{a} \rVert \, \lVert \mathbf{b} \rVert \cos\theta,
#       \qquad \lVert \mathbf{a} \rVert = \sqrt{\mathbf{a} \cdot \mathbf{a}}
#
#    where :math:`\theta` is the angle between the two arrows. :math:`\cos\theta` is 1 when
#    they point the same way, 0 when they are at right angles and −1 when they point in opposite
#    directions. For a small step :math:`\mathbf{s}`, the change of :math:`f` is about
#    :math:`\nabla f(\mathbf{w}) \cdot \mathbf{s}`. The step of gradient descent,
#    :math:`\mathbf{s} = -\eta \nabla f(\mathbf{w})`, points exactly against the gradient
#    (:math:`\cos\theta = -1`), so the change is
#    :math:`-\eta \lVert \nabla f(\mathbf{w}) \rVert^2`: among all steps of its length, it is the
#    one that goes down fastest (to first order).
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
# The figure draws each run in its own panel, on the contour lines of :math:`f` over the
# :math:`(w_1, w_2)` plane, with the start circled and the minimum marked by a star. All four
# panels show the same region; a path that leaves it is cut off at the edge.

from gdguide.plots import plot_descent_trajectories

verdicts = ["too_small", "good", "oscillating", "diverging"]  # one per learning rate
fig = plot_descent_trajectories(
    quadratic_bowl, trajectories, verdicts=verdicts, minimum=[0.0, 0.0], lang=LANG
)

# %%
# * :math:`\eta = 0.05` (**too small**): a smooth path that creeps along the flat direction
#   :math:`w_1` and is still far from the minimum after 30 steps.
# * :math:`\eta = 0.15` (**good**): a few zigzags across the steep direction, then straight to the
#   minimum; the smallest final value of the four.
# * :math:`\eta = 0.19` (**oscillating**): the path bounces from one wall of the valley to the
#   other, each bounce only a little smaller than the last.
# * :math:`\eta = 0.21` (**diverging**): the bounces grow; every step lands higher than the last,
#   and after a few steps the path leaves the panel.
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
# .. dropdown:: Refresher: curvature, the Hessian and its largest eigenvalue
#
#    For a function of one variable, the second derivative :math:`f''(w)` is the **curvature**:
#    how fast the slope changes. A large :math:`f''` is a narrow, steep valley; a small one a
#    wide, flat valley. With several variables the second derivatives form a matrix, the
#    **Hessian**, with entries :math:`H_{ij} = \partial^2 f / \partial w_i \partial w_j`. For our
#    bowl
#
#    .. math::
#
#       H = \begin{pmatrix} 1 & 0 \\ 0 & 10 \end{pmatrix}
#
#    An **eigenvector** :math:`\mathbf{v}` of :math:`H` is a direction that :math:`H` only
#    stretches, :math:`H \mathbf{v} = \lambda \mathbf{v}`; the factor :math:`\lambda` is its
#    **eigenvalue**, the curvature of :math:`f` along that direction. For a diagonal matrix like
#    this one the eigenvectors are the axes and the eigenvalues are the diagonal entries, 1 along
#    :math:`w_1` and 10 along :math:`w_2`. The largest, :math:`\lambda_{\max} = 10`, belongs to the
#    steepest direction, and that direction is the first to overshoot when the step grows.
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
# **Try it.** The explorer below runs the same 30 steps from the same start for every learning
# rate from 0.01 to 0.25. Drag the slider, or focus it and use the arrow keys: watch the zigzag
# across the steep direction grow as :math:`\eta` approaches the mark at 0.2, and the value per
# step turn from falling to rising once it passes the mark. (It needs JavaScript; the figure
# above shows the same four runs without it.)

from gdguide.explorers import LearningRateExplorer

LearningRateExplorer(LANG)

# %%
# .. note::
#
#    Real losses are not perfect bowls, but near a minimum they look like one, and the same rule
#    of thumb applies: the learning rate must stay below about two over the largest curvature.
#    When the training loss of a network suddenly explodes, a too-large learning rate is the first
#    suspect.
#
# Gradient descent finds the valley it starts in
# ----------------------------------------------
#
# Back to the rippled surface :math:`h(x, y) = \sin(x^2 + y^2)` of the previous lesson. It has a
# small bowl at the origin (:math:`h = 0`), ringed by the first crest at
# :math:`r = \sqrt{\pi/2} \approx 1.25`, and beyond it a circular trough at
# :math:`r = \sqrt{3\pi/2} \approx 2.17` (:math:`h = -1`). ``gradient_descent`` expects a
# function of one vector, so we wrap :func:`gdguide.functions.h` and
# :func:`gdguide.functions.h_gradient`. Then we start from two points on either side of the
# first crest, with :math:`\eta = 0.1` and 50 steps:

from gdguide.functions import h, h_gradient


def h_of_w(w):
    """Return h at the point w = (x, y)."""
    return h(w[..., 0], w[..., 1])


def h_gradient_of_w(w):
    """Return the gradient of h at w = (x, y) as an array."""
    return np.stack(h_gradient(w[..., 0], w[..., 1]), axis=-1)


print(f"first crest at r = {math.sqrt(math.pi / 2):.4f}")
for h_start in ([0.5, 0.5], [1.0, 1.2]):
    run = gradient_descent(h_of_w, h_gradient_of_w, h_start, 0.1, 50)
    x_end, y_end = run.final_point
    print(
        f"start {h_start} (r = {math.hypot(*h_start):.4f}): end ({x_end:+.4f}, {y_end:+.4f}), "
        f"r^2 = {x_end**2 + y_end**2:.4f}, h = {run.final_value:+.6f}"
    )
print(f"(3 pi / 2 = {3 * math.pi / 2:.4f})")

# %%
# The first start (:math:`r \approx 0.71`) lies inside the first crest and slides into the bowl
# at the origin, :math:`h = 0`; the second (:math:`r \approx 1.56`) lies outside it and ends in
# the trough, :math:`h = -1`. Both runs "converged", to different places. Every minimum has a
# **basin of attraction**, the set of starting points from which gradient descent (with a small
# enough step) ends there; here the first crest is the border between the basin of the bowl and
# the basin of the trough. Gradient descent finds the minimum of the basin it starts in -- a
# *local* minimum -- and nothing in the gradient can tell it whether a deeper valley exists
# elsewhere.
#
# **Try it.** Click anywhere on the map of :math:`h` below (or focus it, move the cross with the
# arrow keys and press Enter): the explorer runs the same descent, :math:`\eta = 0.1` for 50
# steps, from that point and names where it ends. Starts inside the dashed first crest end in the
# bowl; starts between the first and the second crest end in the blue trough at
# :math:`r \approx 2.17`. Farther out the troughs are narrower across and the same step is too
# large for them: the path bounces without settling, the learning-rate problem of the bowl again.

from gdguide.explorers import DescentBasinExplorer

DescentBasinExplorer(LANG)

# %%
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
#    a tanh around a logarithm around a product with :math:`z` around the quotient
#    :math:`2x / \sin(y)`. Write :math:`u = 1 + z \cdot 2x / \sin(y)` for the inside of the
#    logarithm. Then
#
#    .. math::
#
#       \frac{\partial f}{\partial z} = \left(1 - \tanh^2(\ln u)\right) \cdot \frac{1}{u}
#       \cdot \frac{2x}{\sin(y)}
#
#    .. math::
#
#       \frac{\partial f}{\partial x} = \left(1 - \tanh^2(\ln u)\right) \cdot \frac{1}{u}
#       \cdot z \cdot \frac{2}{\sin(y)}
#
#    .. math::
#
#       \frac{\partial f}{\partial y} = \left(1 - \tanh^2(\ln u)\right) \cdot \frac{1}{u}
#       \cdot z \cdot \left(-\frac{2x \cos(y)}{\sin^2(y)}\right)
#
#    :math:`\partial f / \partial z` has three factors: the derivative of tanh, the derivative of
#    the logarithm, and :math:`2x / \sin(y)`, the derivative of the inside with respect to
#    :math:`z`. :math:`\partial f / \partial x` and :math:`\partial f / \partial y` have four:
#    the same first two, then :math:`z`, then the derivative of :math:`2x / \sin(y)` with respect
#    to :math:`x` or :math:`y`. For :math:`x` that last factor is simply :math:`2 / \sin(y)`; for
#    :math:`y` it needs the quotient rule (or the chain rule once more, through
#    :math:`1 / \sin(y)`), and that is where slips happen: a lost minus sign, a lost
#    :math:`\cos(y)`, :math:`\sin(y)` instead of :math:`\sin^2(y)`. Worse, the three derivatives
#    repeat the same pieces (:math:`1 - \tanh^2(\ln u)`, :math:`1 / u`): by hand you would write
#    them out, and compute them, three times.
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
# * Gradient descent finds the minimum of the valley it starts in (its basin of attraction), not
#   necessarily the deepest one.
# * Deriving gradients of nested functions by hand quickly becomes impractical; the next lesson
#   shows the systematic way.
