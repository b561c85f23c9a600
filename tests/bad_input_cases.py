"""The table behind tests/test_bad_input.py: one valid call per public callable, the bad values.

A new public function, class or method joins the harness by adding one entry to ``VALID_CALLS``
(a factory returning a :class:`Call` that succeeds); if one of its arguments accepts some of the
bad values on purpose, list them in ``ALLOWED`` with the reason in a comment.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from gdguide import chain_rule, descent, gradcheck, graph, neuron, training


@dataclass
class Call:
    """One valid call: ``target(*args, **kwargs)`` must succeed.

    ``target`` is ``None`` for the discovered callable itself; methods give the bound method
    of a fresh instance.
    """

    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    target: Callable[..., Any] | None = None


# --------------------------------------------------------------------------------------------
# The battery of bad values, tried on every argument in turn
# --------------------------------------------------------------------------------------------


def _bad_values() -> dict[str, Any]:
    values: dict[str, Any] = {
        "None": None,
        "str": "text",
        "bool": True,
        "complex": 1 + 5j,
        "nan": math.nan,
        "inf": math.inf,
        "-inf": -math.inf,
        "huge count": 10**12,
        "negative": -1,
        "empty list": [],
        "bool tensor": torch.tensor([[True], [False]]),
        "complex tensor": torch.tensor([[1 + 5j], [1.0 + 0j]]),
        "3-d tensor": torch.zeros(2, 3, 4),
        "int tensor": torch.tensor([[1], [2]]),
        "fn -> None": lambda *args, **kwargs: None,
        "fn -> str": lambda *args, **kwargs: "text",
        "fn -> float": lambda *args, **kwargs: 0.5,
        "fn -> vector": lambda *args, **kwargs: np.ones(3),
        "fn -> tensor vector": lambda *args, **kwargs: torch.ones(3, requires_grad=True),
    }
    if not torch.cuda.is_available():
        values["unavailable cuda"] = "cuda"
    if not torch.backends.mps.is_available():
        values["unavailable mps"] = "mps"
    return values


BAD_VALUES = _bad_values()

#: The bad values that are callables (a wrong function for a ``fn`` argument).
WRONG_FUNCTIONS = frozenset(name for name in BAD_VALUES if name.startswith("fn ->"))
#: Real numbers that are bad for some arguments only.
NUMBERS = frozenset({"huge count", "negative"})
INT_TENSOR = frozenset({"int tensor"})
#: Strings (an unavailable device name is a fine label or message).
STRINGS = frozenset({"str"} | {name for name in BAD_VALUES if name.startswith("unavailable")})
BOOL = frozenset({"bool"})

# --------------------------------------------------------------------------------------------
# Small objects the valid calls need
# --------------------------------------------------------------------------------------------


def _problem() -> dict[str, Any]:
    features, labels = training.make_sine_data(8)
    model, loss_fn, optimizer = training.make_training_setup(n_units=4)
    return {
        "features": features,
        "labels": labels,
        "model": model,
        "loss_fn": loss_fn,
        "optimizer": optimizer,
    }


def _recorded_run() -> dict[str, Any]:
    """A three-epoch run with its snapshots, for the training replay explorer."""
    problem = _problem()
    snapshots = training.TrainingSnapshots(torch.linspace(-1, 1, 3).reshape(-1, 1), [1, 3])
    losses = training.train(**problem, n_epochs=3, snapshots=snapshots)
    return {
        "snapshots": snapshots,
        "losses": losses,
        "inputs": problem["features"],
        "targets": problem["labels"],
    }


def _run() -> descent.Trajectory:
    return descent.gradient_descent(
        descent.quadratic_bowl, descent.quadratic_bowl_gradient, [1.0, 1.0], 0.1, 3
    )


def _comparison() -> gradcheck.GradientComparison:
    return gradcheck.compare_gradients([1.0], [1.0], [1.0], names=["x"])


def _graph() -> graph.Graph:
    return graph.chain_rule_graph(1.0, 1.0, 1.0)


def _autograd_output() -> tuple[torch.Tensor, torch.Tensor]:
    w = torch.tensor([-0.5], requires_grad=True)
    return (2 * w) ** 2, w


def _figure() -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(2, 2))


def _sum_of_squares(w: np.ndarray) -> float:
    return float(np.sum(w**2))


def _sum_of_squares_gradient(w: np.ndarray) -> np.ndarray:
    return 2 * w


def _square_sum(x: Any) -> Any:
    return (x**2).sum() if isinstance(x, torch.Tensor) else float(np.sum(np.asarray(x) ** 2))


def _h_gradient_solution(x: Any, y: Any) -> tuple[Any, Any]:
    return np.cos(x**2 + y**2) * 2 * x, np.cos(x**2 + y**2) * 2 * y


def _backward_solution(v: dict[str, float]) -> tuple[float, float, float]:
    grads = chain_rule.chain_rule_gradients(v["x"], v["y"], v["z"])
    return grads["x"], grads["y"], grads["z"]


class _Neuron:
    """The lesson's one-neuron class, solved."""

    def __init__(self, w: float, b: float) -> None:
        self.w = torch.tensor([w], requires_grad=True)
        self.b = torch.tensor([b], requires_grad=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.w * x + self.b)


VALID_CALLS: dict[str, Callable[[], Call]] = {
    # chain_rule
    "chain_rule.BackwardRow": lambda: Call(("a", 2.0, "∂c/∂a", 0.5, 0.4, 0.2)),
    "chain_rule.backward_table": lambda: Call((1.0, 1.0, 1.0)),
    "chain_rule.chain_rule_gradients": lambda: Call((1.0, 1.0, 1.0)),
    "chain_rule.BackwardTable": lambda: Call((chain_rule.backward_table(1.0, 1.0, 1.0), "ja")),
    "chain_rule.format_backward_table": lambda: Call(
        (chain_rule.backward_table(1.0, 1.0, 1.0),), {"lang": "ja"}
    ),
    "chain_rule.forward_values": lambda: Call((1.0, 1.0, 1.0)),
    "chain_rule.local_derivatives": lambda: Call((1.0, 1.0, 1.0)),
    # descent
    "descent.Trajectory": lambda: Call(
        (np.array([[1.0, 1.0], [0.9, 0.0]]), np.array([5.5, 0.405]), np.array([10.0, 0.9]), 0.1),
        {"diverged_at": None},
    ),
    "descent.Trajectory.message": lambda: Call(("ja",), target=_run().message),
    "descent.gradient_descent": lambda: Call(
        (_sum_of_squares, _sum_of_squares_gradient, [1.0, 1.0], 0.1, 3)
    ),
    "descent.quadratic_bowl": lambda: Call(([1.0, 1.0],)),
    "descent.quadratic_bowl_gradient": lambda: Call(([1.0, 1.0],)),
    # exercises
    "exercises.CheckResult": lambda: Call((True, "✅ Passed", "en")),
    "exercises.check_backward_pass": lambda: Call((_backward_solution,), {"lang": "en"}),
    "exercises.check_df_dy": lambda: Call((lambda v: _backward_solution(v)[1],), {"lang": "en"}),
    "exercises.check_h_gradient": lambda: Call((_h_gradient_solution,), {"lang": "en"}),
    "exercises.check_neuron": lambda: Call((_Neuron,), {"lang": "ja"}),
    "exercises.check_squared_loss": lambda: Call(
        (lambda y_true, y_prediction: (y_true - y_prediction) ** 2,), {"lang": "en"}
    ),
    "exercises.check_train": lambda: Call((training.train,), {"lang": "en"}),
    # functions
    "functions.f": lambda: Call((1.0, 1.0, 1.0)),
    "functions.f_gradient": lambda: Call((1.0, 1.0, 1.0)),
    "functions.h": lambda: Call((1.0, 0.5)),
    "functions.h_gradient": lambda: Call((1.0, 0.5)),
    # gradcheck
    "gradcheck.GradientComparison": lambda: Call(
        (("x",), 0.0, 0.0, 1e-5, 1e-7, True),
        {"details": _comparison().details},
    ),
    "gradcheck.GradientComparison.pair_max_abs_diff": lambda: Call(
        (("hand", "autograd"),), target=_comparison().pair_max_abs_diff
    ),
    "gradcheck.GradientComparison.summary": lambda: Call(
        ("ja",), target=_comparison().summary
    ),
    "gradcheck.PairDetail": lambda: Call((("hand", "autograd"), "x", 0.0, 0.0, True)),
    "gradcheck.autograd_gradient": lambda: Call((_square_sum, 2.0)),
    "gradcheck.compare_gradients": lambda: Call(
        ([1.0], [1.0], [1.0]), {"names": ["x"], "rtol": 1e-5, "atol": 1e-7}
    ),
    "gradcheck.numerical_gradient": lambda: Call((_square_sum, 2.0), {"eps": 1e-6}),
    # graph
    "graph.Edge": lambda: Call(("x", "a", "∂a/∂x = 2")),
    "graph.Graph": lambda: Call(
        ([graph.Node("x", "x", "input"), graph.Node("y", "y", "output")], [graph.Edge("x", "y")]),
        {"title": "a graph"},
    ),
    "graph.Graph.edge": lambda: Call(("x", "a"), target=_graph().edge),
    "graph.Graph.node": lambda: Call(("x",), target=_graph().node),
    "graph.Graph.to_dot": lambda: Call(target=_graph().to_dot),
    "graph.Node": lambda: Call(("x", "x", "input", "1", "0.5", (1.0,), (0.5,))),
    "graph.autograd_graph": lambda: (
        lambda pair: Call((pair[0],), {"names": {"w": pair[1]}})
    )(_autograd_output()),
    "graph.chain_rule_graph": lambda: Call((1.0, 1.0, 1.0), {"lang": "ja"}),
    "graph.draw_graph": lambda: Call(
        (_graph(),), {"lang": "en", "title": "f", "show_values": False}
    ),
    "graph.graph_layout": lambda: Call(
        (_graph(),), {"direction": "TB", "lang": "ja", "show_values": True}
    ),
    # i18n, language
    "i18n.figure_language": lambda: Call(("ja",)),
    "i18n.text": lambda: Call(("ja", "lr_legend", {"lr": 0.1})),
    "language.use_language": lambda: Call(("en",)),
    # neuron
    "neuron.SimpleNeuron": lambda: Call((-0.5, 0.5), {"device": "cpu"}),
    "neuron.SimpleNeuron.forward": lambda: Call(
        (torch.tensor([1.0]),), target=neuron.SimpleNeuron(-0.5, 0.5).forward
    ),
    "neuron.SimpleNeuron.parameters": lambda: Call(target=neuron.SimpleNeuron(0.1, 0.2).parameters),
    "neuron.SimpleNeuron.zero_grad": lambda: Call(target=neuron.SimpleNeuron(0.1, 0.2).zero_grad),
    "neuron.neuron_gradients": lambda: Call(
        (torch.tensor([1.0]), torch.tensor([7.0]), torch.tensor([0.0]))
    ),
    "neuron.squared_loss": lambda: Call((torch.tensor([7.0]), torch.tensor([0.0]))),
    # explorers: the base class takes the language only
    "explorers.Explorer": lambda: Call(("ja",)),
    "explorers.bowl_verdict": lambda: Call((0.1,), {"curvatures": [1.0, 10.0]}),
    "explorers.descent_end": lambda: Call(([1.0, 1.2], 0.5)),
    "explorers.DescentBasinExplorer": lambda: Call(
        ("ja",), {"start": [1.0, 1.2], "lr": 0.1, "n_steps": 50, "extent": 3.0}
    ),
    "explorers.LearningRateExplorer": lambda: Call(
        ("ja",), {"start": [-2.5, 1.0], "n_steps": 30, "learning_rates": [0.1, 0.2], "lr": 0.1}
    ),
    "explorers.TrainingReplayExplorer": lambda: Call(kwargs={**_recorded_run(), "lang": "ja"}),
    "explorers.BackwardPassExplorer": lambda: Call((1.0, 0.5, 0.5), {"lang": "ja"}),
    # figure_variants
    "figure_variants.attach_phone_variant": lambda: Call((_figure(), _figure)),
    "figure_variants.phone_variant": lambda: Call((_figure(),)),
    "figure_variants.smallest_text": lambda: Call((_figure(),)),
    # plots
    "plots.plot_data": lambda: Call(([0.0, 0.5, 1.0], [0.1, 0.9, 0.2]), {"lang": "en"}),
    "plots.plot_descent_trajectories": lambda: Call(
        (descent.quadratic_bowl, [_run()]), {"lang": "en", "extent": 2.0}
    ),
    "plots.plot_gradient_field": lambda: Call(
        kwargs={"lang": "en", "extent": 3.0, "levels": 5, "arrow_grid": 3, "arrow_extent": 2.0}
    ),
    "plots.plot_training_result": lambda: (
        lambda p: Call((p["model"], p["features"], p["labels"], [0.5, 0.4]), {"lang": "en"})
    )(_problem()),
    # reproducibility
    "reproducibility.get_device": lambda: Call((False,)),
    "reproducibility.seed_worker": lambda: Call((0,)),
    "reproducibility.set_seed": lambda: Call((2021,), {"deterministic": True}),
    # training
    "training.TrainingDivergedError": lambda: Call(
        ("training diverged",), {"epoch": 3, "loss": math.nan, "losses": [1.0, 0.5, 0.25]}
    ),
    "training.WideNet": lambda: Call((4,)),
    "training.make_sine_data": lambda: Call((8,), {"seed": 2021}),
    "training.make_training_setup": lambda: Call(
        kwargs={"n_units": 4, "seed": 2021, "lr": 0.003, "momentum": 0.9, "device": "cpu"}
    ),
    "training.train": lambda: Call(
        kwargs={
            **_problem(),
            "n_epochs": 2,
            "progress": False,
            "desc": None,
            "snapshots": training.TrainingSnapshots(torch.zeros(2, 1), [1, 2]),
        }
    ),
    "training.TrainingSnapshots": lambda: Call((torch.zeros(3, 1), [1, 5, 9])),
    "training.log_spaced_epochs": lambda: Call((100,), {"count": 5}),
    "training.training_step": lambda: Call(kwargs=_problem()),
}

#: Public callables left out of the battery on purpose, with the reason.
EXEMPT: dict[str, str] = {
    "training.WideNet.forward": (
        "documented to do no checks so that the training loop stays as fast as a bare one; "
        "train and training_step check features before calling it"
    ),
}

# --------------------------------------------------------------------------------------------
# Bad values that are in fact valid for one argument: the call succeeds and that is right
# --------------------------------------------------------------------------------------------

_NONE = frozenset({"None"})
_ANY_FN = WRONG_FUNCTIONS  # a check turns a wrong learner function into a failed verdict

ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    # Coordinates of f: any finite real; 10**12 and -1 are in the domain or rejected naming it.
    "chain_rule.backward_table": {"x": NUMBERS, "y": NUMBERS, "z": NUMBERS},
    "chain_rule.chain_rule_gradients": {"x": NUMBERS, "y": NUMBERS, "z": NUMBERS},
    "chain_rule.forward_values": {"x": NUMBERS, "y": NUMBERS, "z": NUMBERS},
    "chain_rule.local_derivatives": {"x": NUMBERS, "y": NUMBERS, "z": NUMBERS},
    # A record of two strings and four finite real numbers.
    "chain_rule.BackwardRow": {
        "node": STRINGS,
        "edge": STRINGS,
        "value": NUMBERS,
        "local_derivative": NUMBERS,
        "upstream_gradient": NUMBERS,
        "gradient": NUMBERS,
    },
    "chain_rule.BackwardTable": {"rows": frozenset({"empty list"})},  # header only
    "chain_rule.format_backward_table": {"rows": frozenset({"empty list"})},  # header only
    "descent.Trajectory": {"lr": frozenset({"huge count"}), "diverged_at": _NONE},
    "descent.gradient_descent": {
        "fn": frozenset({"fn -> float"}),  # a constant function is a function
        "start": NUMBERS,  # one number: a 1-D problem
        "lr": frozenset({"huge count"}),  # diverges at step 1: a documented result
    },
    "exercises.CheckResult": {"passed": BOOL, "message": STRINGS},
    # Coordinates of f, as for chain_rule.backward_table.
    "explorers.BackwardPassExplorer": {"x": NUMBERS, "y": NUMBERS, "z": NUMBERS},
    # A check turns any wrong learner function into a failed verdict, never an exception.
    "exercises.check_backward_pass": {"fn": WRONG_FUNCTIONS},
    "exercises.check_df_dy": {"fn": WRONG_FUNCTIONS},
    "exercises.check_h_gradient": {"fn": WRONG_FUNCTIONS},
    "exercises.check_neuron": {"cls": WRONG_FUNCTIONS},
    "exercises.check_squared_loss": {"fn": WRONG_FUNCTIONS},
    "exercises.check_train": {"fn": WRONG_FUNCTIONS},
    # The factory is called only when the site saves the figure (phone_variant checks its result).
    "figure_variants.attach_phone_variant": {"factory": WRONG_FUNCTIONS},
    # Any positive rate has a verdict (a huge one diverges); any norm says whether a run settled.
    "explorers.bowl_verdict": {"lr": frozenset({"huge count"})},
    "explorers.descent_end": {"grad_norm": frozenset({"huge count"})},
    # NumPy semantics: an empty array broadcasts to an empty result.
    "functions.f": {name: NUMBERS | {"empty list"} for name in "xyz"},
    "functions.f_gradient": {name: NUMBERS | {"empty list"} for name in "xyz"},
    "functions.h": {name: NUMBERS | {"empty list"} for name in "xy"},
    "functions.h_gradient": {name: NUMBERS | {"empty list"} for name in "xy"},
    "gradcheck.GradientComparison": {
        "names": frozenset({"empty list"}),
        "details": frozenset({"empty list"}),
        "max_abs_diff": frozenset({"huge count"}),
        "max_rel_diff": frozenset({"huge count"}),
        "rtol": frozenset({"huge count"}),
        "atol": frozenset({"huge count"}),
        "passed": BOOL,
    },
    "gradcheck.PairDetail": {
        "name": STRINGS,
        "max_abs_diff": frozenset({"huge count"}),
        "max_rel_diff": frozenset({"huge count"}),
        "passed": BOOL,
    },
    # Any real point of any shape (an empty one has an empty gradient); an integer tensor is
    # documented (float64 gradient).
    "gradcheck.autograd_gradient": {"inputs": NUMBERS | {"int tensor", "3-d tensor", "empty list"}},
    "gradcheck.numerical_gradient": {
        "inputs": NUMBERS | {"int tensor", "3-d tensor", "empty list"},
        "eps": frozenset({"huge count"}),  # a (bad but valid) step
        "fn": frozenset({"fn -> float"}),  # a constant function: gradient 0
    },
    "gradcheck.compare_gradients": {
        "names": _NONE,  # default names
        "rtol": frozenset({"huge count"}),
        "atol": frozenset({"huge count"}),
    },
    "graph.Edge": {"source": STRINGS, "target": STRINGS, "label": _NONE | STRINGS},
    "graph.Graph": {"title": _NONE | STRINGS, "edges": frozenset({"empty list"})},
    "graph.Node": {
        "id": STRINGS,
        "label": STRINGS,
        "value": _NONE | STRINGS,
        "grad": _NONE | STRINGS,
        "value_data": _NONE | {"empty list"},
        "grad_data": _NONE | {"empty list"},
    },
    "graph.autograd_graph": {"names": _NONE},
    "graph.chain_rule_graph": {"x": NUMBERS, "y": NUMBERS, "z": NUMBERS},
    "graph.draw_graph": {"title": _NONE | STRINGS, "show_values": BOOL},
    "graph.graph_layout": {"show_values": BOOL},
    "neuron.SimpleNeuron": {"w": NUMBERS, "b": NUMBERS, "device": _NONE},
    # w and b have shape (1,), so x may have any shape and an integer dtype (documented).
    "neuron.SimpleNeuron.forward": {"x": INT_TENSOR | {"3-d tensor"}},
    "neuron.neuron_gradients": {"x": INT_TENSOR},
    "plots.plot_descent_trajectories": {
        "fn": frozenset({"fn -> float"}),  # a constant function: no contours to draw
        "extent": _NONE | {"huge count"},
        "verdicts": _NONE,  # panels titled with eta only
        "minimum": _NONE,  # no star
    },
    # an inset only when there are more losses than zoom_epochs; None draws none (documented)
    "plots.plot_training_result": {"zoom_epochs": _NONE | {"huge count"}},
    "plots.plot_gradient_field": {"extent": frozenset({"huge count"})},
    "reproducibility.get_device": {"prefer_gpu": BOOL},
    "reproducibility.seed_worker": {"worker_id": frozenset({"huge count"})},
    "reproducibility.set_seed": {"deterministic": BOOL},
    "training.TrainingDivergedError": {
        "message": STRINGS,
        "loss": frozenset({"nan", "inf", "-inf"}),  # the non-finite loss it reports
    },
    "training.make_sine_data": {"seed": _NONE},
    "training.make_training_setup": {
        "seed": _NONE,
        "device": _NONE,
        "lr": frozenset({"huge count"}),
        "momentum": frozenset({"huge count"}),
    },
    "training.train": {"progress": BOOL, "desc": _NONE | STRINGS, "snapshots": _NONE},
}
