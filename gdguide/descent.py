"""Plain gradient descent (§1.2) and a test problem for choosing the learning rate.

:func:`gradient_descent` applies ``w ← w − η ∇f(w)`` for a fixed number of steps and records the
whole trajectory. When a step produces a non-finite point or value the run stops there: that is
how divergence shows, and NumPy's overflow warnings are silenced while it happens.

:func:`quadratic_bowl` is the elongated bowl ``0.5·(w₁² + 10·w₂²)``. Along ``w₂`` one step
multiplies the coordinate by ``1 − 10η``, so plain gradient descent converges only for
``η < 2/10 = 0.2`` (two over the largest curvature) and diverges, oscillating ever wider, for
``η > 0.2``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gdguide._validate import (
    as_float_array,
    check_callable,
    check_int,
    check_lang,
    check_positive,
    check_scalar_result,
)

__all__ = [
    "Trajectory",
    "gradient_descent",
    "quadratic_bowl",
    "BOWL_CURVATURES",
    "BOWL_MAX_LR",
    "MAX_STEPS",
    "quadratic_bowl_gradient",
]

#: Largest curvature (Hessian eigenvalue) of :func:`quadratic_bowl`.
BOWL_CURVATURES = (1.0, 10.0)

#: Gradient descent on :func:`quadratic_bowl` converges exactly for ``0 < lr < BOWL_MAX_LR``.
BOWL_MAX_LR = 2.0 / max(BOWL_CURVATURES)

#: The largest ``n_steps`` :func:`gradient_descent` accepts: far more than a lesson needs, few
#: enough that a slip such as ``n_steps=10**12`` fails at once instead of running for days.
MAX_STEPS = 1_000_000


@dataclass
class Trajectory:
    """The path of one gradient-descent run.

    Attributes
    ----------
    points : numpy.ndarray
        Shape ``(k + 1, d)``: the start and the point after each of the ``k`` finite steps.
    values : numpy.ndarray
        Shape ``(k + 1,)``: ``fn`` at each point.
    grad_norms : numpy.ndarray
        Shape ``(k + 1,)``: the Euclidean norm of ``grad`` at each point (may be ``inf`` or
        ``nan`` at the last point of a diverging run).
    lr : float
        The learning rate ``η``.
    diverged_at : int or None
        The first step (1-based) whose point or value was not finite, or ``None`` if every step
        stayed finite. The trajectory stops before that step, so ``k = diverged_at − 1``.

    Raises
    ------
    TypeError
        If a field has the wrong type (the arrays must hold real numbers).
    ValueError
        If the shapes do not match, points or values are not finite, a gradient norm is
        negative, ``lr <= 0`` or ``diverged_at`` is not ``len(points)``.
    """

    points: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    lr: float
    diverged_at: int | None = None

    def __post_init__(self) -> None:
        self.points = as_float_array("points", self.points)
        if self.points.ndim != 2 or self.points.shape[0] == 0:
            raise ValueError(
                f"points must have shape (k + 1, d) with k >= 0, got shape {self.points.shape}"
            )
        count = self.points.shape[0]
        self.values = as_float_array("values", self.values)
        self.grad_norms = as_float_array("grad_norms", self.grad_norms, finite=False)
        for name, array in (("values", self.values), ("grad_norms", self.grad_norms)):
            if array.shape != (count,):
                raise ValueError(
                    f"{name} must have shape ({count},), one entry per point, got shape "
                    f"{array.shape}"
                )
        if bool(np.any(self.grad_norms < 0)):
            raise ValueError(f"grad_norms must hold norms (>= 0), got {self.grad_norms}")
        self.lr = check_positive("lr", self.lr)
        if self.diverged_at is not None:
            self.diverged_at = check_int("diverged_at", self.diverged_at, minimum=1)
            if self.diverged_at != count:
                raise ValueError(
                    f"diverged_at must be None or len(points) = {count} (the step after the "
                    f"last finite point), got {self.diverged_at}"
                )

    @property
    def n_steps(self) -> int:
        """Number of finite steps recorded (``len(points) − 1``)."""
        return len(self.points) - 1

    @property
    def diverged(self) -> bool:
        """Whether the run stopped because a step was not finite."""
        return self.diverged_at is not None

    @property
    def final_point(self) -> np.ndarray:
        """The last finite point (a copy)."""
        return self.points[-1].copy()

    @property
    def final_value(self) -> float:
        """``fn`` at the last finite point."""
        return float(self.values[-1])

    @property
    def converged_value(self) -> float | None:
        """``fn`` at the end of a run that stayed finite, ``None`` for a diverged run.

        Staying finite is not proof of convergence: compare :attr:`grad_norms` and
        :attr:`values` with the start, or read :meth:`message`.
        """
        return None if self.diverged else self.final_value

    def message(self, lang: str = "en") -> str:
        """Describe the outcome of the run in one or two sentences.

        Parameters
        ----------
        lang : {"en", "ja"}
            Language of the text.

        Returns
        -------
        str
            Divergence (and at which step), or the final value and gradient norm, with a warning
            when the value ended higher than it started.

        Raises
        ------
        TypeError
            If *lang* is not a str.
        ValueError
            If *lang* is not ``"en"`` or ``"ja"``.
        """
        language = check_lang(lang)
        lr = f"{self.lr:g}"
        if self.diverged:
            return language.text(
                "descent_diverged",
                step=self.diverged_at,
                lr=lr,
                value=f"{self.final_value:.6g}",
                n_steps=self.n_steps,
            )
        value, norm = self.final_value, float(self.grad_norms[-1])
        sentences = [
            language.text(
                "descent_finished", n_steps=self.n_steps, lr=lr, value=f"{value:.6g}",
                norm=f"{norm:.3g}",
            )
        ]
        if value > float(self.values[0]):
            sentences.append(language.text("descent_went_up"))
        return language.sentence_joiner.join(sentences)


def _value(fn: Callable[[np.ndarray], Any], w: np.ndarray) -> float:
    """Call ``fn`` and return its result as a float, checking that it is a real scalar."""
    return check_scalar_result("fn", fn(w.copy()), f"at w = {w.tolist()!r}")


def _gradient(grad: Callable[[np.ndarray], Any], w: np.ndarray) -> np.ndarray:
    """Call ``grad`` and return its result as a float64 array of ``w``'s shape."""
    result = grad(w.copy())
    if isinstance(result, (bool, str, bytes)) or result is None:
        raise TypeError(
            f"grad must return an array of {w.size} real number(s), "
            f"got {type(result).__name__} {result!r:.60}"
        )
    try:
        array = np.asarray(result)
    except (TypeError, ValueError, RuntimeError) as error:  # ragged lists, tensors with grad
        raise TypeError(f"grad must return an array of real numbers: {error}") from None
    if array.dtype == bool or not (
        np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    ):
        raise TypeError(f"grad must return real numbers, got an array of dtype {array.dtype}")
    if array.shape != w.shape and not (w.shape == (1,) and array.shape == ()):
        raise ValueError(
            f"grad must return an array of shape {w.shape} (one entry per coordinate of w), "
            f"got shape {array.shape}"
        )
    return array.astype(np.float64).reshape(w.shape)


def gradient_descent(
    fn: Callable[[np.ndarray], Any],
    grad: Callable[[np.ndarray], Any],
    start: Any,
    lr: float,
    n_steps: int,
) -> Trajectory:
    """Run plain gradient descent ``w ← w − lr·grad(w)`` for *n_steps* steps.

    Parameters
    ----------
    fn : callable
        The function to minimise, ``fn(w) -> float`` for a 1-D float64 array ``w`` of length
        ``d``.
    grad : callable
        Its gradient, ``grad(w) -> array`` of shape ``(d,)`` (a scalar is accepted when
        ``d = 1``).
    start : float or array-like
        The starting point ``w⁽⁰⁾``: a 1-D array-like of finite reals, or one real number for
        ``d = 1``. ``fn`` must be finite there.
    lr : float
        The learning rate ``η > 0``.
    n_steps : int
        The number of updates ``0 <= T <=`` :data:`MAX_STEPS`.

    Returns
    -------
    Trajectory
        All points, values and gradient norms. If a step gives a non-finite point or value, the
        run stops, ``diverged_at`` records that step and only the finite part is kept. NumPy
        overflow warnings are suppressed inside the run: stopping is the signal.

    Raises
    ------
    TypeError
        If ``fn`` or ``grad`` is not callable or returns something that is not real numbers,
        ``start`` is not real, ``lr`` is not a real number or ``n_steps`` not an int.
    ValueError
        If ``start`` is empty, not 1-D or not finite, ``fn(start)`` or ``grad(start)`` is not
        finite, ``lr <= 0``, ``n_steps`` is out of range, or ``grad`` returns the wrong shape.

    Examples
    --------
    >>> run = gradient_descent(quadratic_bowl, quadratic_bowl_gradient, [1.0, 1.0], 0.1, 100)
    >>> run.diverged_at is None and run.final_value < 1e-9
    True
    """
    check_callable("fn", fn)
    check_callable("grad", grad)
    w = as_float_array("start", start)
    if w.ndim == 0:
        w = w.reshape(1)
    if w.ndim != 1 or w.size == 0:
        raise ValueError(
            f"start must be a non-empty 1-D array (or one number), got shape {w.shape}"
        )
    lr = check_positive("lr", lr)
    n_steps = check_int("n_steps", n_steps, minimum=0, maximum=MAX_STEPS)

    points = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        value = _value(fn, w)
        if not np.isfinite(value):
            raise ValueError(
                f"fn must be finite at start = {w.tolist()!r}, got {value!r}; "
                f"choose a start inside the domain of fn"
            )
        g = _gradient(grad, w)
        if not np.all(np.isfinite(g)):
            raise ValueError(
                f"grad must be finite at start = {w.tolist()!r}, got {g.tolist()!r}; choose a "
                f"start where fn is differentiable (this is not a learning-rate problem)"
            )
        values = [value]
        norms = [float(np.linalg.norm(g))]
        diverged_at = None
        for step in range(1, n_steps + 1):
            w = w - lr * g
            if not np.all(np.isfinite(w)):
                diverged_at = step
                break
            value = _value(fn, w)
            if not np.isfinite(value):
                diverged_at = step
                break
            g = _gradient(grad, w)
            points.append(w.copy())
            values.append(value)
            norms.append(float(np.linalg.norm(g)))
    return Trajectory(
        points=np.array(points),
        values=np.array(values),
        grad_norms=np.array(norms),
        lr=lr,
        diverged_at=diverged_at,
    )


def _bowl_input(w: Any) -> np.ndarray:
    array = as_float_array("w", w)
    if array.ndim == 0 or array.shape[-1] != 2:
        raise ValueError(
            f"w must have shape (2,) or (..., 2) (the last axis holds w1, w2), "
            f"got shape {array.shape}"
        )
    return array


def quadratic_bowl(w: Any) -> float | np.ndarray:
    """Evaluate the elongated bowl ``0.5·(w₁² + 10·w₂²)``.

    The curvatures are 1 along ``w₁`` and 10 along ``w₂``; gradient descent on it converges for
    ``0 < lr < 0.2`` and diverges for ``lr > 0.2`` (see :data:`BOWL_MAX_LR`).

    Parameters
    ----------
    w : array-like
        Shape ``(2,)``, or ``(..., 2)`` to evaluate many points at once (e.g. a grid for a
        contour plot), finite values.

    Returns
    -------
    float or numpy.ndarray
        A float for one point, an array of shape ``w.shape[:-1]`` otherwise.

    Raises
    ------
    TypeError
        If *w* does not hold real numbers.
    ValueError
        If the last axis of *w* does not have length 2, or a value is not finite.

    Examples
    --------
    >>> quadratic_bowl([1.0, 1.0])
    5.5
    """
    array = _bowl_input(w)
    result = 0.5 * (array[..., 0] ** 2 + 10.0 * array[..., 1] ** 2)
    return float(result) if result.ndim == 0 else result


def quadratic_bowl_gradient(w: Any) -> np.ndarray:
    """Return the gradient ``(w₁, 10·w₂)`` of :func:`quadratic_bowl`.

    Parameters
    ----------
    w : array-like
        As for :func:`quadratic_bowl`.

    Returns
    -------
    numpy.ndarray
        Same shape as *w*.

    Raises
    ------
    TypeError
        As for :func:`quadratic_bowl`.
    ValueError
        As for :func:`quadratic_bowl`.

    Examples
    --------
    >>> quadratic_bowl_gradient([1.0, 1.0]).tolist()
    [1.0, 10.0]
    """
    array = _bowl_input(w)
    return array * np.array([1.0, 10.0])
