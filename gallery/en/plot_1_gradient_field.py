r"""
1.1 Gradients and steepest ascent
=================================

Learning, for a neural network, means adjusting numbers -- the weights -- until a *loss* that
measures the network's mistakes is as small as we can make it. Almost every learning algorithm is
an optimisation algorithm in disguise, and the most used of them all, **gradient descent**, needs
one ingredient: the gradient of the loss. This page is about that ingredient.

**What you will learn**

* what the gradient of a function of several variables is, and why it points uphill;
* how to derive a gradient by hand with the chain rule, on the surface
  :math:`h(x, y) = \sin(x^2 + y^2)` -- and how to write it as code yourself;
* how to check a hand-derived gradient against numbers, with a tolerance;
* how to read a picture of a gradient field, and where its arrows really point.
"""

import math

import numpy as np

from gdguide.language import use_language

LANG = use_language("en")

# %%
# Why gradients?
# --------------
#
# Picture the loss as a landscape over the space of weights: every choice of weights is a place,
# the loss is the altitude there. Training is a walk downhill. You cannot see the whole landscape
# -- for a real network it has millions of dimensions -- but at the spot where you stand you can
# measure the slope. The gradient is that measurement, and in 1847 Augustin-Louis Cauchy turned it
# into a method: keep stepping against the gradient and you keep going down. That method,
# gradient descent, and its variants such as stochastic gradient descent still train nearly every
# deep network today.
#
# The gradient and steepest ascent
# --------------------------------
#
# A function of two variables, such as :math:`h(x, y)`, has two *partial derivatives*:
# :math:`\partial h / \partial x` is the slope you feel walking parallel to the :math:`x` axis
# (with :math:`y` held fixed), and :math:`\partial h / \partial y` the slope walking parallel to
# the :math:`y` axis. The **gradient** collects them into one vector:
#
# .. math::
#
#    \nabla h(x, y) = \left( \frac{\partial h}{\partial x}, \frac{\partial h}{\partial y} \right)
#
# Why is this vector special? Take a small step of length :math:`\varepsilon` from a point
# :math:`\mathbf{p}` in the direction of a unit vector :math:`\mathbf{u}`. To first order the
# function changes by the dot product of the gradient with the step:
#
# .. math::
#
#    h(\mathbf{p} + \varepsilon \mathbf{u}) \approx h(\mathbf{p})
#    + \varepsilon \, \nabla h(\mathbf{p}) \cdot \mathbf{u}
#    = h(\mathbf{p}) + \varepsilon \, \lVert \nabla h(\mathbf{p}) \rVert \cos\theta
#
# where :math:`\theta` is the angle between :math:`\mathbf{u}` and the gradient. The gain is
# largest when :math:`\cos\theta = 1`, that is when you step **along** the gradient. So the
# gradient points in the direction of **steepest ascent**, its length is the slope in that
# direction, and :math:`-\nabla h` points in the direction of steepest descent. Stepping at right
# angles to the gradient (:math:`\cos\theta = 0`) keeps you on the same contour line.
#
# The surface of this lesson
# --------------------------
#
# We work with a surface that has many hills and valleys:
#
# .. math::
#
#    z = h(x, y) = \sin(x^2 + y^2)
#
# :func:`gdguide.functions.h` evaluates it. At the origin it is 0, on the circle
# :math:`x^2 + y^2 = \pi/2` it reaches its highest value, 1, and on the circle
# :math:`x^2 + y^2 = 3\pi/2` its lowest, −1:

from gdguide.functions import h

print(f"h(0, 0)             = {h(0.0, 0.0):.6f}")
print(f"h(sqrt(pi/2), 0)    = {h(math.sqrt(math.pi / 2), 0.0):.6f}")
print(f"h(sqrt(3*pi/2), 0)  = {h(math.sqrt(3 * math.pi / 2), 0.0):.6f}")

# %%
# The chain rule
# --------------
#
# :math:`h` is a function inside a function: first square and add, then take the sine. The
# **chain rule** differentiates such compositions. For one variable, if
# :math:`F(x) = g(u(x))` then
#
# .. math::
#
#    F'(x) = g'(u(x)) \, u'(x), \qquad
#    \frac{dF}{dx} = \frac{dg}{du} \, \frac{du}{dx}
#
# (the same rule in two notations). In words: the derivative of the outside, evaluated at the
# inside, times the derivative of the inside. With two inputs nothing changes, except that the
# derivative of the inside becomes a partial derivative, one per input.
#
# **Hint for the exercise.** Call the inside :math:`u = x^2 + y^2`; the outside is
# :math:`z = \sin u`. You need the outer derivative :math:`dz/du`, evaluated at
# :math:`u = x^2 + y^2`, and the two inner derivatives :math:`\partial u / \partial x` and
# :math:`\partial u / \partial y`. Multiply the outer one by each inner one in turn. Try it on
# paper before you open the derivation below.
#
# .. dropdown:: The full derivation
#
#    The outer derivative is :math:`dz/du = \cos u`, and the inner ones are
#    :math:`\partial u / \partial x = 2x` and :math:`\partial u / \partial y = 2y`. Multiplying:
#
#    .. math::
#
#       \frac{\partial z}{\partial x} = \frac{dz}{du} \, \frac{\partial u}{\partial x}
#       = \cos(x^2 + y^2) \cdot 2x
#
#    .. math::
#
#       \frac{\partial z}{\partial y} = \frac{dz}{du} \, \frac{\partial u}{\partial y}
#       = \cos(x^2 + y^2) \cdot 2y

# %%
# Exercise 1.1: implement the gradient of h
# -----------------------------------------
#
# Turn your two partial derivatives into code. Complete ``h_gradient_mine`` so that it returns
# the pair :math:`(\partial z/\partial x, \partial z/\partial y)`; it should work for plain
# numbers and for NumPy arrays, so use NumPy's functions (``np.cos``, not ``math.cos``).
# :func:`gdguide.exercises.check_h_gradient` tries your function on several points and prints a
# verdict. As given, the function is not written yet, so the check reports that:

from gdguide.exercises import check_h_gradient


def h_gradient_mine(x, y):
    """Return (dz/dx, dz/dy) of h(x, y) = sin(x**2 + y**2)."""
    # ---- your code here: replace the next line ----
    raise NotImplementedError("compute the gradient of h")


print(check_h_gradient(h_gradient_mine, lang=LANG))

# %%
# .. dropdown:: Solution
#
#    Both partial derivatives share the outer derivative :math:`\cos(x^2 + y^2)`, so compute it
#    once:
#
#    .. code-block:: python
#
#       import numpy as np
#
#
#       def h_gradient_mine(x, y):
#           """Return (dz/dx, dz/dy) of h(x, y) = sin(x**2 + y**2)."""
#           outer = np.cos(x**2 + y**2)  # dz/du at u = x**2 + y**2
#           dz_dx = outer * 2 * x  # times du/dx
#           dz_dy = outer * 2 * y  # times du/dy
#           return dz_dx, dz_dy
#
#    Paste it into the cell above, run the check again, and it passes.
#
# Checking the library's gradient against numbers
# -----------------------------------------------
#
# The library has the same formulas in :func:`gdguide.functions.h_gradient`; the rest of this
# page uses it. A formula derived by hand deserves a check, and the classic one needs no calculus
# at all: nudge one input a tiny :math:`\varepsilon` each way and measure how much the function
# moves,
#
# .. math::
#
#    \frac{\partial h}{\partial x} \approx \frac{h(x + \varepsilon, y) - h(x - \varepsilon, y)}
#    {2\varepsilon}
#
# :func:`gdguide.gradcheck.numerical_gradient` does this for every input (the *central
# difference*, with :math:`\varepsilon = 10^{-6}`); the result is called the *numerical
# gradient*. As a third opinion we also ask PyTorch's automatic differentiation
# (:func:`gdguide.gradcheck.autograd_gradient`), which section 2 explains. The numbers can never
# agree to the last bit -- the central difference has an error of about :math:`10^{-10}` -- so
# :func:`gdguide.gradcheck.compare_gradients` compares them with a tolerance (relative
# :math:`10^{-5}`, absolute :math:`10^{-7}`):

from gdguide.functions import h_gradient
from gdguide.gradcheck import autograd_gradient, compare_gradients, numerical_gradient

points = [(0.5, -1.0), (1.2, 0.3), (-2.0, 1.5)]
for x, y in points:
    hand = h_gradient(x, y)
    numerical = numerical_gradient(h, x, y)
    autograd = autograd_gradient(h, x, y)
    comparison = compare_gradients(hand, autograd, numerical, names=["x", "y"])
    print(
        f"(x, y) = ({x:+.1f}, {y:+.1f}): by hand ({hand[0]:+.8f}, {hand[1]:+.8f}), "
        f"numerical gradient ({numerical[0]:+.8f}, {numerical[1]:+.8f}), "
        f"largest difference {comparison.max_abs_diff:.1e}, agree: {comparison.passed}"
    )
print()
print(comparison.summary(LANG))  # the full report for the last point

# %%
# The polar view: where the arrows point
# --------------------------------------
#
# :math:`h` only depends on the distance :math:`r = \sqrt{x^2 + y^2}` from the origin: it is
# :math:`\sin(r^2)`, a pattern of circular ripples that get narrower as :math:`r` grows. The
# gradient shows this too. Both components of your gradient share the factor
# :math:`2\cos(r^2)`:
#
# .. math::
#
#    \nabla h(x, y) = 2\cos(r^2) \, (x, y) = 2r\cos(r^2) \, \hat{\mathbf{r}},
#    \qquad \hat{\mathbf{r}} = \frac{(x, y)}{r}
#
# So every gradient vector lies along the radius: it points straight away from the origin where
# :math:`\cos(r^2) > 0` and straight towards it where :math:`\cos(r^2) < 0`. Its length is
# :math:`|2r\cos(r^2)|`, which is zero where :math:`\cos(r^2) = 0`, at
# :math:`r^2 = \pi/2 + k\pi`: exactly on the crests (:math:`\sin = 1`) and in the troughs
# (:math:`\sin = -1`), where the surface is flat for an instant. It is also zero at the origin,
# the bottom of a small bowl.
#
# Which way along the radius? Up the slope the point stands on. Going outwards from the origin,
# the surface climbs to a crest, falls to a trough, climbs to the next crest, and so on: crests
# lie at :math:`r = \sqrt{\pi/2 + 2k\pi}` and troughs at :math:`r = \sqrt{3\pi/2 + 2k\pi}`
# (:math:`k = 0, 1, \dots`). Every point lies on one such stretch, between a low point (a trough,
# or the origin) and a crest, and its arrow points away from the low point, to **the crest at the
# top of its own stretch**. That is not always the nearest crest. Take the point
# :math:`(2.0, 0.5)`:

x, y = 2.0, 0.5
r = math.hypot(x, y)
dz_dx, dz_dy = h_gradient(x, y)
radial = (dz_dx * x + dz_dy * y) / r  # the component along the unit vector (x, y) / r
crests = [math.sqrt(math.pi / 2 + 2 * k * math.pi) for k in range(2)]
trough = math.sqrt(3 * math.pi / 2)
print(f"(x, y) = ({x}, {y}): r = {r:.4f}, gradient = ({dz_dx:+.4f}, {dz_dy:+.4f})")
print(f"radial component = {radial:+.4f}  (2 r cos(r^2) = {2 * r * math.cos(r**2):+.4f})")
print("the arrow points", "inwards" if radial < 0 else "outwards")
print(f"nearest trough at r = {trough:.4f}")
for crest in crests:
    print(f"crest at r = {crest:.4f}, distance {abs(crest - r):.4f}")

# %%
# The point sits just inside the trough at :math:`r \approx 2.17`, so uphill means inwards: the
# radial component is negative and the arrow points to the crest at :math:`r \approx 1.25`,
# although the crest at :math:`r \approx 2.80` is nearer. The gradient only sees the slope under
# your feet.
#
# The gradient field
# ------------------
#
# Now draw the gradient at many points at once: :func:`gdguide.plots.plot_gradient_field` fills
# the contours of :math:`h` on :math:`-3 \le x, y \le 3` and puts a red arrow
# :math:`(\partial z/\partial x, \partial z/\partial y)` on an :math:`11 \times 11` grid from
# :math:`-2.5` to :math:`2.5`.

from gdguide.plots import plot_gradient_field

fig = plot_gradient_field(lang=LANG)

# %%
# What to notice in the figure:
#
# * **The arrows point uphill**, from dark (low) colours towards bright (high) ones, and at right
#   angles to the contour lines -- the steepest way up, never along a contour.
# * **Each arrow points to the crest at the top of its own slope**: away from the trough (or the
#   origin) below it, not to whichever crest is nearest. On either side of a trough the arrows
#   point away from each other, each up its own slope; on either side of a crest they point
#   towards each other.
# * **The arrows are short near flat spots**: on the bright crests, in the dark troughs and at the
#   origin. There the gradient is (almost) zero, exactly as :math:`2r\cos(r^2) = 0` predicts.
# * **The arrows grow longer away from the origin**, because the ripples get steeper (the factor
#   :math:`2r`).
#
# Following the arrows climbs a hill; following them *backwards*, against the gradient, leads down
# into a valley. That is the whole idea of gradient descent, the subject of the next lesson.
#
# Recap
# -----
#
# * The gradient :math:`\nabla h` is the vector of partial derivatives. It points in the
#   direction of steepest ascent and its length is the slope there; :math:`-\nabla h` points
#   steepest downhill.
# * The chain rule differentiates a composition: outer derivative at the inside, times the inner
#   derivative. For :math:`h(x, y) = \sin(x^2 + y^2)` it gives
#   :math:`\nabla h = \cos(x^2 + y^2) \cdot (2x, 2y)`, which you wrote as ``h_gradient_mine``.
# * A hand-derived gradient is checked against central differences (and autograd) **with a
#   tolerance**, never with ``==``.
# * The gradient is local: it points up the slope under your feet -- not necessarily towards the
#   nearest or the highest hill -- and it vanishes on crests, in troughs and at the bottom of
#   bowls.
